import Foundation
import QamqorCore
import QamqorModels
import XCTest

/// Achievements, the rating and competencies, as the person goes through them: recorded offline
/// with a photo, reviewed by the manager on the server, counted in the rating; the profession card
/// assigned by the admin, skills rated on the phone and by the manager.
final class GrowthTests: XCTestCase {
    /// A day safely in the past in every time zone.
    private let lastWeek = Date().addingTimeInterval(-7 * 86_400)

    @MainActor
    func testAnAchievementRecordedOfflineIsVerifiedByTheManagerAndRaisesTheRating() async throws {
        let relay = try TCPRelay(target: try TestServer.url)
        try relay.start()
        defer { relay.stop() }
        let phone = makePhone()
        try await phone.register(serverURL: relay.url)
        let screens = try phone.screens
        let achievements = screens.achievements
        let rating = screens.rating
        await achievements.load()
        await rating.load()
        XCTAssertEqual(achievements.achievements, [])
        XCTAssertEqual(rating.rating?.total, 0)
        XCTAssertFalse(achievements.categories.isEmpty, "the catalogue is there before any sync")

        // Offline: the form, a type from the catalogue, a photo of the certificate.
        relay.stop()
        await screens.sync.connectivityChanged(isOnline: false)
        achievements.newAchievement()
        let category = try XCTUnwrap(achievements.categories.first)
        let type = try XCTUnwrap(achievements.types(in: category.id).first)
        achievements.draft?.typeId = type.id
        achievements.draft?.title = "Article on burnout in IT teams"
        achievements.draft?.description = "Published in the university's journal"
        achievements.draft?.achievedOn = lastWeek
        achievements.setEvidence(solidPNG(width: 1200, height: 800))
        let recorded = await achievements.submit()
        XCTAssertTrue(recorded, "\(String(describing: achievements.draftError))")
        XCTAssertNil(achievements.draft, "the form closes")
        let paper = try XCTUnwrap(achievements.achievements.first)
        XCTAssertEqual(paper.status, .pending)
        XCTAssertEqual(paper.title, "Article on burnout in IT teams")
        XCTAssertEqual(paper.categoryId, category.id)
        XCTAssertEqual(paper.points, type.points, "what the type earns once verified")
        XCTAssertNil(paper.review)
        XCTAssertTrue(paper.hasEvidence)
        let photo = await achievements.loadEvidence(of: paper.id)
        let jpeg = try XCTUnwrap(photo)
        XCTAssertEqual(Array(jpeg.prefix(2)), [0xFF, 0xD8], "re-encoded as JPEG by the core")
        await rating.load()
        XCTAssertEqual(rating.rating?.total, 0, "a pending achievement does not count yet")
        await screens.sync.refresh()
        XCTAssertEqual(screens.sync.pendingChanges, 1)

        // Back online: it goes to the server, where the manager verifies it.
        try relay.start()
        await screens.sync.connectivityChanged(isOnline: true)
        XCTAssertEqual(screens.sync.pendingChanges, 0)
        try await TestServer.reviewAchievement(paper.id, status: "verified", comment: "Well done")

        // The next sync brings the verdict; the screens reload by themselves.
        let synced = await screens.sync.syncNow()
        XCTAssertTrue(synced)
        await eventually("the verdict shows") { achievements.achievements.first?.status == .verified }
        let verified = try XCTUnwrap(achievements.achievements.first)
        XCTAssertEqual(verified.review?.comment, "Well done")
        XCTAssertEqual(verified.review?.reviewerName.isEmpty, false)
        await eventually("the rating rises") { (rating.rating?.total ?? 0) > 0 }
        let total = try XCTUnwrap(rating.rating)
        let score = try XCTUnwrap(total.categories.first { $0.categoryId == category.id })
        XCTAssertEqual(score.points, UInt64(type.points))
        XCTAssertEqual(score.achievements, 1)
        XCTAssertEqual(score.contribution, total.total, "the only category with points makes the whole rating")
        XCTAssertEqual(total.method, achievements.catalogue?.method)

        // A verified achievement stays: deleting it is the core's conflict, shown as such.
        let deleted = await achievements.delete(paper.id)
        XCTAssertFalse(deleted)
        XCTAssertEqual(achievements.actionError, .conflict(.achievementReviewed))
        XCTAssertEqual(achievements.actionError?.message.key, "error.conflict.achievement_reviewed")
        XCTAssertEqual(achievements.achievements.map(\.id), [paper.id])

        // A period before it: nothing counts; a period ending before it starts: the core says which field.
        rating.period = .custom
        rating.from = lastWeek.addingTimeInterval(-60 * 86_400)
        rating.to = lastWeek.addingTimeInterval(-30 * 86_400)
        await rating.load()
        XCTAssertEqual(rating.rating?.total, 0)
        rating.from = lastWeek
        await rating.load()
        XCTAssertEqual(rating.state.error?.field, "to")
        await rating.select(.all)
        XCTAssertEqual(rating.rating?.total, total.total)
    }

