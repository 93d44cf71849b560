#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// An achievement as entered in the form.
public struct AchievementDraft: Equatable, Sendable {
    /// A type of the organisation's catalogue (the core checks it is active).
    public var typeId: String
    public var title = ""
    public var description = ""
    /// A day picked in the phone's calendar (the core refuses one that has not happened yet).
    public var achievedOn: Date
    /// A picked photo's bytes (JPEG, PNG or WebP): the core checks, shrinks and re-encodes it.
    public var evidence: Data?

    public init(typeId: String = "", achievedOn: Date = Date()) {
        self.typeId = typeId
        self.achievedOn = achievedOn
    }

    /// The core's input (it trims and checks every field).
    public var input: AchievementInput {
        AchievementInput(
            typeId: typeId,
            title: title,
            description: description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : description,
            achievedOn: LocalDate.iso(achievedOn))
    }
}

/// Achievements: what the person recorded (offline, with an optional evidence photo) and where
/// each stands — waiting for their manager, verified, or rejected with the manager's comment.
@MainActor
public final class AchievementsModel: ObservableObject {
    /// The person's achievements, the latest day first (the core's order).
    @Published public private(set) var state: LoadState<[Achievement]> = .loading
    /// The organisation's categories and types (the built-in ones until a sync brings its own).
    @Published public private(set) var catalogue: RatingCatalogue?
    /// The form being filled in (nil when closed).
    @Published public var draft: AchievementDraft?
    /// The form's error: its `field` (`title`, `achieved_on`, `evidence`, `type_id`, …) is highlighted.
    @Published public private(set) var draftError: ModelError?
    /// A deletion or an evidence load that failed (a reviewed achievement cannot be deleted).
    @Published public private(set) var actionError: ModelError?
    @Published public private(set) var isSaving = false
    /// Evidence photos loaded so far (JPEG made by the core), by achievement id.
    @Published public private(set) var evidence: [String: Data] = [:]

    public var onLocalChange: (@MainActor () -> Void)?

    private let runner: CoreRunner

    public init(runner: CoreRunner) {
        self.runner = runner
    }

    public var achievements: [Achievement] { state.value ?? [] }

    /// The categories a new achievement can be recorded in: those with a type the core says may be
    /// recorded now (the others are kept for history only), in the catalogue's order.
    public var categories: [AchievementCategory] {
        let offered = Set((catalogue?.types ?? []).filter(\.recordable).map(\.categoryId))
        return (catalogue?.categories ?? []).filter { offered.contains($0.id) }
    }

    /// The types offered in the form for `categoryId`: those the core says may be recorded now
    /// (`recordable`), in the catalogue's order.
    public func types(in categoryId: String) -> [AchievementType] {
        (catalogue?.types ?? []).filter { $0.categoryId == categoryId && $0.recordable }
    }

    /// The catalogue's type of the form (for its points and category).
    public var draftType: AchievementType? {
        guard let id = draft?.typeId else { return nil }
        return catalogue?.types.first { $0.id == id }
    }

    public func load() async {
        let result = await runner.localResult { core -> ([Achievement], RatingCatalogue) in
            (try core.achievements(), try core.ratingCatalogue())
        }
        switch result {
        case let .success((achievements, catalogue)):
            state = .loaded(achievements)
            self.catalogue = catalogue
        case let .failure(e):
            state = .failed(e)
        }
    }

    /// Opens the form with the catalogue's first type preselected.
    public func newAchievement() {
        draftError = nil
        let first = categories.first.flatMap { types(in: $0.id).first }
        draft = AchievementDraft(typeId: first?.id ?? "")
    }

    public func cancelEditing() {
        draft = nil
        draftError = nil
    }

    /// A photo picked for the form (nil removes it); the core checks it on submit.
    public func setEvidence(_ data: Data?) {
        draft?.evidence = data
        if draftError?.field == "evidence" { draftError = nil }
    }

    /// Records the form's achievement. On an invalid field the form stays open with the error and
    /// nothing is recorded.
    @discardableResult
    public func submit() async -> Bool {
        guard let draft, !isSaving else { return false }
        isSaving = true
        defer { isSaving = false }
        let input = draft.input
        let evidence = draft.evidence
        switch await runner.localResult({ try $0.recordAchievement(input: input, evidence: evidence) }) {
        case .success:
            self.draft = nil
            draftError = nil
            await load()
            onLocalChange?()
            return true
        case let .failure(e):
            draftError = e
            return false
        }
    }

    /// Deletes an achievement recorded by mistake. The core allows it only while it waits for
    /// review (the views offer it when the achievement's `canDelete` says so); otherwise its
    /// conflict lands in `actionError`.
    @discardableResult
    public func delete(_ id: String) async -> Bool {
        switch await runner.localResult({ try $0.deleteAchievement(id: id) }) {
        case .success:
            actionError = nil
            evidence[id] = nil
            await load()
            onLocalChange?()
            return true
        case let .failure(e):
            actionError = e
            await load()
            return false
        }
    }

    /// Loads the evidence photo of an achievement (nil if it has none).
    @discardableResult
    public func loadEvidence(of id: String) async -> Data? {
        if let cached = evidence[id] { return cached }
        switch await runner.localResult({ try $0.achievementEvidence(id: id) }) {
        case let .success(data):
            if let data { evidence[id] = data }
            return data
        case let .failure(e):
            actionError = e
            return nil
        }
    }

    public func dismissError() {
        actionError = nil
    }
}
