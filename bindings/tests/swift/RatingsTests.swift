import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// Achievements, evidence photos and the person's own rating through the generated bindings.
final class RatingsTests: XCTestCase {
    private func tempDb() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qamqor-swift-ratings-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("qamqor.db").path
    }

    /// A day safely in the past in every time zone.
    private var lastWeek: String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: Date().addingTimeInterval(-7 * 86_400))
    }

    private func input(_ type: String, on day: String? = nil) -> AchievementInput {
        AchievementInput(typeId: type, title: "Article on burnout", description: nil, achievedOn: day ?? lastWeek)
    }

    private func invalid(_ body: () throws -> Void) -> (String, InvalidReason)? {
        do {
            try body()
        } catch let ApiError.InvalidInput(field, reason, _) {
            return (field, reason)
        } catch {
            XCTFail("expected InvalidInput, got \(error)")
        }
        return nil
    }

    func testAchievementsAreRecordedOfflineWithEvidenceAndCheckedFieldByField() throws {
        let core = try QamqorCore.open(dbPath: tempDb())
        let catalogue = try core.ratingCatalogue()
        XCTAssertEqual(catalogue.method, .average)
        XCTAssertEqual(catalogue.categories.map(\.id), ["research", "professional", "methodical", "social", "organisational"])

        let a = try core.recordAchievement(input: input("research.article"), evidence: solidPNG(width: 900, height: 600))
        XCTAssertEqual(a.status, .pending)
        XCTAssertEqual(a.points, 30)
        XCTAssertTrue(a.hasEvidence)
        let jpeg = try XCTUnwrap(try core.achievementEvidence(id: a.id))
        XCTAssertEqual(Array(jpeg.prefix(2)), [0xFF, 0xD8])

        let notAnImage = invalid { _ = try core.recordAchievement(input: input("research.article"), evidence: Data("%PDF-1.7".utf8)) }
        XCTAssertEqual(notAnImage?.0, "evidence")
        XCTAssertEqual(notAnImage?.1, .notAnImage)
        let unknown = invalid { _ = try core.recordAchievement(input: input("research.telepathy"), evidence: nil) }
        XCTAssertEqual(unknown?.0, "type_id")
        XCTAssertEqual(unknown?.1, .unknown)
        XCTAssertEqual(invalid { _ = try core.recordAchievement(input: input("research.article", on: "2025/12/31"), evidence: nil) }?.0, "achieved_on")
        XCTAssertEqual(try core.achievements().map(\.id), [a.id])
        XCTAssertEqual(try core.pendingChangeCount(), 1)

        let rating = try core.rating(from: nil, to: nil)
        XCTAssertEqual(rating.total, 0)
        XCTAssertEqual(rating.categories.count, 5)
        XCTAssertEqual(invalid { _ = try core.rating(from: "2026-02-01", to: "2026-01-01") }?.0, "to")

        try core.deleteAchievement(id: a.id)
        XCTAssertTrue(try core.achievements().isEmpty)
    }

    func testAManagersVerdictSyncsBackAndCountsInTheRating() async throws {
        let api = try AdminApi()
        let email = "rated-\(UUID().uuidString.prefix(8).lowercased())@test.qamqor.kz"
        let code = try await api.invite(email)
        let core = try QamqorCore.open(dbPath: tempDb())
        _ = try core.register(serverUrl: api.url, inviteCode: code, email: email, name: "Әлия", password: "a long password 1", deviceName: "iPhone")
        let paper = try core.recordAchievement(input: input("research.article"), evidence: nil)
        _ = try core.sync(observer: nil)
        XCTAssertEqual(try core.pendingChangeCount(), 0)

        try await api.review(paper.id, ["status": "verified", "comment": "great"])
        _ = try core.sync(observer: nil)

        let verified = try XCTUnwrap(try core.achievements().first { $0.id == paper.id })
        XCTAssertEqual(verified.status, .verified)
        XCTAssertEqual(verified.review?.comment, "great")
        do {
            try core.deleteAchievement(id: paper.id)
            XCTFail("a reviewed achievement was deleted")
        } catch let ApiError.Conflict(kind, _) {
            XCTAssertEqual(kind, .achievementReviewed)
        }
        let rating = try core.rating(from: nil, to: nil)
        XCTAssertEqual(rating.total, 6)
        XCTAssertEqual(rating.categories.first { $0.categoryId == "research" }?.points, 30)
    }

    func testTheAssignedCardsSkillsAreRatedOnTheScale() async throws {
        let api = try AdminApi()
        let email = "skills-\(UUID().uuidString.prefix(8).lowercased())@test.qamqor.kz"
        let code = try await api.invite(email)
        let core = try QamqorCore.open(dbPath: tempDb())
        let account = try core.register(serverUrl: api.url, inviteCode: code, email: email, name: "Данияр", password: "a long password 1", deviceName: "iPhone")
        XCTAssertNil(try core.competencyProfile())
        try await api.put("/api/v1/admin/people/\(account.userId)/competency", ["occupation_code": "2511-1-005", "level": 5])
        _ = try core.sync(observer: nil)
        let profile = try XCTUnwrap(try core.competencyProfile())
        XCTAssertEqual(profile.cardName, "IT-дизайнер")
        let skill = profile.functions[0].skills[0].skillId
        try core.rateSkill(skillId: skill, score: 4)
        XCTAssertEqual(try core.competencyProfile()?.functions[0].skills[0].own, 4)
        let tooHigh = invalid { try core.rateSkill(skillId: skill, score: 5) }
        XCTAssertEqual(tooHigh?.0, "score")
        XCTAssertEqual(tooHigh?.1, .outOfRange)
        XCTAssertEqual(invalid { try core.rateSkill(skillId: "J000/1/f1/s1", score: 2) }?.1, .unknown)
    }
}

