import Foundation
import QamqorCore
import QamqorModels
import XCTest

/// Offline first, against the real server: changes made without a connection wait on the phone,
/// go out when it returns, and reach the person's second phone; what the manager sends arrives.
final class SyncTests: XCTestCase {
    @MainActor
    func testChangesMadeOfflineSyncWhenTheConnectionReturnsAndReachASecondPhone() async throws {
        let relay = try TCPRelay(target: try TestServer.url)
        try relay.start()
        defer { relay.stop() }
        let email = TestServer.newEmail()
        let password = "two phones password"

        // Phone A joins through the relay (its "network").
        let a = makePhone(deviceName: "iPhone A")
        try await a.register(email: email, name: "Әлия Серікқызы", password: password, serverURL: relay.url)
        let screens = try a.screens
        await screens.sync.refresh()
        XCTAssertEqual(screens.sync.pendingChanges, 0)

        // The connection drops (the monitor says so, and the server is really unreachable).
        relay.stop()
        await screens.sync.connectivityChanged(isOnline: false)
        XCTAssertEqual(screens.sync.badge, .offline(pending: 0))

        // Everything still works, at once.
        await screens.today.load()
        screens.today.checkIn.fatigue = 6
        screens.today.checkIn.stress = 3
        screens.today.checkIn.mood = 3
        let checkedIn = await screens.today.submitCheckIn()
        XCTAssertTrue(checkedIn)
        let now = Date()
        let added = await screens.today.addSession(from: now.addingTimeInterval(-2 * 3600), to: now.addingTimeInterval(-3600), note: "offline work")
        XCTAssertTrue(added)
        screens.tasks.newTask()
        screens.tasks.draft?.title = "Written on the metro"
        let taskAdded = await screens.tasks.saveDraft()
        XCTAssertTrue(taskAdded)
        await screens.sync.refresh()
        let pending = screens.sync.pendingChanges
        XCTAssertGreaterThanOrEqual(pending, 3)
        XCTAssertEqual(screens.sync.badge, .offline(pending: pending))

        // The phone has a network again but the server is still out of reach: the sync the
        // monitor's news sets off fails with a network error, kept as state with a retry.
        await screens.sync.connectivityChanged(isOnline: true)
        XCTAssertEqual(screens.sync.lastError?.syncFailure?.kind, .network)
        XCTAssertEqual(screens.sync.lastError?.isRetryable, true)
        XCTAssertEqual(screens.sync.pendingChanges, pending, "nothing lost")
        XCTAssertEqual(screens.sync.badge, .failed(LocalizedMessage("error.sync.network"), pending: pending, retryable: true))
        XCTAssertEqual(screens.sync.status?.lastErrorCode, "network")
        // After a restart the badge still says why: the core reads the kind of the code it kept.
        let restarted = SyncModel(runner: screens.runner, autoSyncDelay: nil)
        await restarted.refresh()
        XCTAssertEqual(restarted.status?.lastErrorKind, .network)
        XCTAssertNil(restarted.lastError)
        XCTAssertEqual(restarted.badge, .failed(LocalizedMessage("error.sync.network"), pending: pending, retryable: true))

        // The connection returns: the monitor's news triggers the sync.
        await screens.sync.connectivityChanged(isOnline: false)
        try relay.start()
        await screens.sync.connectivityChanged(isOnline: true)
        XCTAssertNil(screens.sync.lastError)
        XCTAssertEqual(screens.sync.pendingChanges, 0)
        XCTAssertEqual(screens.sync.lastReport?.pushed, pending)
        XCTAssertEqual(screens.sync.badge, .upToDate(lastSync: screens.sync.status?.lastSuccessAt))
        XCTAssertNil(screens.sync.status?.lastErrorCode)

        // The same person signs in on a second phone, straight to the server: it has it all.
        let b = makePhone(deviceName: "iPhone B")
        try await b.signIn(email: email, password: password)
        let second = try b.screens
        await second.today.load()
        XCTAssertEqual(second.today.snapshot?.checkIn?.fatigue, 6)
        XCTAssertTrue(second.today.snapshot?.sessions.contains { $0.note == "offline work" } ?? false)
        await second.tasks.load()
        XCTAssertEqual(second.tasks.visible.map(\.title), ["Written on the metro"])
        await second.profile.load()
        XCTAssertEqual(second.profile.profile?.name, "Әлия Серікқызы")
        await second.history.load()
        XCTAssertEqual(second.history.totals.worked, 1, accuracy: 0.001)

        // And back: B ticks the task off, A sees it after its next sync.
        let id = try XCTUnwrap(second.tasks.visible.first?.id)
        let done = await second.tasks.setStatus(.done, of: id)
        XCTAssertTrue(done)
        let bSynced = await second.sync.syncNow()
        XCTAssertTrue(bSynced)
        let aSynced = await screens.sync.syncNow()
        XCTAssertTrue(aSynced)
        await screens.tasks.load()
        XCTAssertEqual(screens.tasks.state.value?.first?.status, .done)
    }

