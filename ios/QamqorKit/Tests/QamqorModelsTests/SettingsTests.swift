import Foundation
import QamqorCore
import QamqorModels
import XCTest

/// The app's own settings: the language (the phone's or picked in the app), the reminders and
/// background sync switches, kept in UserDefaults; the reminders follow the core's nudges.
final class SettingsTests: XCTestCase {
    @MainActor
    func testTheLanguageFollowsThePhoneAndCanBeSwitchedInTheApp() async throws {
        XCTAssertEqual(LanguageChoice.system.resolved(preferredLanguages: ["kk-KZ", "ru-KZ"]), .kk)
        XCTAssertEqual(LanguageChoice.system.resolved(preferredLanguages: ["de-DE", "ru_RU"]), .ru)
        XCTAssertEqual(LanguageChoice.system.resolved(preferredLanguages: ["de-DE"]), .en)
        XCTAssertEqual(LanguageChoice.en.resolved(preferredLanguages: ["kk-KZ"]), .en)

        let suite = "kz.qamqor.tests.\(UUID().uuidString)"
        let defaults = try XCTUnwrap(UserDefaults(suiteName: suite))
        defer { defaults.removePersistentDomain(forName: suite) }
        let bundle = try XCTUnwrap(Bundle(path: appResources.path))
        let settings = SettingsModel(defaults: defaults, preferredLanguages: ["ru-KZ"], bundle: bundle)
        XCTAssertEqual(settings.languageChoice, .system)
        XCTAssertEqual(settings.language, .ru)
        XCTAssertEqual(settings.strings["tab.risk"], "Мой риск")
        XCTAssertEqual(settings.strings.locale.identifier, "ru_KZ")

        settings.languageChoice = .kk
        XCTAssertEqual(settings.language, .kk)
        XCTAssertEqual(settings.strings["tab.risk"], "Менің тәуекелім")
        let reopened = SettingsModel(defaults: defaults, preferredLanguages: ["ru-KZ"], bundle: bundle)
        XCTAssertEqual(reopened.languageChoice, .kk, "kept across launches")
    }

    @MainActor
    func testRemindersFollowTheCoresNudgesTheSwitchesAndPostOncePerDay() async throws {
        let phone = makePhone()
        let screens = try await phone.start()
        try phone.onboarding.useWithoutAccount()
        _ = try await screens.runner.local { try $0.updateProfile(input: everyDayProfile()) }
        XCTAssertTrue(phone.settings.checkInReminders, "on by default")
        XCTAssertTrue(phone.settings.longDayReminders)
        XCTAssertTrue(phone.settings.backgroundSync)

        let nudges = try await screens.runner.local { try $0.nudges() }
        var due = await screens.reminders.due()
        XCTAssertEqual(due.map(\.kind).contains(.checkIn), nudges.checkInDue)
        XCTAssertTrue(nudges.checkInDue, "every day is a working day here, and no check-in yet")
        XCTAssertEqual(due.map(\.kind).contains(.longDay), nudges.longDayMinutes != nil)
        let checkIn = try XCTUnwrap(due.first { $0.kind == .checkIn })
        XCTAssertEqual(checkIn.identifier, "qamqor.check_in.\(screens.runner.core.today())")

        // Posted once: not again the same day.
        screens.reminders.markDelivered(due)
        due = await screens.reminders.due()
        XCTAssertEqual(due, [])

        // Switched off: nothing, and the switch is remembered.
        phone.settings.checkInReminders = false
        phone.settings.longDayReminders = false
        phone.settings.backgroundSync = false
        let fresh = RemindersModel(runner: screens.runner, settings: phone.settings, defaults: UserDefaults(suiteName: "kz.qamqor.tests.\(UUID().uuidString)")!)
        let none = await fresh.due()
        XCTAssertEqual(none, [])
        let reopened = SettingsModel(defaults: phone.defaults, preferredLanguages: ["en"], bundle: .main)
        XCTAssertFalse(reopened.checkInReminders)
        XCTAssertFalse(reopened.longDayReminders)
        XCTAssertFalse(reopened.backgroundSync)

        // Checked in: the check-in reminder is no longer due even when on.
        phone.settings.checkInReminders = true
        let dueAgain = await fresh.due()
        XCTAssertEqual(dueAgain.map(\.kind), [.checkIn])
        screens.today.checkIn.fatigue = 1
        screens.today.checkIn.stress = 1
        screens.today.checkIn.mood = 5
        let saved = await screens.today.submitCheckIn()
        XCTAssertTrue(saved)
        let after = await fresh.due()
        XCTAssertEqual(after, [])

        // A background refresh on a local-only phone: no sync, just what is due.
        let refreshed = await phone.app.backgroundRefresh()
        XCTAssertEqual(refreshed, [])
    }
}
