import Foundation
import QamqorCore
import QamqorModels
import XCTest

/// Errors from the core become state a screen acts on: a field to highlight, a message key, a
/// retry when it can help. Never parsed from text.
final class ErrorTests: XCTestCase {
    func testEveryCoreErrorMapsToStateAScreenActsOn() {
        let invalid = ModelError(ApiError.InvalidInput(field: "due_date", reason: .badFormat, detail: "'x' is not a date"))
        XCTAssertEqual(invalid.field, "due_date")
        XCTAssertEqual(invalid.message, LocalizedMessage("error.invalid.bad_format", .field("due_date")))
        XCTAssertFalse(invalid.isRetryable)

        XCTAssertEqual(ModelError(ApiError.NotFound(entity: "task", id: "t1")), .notFound(entity: "task", id: "t1"))
        XCTAssertEqual(ModelError(ApiError.Conflict(kind: .sessionOverlap, detail: "overlaps")).message.key, "error.conflict.session_overlap")
        XCTAssertEqual(ModelError(ApiError.Storage(detail: "disk full")).message.key, "error.storage")

        // Whether a retry can help is the core's call (`retryable`), carried as is; the real
        // cases are driven through the core in OnboardingTests and SyncTests.
        let offline = ModelError(ApiError.Sync(kind: .network, code: "network", detail: "connection refused", httpStatus: nil, field: nil,
                                               retryAfterSeconds: nil, retryable: true))
        XCTAssertTrue(offline.isRetryable)
        XCTAssertEqual(offline.message.key, "error.sync.network")

        let throttled = ModelError(ApiError.Sync(kind: .server, code: "too_many_attempts", detail: "", httpStatus: 429, field: nil,
                                                 retryAfterSeconds: 60, retryable: true))
        XCTAssertEqual(throttled.syncFailure?.retryAfterSeconds, 60)
        XCTAssertEqual(throttled.message, LocalizedMessage("server.too_many_attempts", fallback: "error.sync.server"))

        let badField = ModelError(ApiError.Sync(kind: .server, code: "invalid_field", detail: "", httpStatus: 422, field: "email",
                                                retryAfterSeconds: nil, retryable: false))
        XCTAssertEqual(badField.field, "email")
        XCTAssertEqual(badField.message, LocalizedMessage("server.invalid_field", .field("email")))

        struct Other: Error {}
        if case .unexpected = ModelError(Other()) {} else { XCTFail("not unexpected") }
        XCTAssertEqual(ModelError(Other()).message.key, "error.unexpected")
        XCTAssertEqual(ModelError(ModelError.conflict(.noRunningTimer)), .conflict(.noRunningTimer), "mapping twice changes nothing")
    }

    @MainActor
    func testAnUnusableDatabaseIsShownNotCrashed() async throws {
        let settings = SettingsModel(defaults: UserDefaults(suiteName: "kz.qamqor.tests.\(UUID().uuidString)")!, preferredLanguages: ["en"], bundle: .main)
        // A regular file where the database's folder should be.
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("qamqor-blocker-\(UUID().uuidString)")
        try Data("not a folder".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let app = AppModel(databaseURL: blocker.appendingPathComponent("db/qamqor.db"), settings: settings, deviceName: "Test", autoSyncDelay: nil)
        await app.start()
        guard case let .failed(error) = app.stage else { return XCTFail("\(app.stage)") }
        XCTAssertNil(app.screens)
        guard case .storage = error else { return XCTFail("\(error)") }
        XCTAssertEqual(error.message.key, "error.storage")
    }
}
