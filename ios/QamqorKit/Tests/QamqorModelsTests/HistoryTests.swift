import Foundation
import QamqorCore
import QamqorModels
import XCTest

/// The "history" charts: what the core counted, in hours, over 7 days and 12 weeks.
final class HistoryTests: XCTestCase {
    @MainActor
    func testChartsShowHoursAndCheckInsOverSevenDaysAndTwelveWeeks() async throws {
        let phone = makePhone()
        let screens = try await phone.start()
        try phone.onboarding.useWithoutAccount()
        _ = try await screens.runner.local { try $0.updateProfile(input: everyDayProfile()) }

        let history = screens.history
        await history.load()
        XCTAssertEqual(history.screen?.days.count, 7)
        XCTAssertEqual(history.screen?.weeks.count, 12)
        XCTAssertEqual(history.totals.worked, 0)

        let now = Date()
        let added = await screens.today.addSession(from: now.addingTimeInterval(-3 * 3600), to: now.addingTimeInterval(-3600))
        XCTAssertTrue(added)
        screens.today.checkIn.fatigue = 3
        screens.today.checkIn.stress = 2
        screens.today.checkIn.mood = 5
        let checkedIn = await screens.today.submitCheckIn()
        XCTAssertTrue(checkedIn)

        await history.load()
        let screen = try XCTUnwrap(history.screen)
        let days = screen.days
        XCTAssertEqual(days.map(\.isoDate), days.map(\.isoDate).sorted(), "oldest first")
        XCTAssertEqual(days.last?.isoDate, screens.today.snapshot?.date)
        XCTAssertEqual(days.last?.checkIns, 1)
        XCTAssertEqual(days.last?.mood, 5)
        XCTAssertEqual(days.last?.fatigue, 3)
        XCTAssertEqual(LocalDate.iso(try XCTUnwrap(days.last?.date), in: TimeZone(identifier: "UTC")!), days.last?.isoDate)
        XCTAssertEqual(history.range, .days)
        XCTAssertEqual(history.totals.worked, 2, accuracy: 0.001, "two hours (possibly across midnight)")
        XCTAssertEqual(history.totals.checkIns, 1)
        XCTAssertEqual(history.totals.weekend, 0, "every day is a working day in this schedule: nothing on days off")
        XCTAssertEqual(history.totals.afterHours + history.totals.weekend, days.reduce(0) { $0 + $1.afterHoursHours + $1.weekendHours }, accuracy: 0.001)

        history.range = .weeks
        XCTAssertEqual(history.points.count, 12)
        XCTAssertEqual(history.totals.worked, 2, accuracy: 0.001)
        XCTAssertEqual(history.points.last?.isoDate, screen.thisWeek.startDate)
        XCTAssertEqual(screen.checkInStreak, 1)
    }
}
