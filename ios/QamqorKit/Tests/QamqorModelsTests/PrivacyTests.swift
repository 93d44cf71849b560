import Foundation
import QamqorCore
import QamqorModels
import XCTest

/// The privacy centre: what the manager sees under the organisation's policy, the export of all
/// the person's data, and whom to ask for deletion.
final class PrivacyTests: XCTestCase {
    @MainActor
    func testThePrivacyCentreShowsExactlyWhatTheManagerSeesUnderThePolicy() async throws {
        let phone = makePhone()
        let account = try await phone.register()
        let screens = try phone.screens
        let privacy = screens.privacy
        await privacy.load()
        var content = try XCTUnwrap(privacy.content)
        XCTAssertEqual(content.account?.email, account.email)
        XCTAssertEqual(privacy.organisation, TestServer.organisation, "whom to ask for deletion")
        XCTAssertEqual(content.view.policy, .aggregate, "a new organisation is private by default")
        XCTAssertFalse(content.view.managerSees.contains(.riskLevel))
        XCTAssertEqual(content.view.managerSeesOnlyInGroups, [.riskLevel])
        XCTAssertEqual(content.view.minGroupSize, 5)
        XCTAssertNil(content.latestAssessment, "nothing assessed yet")

        // The latest assessment is shown as kept; showing it writes nothing.
        await screens.risk.load()
        let pending = try await screens.runner.local { try $0.pendingChangeCount() }
        await privacy.load()
        await privacy.load()
        let latest = try XCTUnwrap(privacy.content?.latestAssessment)
        XCTAssertEqual(latest.localDate, screens.risk.screen?.assessment.localDate)
        let after = try await screens.runner.local { try $0.pendingChangeCount() }
        XCTAssertEqual(after, pending)

        // The admin switches to individual visibility: after the next sync, the centre says so.
        try await TestServer.setPrivacyPolicy("individual")
        do {
            let synced = await screens.sync.syncNow()
            XCTAssertTrue(synced)
            await privacy.load()
            content = try XCTUnwrap(privacy.content)
            XCTAssertEqual(content.view.policy, .individual)
            XCTAssertTrue(content.view.managerSees.contains(.riskLevel))
            XCTAssertTrue(content.view.managerSees.contains(.riskFactors))
            XCTAssertFalse(content.view.managerSees.contains(.checkInAnswers), "the answers themselves, never")
            XCTAssertTrue(content.view.neverLeavesThisPhone.contains(.profilePhoto))
        }
        try await TestServer.setPrivacyPolicy("aggregate")
        let synced = await screens.sync.syncNow()
        XCTAssertTrue(synced)
        await privacy.load()
        XCTAssertEqual(privacy.content?.view.policy, .aggregate)
    }

    @MainActor
    func testAskingForDeletionIsRecordedOfflineSentBySyncAndSeenByTheAdmin() async throws {
        let phone = makePhone()
        _ = try await phone.register()
        let screens = try phone.screens
        let privacy = screens.privacy
        await privacy.load()
        XCTAssertEqual(privacy.content?.canRequestDeletion, true)
        XCTAssertNil(privacy.content?.deletionRequest)

        let asked = await privacy.requestDeletion()
        XCTAssertTrue(asked, "\(String(describing: privacy.deletionError))")
        let request = try XCTUnwrap(privacy.content?.deletionRequest)
        XCTAssertEqual(request.status, .waitingToSend, "on the phone until the next sync")
        XCTAssertEqual(privacy.content?.canRequestDeletion, false)
        var seen = try await TestServer.deletionRequestIds()
        XCTAssertFalse(seen.contains(request.id))

        let synced = await screens.sync.syncNow()
        XCTAssertTrue(synced)
        await privacy.load()
        XCTAssertEqual(privacy.content?.deletionRequest?.status, .received)
        seen = try await TestServer.deletionRequestIds()
        XCTAssertTrue(seen.contains(request.id), "the organisation's admin sees it")
        // Asking again is the same request.
        _ = await privacy.requestDeletion()
        XCTAssertEqual(privacy.content?.deletionRequest?.id, request.id)
    }

    @MainActor
    func testExportingAllMyDataAsJsonAndCsvForTheShareSheet() async throws {
        let phone = makePhone()
        let screens = try await phone.start()
        try phone.onboarding.useWithoutAccount()
        _ = try await screens.runner.local { try $0.updateProfile(input: everyDayProfile(name: "Данияр")) }
        screens.today.checkIn.fatigue = 2
        screens.today.checkIn.stress = 1
        screens.today.checkIn.mood = 5
        let checkedIn = await screens.today.submitCheckIn()
        XCTAssertTrue(checkedIn)

        let privacy = screens.privacy
        await privacy.load()
        XCTAssertNil(privacy.organisation, "not joined: nobody else holds the data")
        // Nobody to ask for deletion: the core records nothing.
        XCTAssertEqual(privacy.content?.canRequestDeletion, false)
        let asked = await privacy.requestDeletion()
        XCTAssertFalse(asked)
        XCTAssertEqual(privacy.deletionError?.syncFailure?.kind, .notSignedIn)
        XCTAssertNil(privacy.content?.deletionRequest)
        let jsonFiles = await privacy.prepareExport(.json)
        let json = try XCTUnwrap(jsonFiles)
        XCTAssertEqual(json.count, 1)
        XCTAssertTrue(json[0].lastPathComponent.hasSuffix(".json"))
        let text = try String(contentsOf: json[0], encoding: .utf8)
        XCTAssertTrue(text.contains("Данияр"))
        XCTAssertTrue(text.contains("\"check_ins\""))
        XCTAssertEqual(privacy.export, .ready(.json, json))

        let csvFiles = await privacy.prepareExport(.csv)
        let csv = try XCTUnwrap(csvFiles)
        let names = csv.map(\.lastPathComponent)
        XCTAssertTrue(names.contains { $0.hasSuffix("check_ins.csv") }, "\(names)")
        XCTAssertTrue(names.contains { $0.hasSuffix("profile.csv") }, "\(names)")
        let checkIns = try String(contentsOf: try XCTUnwrap(csv.first { $0.lastPathComponent.hasSuffix("check_ins.csv") }), encoding: .utf8)
        XCTAssertEqual(checkIns.split(separator: "\n").count, 2, "a header and the day's check-in")

        privacy.finishExport()
        XCTAssertEqual(privacy.export, .idle)
        XCTAssertFalse(FileManager.default.fileExists(atPath: csv[0].path), "shared files do not linger")
    }
}
