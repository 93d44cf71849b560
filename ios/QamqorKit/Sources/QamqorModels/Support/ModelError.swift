import Foundation
import QamqorCore

/// A sign-in or sync failure, with what the server said (when it answered).
public struct SyncFailure: Equatable, Sendable {
    public var kind: SyncErrorKind
    /// The machine-readable code: the server's (`invitation_used`, `email_taken`, …) or the
    /// core's (`network`, `not_signed_in`, …).
    public var code: String
    /// English detail, for logs.
    public var detail: String
    public var httpStatus: UInt16?
    /// The request field the server rejected, if it named one.
    public var field: String?
    public var retryAfterSeconds: UInt64?
    /// Trying the same again later can help: the core's rule (the one its own sync retries by).
    public var retryable: Bool

    public init(kind: SyncErrorKind, code: String, detail: String = "", httpStatus: UInt16? = nil, field: String? = nil,
                retryAfterSeconds: UInt64? = nil, retryable: Bool = false) {
        self.retryable = retryable
        self.kind = kind
        self.code = code
        self.detail = detail
        self.httpStatus = httpStatus
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// An error of the core as a screen acts on it: which field to highlight, what to say, whether to
/// offer a retry. Built only from the core's `ApiError` cases, never from its text.
public enum ModelError: Error, Equatable, Sendable {
    /// An input was rejected: highlight `field`, say `reason`.
    case invalidInput(field: String, reason: InvalidReason, detail: String)
    /// The record is gone (deleted on another device, say).
    case notFound(entity: String, id: String)
    /// A timer already running, none running, or overlapping sessions.
    case conflict(ConflictKind)
    /// The database could not be read or written.
    case storage(detail: String)
    /// Sign-in or sync did not complete; local data is unaffected.
    case sync(SyncFailure)
    /// Anything else (a bug): shown as a generic message.
    case unexpected(String)

    public init(_ error: Error) {
        switch error {
        case let e as ModelError:
            self = e
        case let e as ApiError:
            switch e {
            case let .InvalidInput(field, reason, detail):
                self = .invalidInput(field: field, reason: reason, detail: detail)
            case let .NotFound(entity, id):
                self = .notFound(entity: entity, id: id)
            case let .Conflict(kind, _):
                self = .conflict(kind)
            case let .Storage(detail):
                self = .storage(detail: detail)
            case let .Sync(kind, code, detail, httpStatus, field, retryAfterSeconds, retryable):
                self = .sync(SyncFailure(kind: kind, code: code, detail: detail, httpStatus: httpStatus, field: field,
                                         retryAfterSeconds: retryAfterSeconds, retryable: retryable))
            }
        default:
            self = .unexpected(String(describing: error))
        }
    }

    /// The input field to highlight, if the error names one.
    public var field: String? {
        switch self {
        case let .invalidInput(field, _, _): return field
        case let .sync(failure): return failure.field
        default: return nil
        }
    }

    /// Whether trying the same thing again later can help (offline, server trouble): the core
    /// decides, so the app offers a retry exactly where the sync itself would retry.
    public var isRetryable: Bool {
        guard case let .sync(f) = self else { return false }
        return f.retryable
    }

    /// The sync failure, if this is one.
    public var syncFailure: SyncFailure? {
        if case let .sync(f) = self { return f }
        return nil
    }

    /// What to tell the person, as keys of Localizable.strings.
    public var message: LocalizedMessage {
        switch self {
        case let .invalidInput(field, reason, _):
            return LocalizedMessage("error.invalid.\(reason.key)", .field(field))
        case .notFound:
            return LocalizedMessage("error.not_found")
        case let .conflict(kind):
            return LocalizedMessage("error.conflict.\(kind.key)")
        case .storage:
            return LocalizedMessage("error.storage")
        case let .sync(f):
            return f.message
        case .unexpected:
            return LocalizedMessage("error.unexpected")
        }
    }
}

extension SyncFailure {
    /// The server's code when it answered with one we can name (translated per code, with the
    /// generic server message as the fallback); otherwise the kind's message.
    public var message: LocalizedMessage {
        switch kind {
        case .server:
            if let field, code == "invalid_field" {
                return LocalizedMessage("server.invalid_field", .field(field))
            }
            return LocalizedMessage("server.\(code)", fallback: "error.sync.server")
        case .storage:
            return LocalizedMessage("error.storage")
        default:
            return LocalizedMessage("error.sync.\(kind.key)")
        }
    }
}

/// A message to show, as a key of Localizable.strings and its arguments (resolved by `Localizer`).
public struct LocalizedMessage: Equatable, Sendable {
    /// An argument: a field name to translate, or text shown as it is.
    public enum Argument: Equatable, Sendable {
        /// A field name from the core or the server (`title`, `changes[0].payload`): shown translated.
        case field(String)
        /// Already localised text (a formatted number, a name).
        case text(String)
    }

    public var key: String
    public var arguments: [Argument]
    /// Used when `key` is not in the strings table (e.g. a server code this app does not know).
    public var fallback: String?

    public init(_ key: String, _ arguments: Argument..., fallback: String? = nil) {
        self.key = key
        self.arguments = arguments
        self.fallback = fallback
    }
}
