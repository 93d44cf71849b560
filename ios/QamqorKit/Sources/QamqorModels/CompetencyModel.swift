#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// Competencies: the profession card an admin assigned, its labour functions and skills with the
/// person's own score and their manager's, each function's score and whether the person is strong
/// in it — all as the core computes them (the manager's score counts before one's own).
@MainActor
public final class CompetencyModel: ObservableObject {
    /// What the screen shows once loaded.
    public enum Content: Equatable, Sendable {
        /// No card assigned yet: the admin assigns one, and it arrives by sync.
        case noCard
        case profile(CompetencyProfile)
    }

    /// A rating the core refused, shown on that skill's score field (`score`, `skill_id`).
    public struct SkillError: Equatable, Sendable {
        public var skillId: String
        public var error: ModelError
    }

    /// The scores offered for a skill, lowest first, as the core defines its scale (`skillScale()`,
    /// read once), with "competency.scale.<n>" as each one's words. The core also checks each score.
    public nonisolated static let scale: [UInt8] = Array(skillScale())

    @Published public private(set) var state: LoadState<Content> = .loading
    @Published public private(set) var skillError: SkillError?
    /// The skill being saved (its control is disabled meanwhile).
    @Published public private(set) var savingSkill: String?

    public var onLocalChange: (@MainActor () -> Void)?

    private let runner: CoreRunner

    public init(runner: CoreRunner) {
        self.runner = runner
    }

    public var profile: CompetencyProfile? {
        if case let .profile(p)? = state.value { return p }
        return nil
    }

    /// The error to show on `skillId`'s score, if the last rating of it was refused.
    public func error(for skillId: String) -> ModelError? {
        skillError?.skillId == skillId ? skillError?.error : nil
    }

    public func load() async {
        switch await runner.localResult({ try $0.competencyProfile() }) {
        case let .success(p): state = .loaded(p.map(Content.profile) ?? .noCard)
        case let .failure(e): state = .failed(e)
        }
    }

    /// Rates one skill of the card (a score of `scale`). A score the core refuses stays on the
    /// skill's field and changes nothing.
    @discardableResult
    public func rate(skill skillId: String, score: UInt8) async -> Bool {
        guard savingSkill == nil else { return false }
        savingSkill = skillId
        defer { savingSkill = nil }
        let result = await runner.localResult { core -> CompetencyProfile? in
            try core.rateSkill(skillId: skillId, score: score)
            return try core.competencyProfile()
        }
        switch result {
        case let .success(p):
            state = .loaded(p.map(Content.profile) ?? .noCard)
            skillError = nil
            onLocalChange?()
            return true
        case let .failure(e):
            skillError = SkillError(skillId: skillId, error: e)
            return false
        }
    }

    public func dismissError() {
        skillError = nil
    }
}
