import Foundation
import QamqorCore
import QamqorModels
import XCTest

/// A person's first minutes with the app: what it records, joining the organisation, and what
/// goes wrong on the way.
final class OnboardingTests: XCTestCase {
    @MainActor
    func testBeforeJoiningTheAppSaysWhatItRecordsAndWhoSeesIt() async throws {
        let phone = makePhone()
        try await phone.start()
        let onboarding = try phone.onboarding
        XCTAssertEqual(onboarding.step, .welcome)
        await onboarding.load()
        let privacy = try XCTUnwrap(onboarding.privacy)
        // Private by default until the organisation's settings arrive.
        XCTAssertNil(privacy.organisation)
        XCTAssertEqual(privacy.policy, .aggregate)
        XCTAssertTrue(privacy.managerSeesOnlyInGroups.contains(.riskLevel))
        XCTAssertTrue(privacy.neverLeavesThisPhone.contains(.riskFactors))
        XCTAssertTrue(privacy.neverLeavesThisPhone.contains(.profilePhoto))
        XCTAssertFalse(privacy.managerSees.contains(.checkInAnswers))
        onboarding.continueToAccount()
        XCTAssertEqual(onboarding.step, .account)
        XCTAssertFalse(onboarding.canSubmit, "nothing filled in yet")
    }

    @MainActor
    func testRegisteringWithAnInvitationShowsTheOrganisationsPolicyAndOpensTheApp() async throws {
        let phone = makePhone()
        let email = TestServer.newEmail()
        try await phone.start()
        let onboarding = try phone.onboarding
        await onboarding.load()
        onboarding.continueToAccount()
        onboarding.serverAddress = try TestServer.url
        onboarding.inviteCode = try await TestServer.invite(email)
        onboarding.email = email
        onboarding.name = "Ерлан Нұрланұлы"
        onboarding.password = "a long enough password"
        XCTAssertTrue(onboarding.canSubmit)

        let joined = await onboarding.submit()
        XCTAssertTrue(joined, "\(String(describing: onboarding.error))")
        XCTAssertNil(onboarding.error)
        XCTAssertNil(onboarding.firstSyncError)
        XCTAssertEqual(onboarding.step, .policy)
        XCTAssertEqual(onboarding.account?.email, email)
        XCTAssertEqual(onboarding.account?.role, .employee)
        XCTAssertEqual(onboarding.password, "", "the password is not kept in memory")
        // The organisation's own policy, received with the first sync.
        XCTAssertEqual(onboarding.privacy?.organisation, TestServer.organisation)

        onboarding.finish()
        guard case let .ready(screens) = phone.app.stage else { return XCTFail("not ready: \(phone.app.stage)") }
        XCTAssertTrue(phone.settings.onboardingFinished)
        await screens.profile.load()
        XCTAssertEqual(screens.profile.profile?.name, "Ерлан Нұрланұлы", "the profile starts with the registered name")
        await screens.sync.refresh()
        XCTAssertTrue(screens.sync.isSignedIn)
        XCTAssertEqual(screens.sync.badge, .upToDate(lastSync: screens.sync.status?.lastSuccessAt))

        // Opening the app again skips onboarding.
        let again = AppModel(databaseURL: phone.directory.appendingPathComponent("db/qamqor.db"), settings: phone.settings, deviceName: "Test iPhone", defaults: phone.defaults, autoSyncDelay: nil)
        await again.start()
        guard case .ready = again.stage else { return XCTFail("onboarding shown again: \(again.stage)") }
    }

