import Foundation
import QamqorCore
import QamqorModels
import XCTest

/// A working day on the "today" and "tasks" screens, on a phone that is not connected to any
/// server: everything works offline.
final class TodayTests: XCTestCase {
    @MainActor
    private func readyPhone(timeZone: String = "Asia/Almaty") async throws -> Screens {
        let phone = makePhone()
        let screens = try await phone.start()
        try phone.onboarding.useWithoutAccount()
        _ = try await screens.runner.local { try $0.updateProfile(input: everyDayProfile(timeZone: timeZone)) }
        return screens
    }

    @MainActor
    func testTheDailyCheckInTakesAFewTapsAndCanBeRedone() async throws {
        let screens = try await readyPhone()
        let today = screens.today
        await today.load()
        var snapshot = try XCTUnwrap(today.snapshot)
        XCTAssertNil(snapshot.checkIn)
        XCTAssertTrue(snapshot.nudges.checkInDue, "every day is a working day in this profile")

        // Nothing is pre-chosen: an incomplete check-in is not sent.
        XCTAssertFalse(today.checkIn.isComplete)
        let early = await today.submitCheckIn()
        XCTAssertFalse(early)
        today.checkIn.fatigue = 7
        today.checkIn.stress = 4
        today.checkIn.mood = 2
        today.checkIn.sleepHours = 5.5
        let saved = await today.submitCheckIn()
        XCTAssertTrue(saved)
        snapshot = try XCTUnwrap(today.snapshot)
        XCTAssertEqual(snapshot.checkIn?.fatigue, 7)
        XCTAssertEqual(snapshot.checkIn?.sleepHours, 5.5)
        XCTAssertFalse(snapshot.nudges.checkInDue)
        XCTAssertEqual(snapshot.checkInStreak, 1)
        XCTAssertEqual(snapshot.stats.checkIn?.mood, 2)

        // Redone later the same day: replaces it (the first stays in history).
        today.checkIn.mood = 4
        today.checkIn.note = "  better after lunch  "
        let redone = await today.submitCheckIn()
        XCTAssertTrue(redone)
        XCTAssertEqual(today.snapshot?.checkIn?.mood, 4)
        XCTAssertEqual(today.snapshot?.checkIn?.note, "better after lunch")
        let history = try await screens.runner.local { core in try core.checkInHistory(from: core.today(), to: core.today()) }
        XCTAssertEqual(history.count, 2)

        // Out of range (a slider cannot do it, but the core is the judge): field and reason.
        today.checkIn.sleepHours = 30
        let bad = await today.submitCheckIn()
        XCTAssertFalse(bad)
        XCTAssertEqual(today.actionError?.field, "sleep_hours")
        XCTAssertEqual(today.actionError?.message, LocalizedMessage("error.invalid.out_of_range", .field("sleep_hours")))
        XCTAssertEqual(today.snapshot?.checkIn?.mood, 4, "nothing written")

        // A fresh screen model fills the form from today's check-in.
        let reopened = TodayModel(runner: screens.runner)
        await reopened.load()
        XCTAssertEqual(reopened.checkIn.mood, 4)
        XCTAssertTrue(reopened.checkIn.isComplete)

        // The card offers the core's scales: the top of each is accepted, one past it refused.
        let scales = TodayModel.scales
        (today.checkIn.fatigue, today.checkIn.stress, today.checkIn.mood) = (scales.fatigueMax, scales.stressMax, scales.moodMax)
        today.checkIn.sleepHours = scales.sleepHoursMax
        let top = await today.submitCheckIn()
        XCTAssertTrue(top)
        XCTAssertEqual(today.snapshot?.checkIn?.fatigue, scales.fatigueMax)
        today.checkIn.mood = scales.moodMax + 1
        let beyond = await today.submitCheckIn()
        XCTAssertFalse(beyond)
        XCTAssertEqual(today.actionError?.field, "mood")
    }

