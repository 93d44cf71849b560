#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// The app's language: the phone's, or one picked in the app.
public enum LanguageChoice: String, CaseIterable, Sendable {
    case system, kk, ru, en

    /// The language to show: the picked one, or the first of the phone's preferred languages the
    /// app speaks (English if none).
    public func resolved(preferredLanguages: [String]) -> Language {
        if let picked = Language(code: rawValue) { return picked }
        for tag in preferredLanguages {
            let code = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
            if let language = Language(code: code) { return language }
        }
        return .en
    }
}

/// The app's own settings, kept in UserDefaults: language, reminders, background sync, and
/// whether onboarding is done. Every switch starts on and can be turned off.
@MainActor
public final class SettingsModel: ObservableObject {
    /// UserDefaults keys (also usable with @AppStorage).
    public enum Key {
        public static let language = "qamqor.language"
        public static let checkInReminders = "qamqor.reminders.checkIn"
        public static let longDayReminders = "qamqor.reminders.longDay"
        public static let backgroundSync = "qamqor.backgroundSync"
        public static let onboardingFinished = "qamqor.onboardingFinished"
    }

    @Published public var languageChoice: LanguageChoice {
        didSet {
            defaults.set(languageChoice.rawValue, forKey: Key.language)
            strings = Localizer(language: languageChoice.resolved(preferredLanguages: preferredLanguages), bundle: bundle)
        }
    }
    /// A reminder when the day's check-in is not done on a working day.
    @Published public var checkInReminders: Bool {
        didSet { defaults.set(checkInReminders, forKey: Key.checkInReminders) }
    }
    /// A reminder when the day has been very long.
    @Published public var longDayReminders: Bool {
        didSet { defaults.set(longDayReminders, forKey: Key.longDayReminders) }
    }
    /// Sync in the background on a schedule and when the connection returns.
    @Published public var backgroundSync: Bool {
        didSet { defaults.set(backgroundSync, forKey: Key.backgroundSync) }
    }
    @Published public var onboardingFinished: Bool {
        didSet { defaults.set(onboardingFinished, forKey: Key.onboardingFinished) }
    }
    /// The texts in the current language.
    @Published public private(set) var strings: Localizer

    private let defaults: UserDefaults
    private let preferredLanguages: [String]
    private let bundle: Bundle

    /// The language in use.
    public var language: Language { strings.language }

    public init(defaults: UserDefaults = .standard, preferredLanguages: [String] = Locale.preferredLanguages, bundle: Bundle = .main) {
        self.defaults = defaults
        self.preferredLanguages = preferredLanguages
        self.bundle = bundle
        let choice = defaults.string(forKey: Key.language).flatMap(LanguageChoice.init(rawValue:)) ?? .system
        languageChoice = choice
        checkInReminders = defaults.object(forKey: Key.checkInReminders) as? Bool ?? true
        longDayReminders = defaults.object(forKey: Key.longDayReminders) as? Bool ?? true
        backgroundSync = defaults.object(forKey: Key.backgroundSync) as? Bool ?? true
        onboardingFinished = defaults.bool(forKey: Key.onboardingFinished)
        strings = Localizer(language: choice.resolved(preferredLanguages: preferredLanguages), bundle: bundle)
    }
}
