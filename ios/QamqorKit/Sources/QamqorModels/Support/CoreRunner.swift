import Foundation
import QamqorCore

/// Runs the core's blocking calls off the main actor and hands the results back to it.
///
/// Local reads and writes go through one serial queue, in the order the person made them.
/// Sign-in, registration and sync wait on the network (with retries, for up to a minute), so they
/// run on a queue of their own and never hold up a check-in or a timer.
public final class CoreRunner: @unchecked Sendable {
    /// The core itself (thread-safe: every method may be called from any thread).
    public let core: QamqorCore
    private let localQueue = DispatchQueue(label: "kz.qamqor.core.local", qos: .userInitiated)
    private let networkQueue = DispatchQueue(label: "kz.qamqor.core.network", qos: .utility)

    public init(core: QamqorCore) {
        self.core = core
    }

    /// Opens (creating if needed) the database at `url`, off the main actor.
    public static func open(databaseAt url: URL) async throws -> CoreRunner {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                do {
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                } catch {
                    continuation.resume(throwing: ModelError.storage(detail: "cannot create \(url.deletingLastPathComponent().path): \(error)"))
                    return
                }
                do {
                    continuation.resume(returning: CoreRunner(core: try QamqorCore.open(dbPath: url.path)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// A local read or write (fast: the device's SQLite database).
    public func local<T: Sendable>(_ body: @escaping @Sendable (QamqorCore) throws -> T) async throws -> T {
        try await run(on: localQueue, body)
    }

    /// A call that talks to the server (sign-in, registration, sync).
    public func network<T: Sendable>(_ body: @escaping @Sendable (QamqorCore) throws -> T) async throws -> T {
        try await run(on: networkQueue, body)
    }

    private func run<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable (QamqorCore) throws -> T) async throws -> T {
        let core = self.core
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: try body(core))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

extension CoreRunner {
    /// `local`, with the core's error mapped for the screen.
    func localResult<T: Sendable>(_ body: @escaping @Sendable (QamqorCore) throws -> T) async -> Result<T, ModelError> {
        do {
            return .success(try await local(body))
        } catch {
            return .failure(ModelError(error))
        }
    }

    /// `network`, with the core's error mapped for the screen.
    func networkResult<T: Sendable>(_ body: @escaping @Sendable (QamqorCore) throws -> T) async -> Result<T, ModelError> {
        do {
            return .success(try await network(body))
        } catch {
            return .failure(ModelError(error))
        }
    }
}