    @MainActor
    func testARejectedAchievementShowsTheManagersComment() async throws {
        let phone = makePhone()
        try await phone.register()
        let screens = try phone.screens
        let achievements = screens.achievements
        await achievements.load()
        achievements.newAchievement()
        achievements.draft?.title = "Team offsite"
        achievements.draft?.achievedOn = lastWeek
        let recorded = await achievements.submit()
        XCTAssertTrue(recorded, "\(String(describing: achievements.draftError))")
        let offsite = try XCTUnwrap(achievements.achievements.first)
        XCTAssertFalse(offsite.hasEvidence)
        let none = await achievements.loadEvidence(of: offsite.id)
        XCTAssertNil(none)
        _ = await screens.sync.syncNow()

        try await TestServer.reviewAchievement(offsite.id, status: "rejected", comment: "Please attach the programme of the event")
        _ = await screens.sync.syncNow()
        await achievements.load()
        let rejected = try XCTUnwrap(achievements.achievements.first)
        XCTAssertEqual(rejected.status, .rejected)
        XCTAssertEqual(rejected.review?.comment, "Please attach the programme of the event")
        XCTAssertEqual(rejected.points, 0)
        await screens.rating.load()
        XCTAssertEqual(screens.rating.rating?.total, 0)
    }

    @MainActor
    func testBadInputNamesTheFieldAndRecordsNothing() async throws {
        let phone = makePhone()
        let screens = try await phone.start()
        try phone.onboarding.useWithoutAccount()
        let achievements = screens.achievements
        await achievements.load()
        await screens.sync.refresh()
        let pendingBefore = screens.sync.pendingChanges

        achievements.newAchievement()
        XCTAssertNotEqual(achievements.draft?.typeId, "", "a type is preselected")
        achievements.draft?.title = "   "
        achievements.draft?.achievedOn = lastWeek
        var ok = await achievements.submit()
        XCTAssertFalse(ok)
        XCTAssertEqual(achievements.draftError?.field, "title")
        XCTAssertEqual(achievements.draftError?.message.key, "error.invalid.empty")
        XCTAssertNotNil(achievements.draft, "the form stays open")

        achievements.draft?.title = "Conference talk in Almaty"
        achievements.draft?.achievedOn = Date().addingTimeInterval(5 * 86_400)
        ok = await achievements.submit()
        XCTAssertFalse(ok)
        XCTAssertEqual(achievements.draftError?.field, "achieved_on")
        XCTAssertEqual(achievements.draftError?.message.key, "error.invalid.in_future")

        achievements.draft?.achievedOn = lastWeek
        achievements.setEvidence(Data("%PDF-1.7 a scanned certificate".utf8))
        ok = await achievements.submit()
        XCTAssertFalse(ok)
        XCTAssertEqual(achievements.draftError?.field, "evidence")
        XCTAssertEqual(achievements.draftError?.message.key, "error.invalid.not_an_image")

        achievements.draft?.typeId = "research.telepathy"
        achievements.setEvidence(nil)
        ok = await achievements.submit()
        XCTAssertFalse(ok)
        XCTAssertEqual(achievements.draftError?.field, "type_id")

        XCTAssertEqual(achievements.achievements, [], "nothing recorded")
        await screens.sync.refresh()
        XCTAssertEqual(screens.sync.pendingChanges, pendingBefore, "nothing waits to be sent")

        // Put right, it is recorded; recorded by mistake, it can be deleted while it waits.
        achievements.draft?.typeId = try XCTUnwrap(achievements.types(in: try XCTUnwrap(achievements.categories.first).id).first).id
        ok = await achievements.submit()
        XCTAssertTrue(ok)
        XCTAssertNil(achievements.draftError)
        let talk = try XCTUnwrap(achievements.achievements.first)
        XCTAssertEqual(talk.status, .pending)
        let deleted = await achievements.delete(talk.id)
        XCTAssertTrue(deleted)
        XCTAssertNil(achievements.actionError)
        XCTAssertEqual(achievements.achievements, [])
    }