    @MainActor
    func testTheWorkTimerAndSessionsAddedAfterwards() async throws {
        // Berlin: a zone whose rules the core (chrono-tz) and Foundation agree on. (Not Almaty:
        // Linux's Swift 6.0.3 ICU data predates Kazakhstan's move to UTC+5 in 2024.)
        let screens = try await readyPhone(timeZone: "Europe/Berlin")
        let today = screens.today
        await today.load()
        XCTAssertNil(today.snapshot?.running)

        let started = await today.startTimer(note: " focus ")
        XCTAssertTrue(started)
        let running = try XCTUnwrap(today.snapshot?.running)
        XCTAssertEqual(running.note, "focus")
        XCTAssertEqual(running.source, .timer)

        let twice = await today.startTimer()
        XCTAssertFalse(twice)
        XCTAssertEqual(today.actionError, .conflict(.timerAlreadyRunning))
        XCTAssertEqual(today.actionError?.message.key, "error.conflict.timer_already_running")

        // Stopped "at" a moment (as if the person forgot and set the end time).
        let stopped = await today.stopTimer(at: running.startedAt.addingTimeInterval(1))
        XCTAssertTrue(stopped)
        XCTAssertNil(today.actionError, "a success clears the banner")
        XCTAssertNil(today.snapshot?.running)
        XCTAssertTrue(today.snapshot?.sessions.contains { $0.id == running.id } ?? false)
        let noTimer = await today.stopTimer()
        XCTAssertFalse(noTimer)
        XCTAssertEqual(today.actionError, .conflict(.noRunningTimer))

        // Added afterwards: the last hour before the timer started.
        let end = running.startedAt.addingTimeInterval(-60)
        let added = await today.addSession(from: end.addingTimeInterval(-3600), to: end, note: "meeting notes")
        XCTAssertTrue(added, "\(String(describing: today.actionError)) \(String(describing: today.snapshot?.timeZone))")
        let manual = try XCTUnwrap(today.snapshot?.sessions.first { $0.source == .manual })
        XCTAssertEqual(manual.minutes, 60)
        // The pickers' wall clock is the person's, read by the core in their zone.
        XCTAssertEqual(today.snapshot?.timeZone, "Europe/Berlin")
        let minute = { (d: Date) in (d.timeIntervalSince1970 / 60).rounded(.down) * 60 }
        XCTAssertEqual(manual.startedAt.timeIntervalSince1970, minute(end.addingTimeInterval(-3600)))
        let overlap = await today.addSession(from: end.addingTimeInterval(-1800), to: end.addingTimeInterval(-600))
        XCTAssertFalse(overlap)
        XCTAssertEqual(today.actionError, .conflict(.sessionOverlap))
        let future = await today.addSession(from: Date(), to: Date().addingTimeInterval(3600))
        XCTAssertFalse(future)
        XCTAssertEqual(today.actionError?.field, "ended_at")
        XCTAssertEqual(today.actionError?.message.key, "error.invalid.in_future")
        let backwards = await today.addSession(from: end, to: end.addingTimeInterval(-600))
        XCTAssertFalse(backwards)
        XCTAssertEqual(today.actionError?.message.key, "error.invalid.end_before_start")
        // Pickers showing UTC's wall clock: 10:00 there is 10:00 in Berlin for the core.
        let utc = try XCTUnwrap(TimeZone(identifier: "UTC"))
        var c = Calendar(identifier: .gregorian)
        c.timeZone = utc
        let tenUTC = try XCTUnwrap(c.date(bySettingHour: 10, minute: 0, second: 0, of: Date().addingTimeInterval(-86400)))
        let read = await today.addSession(from: tenUTC, to: tenUTC.addingTimeInterval(1800), pickerTimeZone: utc)
        XCTAssertTrue(read, "\(String(describing: today.actionError))")
        await today.load()
        let sessions = try await screens.runner.local { try $0.sessions(from: LocalDate.iso(tenUTC.addingTimeInterval(-86400), in: utc), to: LocalDate.iso(tenUTC.addingTimeInterval(86400), in: utc)) }
        let berlinOffset = try XCTUnwrap(TimeZone(identifier: "Europe/Berlin")).secondsFromGMT(for: tenUTC)
        XCTAssertTrue(sessions.contains { $0.startedAt == tenUTC.addingTimeInterval(-Double(berlinOffset)) }, "\(sessions.map(\.startedAt))")

        let deleted = await today.deleteSession(id: manual.id)
        XCTAssertTrue(deleted)
        XCTAssertFalse(today.snapshot?.sessions.contains { $0.id == manual.id } ?? true)
        let again = await today.deleteSession(id: manual.id)
        XCTAssertFalse(again)
        XCTAssertEqual(today.actionError, .notFound(entity: "work_session", id: manual.id))
        today.dismissError()
        XCTAssertNil(today.actionError)
    }

    @MainActor
    func testTasksAreAddedEditedAndTickedOffFromTodayAndTheTasksScreen() async throws {
        let screens = try await readyPhone()
        let tasks = screens.tasks
        await tasks.load()
        XCTAssertEqual(tasks.visible, [])

        tasks.newTask()
        tasks.draft?.title = "   "
        let empty = await tasks.saveDraft()
        XCTAssertFalse(empty)
        XCTAssertEqual(tasks.draftError?.field, "title")
        XCTAssertEqual(tasks.draftError?.message, LocalizedMessage("error.invalid.empty", .field("title")))
        XCTAssertNotNil(tasks.draft, "the form stays open to fix")

        tasks.draft?.title = "Prepare the quarterly report"
        tasks.draft?.notes = "numbers from Q3"
        tasks.draft?.estimateMinutes = 90
        tasks.draft?.dueDate = LocalDate.pickerDate("2030-03-01")
        let added = await tasks.saveDraft()
        XCTAssertTrue(added)
        XCTAssertNil(tasks.draft)
        let task = try XCTUnwrap(tasks.visible.first)
        XCTAssertEqual(task.dueDate, "2030-03-01", "the picked day, as the core's local date")
        XCTAssertEqual(task.status, .todo)

        tasks.edit(task)
        XCTAssertEqual(tasks.draft?.dueDate.map { LocalDate.iso($0) }, "2030-03-01")
        tasks.draft?.title = "Prepare the annual report"
        tasks.draft?.dueDate = nil
        let edited = await tasks.saveDraft()
        XCTAssertTrue(edited)
        XCTAssertEqual(tasks.visible.first?.title, "Prepare the annual report")
        XCTAssertNil(tasks.visible.first?.dueDate)

        // Today lists the open tasks and ticks them off.
        await screens.today.load()
        XCTAssertEqual(screens.today.snapshot?.openTasks.map(\.id), [task.id])
        let ticked = await screens.today.setTask(id: task.id, done: true)
        XCTAssertTrue(ticked)
        XCTAssertEqual(screens.today.snapshot?.openTasks, [])

        await tasks.load()
        XCTAssertEqual(tasks.visible, [], "the open filter hides done tasks")
        tasks.filter = .done
        XCTAssertEqual(tasks.visible.map(\.status), [.done])
        tasks.filter = .all
        let reopened = await tasks.setStatus(.inProgress, of: task.id)
        XCTAssertTrue(reopened)
        XCTAssertEqual(tasks.visible.first?.status, .inProgress)
        let missing = await tasks.setStatus(.done, of: "no-such-task")
        XCTAssertFalse(missing)
        XCTAssertEqual(tasks.actionError, .notFound(entity: "task", id: "no-such-task"))
    }
}
