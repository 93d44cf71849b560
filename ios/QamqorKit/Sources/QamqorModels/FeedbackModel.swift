#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// Messages from the person's manager (they arrive with sync), newest first.
@MainActor
public final class FeedbackModel: ObservableObject {
    @Published public private(set) var state: LoadState<[Feedback]> = .loading
    @Published public private(set) var actionError: ModelError?

    private let runner: CoreRunner

    public init(runner: CoreRunner) {
        self.runner = runner
    }

    public var unreadCount: Int { (state.value ?? []).filter { $0.readAt == nil }.count }

    public func load() async {
        switch await runner.localResult({ try $0.feedback() }) {
        case let .success(f): state = .loaded(f)
        case let .failure(e): state = .failed(e)
        }
    }

    /// Marks a message read (on this phone).
    public func markRead(id: String) async {
        actionError = await runner.localResult { try $0.markFeedbackRead(id: id) }.failure
        await load()
    }
}