    @MainActor
    func testALocalChangeIsSyncedShortlyAfterwardsOnItsOwn() async throws {
        let phone = makePhone(autoSyncDelay: .milliseconds(100))
        try await phone.register()
        let screens = try phone.screens
        screens.tasks.newTask()
        screens.tasks.draft?.title = "Synced without asking"
        let added = await screens.tasks.saveDraft()
        XCTAssertTrue(added)
        await eventually("the change reached the server") {
            await screens.sync.refresh()
            return screens.sync.pendingChanges == 0 && screens.sync.status?.lastSuccessAt != nil && !screens.sync.isSyncing
        }
    }

    @MainActor
    func testTasksAndFeedbackFromTheManagerArriveWithSync() async throws {
        let phone = makePhone()
        let account = try await phone.register()
        let screens = try phone.screens
        try await TestServer.assignTask(to: account.userId, title: "Review the onboarding guide")
        try await TestServer.sendFeedback(to: account.userId, message: "Thank you for the clear demo today!")

        await screens.feedback.load()
        XCTAssertEqual(screens.feedback.state.value, [])
        let synced = await screens.sync.syncNow()
        XCTAssertTrue(synced)
        XCTAssertGreaterThan(screens.sync.lastReport?.applied ?? 0, 0)

        await screens.tasks.load()
        let task = try XCTUnwrap(screens.tasks.visible.first)
        XCTAssertEqual(task.title, "Review the onboarding guide")
        XCTAssertEqual(task.assignedBy, "Test Admin")
        XCTAssertEqual(task.dueDate, "2030-01-15")

        await screens.feedback.load()
        let message = try XCTUnwrap(screens.feedback.state.value?.first)
        XCTAssertEqual(message.message, "Thank you for the clear demo today!")
        XCTAssertEqual(message.fromName, "Test Admin")
        XCTAssertEqual(screens.feedback.unreadCount, 1)
        await screens.feedback.markRead(id: message.id)
        XCTAssertEqual(screens.feedback.unreadCount, 0)
        XCTAssertNil(screens.feedback.actionError)
    }

    @MainActor
    func testAnEndedSessionAsksToSignInAgainAndLosesNothing() async throws {
        let phone = makePhone()
        let password = "session ends password"
        let account = try await phone.register(password: password)
        let screens = try phone.screens
        // The admin removes this phone from the account (lost phone, say).
        let deviceId = screens.runner.core.deviceId()
        try await TestServer.revokeDevice(deviceId)

        screens.tasks.newTask()
        screens.tasks.draft?.title = "Made after the session ended"
        let added = await screens.tasks.saveDraft()
        XCTAssertTrue(added)
        let synced = await screens.sync.syncNow()
        XCTAssertFalse(synced)
        XCTAssertEqual(screens.sync.lastError?.syncFailure?.kind, .sessionEnded)
        XCTAssertEqual(screens.sync.lastError?.message.key, "error.sync.session_ended")
        XCTAssertEqual(screens.sync.badge, .signInNeeded)
        XCTAssertGreaterThanOrEqual(screens.sync.pendingChanges, 1, "kept for later")

        // Signing in again: the server and email are filled in.
        let signIn = try XCTUnwrap(phone.app.makeSignIn())
        XCTAssertEqual(signIn.step, .account)
        XCTAssertEqual(signIn.mode, .signIn)
        XCTAssertEqual(signIn.email, account.email)
        XCTAssertEqual(signIn.serverAddress, account.serverUrl)
        signIn.password = password
        let back = await signIn.submit()
        XCTAssertTrue(back, "\(String(describing: signIn.error))")
        signIn.finish()
        await screens.sync.refresh()
        XCTAssertEqual(screens.sync.pendingChanges, 0, "the waiting change went out")
        XCTAssertEqual(screens.sync.badge, .upToDate(lastSync: screens.sync.status?.lastSuccessAt))
    }

    @MainActor
    func testAPhoneHoldingOnePersonsDataRefusesAnotherPersonsAccount() async throws {
        let other = makePhone()
        let otherEmail = TestServer.newEmail("other")
        try await other.register(email: otherEmail, password: "the other password")

        let phone = makePhone()
        try await phone.register()
        let screens = try phone.screens
        let signedOut = await screens.sync.signOut()
        XCTAssertTrue(signedOut)
        XCTAssertEqual(screens.sync.badge, .signInNeeded, "signed out, the account is remembered")

        let signIn = try XCTUnwrap(phone.app.makeSignIn())
        signIn.email = otherEmail
        signIn.password = "the other password"
        let refused = await signIn.submit()
        XCTAssertFalse(refused)
        XCTAssertEqual(signIn.error?.syncFailure?.kind, .accountMismatch)
        XCTAssertEqual(signIn.error?.message.key, "error.sync.account_mismatch")
    }
}