/// The admin API of the test server started by scripts/test-swift.sh, as the panel uses it.
private struct AdminApi {
    let url: String
    private let env = ProcessInfo.processInfo.environment

    init() throws {
        guard let url = ProcessInfo.processInfo.environment["QAMQOR_TEST_SERVER_URL"] else {
            throw NSError(domain: "run through scripts/test-swift.sh", code: 1)
        }
        self.url = url
    }

    private func request(_ path: String, method: String = "POST", token: String?, body: [String: Any]) async throws -> (Int, [String: Any]) {
        var r = URLRequest(url: URL(string: url + path)!)
        r.httpMethod = method
        r.setValue("1", forHTTPHeaderField: "Qamqor-Protocol")
        r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        r.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await URLSession.shared.data(for: r)
        let json = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    private func token() async throws -> String {
        let (status, json) = try await request("/api/v1/auth/login", token: nil, body: [
            "email": env["QAMQOR_TEST_ADMIN_EMAIL"] ?? "", "password": env["QAMQOR_TEST_ADMIN_PASSWORD"] ?? "", "device_name": "swift ratings",
        ])
        XCTAssertEqual(status, 200, "\(json)")
        return json["access_token"] as? String ?? ""
    }

    func invite(_ email: String) async throws -> String {
        let (status, json) = try await request("/api/v1/invitations", token: try await token(), body: ["email": email, "role": "employee"])
        XCTAssertEqual(status, 201, "\(json)")
        return json["code"] as? String ?? ""
    }

    func put(_ path: String, _ body: [String: Any]) async throws {
        let (status, json) = try await request(path, method: "PUT", token: try await token(), body: body)
        XCTAssertEqual(status, 200, "\(json)")
    }

    func review(_ id: String, _ body: [String: Any]) async throws {
        let (status, json) = try await request("/api/v1/admin/achievements/\(id)/review", token: try await token(), body: body)
        XCTAssertEqual(status, 200, "\(json)")
    }
}