    @MainActor
    func testOnboardingErrorsSayWhatToFixAndNothingIsLost() async throws {
        let phone = makePhone()
        try await phone.start()
        let onboarding = try phone.onboarding
        onboarding.continueToAccount()
        onboarding.mode = .signIn
        onboarding.email = "someone@test.qamqor.kz"
        onboarding.password = "whatever password"

        // No scheme: the core names the field.
        onboarding.serverAddress = "qamqor.example.kz"
        var joined = await onboarding.submit()
        XCTAssertFalse(joined)
        guard case let .invalidInput(field, reason, _)? = onboarding.error else { return XCTFail("\(String(describing: onboarding.error))") }
        XCTAssertEqual(field, "server_url")
        XCTAssertEqual(reason, .badFormat)
        XCTAssertEqual(onboarding.error?.field, "server_url")
        XCTAssertEqual(onboarding.error?.message.key, "error.invalid.bad_format")
        XCTAssertEqual(onboarding.step, .account)

        // Nothing listens there: offline, try again later.
        onboarding.serverAddress = "http://127.0.0.1:9"
        joined = await onboarding.submit()
        XCTAssertFalse(joined)
        XCTAssertEqual(onboarding.error?.syncFailure?.kind, .network)
        XCTAssertEqual(onboarding.error?.isRetryable, true)
        XCTAssertEqual(onboarding.error?.message.key, "error.sync.network")

        // Wrong password on the real server.
        onboarding.serverAddress = try TestServer.url
        joined = await onboarding.submit()
        XCTAssertFalse(joined)
        XCTAssertEqual(onboarding.error?.syncFailure?.kind, .wrongCredentials)
        XCTAssertEqual(onboarding.error?.message.key, "error.sync.wrong_credentials")

        // An invitation used twice: the server's code, translated per code.
        let email = TestServer.newEmail()
        let code = try await TestServer.invite(email)
        let first = makePhone()
        try await first.start()
        let firstOnboarding = try first.onboarding
        firstOnboarding.continueToAccount()
        (firstOnboarding.serverAddress, firstOnboarding.inviteCode, firstOnboarding.email, firstOnboarding.name, firstOnboarding.password) =
            (try TestServer.url, code, email, "First", "first password 123")
        let firstJoined = await firstOnboarding.submit()
        XCTAssertTrue(firstJoined)
        onboarding.mode = .register
        (onboarding.inviteCode, onboarding.email, onboarding.name, onboarding.password) = (code, email, "Second", "second password 123")
        joined = await onboarding.submit()
        XCTAssertFalse(joined)
        let failure = try XCTUnwrap(onboarding.error?.syncFailure)
        XCTAssertEqual(failure.kind, .server)
        XCTAssertEqual(failure.code, "invitation_used")
        XCTAssertEqual(failure.httpStatus, 410)
        XCTAssertEqual(onboarding.error?.isRetryable, false, "the core says the same invitation will not work later either")
        XCTAssertEqual(onboarding.error?.message, LocalizedMessage("server.invitation_used", fallback: "error.sync.server"))
        XCTAssertEqual(onboarding.step, .account, "still on the form, to fix and retry")
        XCTAssertNil(onboarding.account)
    }

    @MainActor
    func testUsingTheAppBeforeJoiningKeepsEverythingAndJoiningLaterSendsIt() async throws {
        let phone = makePhone()
        try await phone.start()
        try phone.onboarding.useWithoutAccount()
        guard case let .ready(screens) = phone.app.stage else { return XCTFail("\(phone.app.stage)") }
        await screens.sync.refresh()
        XCTAssertEqual(screens.sync.badge, .localOnly)

        await screens.today.load()
        screens.today.checkIn.fatigue = 4
        screens.today.checkIn.stress = 2
        screens.today.checkIn.mood = 4
        let saved = await screens.today.submitCheckIn()
        XCTAssertTrue(saved)
        await screens.sync.refresh()
        XCTAssertGreaterThan(screens.sync.pendingChanges, 0, "kept on the phone")
        let synced = await screens.sync.syncNow()
        XCTAssertFalse(synced, "nothing to sync with yet")
        XCTAssertEqual(screens.sync.badge, .localOnly)

        // Later, from the profile's account section: the same onboarding model, in register mode.
        let join = try XCTUnwrap(phone.app.makeSignIn())
        join.mode = .register
        let email = TestServer.newEmail()
        (join.serverAddress, join.inviteCode, join.email, join.name, join.password) =
            (try TestServer.url, try await TestServer.invite(email), email, "Later Joiner", "joined later 123")
        let joined = await join.submit()
        XCTAssertTrue(joined, "\(String(describing: join.error))")
        join.finish()
        await screens.sync.refresh()
        XCTAssertEqual(screens.sync.pendingChanges, 0, "the first sync sent what was recorded before joining")
        XCTAssertEqual(screens.sync.badge, .upToDate(lastSync: screens.sync.status?.lastSuccessAt))
    }
}
