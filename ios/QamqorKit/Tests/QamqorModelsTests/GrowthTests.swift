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
        XCTAssertTrue(paper.canDelete, "waiting for review: the person may still delete it")
        XCTAssertEqual(paper.categoryDefaultKey, category.defaultKey, "the default category: translated by the app")
        XCTAssertNotNil(paper.categoryDefaultKey)
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
        XCTAssertFalse(verified.canDelete, "reviewed: no longer deletable")
        await eventually("the rating rises") { (rating.rating?.total ?? 0) > 0 }
        let total = try XCTUnwrap(rating.rating)
        let score = try XCTUnwrap(total.categories.first { $0.categoryId == category.id })
        XCTAssertEqual(score.points, UInt64(type.points))
        XCTAssertEqual(score.achievements, 1)
        XCTAssertEqual(score.defaultKey, category.defaultKey)
        XCTAssertEqual(score.contribution, total.total, "the only category with points makes the whole rating")
        XCTAssertEqual(total.method, achievements.catalogue?.method)

        // A verified achievement stays: the list offers no deletion (canDelete), and deleting it
        // anyway is the core's conflict, shown as such.
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
        XCTAssertTrue(offsite.canDelete)
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
        XCTAssertFalse(rejected.canDelete, "reviewed: no longer deletable")
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
        XCTAssertTrue(talk.canDelete)
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

        // The scores offered are the core's scale; each of them is accepted.
        XCTAssertEqual(CompetencyModel.scale, Array(skillScale()))
        XCTAssertFalse(CompetencyModel.scale.isEmpty)
        for score in CompetencyModel.scale {
            let accepted = await competency.rate(skill: second, score: score)
            XCTAssertTrue(accepted, "score \(score): \(String(describing: competency.error(for: second)))")
            XCTAssertEqual(try current().skills[1].own, score)
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
        let outOfScale = try XCTUnwrap(CompetencyModel.scale.max()) + 1
        ok = await competency.rate(skill: first, score: outOfScale)
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

    /// The admin retires a type, every type of one category and a whole category, and renames
    /// another: after a sync the form offers only what the core says may be recorded now, and the
    /// renamed category is shown as the organisation wrote it.
    @MainActor
    func testTheFormOffersOnlyWhatTheCoreSaysMayBeRecorded() async throws {
        let phone = makePhone()
        try await phone.register()
        let screens = try phone.screens
        let achievements = screens.achievements
        let rating = screens.rating
        await achievements.load()
        let fresh = try XCTUnwrap(achievements.catalogue)
        XCTAssertTrue(fresh.types.allSatisfy(\.recordable), "the default catalogue: every type may be recorded")
        XCTAssertEqual(achievements.categories.map(\.id), fresh.categories.map(\.id))
        for c in fresh.categories {
            XCTAssertEqual(c.defaultKey, c.id, "the default catalogue's category \(c.id)")
        }

        let original = try await TestServer.ratingCatalogue()
        var changed = original
        var categories = try XCTUnwrap(original["categories"] as? [[String: Any]])
        var types = try XCTUnwrap(original["types"] as? [[String: Any]])
        for i in categories.indices {
            switch categories[i]["id"] as? String {
            case "social": categories[i]["archived"] = true // its types stay active, yet cannot be recorded
            case "methodical": categories[i]["name"] = "Teaching methods"
            default: break
            }
        }
        for i in types.indices where types[i]["id"] as? String == "research.article" || types[i]["category_id"] as? String == "professional" {
            types[i]["archived"] = true
        }
        changed["categories"] = categories
        changed["types"] = types
        try await TestServer.setRatingCatalogue(changed)
        do {
            _ = await screens.sync.syncNow()
            await achievements.load()
            let catalogue = try XCTUnwrap(achievements.catalogue)
            func type(_ id: String) throws -> AchievementType { try XCTUnwrap(catalogue.types.first { $0.id == id }, id) }
            XCTAssertFalse(try type("research.article").recordable, "a retired type")
            XCTAssertTrue(try type("research.article").archived)
            XCTAssertFalse(try type("social.mentoring").archived, "an active type …")
            XCTAssertFalse(try type("social.mentoring").recordable, "… of a retired category")
            XCTAssertTrue(try type("research.conference_talk").recordable)

            // Offered: the categories with a recordable type, and only those types.
            XCTAssertEqual(achievements.categories.map(\.id), ["research", "methodical", "organisational"],
                           "professional has no type left, social is retired")
            let research = achievements.types(in: "research").map(\.id)
            XCTAssertFalse(research.isEmpty)
            XCTAssertFalse(research.contains("research.article"))
            XCTAssertEqual(achievements.types(in: "social"), [])
            XCTAssertEqual(achievements.types(in: "professional"), [])
            achievements.newAchievement()
            XCTAssertEqual(achievements.draftType?.recordable, true, "the preselected type may be recorded")

            // The core still refuses a retired type, naming the field.
            achievements.draft?.typeId = "research.article"
            achievements.draft?.title = "An article the catalogue retired"
            achievements.draft?.achievedOn = lastWeek
            let recorded = await achievements.submit()
            XCTAssertFalse(recorded)
            XCTAssertEqual(achievements.draftError?.field, "type_id")
            achievements.cancelEditing()

            // The renamed category is no longer the default one: shown as written, in every language.
            let methodical = try XCTUnwrap(catalogue.categories.first { $0.id == "methodical" })
            XCTAssertNil(methodical.defaultKey)
            XCTAssertEqual(catalogue.categories.first { $0.id == "research" }?.defaultKey, "research")
            let bundle = try XCTUnwrap(Bundle(path: appResources.path))
            let kk = Localizer(language: .kk, bundle: bundle)
            XCTAssertEqual(kk.categoryName(methodical.name, defaultKey: methodical.defaultKey), "Teaching methods")
            await rating.load()
            let scores = try XCTUnwrap(rating.rating).categories
            XCTAssertEqual(scores.first { $0.categoryId == "methodical" }.map { $0.defaultKey == nil }, true)
            XCTAssertEqual(scores.first { $0.categoryId == "research" }?.defaultKey, "research")
        } catch {
            try? await TestServer.setRatingCatalogue(original)
            throw error
        }
        try await TestServer.setRatingCatalogue(original)
    }
}

extension TestServer {
    /// The organisation's achievement catalogue as the admin API returns it (JSON).
    static func ratingCatalogue() async throws -> [String: Any] {
        let (status, json) = try await request("GET", "/api/v1/admin/ratings/catalogue", token: try await adminToken())
        guard status == 200 else { throw TestError.server("catalogue: \(status) \(json)") }
        return json
    }

    /// Replaces the organisation's achievement catalogue (admins), as the panel saves it.
    static func setRatingCatalogue(_ catalogue: [String: Any]) async throws {
        let (status, json) = try await request("PUT", "/api/v1/admin/ratings/catalogue", token: try await adminToken(), body: catalogue)
        guard status == 200 else { throw TestError.server("catalogue change: \(status) \(json)") }
    }
}
