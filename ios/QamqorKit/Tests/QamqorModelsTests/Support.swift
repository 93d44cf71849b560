import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import QamqorCore
import QamqorModels
import XCTest

/// The repository's ios/ folder (for the app's strings and views).
let iosDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The app's resources folder: <lang>.lproj/Localizable.strings, laid out as in the app bundle.
let appResources = iosDirectory.appendingPathComponent("App/Resources", isDirectory: true)

enum TestError: Error, CustomStringConvertible {
    case server(String)
    case missingEnvironment(String)
    var description: String {
        switch self {
        case let .server(s): return "test server: \(s)"
        case let .missingEnvironment(s): return "\(s) is not set (run through scripts/test-swift.sh, which starts the server)"
        }
    }
}

/// The real sync server started by scripts/test-swift.sh (scripts/lib/test-server.sh), driven as
/// its admin the way the web panel would: invitations, tasks, feedback, settings.
enum TestServer {
    static func env(_ name: String) throws -> String {
        guard let v = ProcessInfo.processInfo.environment[name], !v.isEmpty else { throw TestError.missingEnvironment(name) }
        return v
    }

    static var url: String { get throws { try env("QAMQOR_TEST_SERVER_URL") } }
    static var organisation: String { ProcessInfo.processInfo.environment["QAMQOR_TEST_ORG"] ?? "Qamqor Test" }

    private static var cachedAdminToken: String?

    /// One request; returns the status and the decoded JSON body (empty when there is none).
    static func request(_ method: String, _ path: String, token: String? = nil, body: [String: Any]? = nil) async throws -> (Int, [String: Any]) {
        guard let url = URL(string: try url + path) else { throw TestError.server("bad path \(path)") }
        var r = URLRequest(url: url)
        r.httpMethod = method
        r.setValue("1", forHTTPHeaderField: "Qamqor-Protocol")
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
            r.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let (data, response) = try await URLSession.shared.data(for: r)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let json = data.isEmpty ? [:] : (try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:])
        return (status, json)
    }

    static func adminToken() async throws -> String {
        if let t = cachedAdminToken { return t }
        let (status, json) = try await request("POST", "/api/v1/auth/login", body: [
            "email": try env("QAMQOR_TEST_ADMIN_EMAIL"), "password": try env("QAMQOR_TEST_ADMIN_PASSWORD"), "device_name": "swift tests",
        ])
        guard status == 200, let token = json["access_token"] as? String else { throw TestError.server("admin login: \(status) \(json)") }
        cachedAdminToken = token
        return token
    }

    /// An invitation for a new employee; returns the code.
    static func invite(_ email: String) async throws -> String {
        let (status, json) = try await request("POST", "/api/v1/invitations", token: try await adminToken(), body: ["email": email, "role": "employee"])
        guard status == 201, let code = json["code"] as? String else { throw TestError.server("invitation: \(status) \(json)") }
        return code
    }

    static func assignTask(to userId: String, title: String) async throws {
        let (status, json) = try await request("POST", "/api/v1/tasks", token: try await adminToken(), body: ["user_id": userId, "title": title, "due_date": "2030-01-15", "estimate_minutes": 45])
        guard status == 201 else { throw TestError.server("task: \(status) \(json)") }
    }

    static func sendFeedback(to userId: String, message: String) async throws {
        let (status, json) = try await request("POST", "/api/v1/feedback", token: try await adminToken(), body: ["user_id": userId, "message": message])
        guard status == 201 else { throw TestError.server("feedback: \(status) \(json)") }
    }

    static func setPrivacyPolicy(_ policy: String) async throws {
        let (status, json) = try await request("PUT", "/api/v1/settings", token: try await adminToken(), body: ["privacy_policy": policy, "min_group_size": 5])
        guard status == 200 else { throw TestError.server("settings: \(status) \(json)") }
    }

    static func revokeDevice(_ deviceId: String) async throws {
        let (status, json) = try await request("DELETE", "/api/v1/devices/\(deviceId)", token: try await adminToken())
        guard status == 204 else { throw TestError.server("revoke device: \(status) \(json)") }
    }

    /// A fresh email on the test organisation.
    /// The ids of the deletion requests the organisation's admin sees.
    static func deletionRequestIds() async throws -> [String] {
        let (status, json) = try await request("GET", "/api/v1/admin/deletion-requests", token: try await adminToken())
        guard status == 200, let items = json["items"] as? [[String: Any]] else { throw TestError.server("deletion requests: \(status) \(json)") }
        return items.compactMap { $0["id"] as? String }
    }

    /// A manager's verdict on an achievement (`verified` or `rejected`, with a comment), as the
    /// panel's review sends it.
    static func reviewAchievement(_ id: String, status: String, comment: String? = nil) async throws {
        var body: [String: Any] = ["status": status]
        if let comment { body["comment"] = comment }
        let (code, json) = try await request("POST", "/api/v1/admin/achievements/\(id)/review", token: try await adminToken(), body: body)
        guard code == 200 else { throw TestError.server("review: \(code) \(json)") }
    }

    /// Assigns a person a profession card by occupation code and level (admins).
    static func assignCompetency(to userId: String, occupationCode: String, level: Int) async throws {
        let (code, json) = try await request("PUT", "/api/v1/admin/people/\(userId)/competency", token: try await adminToken(),
                                             body: ["occupation_code": occupationCode, "level": level])
        guard code == 200 else { throw TestError.server("assign card: \(code) \(json)") }
    }

    /// The manager's score of one of a person's skills.
    static func rateSkill(of userId: String, skillId: String, score: Int) async throws {
        let encoded = skillId.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? skillId
        let (code, json) = try await request("PUT", "/api/v1/admin/people/\(userId)/skills/\(encoded)", token: try await adminToken(),
                                             body: ["score": score])
        guard code == 200 else { throw TestError.server("rate skill: \(code) \(json)") }
    }

    static func newEmail(_ who: String = "employee") -> String {
        "\(who)-\(UUID().uuidString.prefix(8).lowercased())@test.qamqor.kz"
    }
}

