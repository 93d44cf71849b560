#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// The Copenhagen Burnout Inventory: offered when the core says it is due, answered item by item,
/// scored by the core.
@MainActor
public final class QuestionnaireModel: ObservableObject {
    public struct Content: Equatable, Sendable {
        public var items: [CbiItem]
        /// The five answer labels (least to most) of each answer kind.
        public var frequencyLabels: [String]
        public var degreeLabels: [String]
        public var isDue: Bool
        public var lastResponse: CbiResponse?

        public func labels(for item: CbiItem) -> [String] {
            item.answerKind == .frequency ? frequencyLabels : degreeLabels
        }
    }

    @Published public private(set) var state: LoadState<Content> = .loading
    /// One answer (0 to 4) per item, in item order; nil while unanswered.
    @Published public private(set) var answers: [UInt8?] = []
    /// The person does not work with clients, patients or students: the client-related items
    /// are left out (the core scores the other two scales).
    @Published public var noClientWork = false {
        didSet { if noClientWork { clearClientAnswers() } }
    }
    @Published public private(set) var isSaving = false
    @Published public private(set) var error: ModelError?
    /// The response just recorded, with its scores.
    @Published public private(set) var result: CbiResponse?

    public var onLocalChange: (@MainActor () -> Void)?

    private let runner: CoreRunner
    private var loadedLanguage: Language?

    public init(runner: CoreRunner) {
        self.runner = runner
    }

    public var content: Content? { state.value }

    /// The items shown (client-related ones hidden when the person has no clients).
    public var visibleItems: [CbiItem] {
        (content?.items ?? []).filter { !(noClientWork && $0.scale == .clientRelated) }
    }

    /// Every shown item has an answer.
    public var isComplete: Bool {
        !visibleItems.isEmpty && visibleItems.allSatisfy { answer(for: $0) != nil }
    }

    public func answer(for item: CbiItem) -> UInt8? {
        let i = Int(item.number) - 1
        return answers.indices.contains(i) ? answers[i] : nil
    }

    /// Loads the items in `language` (keeping answers given so far) and whether it is due.
    public func load(language: Language) async {
        let result = await runner.localResult { core -> Content in
            Content(
                items: cbiItems(language: language),
                frequencyLabels: cbiAnswerLabels(kind: .frequency, language: language),
                degreeLabels: cbiAnswerLabels(kind: .degree, language: language),
                isDue: try core.nudges().questionnaireDue,
                lastResponse: try core.cbiResponses().last)
        }
        switch result {
        case let .success(c):
            state = .loaded(c)
            if answers.count != c.items.count { answers = Array(repeating: nil, count: c.items.count) }
            loadedLanguage = language
        case let .failure(e):
            state = .failed(e)
        }
    }

    /// Records the answer (0 to 4) to an item.
    public func setAnswer(_ value: UInt8, for item: CbiItem) {
        let i = Int(item.number) - 1
        guard answers.indices.contains(i) else { return }
        answers[i] = value
        result = nil
    }

    /// Sends the answers to the core, which scores and stores them.
    @discardableResult
    public func submit() async -> Bool {
        guard !isSaving else { return false }
        isSaving = true
        defer { isSaving = false }
        let answers = self.answers
        switch await runner.localResult({ try $0.recordCbi(answers: answers) }) {
        case let .success(r):
            result = r
            error = nil
            self.answers = Array(repeating: nil, count: answers.count)
            onLocalChange?()
            if let language = loadedLanguage { await load(language: language) }
            return true
        case let .failure(e):
            error = e
            return false
        }
    }

    private func clearClientAnswers() {
        for item in content?.items ?? [] where item.scale == .clientRelated {
            let i = Int(item.number) - 1
            if answers.indices.contains(i) { answers[i] = nil }
        }
    }
}
