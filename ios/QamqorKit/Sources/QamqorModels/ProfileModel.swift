#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// The profile form: the stored profile's editable fields.
public struct ProfileDraft: Equatable, Sendable {
    public var name: String
    public var department: String
    public var position: String
    /// National qualification framework level, 1 to 8 (nil: not given).
    public var qualificationLevel: UInt8?
    public var workingDays: Set<Weekday>
    /// Minutes after local midnight.
    public var startMinute: UInt16
    public var endMinute: UInt16
    /// IANA zone, e.g. Asia/Almaty.
    public var timeZone: String
    public var remoteWork: Bool
    public var language: Language

    public init(_ p: Profile) {
        name = p.name
        department = p.department
        position = p.position
        qualificationLevel = p.qualificationLevel
        workingDays = Set(p.schedule.workingDays)
        startMinute = p.schedule.startMinute
        endMinute = p.schedule.endMinute
        timeZone = p.schedule.timeZone
        remoteWork = p.remoteWork
        language = p.language
    }

    /// The core's input (it checks every field).
    public var input: ProfileInput {
        ProfileInput(
            name: name, department: department, position: position, qualificationLevel: qualificationLevel,
            schedule: WorkSchedule(
                workingDays: Weekday.all.filter(workingDays.contains),
                startMinute: startMinute, endMinute: endMinute, timeZone: timeZone),
            remoteWork: remoteWork, language: language)
    }

    /// The start time as a date picker's value (today, in the picker's calendar).
    public func time(ofMinute minute: UInt16, calendar: Calendar = .current, on day: Date = Date()) -> Date {
        calendar.date(bySettingHour: Int(minute) / 60, minute: Int(minute) % 60, second: 0, of: day) ?? day
    }

    /// A date picker's time as minutes after midnight.
    public static func minute(of time: Date, calendar: Calendar = .current) -> UInt16 {
        let c = calendar.dateComponents([.hour, .minute], from: time)
        return UInt16((c.hour ?? 0) * 60 + (c.minute ?? 0))
    }
}

/// The profile screen: photo, name and position, schedule, language, and the account.
@MainActor
public final class ProfileModel: ObservableObject {
    /// Kazakhstan's time zones (and the phone's own, if elsewhere) for the schedule picker.
    public static let kazakhstanTimeZones = [
        "Asia/Almaty", "Asia/Qostanay", "Asia/Qyzylorda", "Asia/Aqtobe", "Asia/Aqtau", "Asia/Atyrau", "Asia/Oral",
    ]

    @Published public private(set) var state: LoadState<Profile> = .loading
    @Published public var draft: ProfileDraft?
    /// The stored photo (JPEG, made by the core), if any.
    @Published public private(set) var photo: Data?
    @Published public private(set) var isSaving = false
    /// The form's error; its `field` is highlighted (`name`, `schedule.time_zone`, …).
    @Published public private(set) var error: ModelError?
    @Published public private(set) var photoError: ModelError?
    /// The last save went through (a short confirmation).
    @Published public private(set) var saved = false

    public var onLocalChange: (@MainActor () -> Void)?

    private let runner: CoreRunner

    public init(runner: CoreRunner) {
        self.runner = runner
    }

    public var profile: Profile? { state.value }

    /// The zones to offer: Kazakhstan's, plus the stored and the phone's own if different.
    public var timeZoneChoices: [String] {
        var zones = Self.kazakhstanTimeZones
        for extra in [draft?.timeZone, TimeZone.current.identifier].compactMap({ $0 }) where !zones.contains(extra) {
            zones.append(extra)
        }
        return zones
    }

    public func load() async {
        let result = await runner.localResult { core -> (Profile, Data?) in
            (core.profile(), try core.profilePhoto())
        }
        switch result {
        case let .success((profile, photo)):
            state = .loaded(profile)
            self.photo = photo
            if draft == nil || !isEdited { draft = ProfileDraft(profile) }
        case let .failure(e):
            state = .failed(e)
        }
    }

    /// The form differs from the stored profile.
    public var isEdited: Bool {
        guard let draft, let profile else { return false }
        return draft != ProfileDraft(profile)
    }

    @discardableResult
    public func save() async -> Bool {
        guard let draft, !isSaving else { return false }
        isSaving = true
        defer { isSaving = false }
        let input = draft.input
        switch await runner.localResult({ try $0.updateProfile(input: input) }) {
        case let .success(p):
            state = .loaded(p)
            self.draft = ProfileDraft(p)
            error = nil
            saved = true
            onLocalChange?()
            return true
        case let .failure(e):
            error = e
            saved = false
            return false
        }
    }

    /// The app's language changed: once the profile exists, it records the new language too (so
    /// the person's other phones and the organisation know it).
    public func languageChanged(to language: Language) async {
        draft?.language = language
        guard let profile, profile.updatedAt != nil, profile.language != language else { return }
        var stored = ProfileDraft(profile)
        stored.language = language
        let input = stored.input
        if case let .success(p) = await runner.localResult({ try $0.updateProfile(input: input) }) {
            state = .loaded(p)
            onLocalChange?()
        }
    }

    /// A picked or taken picture's bytes (JPEG, PNG or WebP): the core checks, shrinks and
    /// re-encodes it, dropping location and other metadata.
    @discardableResult
    public func setPhoto(_ image: Data) async -> Bool {
        let result = await runner.localResult { core -> (Profile, Data?) in
            let p = try core.setProfilePhoto(image: image)
            return (p, try core.profilePhoto())
        }
        switch result {
        case let .success((p, photo)):
            state = .loaded(p)
            self.photo = photo
            photoError = nil
            onLocalChange?()
            return true
        case let .failure(e):
            photoError = e
            return false
        }
    }

    @discardableResult
    public func removePhoto() async -> Bool {
        switch await runner.localResult({ try $0.removeProfilePhoto() }) {
        case let .success(p):
            state = .loaded(p)
            photo = nil
            photoError = nil
            onLocalChange?()
            return true
        case let .failure(e):
            photoError = e
            return false
        }
    }

    public func dismissSaved() {
        saved = false
    }
}
