#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// The daily check-in as the person taps it in: each answer stays empty until chosen, so the
/// app never suggests an answer.
public struct CheckInDraft: Equatable, Sendable {
    /// On the core's scales (`TodayModel.scales`), as every answer below.
    public var fatigue: UInt8?
    public var stress: UInt8?
    public var mood: UInt8?
    /// Hours slept last night.
    public var sleepHours: Double = 7
    public var note: String = ""

    public init() {}

    public init(_ c: CheckIn) {
        fatigue = c.fatigue
        stress = c.stress
        mood = c.mood
        sleepHours = c.sleepHours
        note = c.note ?? ""
    }

    /// All three scales have an answer.
    public var isComplete: Bool { fatigue != nil && stress != nil && mood != nil }

    public var isEmpty: Bool { fatigue == nil && stress == nil && mood == nil }

    /// The core's input, once complete.
    public var input: CheckInInput? {
        guard let fatigue, let stress, let mood else { return nil }
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        return CheckInInput(fatigue: fatigue, stress: stress, mood: mood, sleepHours: sleepHours, note: trimmed.isEmpty ? nil : trimmed)
    }
}

/// The "today" screen: the check-in, the work timer and today's sessions, today's tasks, and the
/// gentle reminders the core says are due.
@MainActor
public final class TodayModel: ObservableObject {
    public struct Snapshot: Equatable, Sendable {
        /// The person's local date (YYYY-MM-DD).
        public var date: String
        public var checkIn: CheckIn?
        public var running: WorkSession?
        /// Sessions touching today.
        public var sessions: [WorkSession]
        public var stats: DayStats
        public var checkInStreak: UInt32
        /// Open tasks (to do, in progress), in the core's order (by due date).
        public var openTasks: [WorkTask]
        public var nudges: Nudges
        /// The person's time zone (their schedule's, an IANA name): the session pickers show it.
        public var timeZone: String

        /// The zone the pickers show times in: the person's, or the phone's if it is unknown here.
        public var pickerTimeZone: TimeZone { TimeZone(identifier: timeZone) ?? .current }
    }

    /// The core's check-in scales: what it accepts, so what the check-in card offers.
    public nonisolated static let scales = checkInScales()

    @Published public private(set) var state: LoadState<Snapshot> = .loading
    @Published public var checkIn = CheckInDraft()
    @Published public private(set) var isSaving = false
    /// The last intent's error (a banner); cleared by the next success.
    @Published public private(set) var actionError: ModelError?

    /// Called after every successful write (the app refreshes the sync status and schedules a sync).
    public var onLocalChange: (@MainActor () -> Void)?

    private let runner: CoreRunner

    public init(runner: CoreRunner) {
        self.runner = runner
    }

    public var snapshot: Snapshot? { state.value }

    public func load() async {
        let result = await runner.localResult { core -> Snapshot in
            let overview = try core.statsOverview()
            let today = overview.today.date
            return Snapshot(
                date: today,
                checkIn: try core.todaysCheckIn(),
                running: try core.runningSession(),
                sessions: try core.sessions(from: today, to: today),
                stats: overview.today,
                checkInStreak: overview.checkInStreak,
                openTasks: try core.tasks(status: nil).filter { $0.status.isOpen },
                nudges: try core.nudges(),
                timeZone: core.profile().schedule.timeZone)
        }
        switch result {
        case let .success(s):
            state = .loaded(s)
            if checkIn.isEmpty, let done = s.checkIn { checkIn = CheckInDraft(done) }
        case let .failure(e):
            state = .failed(e)
        }
    }

    /// Saves today's check-in (a second one today replaces the first, which stays in history).
    @discardableResult
    public func submitCheckIn() async -> Bool {
        guard let input = checkIn.input else { return false }
        return await write { _ = try $0.recordCheckIn(input: input) }
    }

    @discardableResult
    public func startTimer(note: String? = nil) async -> Bool {
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        return await write { _ = try $0.startTimer(note: note?.isEmpty == false ? note : nil) }
    }

    /// Stops the timer now, or at `at` when the person forgot to stop it earlier.
    @discardableResult
    public func stopTimer(at: Date? = nil) async -> Bool {
        await write { _ = try $0.stopTimer(at: at) }
    }

    /// Records a session afterwards. The wall-clock times the pickers show (in `pickerTimeZone`,
    /// by default the snapshot's: the person's) are read by the core in the person's time zone.
    @discardableResult
    public func addSession(from start: Date, to end: Date, note: String? = nil, pickerTimeZone: TimeZone? = nil) async -> Bool {
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let zone = pickerTimeZone ?? snapshot?.pickerTimeZone ?? .current
        let (from, to) = (LocalDate.wallClock(start, in: zone), LocalDate.wallClock(end, in: zone))
        return await write { core in
            let startedAt = try core.localTimeToInstant(field: "started_at", localTime: from)
            let endedAt = try core.localTimeToInstant(field: "ended_at", localTime: to)
            _ = try core.addSession(startedAt: startedAt, endedAt: endedAt, note: note?.isEmpty == false ? note : nil)
        }
    }

    @discardableResult
    public func deleteSession(id: String) async -> Bool {
        await write { try $0.deleteSession(id: id) }
    }

    /// Ticks a task off (or back on).
    @discardableResult
    public func setTask(id: String, done: Bool) async -> Bool {
        await write { _ = try $0.setTaskStatus(id: id, status: done ? .done : .todo) }
    }

    public func dismissError() {
        actionError = nil
    }

    /// Runs a write off the main actor, then reloads the screen; errors go to `actionError`.
    private func write(_ body: @escaping @Sendable (QamqorCore) throws -> Void) async -> Bool {
        guard !isSaving else { return false }
        isSaving = true
        defer { isSaving = false }
        switch await runner.localResult(body) {
        case .success:
            actionError = nil
            await load()
            onLocalChange?()
            return true
        case let .failure(e):
            actionError = e
            return false
        }
    }
}
