import Foundation
import QamqorCore
import QamqorModels
import XCTest

/// The profile: fields checked by the core, the photo through the core's pipeline, the language.
final class ProfileTests: XCTestCase {
    @MainActor
    func testEditingTheProfileAndScheduleWithErrorsNamingTheField() async throws {
        let phone = makePhone()
        let screens = try await phone.start()
        try phone.onboarding.useWithoutAccount()
        let profile = screens.profile
        await profile.load()
        XCTAssertNil(profile.profile?.updatedAt, "not filled in yet")
        var draft = try XCTUnwrap(profile.draft)
        XCTAssertFalse(profile.isEdited)

        draft.name = "Нұрлан Әбдіров"
        draft.position = "Analyst"
        draft.qualificationLevel = 9
        draft.workingDays = [.monday, .wednesday, .friday]
        draft.startMinute = 8 * 60 + 30
        draft.endMinute = 17 * 60 + 30
        draft.timeZone = "Asia/Aqtobe"
        profile.draft = draft
        XCTAssertTrue(profile.isEdited)
        let invalid = await profile.save()
        XCTAssertFalse(invalid)
        XCTAssertEqual(profile.error?.field, "qualification_level")
        XCTAssertEqual(profile.error?.message.key, "error.invalid.out_of_range")

        profile.draft?.qualificationLevel = 5
        profile.draft?.timeZone = "Mars/Olympus"
        let badZone = await profile.save()
        XCTAssertFalse(badZone)
        XCTAssertEqual(profile.error?.field, "schedule.time_zone")

        profile.draft?.timeZone = "Asia/Aqtobe"
        let saved = await profile.save()
        XCTAssertTrue(saved)
        XCTAssertTrue(profile.saved)
        XCTAssertNil(profile.error)
        let stored = try XCTUnwrap(profile.profile)
        XCTAssertEqual(stored.name, "Нұрлан Әбдіров")
        XCTAssertEqual(stored.schedule.workingDays, [.monday, .wednesday, .friday])
        XCTAssertEqual(stored.schedule.startMinute, 510)
        XCTAssertEqual(stored.schedule.timeZone, "Asia/Aqtobe")
        XCTAssertFalse(profile.isEdited)
        XCTAssertTrue(profile.timeZoneChoices.starts(with: ProfileModel.kazakhstanTimeZones))

        // The time pickers' round trip.
        let utc = { () -> Calendar in var c = Calendar(identifier: .gregorian); c.timeZone = TimeZone(identifier: "UTC")!; return c }()
        let time = try XCTUnwrap(profile.draft).time(ofMinute: 510, calendar: utc)
        XCTAssertEqual(ProfileDraft.minute(of: time, calendar: utc), 510)

        // The language switch reaches the stored profile once it exists.
        await profile.languageChanged(to: .kk)
        XCTAssertEqual(profile.profile?.language, .kk)
        XCTAssertEqual(profile.draft?.language, .kk)
    }

    @MainActor
    func testThePhotoGoesThroughTheCoresPipeline() async throws {
        let phone = makePhone()
        let screens = try await phone.start()
        try phone.onboarding.useWithoutAccount()
        let profile = screens.profile
        await profile.load()
        XCTAssertNil(profile.photo)

        // The core keeps a photo only with a filled-in profile, and says so.
        let tooEarly = await profile.setPhoto(solidPNG(width: 20, height: 20))
        XCTAssertFalse(tooEarly)
        XCTAssertEqual(profile.photoError?.field, "profile")
        XCTAssertEqual(profile.photoError?.message, LocalizedMessage("error.invalid.empty", .field("profile")))
        profile.draft?.name = "Гүлнар"
        let saved = await profile.save()
        XCTAssertTrue(saved)

        let notAnImage = await profile.setPhoto(Data("a text file".utf8))
        XCTAssertFalse(notAnImage)
        XCTAssertEqual(profile.photoError?.field, "photo")
        XCTAssertEqual(profile.photoError?.message.key, "error.invalid.not_an_image")

        let png = solidPNG(width: 900, height: 300)
        let set = await profile.setPhoto(png)
        XCTAssertTrue(set)
        XCTAssertNil(profile.photoError)
        XCTAssertEqual(profile.profile?.hasPhoto, true)
        let jpeg = try XCTUnwrap(profile.photo)
        XCTAssertEqual(Array(jpeg.prefix(2)), [0xFF, 0xD8], "re-encoded as JPEG by the core")
        XCTAssertLessThan(jpeg.count, png.count)

        let removed = await profile.removePhoto()
        XCTAssertTrue(removed)
        XCTAssertNil(profile.photo)
        XCTAssertEqual(profile.profile?.hasPhoto, false)
    }
}