    @MainActor
    func testTheCompetencyProfileFromNoCardToRatedSkills() async throws {
        let phone = makePhone()
        let account = try await phone.register()
        let screens = try phone.screens
        let competency = screens.competency
        await competency.load()
        XCTAssertEqual(competency.state, .loaded(.noCard))
        XCTAssertNil(competency.profile)

        // The admin assigns a card; the next sync brings it.
        try await TestServer.assignCompetency(to: account.userId, occupationCode: "2511-1-005", level: 5)
        _ = await screens.sync.syncNow()
        await eventually("the card arrives") { competency.profile != nil }
        let card = try XCTUnwrap(competency.profile)
        XCTAssertFalse(card.cardName.isEmpty)
        XCTAssertEqual(card.level, 5)
        XCTAssertFalse(card.assignedBy.isEmpty)
        let function = try XCTUnwrap(card.functions.first { $0.skills.count >= 2 }, "a function with two skills")
        XCTAssertNil(function.score, "nothing rated yet")
        XCTAssertFalse(function.strong)
        let first = function.skills[0].skillId
        let second = function.skills[1].skillId
        func current() throws -> FunctionScore {
            try XCTUnwrap(competency.profile?.functions.first { $0.functionId == function.functionId })
        }

        // Rating skills moves the function's score: the mean of its rated skills, strong from 3.
        var ok = await competency.rate(skill: first, score: 4)
        XCTAssertTrue(ok)
        XCTAssertEqual(try current().skills[0].own, 4)
        XCTAssertEqual(try current().score, 4)
        XCTAssertTrue(try current().strong)
        ok = await competency.rate(skill: second, score: 1)
        XCTAssertTrue(ok)
        XCTAssertEqual(try current().score, 2.5)
        XCTAssertFalse(try current().strong)

        // Out of the scale: refused on that skill's field, nothing changes.
        ok = await competency.rate(skill: first, score: 5)
        XCTAssertFalse(ok)
        XCTAssertEqual(competency.error(for: first)?.field, "score")
        XCTAssertEqual(competency.error(for: first)?.message.key, "error.invalid.out_of_range")
        XCTAssertNil(competency.error(for: second))
        XCTAssertEqual(try current().skills[0].own, 4)
        XCTAssertEqual(try current().score, 2.5)
        ok = await competency.rate(skill: first, score: 3)
        XCTAssertTrue(ok)
        XCTAssertNil(competency.error(for: first), "a good score clears the error")
        XCTAssertEqual(try current().score, 2)
        await screens.sync.refresh()
        XCTAssertGreaterThan(screens.sync.pendingChanges, 0)

        // The manager's score of the second skill arrives and counts before the person's own.
        _ = await screens.sync.syncNow()
        try await TestServer.rateSkill(of: account.userId, skillId: second, score: 4)
        _ = await screens.sync.syncNow()
        await eventually("the manager's score arrives") { (try? current().skills[1].manager) == 4 }
        let rated = try current()
        XCTAssertEqual(rated.skills[1].own, 1)
        XCTAssertEqual(rated.skills[1].manager, 4)
        XCTAssertEqual(rated.skills[1].managerName?.isEmpty, false)
        XCTAssertEqual(rated.score, 3.5)
        XCTAssertTrue(rated.strong)
    }
}
