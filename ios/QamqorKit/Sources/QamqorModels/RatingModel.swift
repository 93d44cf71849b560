#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// The person's own rating from their verified achievements, for a period: the total, what each
/// category contributes and how the organisation combines them — all computed by the core, with
/// the same function the server ranks people with.
@MainActor
public final class RatingModel: ObservableObject {
    /// Which days count.
    public enum Period: String, CaseIterable, Sendable {
        /// Every verified achievement.
        case all
        /// From 1 January of this year.
        case year
        /// From the first of this month.
        case month
        /// The days picked in `from` and `to`.
        case custom
    }

    @Published public private(set) var state: LoadState<Rating> = .loading
    @Published public var period: Period = .all
    /// The custom period's first and last day (phone's calendar days; either may be left open).
    @Published public var from: Date?
    @Published public var to: Date?

    private let runner: CoreRunner
    private let calendar: Calendar

    public init(runner: CoreRunner, calendar: Calendar = .current) {
        self.runner = runner
        self.calendar = calendar
    }

    public var rating: Rating? { state.value }

    /// The period's bounds as the core's local dates (nil: open), for `now` in the phone's calendar.
    public func bounds(now: Date = Date()) -> (from: String?, to: String?) {
        switch period {
        case .all:
            return (nil, nil)
        case .year:
            let start = calendar.dateInterval(of: .year, for: now)?.start ?? now
            return (LocalDate.iso(start, in: calendar.timeZone), nil)
        case .month:
            let start = calendar.dateInterval(of: .month, for: now)?.start ?? now
            return (LocalDate.iso(start, in: calendar.timeZone), nil)
        case .custom:
            return (from.map { LocalDate.iso($0, in: calendar.timeZone) }, to.map { LocalDate.iso($0, in: calendar.timeZone) })
        }
    }

    /// Loads the rating of the chosen period (a period ending before it starts: the core's error,
    /// naming `to`).
    public func load() async {
        let (from, to) = bounds()
        switch await runner.localResult({ try $0.rating(from: from, to: to) }) {
        case let .success(r): state = .loaded(r)
        case let .failure(e): state = .failed(e)
        }
    }

    public func select(_ period: Period) async {
        self.period = period
        await load()
    }
}