/// One phone: its own database, its own UserDefaults, the app model as the SwiftUI app builds it.
@MainActor
final class Phone {
    let directory: URL
    let suiteName: String
    let defaults: UserDefaults
    let settings: SettingsModel
    let app: AppModel

    init(deviceName: String = "Test iPhone", preferredLanguages: [String] = ["en-KZ"], autoSyncDelay: Duration? = nil) {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("qamqor-ios-\(UUID().uuidString)", isDirectory: true)
        suiteName = "kz.qamqor.tests.\(UUID().uuidString)"
        defaults = UserDefaults(suiteName: suiteName) ?? .standard
        settings = SettingsModel(defaults: defaults, preferredLanguages: preferredLanguages, bundle: Bundle(path: appResources.path) ?? .main)
        app = AppModel(
            databaseURL: directory.appendingPathComponent("db/qamqor.db"), settings: settings, deviceName: deviceName,
            defaults: defaults, autoSyncDelay: autoSyncDelay, exportDirectory: directory.appendingPathComponent("exports"))
    }

    func cleanUp() {
        defaults.removePersistentDomain(forName: suiteName)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Opens the database (the app's first moment).
    @discardableResult
    func start() async throws -> Screens {
        await app.start()
        return try XCTUnwrap(app.screens, "the database did not open: \(app.stage)")
    }

    var screens: Screens {
        get throws { try XCTUnwrap(app.screens) }
    }

    var onboarding: OnboardingModel {
        get throws {
            guard case let .onboarding(model) = app.stage else { throw TestError.server("not onboarding: \(app.stage)") }
            return model
        }
    }

    /// Registers a new employee through the onboarding screen (an admin's invitation first) and
    /// finishes it. Returns the account.
    @discardableResult
    func register(email: String = TestServer.newEmail(), name: String = "Айгерім Сейітқызы", password: String = "correct horse battery",
                  serverURL: String? = nil) async throws -> SyncAccount {
        if app.screens == nil { try await start() }
        let onboarding = try self.onboarding
        await onboarding.load()
        onboarding.continueToAccount()
        onboarding.mode = .register
        onboarding.serverAddress = try serverURL ?? TestServer.url
        onboarding.inviteCode = try await TestServer.invite(email)
        onboarding.email = email
        onboarding.name = name
        onboarding.password = password
        let ok = await onboarding.submit()
        XCTAssertTrue(ok, "registration failed: \(String(describing: onboarding.error))")
        let account = try XCTUnwrap(onboarding.account)
        onboarding.finish()
        return account
    }

    /// Signs in an existing account through the onboarding screen and finishes it.
    @discardableResult
    func signIn(email: String, password: String = "correct horse battery", serverURL: String? = nil) async throws -> SyncAccount {
        if app.screens == nil { try await start() }
        let onboarding = try self.onboarding
        onboarding.continueToAccount()
        onboarding.mode = .signIn
        onboarding.serverAddress = try serverURL ?? TestServer.url
        onboarding.email = email
        onboarding.password = password
        let ok = await onboarding.submit()
        XCTAssertTrue(ok, "sign-in failed: \(String(describing: onboarding.error))")
        let account = try XCTUnwrap(onboarding.account)
        onboarding.finish()
        return account
    }
}

extension XCTestCase {
    /// A phone that is cleaned up after the test.
    @MainActor
    func makePhone(deviceName: String = "Test iPhone", preferredLanguages: [String] = ["en-KZ"], autoSyncDelay: Duration? = nil) -> Phone {
        let phone = Phone(deviceName: deviceName, preferredLanguages: preferredLanguages, autoSyncDelay: autoSyncDelay)
        addTeardownBlock { @MainActor in phone.cleanUp() }
        return phone
    }

    /// Waits (yielding to the main actor) until `condition` holds, or fails after `timeout` seconds.
    @MainActor
    func eventually(_ what: String, timeout: TimeInterval = 20, _ condition: @MainActor () async -> Bool) async {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if await condition() { return }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        XCTFail("timed out waiting for: \(what)")
    }
}

/// A profile with every day a working day (so "check-in due" holds whatever day the tests run).
func everyDayProfile(name: String = "Айгерім", level: UInt8? = 6, timeZone: String = "Asia/Almaty") -> ProfileInput {
    ProfileInput(
        name: name, department: "Platform", position: "Backend developer", qualificationLevel: level,
        schedule: WorkSchedule(workingDays: Weekday.all, startMinute: 540, endMinute: 1080, timeZone: timeZone),
        remoteWork: false, language: .en)
}
