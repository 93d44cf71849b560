#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// One factor behind the score, ready to show: what it is, the person's value in words, and
/// whether it raises or lowers the risk. The numbers are the core's; only their wording is here.
public struct RiskFactorRow: Equatable, Identifiable, Sendable {
    public var kind: FactorKind
    /// In the kind's unit (see `FactorKind`).
    public var value: Double
    /// How much it moves the score; positive raises it.
    public var contribution: Double
    public var source: FactorSource

    public var id: String { kind.key }
    public var raisesRisk: Bool { contribution > 0 }
    /// "Fatigue", "Hours per working day", …
    public var titleKey: String { "factor.\(kind.key).title" }
    /// One sentence on why it matters.
    public var explanationKey: String { "factor.\(kind.key).explain" }

    public init(_ f: RiskFactor) {
        kind = f.kind
        value = f.value
        contribution = f.contribution
        source = f.source
    }

    /// The value in the kind's unit, in words ("6.5 of 10", "9.2 h a working day", "40%").
    public func valueText(_ l: Localizer) -> String {
        switch kind {
        case .fatigue: return l.format("factor.value.of_10", l.number(value))
        case .workHours: return l.format("factor.value.hours_per_day", l.number(value))
        case .qualificationLevel: return l.format("factor.value.level", l.number(value, fractionDigits: 0))
        case .remoteWork: return l[value >= 0.5 ? "factor.value.remote" : "factor.value.office"]
        case .afterHoursWork: return l.format("factor.value.hours_per_week", l.number(value / 60))
        case .longWeeks: return l.format("factor.value.hours_in_week", l.number(value))
        case .noRecovery: return l.format("factor.value.days_in_a_row", l.number(value, fractionDigits: 0))
        case .weekendWork: return l.format("factor.value.days_off_worked", l.number(value, fractionDigits: 0))
        case .overdueTasks: return l.format("factor.value.percent", l.number(value * 100, fractionDigits: 0))
        case .burnoutQuestionnaire: return l.format("factor.value.of_100", l.number(value, fractionDigits: 0))
        case .shortSleep: return l.format("factor.value.hours_per_night", l.number(value))
        case .stress: return l.format("factor.value.of_5", l.number(value))
        }
    }
}

/// One point of the trend chart: the score as of a date (nil while there was not enough data).
public struct RiskTrendPoint: Equatable, Identifiable, Sendable {
    public var asOf: String
    public var score: Double?
    public var isNow: Bool
    public var id: String { asOf }
}

/// The "my risk" screen: the score and level, or honestly "not enough data yet" with what is
/// missing; the factors in plain words; the trend over recent weeks; what could help.
@MainActor
public final class RiskModel: ObservableObject {
    public struct Screen: Equatable, Sendable {
        public var assessment: RiskAssessment
        public var factors: [RiskFactorRow]
        /// Four weeks ago first, now last.
        public var trend: [RiskTrendPoint]
        /// What could help, as the core decides (talking to someone last); the views word them
        /// with `"suggestion.\(key)"`.
        public var suggestions: [RiskSuggestion]

        /// No score yet: say so, and what would let the assessment say more.
        public var notEnoughData: Bool { assessment.score == nil }
        public var missing: [MissingData] { assessment.missing }
        /// The score as a percentage (0 to 100).
        public var scorePercent: Int? { assessment.score.map { Int(($0 * 100).rounded()) } }
    }

    @Published public private(set) var state: LoadState<Screen> = .loading

    /// Called after an assessment: it is kept as today's entry and, under the organisation's
    /// policy, shared, so it waits in the outbox for the next sync.
    public var onLocalChange: (@MainActor () -> Void)?

    private let runner: CoreRunner

    public init(runner: CoreRunner) {
        self.runner = runner
    }

    public var screen: Screen? { state.value }

    /// Assesses now (on the phone, from the person's own data) and keeps it as today's entry.
    public func load() async {
        switch await runner.localResult({ try $0.assessRisk() }) {
        case let .success(a):
            state = .loaded(Self.screen(a))
            onLocalChange?()
        case let .failure(e):
            state = .failed(e)
        }
    }

    static func screen(_ a: RiskAssessment) -> Screen {
        let factors = a.factors.map(RiskFactorRow.init)
        var trend = a.previousWeeks.reversed().map { RiskTrendPoint(asOf: $0.asOf, score: $0.score, isNow: false) }
        trend.append(RiskTrendPoint(asOf: a.localDate, score: a.score, isNow: true))
        return Screen(assessment: a, factors: factors, trend: trend, suggestions: a.suggestions)
    }
}
