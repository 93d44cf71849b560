#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// One bar of the history charts: a day or a week, in hours (the core's minutes / 60).
public struct HistoryPoint: Equatable, Identifiable, Sendable {
    /// The day, or the Monday the week starts on (YYYY-MM-DD).
    public var isoDate: String
    /// That calendar day at midnight UTC: format it with a UTC formatter for axis labels.
    public var date: Date
    public var workedHours: Double
    public var overtimeHours: Double
    public var afterHoursHours: Double
    public var weekendHours: Double
    /// Days with a check-in (0 or 1 for a day).
    public var checkIns: UInt32
    /// Fatigue (0-10) of the day's check-in, or the week's average.
    public var fatigue: Double?
    /// Mood (1-5) of the day's check-in, or the week's average.
    public var mood: Double?

    public var id: String { isoDate }

    init(_ d: DayStats) {
        isoDate = d.date
        date = LocalDate.date(d.date) ?? Date(timeIntervalSince1970: 0)
        workedHours = Double(d.workedMinutes) / 60
        overtimeHours = Double(d.overtimeMinutes) / 60
        afterHoursHours = Double(d.afterHoursMinutes) / 60
        weekendHours = Double(d.weekendMinutes) / 60
        checkIns = d.checkIn == nil ? 0 : 1
        fatigue = d.checkIn.map { Double($0.fatigue) }
        mood = d.checkIn.map { Double($0.mood) }
    }

    init(_ w: WeekStats) {
        isoDate = w.startDate
        date = LocalDate.date(w.startDate) ?? Date(timeIntervalSince1970: 0)
        workedHours = Double(w.workedMinutes) / 60
        overtimeHours = Double(w.overtimeMinutes) / 60
        afterHoursHours = Double(w.afterHoursMinutes) / 60
        weekendHours = Double(w.weekendMinutes) / 60
        checkIns = w.checkIns.count
        fatigue = w.checkIns.fatigue
        mood = w.checkIns.mood
    }
}

/// The "history" screen: hours, overtime, after-hours work and check-ins over the last 7 days
/// and the last 12 weeks, as the core counts them (`statsOverview`).
@MainActor
public final class HistoryModel: ObservableObject {
    public enum Range: String, CaseIterable, Sendable {
        case days = "7d"
        case weeks = "12w"
    }

    public struct Screen: Equatable, Sendable {
        public var days: [HistoryPoint]
        public var weeks: [HistoryPoint]
        public var thisWeek: WeekStats
        public var checkInStreak: UInt32
        public var longestCheckInStreak: UInt32
    }

    @Published public var range: Range = .days
    @Published public private(set) var state: LoadState<Screen> = .loading

    private let runner: CoreRunner

    public init(runner: CoreRunner) {
        self.runner = runner
    }

    public var screen: Screen? { state.value }

    /// The points of the selected range, oldest first.
    public var points: [HistoryPoint] {
        guard let screen else { return [] }
        return range == .days ? screen.days : screen.weeks
    }

    /// Totals of the selected range, in hours.
    public var totals: (worked: Double, overtime: Double, afterHours: Double, weekend: Double, checkIns: UInt32) {
        points.reduce((0, 0, 0, 0, 0)) {
            ($0.0 + $1.workedHours, $0.1 + $1.overtimeHours, $0.2 + $1.afterHoursHours, $0.3 + $1.weekendHours, $0.4 + $1.checkIns)
        }
    }

    public func load() async {
        switch await runner.localResult({ try $0.statsOverview() }) {
        case let .success(o):
            state = .loaded(Screen(
                days: o.last7Days.map(HistoryPoint.init),
                weeks: o.last12Weeks.map(HistoryPoint.init),
                thisWeek: o.thisWeek,
                checkInStreak: o.checkInStreak,
                longestCheckInStreak: o.longestCheckInStreak))
        case let .failure(e):
            state = .failed(e)
        }
    }
}
