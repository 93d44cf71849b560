#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// The sync state shown on every screen that matters, and the intents around it: sync now, retry,
/// cancel, sign out. Syncing never blocks anything: every change is already saved on the phone.
@MainActor
public final class SyncModel: ObservableObject {
    /// What the status line says, most urgent first.
    public enum Badge: Equatable {
        /// Not connected to an organisation: everything stays on this phone.
        case localOnly
        /// Signed out or the session ended: sign in again (nothing is lost).
        case signInNeeded
        case syncing(SyncProgress?)
        /// No connection (the connectivity monitor says so): changes wait on the phone.
        case offline(pending: UInt64)
        /// The last attempt failed (the server unreachable, or refusing); offer a retry.
        case failed(LocalizedMessage, pending: UInt64, retryable: Bool)
        /// Changes waiting for the next sync.
        case pending(UInt64)
        /// Everything is on the server.
        case upToDate(lastSync: Date?)
    }

    @Published public private(set) var status: SyncStatus?
    @Published public private(set) var isSyncing = false
    @Published public private(set) var progress: SyncProgress?
    /// The error of this run's last attempt (nil after a success).
    @Published public private(set) var lastError: ModelError?
    @Published public private(set) var lastReport: SyncReport?
    /// From the connectivity monitor; assumed online until it says otherwise.
    @Published public private(set) var isOnline = true

    /// Called after a sync that brought changes from the server (screens reload).
    public var onSynced: (@MainActor (SyncReport) -> Void)?

    private let runner: CoreRunner
    private let autoSyncDelay: Duration?
    private var scheduled: Task<Void, Never>?

    /// `autoSyncDelay`: how long after a local change to sync (nil: only when asked).
    public init(runner: CoreRunner, autoSyncDelay: Duration? = .seconds(3)) {
        self.runner = runner
        self.autoSyncDelay = autoSyncDelay
    }

    public var isSignedIn: Bool { status?.signedIn ?? false }
    public var pendingChanges: UInt64 { status?.pendingChanges ?? 0 }

    public var badge: Badge {
        guard let status else { return .localOnly }
        if !status.signedIn { return status.account == nil ? .localOnly : .signInNeeded }
        if isSyncing { return .syncing(progress) }
        if !isOnline { return .offline(pending: status.pendingChanges) }
        if let lastError {
            return .failed(lastError.message, pending: status.pendingChanges, retryable: lastError.isRetryable)
        }
        if let failure = status.lastFailure, failure.kind != .cancelled {
            // A failure recorded by an earlier run (a background sync, say); a success clears it.
            return .failed(failure.message, pending: status.pendingChanges, retryable: true)
        }
        if status.pendingChanges > 0 { return .pending(status.pendingChanges) }
        return .upToDate(lastSync: status.lastSuccessAt)
    }

    /// Re-reads the status (never waits for a running sync).
    public func refresh() async {
        if case let .success(s) = await runner.localResult({ try $0.syncStatus() }) {
            status = s
        }
    }

    /// Pushes what is waiting and pulls what is new. Returns whether it completed; failures land
    /// in `lastError` and the badge, never in the person's way.
    @discardableResult
    public func syncNow() async -> Bool {
        guard !isSyncing else { return false }
        scheduled?.cancel()
        scheduled = nil
        if status == nil { await refresh() }
        guard isSignedIn else { return false }
        isSyncing = true
        progress = nil
        let observer = ProgressForwarder { [weak self] p in
            Task { @MainActor in
                if self?.isSyncing == true { self?.progress = p }
            }
        }
        let result = await runner.networkResult { try $0.sync(observer: observer) }
        isSyncing = false
        progress = nil
        await refresh()
        switch result {
        case let .success(report):
            lastError = nil
            lastReport = report
            onSynced?(report)
            return true
        case let .failure(error):
            lastError = error.syncFailure?.kind == .cancelled ? nil : error
            return false
        }
    }

    /// Stops the running sync before its next request (what completed stays done).
    public func cancel() {
        runner.core.cancelSync()
    }

    /// From the connectivity monitor: back online with changes waiting (or after a failure), sync.
    public func connectivityChanged(isOnline online: Bool) async {
        let cameBack = online && !isOnline
        isOnline = online
        guard cameBack else { return }
        await refresh()
        if isSignedIn && (pendingChanges > 0 || lastError != nil || status?.lastErrorKind != nil) {
            await syncNow()
        }
    }

    /// After a local write: show the new pending count and sync a little later (if online).
    public func localChangeMade() async {
        await refresh()
        guard let delay = autoSyncDelay, isSignedIn, isOnline else { return }
        scheduled?.cancel()
        scheduled = Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            await self?.syncNow()
        }
    }

    /// Signs out of the organisation: data and unsent changes stay on the phone.
    @discardableResult
    public func signOut() async -> Bool {
        scheduled?.cancel()
        let result = await runner.networkResult { try $0.signOut() }
        lastError = result.failure
        await refresh()
        return result.failure == nil
    }

    /// Forgets this run's error (e.g. after signing in again).
    public func clearError() {
        lastError = nil
    }
}

/// Passes the core's progress reports (on the syncing thread) to a closure.
final class ProgressForwarder: SyncObserver, @unchecked Sendable {
    private let handler: @Sendable (SyncProgress) -> Void

    init(_ handler: @escaping @Sendable (SyncProgress) -> Void) {
        self.handler = handler
    }

    func onProgress(progress: SyncProgress) {
        handler(progress)
    }
}

extension SyncStatus {
    /// The last sync's failure as the core keeps it (its kind read by the core from the kept code).
    public var lastFailure: SyncFailure? {
        guard let kind = lastErrorKind else { return nil }
        return SyncFailure(kind: kind, code: lastErrorCode ?? kind.key, detail: lastError ?? "")
    }
}
