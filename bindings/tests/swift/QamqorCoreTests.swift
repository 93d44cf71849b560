import Foundation
import XCTest

/// The generated Swift bindings against the real core library built for the host.
final class QamqorCoreTests: XCTestCase {
    private func tempDb() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qamqor-swift-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("qamqor.db").path
    }

    private func profileInput(name: String = "Айгерім", level: UInt8? = 6, timeZone: String = "Asia/Almaty") -> ProfileInput {
        ProfileInput(
            name: name, department: "Platform", position: "Backend developer", qualificationLevel: level,
            schedule: WorkSchedule(
                workingDays: [.monday, .tuesday, .wednesday, .thursday, .friday],
                startMinute: 540, endMinute: 1080, timeZone: timeZone),
            remoteWork: true, language: .kk)
    }

    private func checkIn(_ fatigue: UInt8) -> CheckInInput {
        CheckInInput(fatigue: fatigue, stress: 3, mood: 4, sleepHours: 7.5, note: nil)
    }

    /// Asserts that `body` throws `ApiError.InvalidInput` and returns its field and reason.
    private func invalid(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> (String, InvalidReason)? {
        do {
            try body()
            XCTFail("expected InvalidInput", file: file, line: line)
        } catch let ApiError.InvalidInput(field, reason, _) {
            return (field, reason)
        } catch {
            XCTFail("expected InvalidInput, got \(error)", file: file, line: line)
        }
        return nil
    }

    private func conflict(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> ConflictKind? {
        do {
            try body()
            XCTFail("expected Conflict", file: file, line: line)
        } catch let ApiError.Conflict(kind, _) {
            return kind
        } catch {
            XCTFail("expected Conflict, got \(error)", file: file, line: line)
        }
        return nil
    }

    func testProfileIsSavedValidatedAndPersisted() throws {
        let path = tempDb()
        do {
            let core = try QamqorCore.open(dbPath: path)
            XCTAssertNil(core.profile().updatedAt)
            let saved = try core.updateProfile(input: profileInput())
            XCTAssertEqual(saved.name, "Айгерім")
            XCTAssertNotNil(saved.updatedAt)
            let e = invalid { _ = try core.updateProfile(input: self.profileInput(level: 9)) }
            XCTAssertEqual(e?.0, "qualification_level")
            XCTAssertEqual(e?.1, .outOfRange)
            let tz = invalid { _ = try core.updateProfile(input: self.profileInput(timeZone: "Mars/Base")) }
            XCTAssertEqual(tz?.0, "schedule.time_zone")
            XCTAssertEqual(tz?.1, .badFormat)
            XCTAssertEqual(invalid { _ = try core.updateProfile(input: self.profileInput(name: "  ")) }?.1, .empty)
            XCTAssertEqual(core.profile().qualificationLevel, 6)
        }
        let reopened = try QamqorCore.open(dbPath: path)
        XCTAssertEqual(reopened.profile().department, "Platform")
    }

    func testProfilePhotoGoesThroughThePipeline() throws {
        let core = try QamqorCore.open(dbPath: tempDb())
        _ = try core.updateProfile(input: profileInput())
        let bad = invalid { _ = try core.setProfilePhoto(image: Data("hello".utf8)) }
        XCTAssertEqual(bad?.0, "photo")
        XCTAssertEqual(bad?.1, .notAnImage)
        let png = solidPNG(width: 800, height: 200)
        XCTAssertTrue(try core.setProfilePhoto(image: png).hasPhoto)
        let jpeg = try XCTUnwrap(try core.profilePhoto())
        XCTAssertEqual(Array(jpeg.prefix(2)), [0xFF, 0xD8], "stored as JPEG")
        XCTAssertLessThan(jpeg.count, png.count)
        XCTAssertFalse(try core.removeProfilePhoto().hasPhoto)
        XCTAssertNil(try core.profilePhoto())
    }

    func testWorkTimerAndManualSessions() throws {
        let core = try QamqorCore.open(dbPath: tempDb())
        let running = try core.startTimer(note: "focus")
        XCTAssertNil(running.endedAt)
        XCTAssertEqual(running.source, .timer)
        XCTAssertEqual(try core.runningSession()?.id, running.id)
        XCTAssertEqual(conflict { _ = try core.startTimer(note: nil) }, .timerAlreadyRunning)
        XCTAssertEqual(invalid { _ = try core.stopTimer(at: running.startedAt.addingTimeInterval(-60)) }?.1, .endBeforeStart)
        // Stop one second after the start (within the core's clock-drift tolerance), so the
        // session has a length however fast this test runs.
        let stopped = try core.stopTimer(at: running.startedAt.addingTimeInterval(1))
        // Date is a floating-point number of seconds: compare to the millisecond.
        let expectedEnd = running.startedAt.addingTimeInterval(1).timeIntervalSince1970
        XCTAssertEqual(try XCTUnwrap(stopped.endedAt).timeIntervalSince1970, expectedEnd, accuracy: 0.001)
        XCTAssertNil(try core.runningSession())
        XCTAssertEqual(conflict { _ = try core.stopTimer(at: nil) }, .noRunningTimer)

        let now = Date()
        let s = try core.addSession(startedAt: now.addingTimeInterval(-5 * 3600), endedAt: now.addingTimeInterval(-3 * 3600), note: "report")
        XCTAssertEqual(s.minutes, 120)
        XCTAssertEqual(s.source, .manual)
        XCTAssertEqual(conflict {
            _ = try core.addSession(startedAt: now.addingTimeInterval(-4 * 3600), endedAt: now.addingTimeInterval(-2 * 3600), note: nil)
        }, .sessionOverlap)
        let future = invalid { _ = try core.addSession(startedAt: now, endedAt: now.addingTimeInterval(7200), note: nil) }
        XCTAssertEqual(future?.0, "ended_at")
        XCTAssertEqual(future?.1, .inFuture)

        // A wall-clock time read by the core in the person's zone (the default schedule: Asia/Almaty, UTC+5).
        XCTAssertEqual(try core.localTimeToInstant(field: "started_at", localTime: "2026-03-01T09:30"), Date(timeIntervalSince1970: 1_772_339_400))
        let badTime = invalid { _ = try core.localTimeToInstant(field: "ended_at", localTime: "tomorrow 9:30") }
        XCTAssertEqual(badTime?.0, "ended_at")
        XCTAssertEqual(badTime?.1, .badFormat)

        let today = core.today()
        let yesterday = try dayBefore(today)
        XCTAssertTrue(try core.sessions(from: yesterday, to: today).contains { $0.id == s.id })
        try core.deleteSession(id: s.id)
        XCTAssertFalse(try core.sessions(from: yesterday, to: today).contains { $0.id == s.id })
        do {
            try core.deleteSession(id: s.id)
            XCTFail("expected NotFound")
        } catch let ApiError.NotFound(entity, id) {
            XCTAssertEqual(entity, "work_session")
            XCTAssertEqual(id, s.id)
        }
        let extreme = invalid {
            _ = try core.addSession(startedAt: Date(timeIntervalSince1970: 1e15), endedAt: Date(timeIntervalSince1970: 1e15 + 60), note: nil)
        }
        XCTAssertEqual(extreme?.0, "started_at")
        XCTAssertEqual(extreme?.1, .outOfRange)
        XCTAssertEqual(invalid { _ = try core.sessions(from: "yesterday", to: today) }?.0, "from")
    }

    func testTasks() throws {
        let core = try QamqorCore.open(dbPath: tempDb())
        let t = try core.addTask(input: TaskInput(title: "Write the report", notes: "draft first", dueDate: "2026-12-01", estimateMinutes: 90, assignedBy: "Ерлан"))
        XCTAssertEqual(t.status, .todo)
        XCTAssertEqual(t.dueDate, "2026-12-01")
        XCTAssertEqual(try core.setTaskStatus(id: t.id, status: .inProgress).status, .inProgress)
        XCTAssertNotNil(try core.setTaskStatus(id: t.id, status: .done).completedAt)
        let edited = try core.editTask(id: t.id, input: TaskInput(title: "Write the final report", notes: nil, dueDate: nil, estimateMinutes: nil, assignedBy: nil))
        XCTAssertEqual(edited.title, "Write the final report")
        XCTAssertEqual(try core.task(id: t.id), edited)
        XCTAssertEqual(try core.tasks(status: .done), [edited])
        XCTAssertEqual(try core.tasks(status: .todo).count, 0)
        XCTAssertEqual(try core.tasks(status: nil).count, 1)
        XCTAssertEqual(invalid { _ = try core.addTask(input: TaskInput(title: "", notes: nil, dueDate: nil, estimateMinutes: nil, assignedBy: nil)) }?.0, "title")
        let badDue = invalid { _ = try core.addTask(input: TaskInput(title: "x", notes: nil, dueDate: "31/12/2026", estimateMinutes: nil, assignedBy: nil)) }
        XCTAssertEqual(badDue?.0, "due_date")
        XCTAssertEqual(badDue?.1, .badFormat)
        XCTAssertThrowsError(try core.task(id: "missing")) { error in
            guard case ApiError.NotFound(let entity, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(entity, "task")
        }
        XCTAssertThrowsError(try core.setTaskStatus(id: "missing", status: .done))
        XCTAssertThrowsError(try core.editTask(id: "missing", input: edited.asInput()))
    }

    func testCheckInsReplaceWithinADayAndKeepHistory() throws {
        let core = try QamqorCore.open(dbPath: tempDb())
        XCTAssertNil(try core.todaysCheckIn())
        let first = try core.recordCheckIn(input: checkIn(3))
        var input = checkIn(8)
        input.note = "long day"
        let second = try core.recordCheckIn(input: input)
        XCTAssertEqual(try core.todaysCheckIn(), second)
        let today = core.today()
        XCTAssertEqual(try core.checkIns(from: today, to: today), [second])
        let history = try core.checkInHistory(from: today, to: today)
        XCTAssertEqual(history.map(\.id), [first.id, second.id])
        XCTAssertTrue(history[0].replaced)
        let cases: [(CheckInInput, String)] = [
            (checkIn(11), "fatigue"),
            (CheckInInput(fatigue: 1, stress: 0, mood: 3, sleepHours: 7, note: nil), "stress"),
            (CheckInInput(fatigue: 1, stress: 3, mood: 6, sleepHours: 7, note: nil), "mood"),
            (CheckInInput(fatigue: 1, stress: 3, mood: 3, sleepHours: 30, note: nil), "sleep_hours"),
        ]
        for (bad, field) in cases {
            let e = invalid { _ = try core.recordCheckIn(input: bad) }
            XCTAssertEqual(e?.0, field)
            XCTAssertEqual(e?.1, .outOfRange)
        }
        XCTAssertEqual(try core.checkInHistory(from: today, to: today).count, 2)
    }

    func testBurnoutQuestionnaire() throws {
        let items = cbiItems(language: .kk)
        XCTAssertEqual(items.count, 19)
        XCTAssertEqual(items.filter(\.reverseScored).map(\.number), [13])
        XCTAssertEqual(items[12].scale, .workRelated)
        XCTAssertEqual(cbiAnswerLabels(kind: .frequency, language: .en)[4], "Always")
        XCTAssertEqual(cbiAnswerLabels(kind: .degree, language: .ru).count, 5)
        let core = try QamqorCore.open(dbPath: tempDb())
        let answers: [UInt8?] = Array(repeating: 2, count: 13) + Array(repeating: nil, count: 6)
        let r = try core.recordCbi(answers: answers)
        XCTAssertEqual(r.scores.personal, 50)
        XCTAssertNil(r.scores.clientRelated)
        XCTAssertEqual(try core.cbiResponses(), [r])
        XCTAssertEqual(invalid { _ = try core.recordCbi(answers: Array(repeating: 5, count: 19)) }?.0, "answers[1]")
        XCTAssertNotNil(invalid { _ = try core.recordCbi(answers: [1, 1, 1]) })
        XCTAssertEqual(try core.cbiResponses().count, 1)
    }

    func testStatisticsActivityAndExport() throws {
        let core = try QamqorCore.open(dbPath: tempDb())
        _ = try core.updateProfile(input: profileInput())
        let now = Date()
        _ = try core.addSession(startedAt: now.addingTimeInterval(-3 * 3600), endedAt: now.addingTimeInterval(-3600), note: nil)
        _ = try core.recordCheckIn(input: checkIn(6))
        XCTAssertEqual(try core.recordAppOpen().openCount, 1)
        XCTAssertEqual(try core.recordAppOpen().openCount, 2)
        let today = core.today()
        XCTAssertEqual(try core.appOpenDays(from: today, to: today).count, 1)

        let o = try core.statsOverview()
        XCTAssertEqual(o.last7Days.count, 7)
        XCTAssertEqual(o.last12Weeks.count, 12)
        XCTAssertEqual(o.today.date, today)
        XCTAssertEqual(o.today.checkIn?.fatigue, 6)
        XCTAssertEqual(o.checkInStreak, 1)
        let days = try core.dayStats(from: try dayBefore(today), to: today)
        XCTAssertEqual(days.map(\.workedMinutes).reduce(0, +), 120, "the session may straddle local midnight")
        XCTAssertEqual(try core.weekStats(isoYear: o.thisWeek.isoYear, isoWeek: o.thisWeek.isoWeek), o.thisWeek)
        XCTAssertEqual(invalid { _ = try core.weekStats(isoYear: 2026, isoWeek: 60) }?.0, "week")
        XCTAssertEqual(invalid { _ = try core.dayStats(from: today, to: try self.dayBefore(today)) }?.1, .endBeforeStart)

        XCTAssertEqual(try core.pendingChangeCount(), 4)
        let json = try core.exportJson()
        XCTAssertTrue(json.contains("\"work_sessions\"") && json.contains("Айгерім"))
        let files = Dictionary(uniqueKeysWithValues: try core.exportCsv().map { ($0.name, $0.content) })
        XCTAssertEqual(files["check_ins.csv"]?.split(separator: "\n").count, 2)
        XCTAssertTrue(files["profile.csv"]?.contains("Asia/Almaty") ?? false)
    }

    func testDataPersistsAcrossReopeningAndDeviceIdIsStable() throws {
        let path = tempDb()
        var deviceId = ""
        var taskId = ""
        do {
            let core = try QamqorCore.open(dbPath: path)
            _ = try core.recordCheckIn(input: checkIn(4))
            deviceId = core.deviceId()
            taskId = try core.addTask(input: TaskInput(title: "persist me", notes: nil, dueDate: nil, estimateMinutes: nil, assignedBy: nil)).id
        }
        let core = try QamqorCore.open(dbPath: path)
        XCTAssertEqual(core.deviceId(), deviceId)
        XCTAssertEqual(try core.task(id: taskId).title, "persist me")
        XCTAssertEqual(try core.todaysCheckIn()?.fatigue, 4)
        XCTAssertEqual(try core.pendingChangeCount(), 2)
    }

    func testOpeningAnUnusablePathIsAStorageError() {
        XCTAssertThrowsError(try QamqorCore.open(dbPath: "/nonexistent-dir/deeper/qamqor.db")) { error in
            guard case ApiError.Storage(let detail) = error else { return XCTFail("\(error)") }
            XCTAssertFalse(detail.isEmpty)
        }
    }

    func testOneCoreIsSafeToUseFromManyThreads() throws {
        let core = try QamqorCore.open(dbPath: tempDb())
        DispatchQueue.concurrentPerform(iterations: 120) { i in
            _ = try? core.addTask(input: TaskInput(title: "task \(i)", notes: nil, dueDate: nil, estimateMinutes: nil, assignedBy: nil))
            _ = try? core.statsOverview()
        }
        XCTAssertEqual(try core.tasks(status: nil).count, 120)
        XCTAssertEqual(try core.pendingChangeCount(), 120)
    }

    func testBurnoutRiskIsHonestExplainedAndKeptAsHistory() throws {
        let core = try QamqorCore.open(dbPath: tempDb())
        _ = try core.updateProfile(input: profileInput())
        XCTAssertNil(try core.latestRiskAssessment(), "nothing assessed yet")
        let empty = try core.assessRisk()
        XCTAssertEqual(empty.suggestions, [.keepBreaks, .talkToSomeone])
        XCTAssertNil(empty.score)
        XCTAssertNil(empty.level)
        XCTAssertTrue(empty.factors.isEmpty)
        XCTAssertTrue(empty.missing.contains(.checkIns))
        XCTAssertEqual(try core.riskModelVersion(), "1.0.0")

        _ = try core.recordCbi(answers: Array(repeating: 4, count: 19))
        _ = try core.recordCheckIn(input: CheckInInput(fatigue: 9, stress: 4, mood: 2, sleepHours: 4.5, note: nil))
        let a = try core.assessRisk()
        let score = try XCTUnwrap(a.score)
        XCTAssertTrue((0.0...1.0).contains(score))
        XCTAssertEqual(a.level, .high)
        XCTAssertEqual(a.factors.first?.kind, .fatigue)
        XCTAssertEqual(a.factors.first(where: { $0.kind == .burnoutQuestionnaire })?.source, .literature)
        XCTAssertTrue(zip(a.factors, a.factors.dropFirst()).allSatisfy { abs($0.contribution) >= abs($1.contribution) })
        XCTAssertEqual(a.previousWeeks.count, 4)
        // What could help, decided by the core: fatigue (the largest reason) first, talking to someone last.
        XCTAssertEqual(a.suggestions.first, .rest)
        XCTAssertEqual(a.suggestions.last, .talkToSomeone)
        // Reading the latest assessment writes nothing.
        let pending = try core.pendingChangeCount()
        let latest = try XCTUnwrap(try core.latestRiskAssessment())
        XCTAssertEqual(latest.localDate, a.localDate)
        XCTAssertEqual(latest.score, a.score)
        XCTAssertEqual(latest.suggestions, a.suggestions)
        XCTAssertEqual(try core.pendingChangeCount(), pending)

        let history = try core.riskHistory(limit: 10)
        XCTAssertEqual(history.count, 1)
        XCTAssertEqual(history.first?.score, a.score)
        XCTAssertEqual(history.first?.factors, a.factors)

        let bad = invalid { _ = try core.installRiskModel(artifact: Data("{}".utf8)) }
        XCTAssertEqual(bad?.0, "risk_model")
        XCTAssertEqual(bad?.1, .badFormat)
        XCTAssertEqual(try core.riskModelVersion(), "1.0.0")
    }

    // MARK: - helpers

    private func dayBefore(_ iso: String) throws -> String {
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian)
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        let d = try XCTUnwrap(f.date(from: iso))
        return f.string(from: d.addingTimeInterval(-86400))
    }
    func testSyncStatusWorksOfflineAndSyncErrorsSayWhatToDo() throws {
        let core = try QamqorCore.open(dbPath: tempDb())
        _ = try core.addTask(input: TaskInput(title: "offline task", notes: nil, dueDate: nil, estimateMinutes: nil, assignedBy: nil))
        let status = try core.syncStatus()
        XCTAssertFalse(status.signedIn)
        XCTAssertNil(status.account)
        XCTAssertEqual(status.pendingChanges, 1)
        XCTAssertNil(status.lastSuccessAt)
        XCTAssertNil(status.lastErrorKind)

        XCTAssertThrowsError(try core.sync(observer: nil)) { error in
            guard case ApiError.Sync(let kind, let code, _, _, _, _, let retryable) = error else { return XCTFail("\(error)") }
            XCTAssertFalse(retryable, "signing in first is what helps, not retrying")
            XCTAssertEqual(kind, .notSignedIn)
            XCTAssertEqual(code, "not_signed_in")
        }
        XCTAssertEqual(try core.syncStatus().lastErrorCode, "not_signed_in")
        XCTAssertEqual(try core.syncStatus().lastErrorKind, .notSignedIn, "the core reads the kept code's kind")

        let bad = invalid { _ = try core.signIn(serverUrl: "qamqor.example.kz", email: "a@b.kz", password: "password-123", deviceName: "iPhone") }
        XCTAssertEqual(bad?.0, "server_url")
        // Nothing listens on port 9 of this machine: a network error, at once, nothing lost.
        XCTAssertThrowsError(try core.signIn(serverUrl: "http://127.0.0.1:9", email: "a@b.kz", password: "password-123", deviceName: "iPhone")) { error in
            guard case ApiError.Sync(let kind, _, _, _, _, _, let retryable) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(kind, .network)
            XCTAssertTrue(retryable, "offline is worth retrying")
        }
        XCTAssertEqual(try core.pendingChangeCount(), 1)
        XCTAssertTrue(try core.feedback().isEmpty)
        XCTAssertNil(try core.orgSettings())

        // A deletion request needs an organisation to ask: without an account, nothing is recorded.
        XCTAssertNil(try core.deletionRequest())
        XCTAssertThrowsError(try core.requestDeletion()) { error in
            guard case ApiError.Sync(let kind, _, _, _, _, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(kind, .notSignedIn)
        }
        XCTAssertNil(try core.deletionRequest())
    }
}

extension WorkTask {
    func asInput() -> TaskInput {
        TaskInput(title: title, notes: notes, dueDate: dueDate, estimateMinutes: estimateMinutes, assignedBy: assignedBy)
    }
}
