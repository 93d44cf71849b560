import Foundation
import QamqorCore

/// A gentle local notification the app may post now.
public struct Reminder: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// The day's check-in is not done on a working day.
        case checkIn = "check_in"
        /// The day has been very long.
        case longDay = "long_day"
    }

    public var kind: Kind
    /// The local date it is about (one reminder of a kind per day at most).
    public var day: String
    /// Minutes worked today, for the long-day text.
    public var workedMinutes: Int64?

    /// Stable per kind and day, so the notification centre replaces rather than repeats.
    public var identifier: String { "qamqor.\(kind.rawValue).\(day)" }
    public var titleKey: String { "reminder.\(kind.rawValue).title" }
    public var bodyKey: String { "reminder.\(kind.rawValue).body" }
}

/// Which reminders to post now: those the core says are due (`nudges`), switched on in the
/// settings, and not already posted today.
@MainActor
public final class RemindersModel {
    private static let deliveredKey = "qamqor.reminders.delivered"

    private let runner: CoreRunner
    private let settings: SettingsModel
    private let defaults: UserDefaults

    public init(runner: CoreRunner, settings: SettingsModel, defaults: UserDefaults = .standard) {
        self.runner = runner
        self.settings = settings
        self.defaults = defaults
    }

    /// The reminders to post now (none if switched off or already posted today).
    public func due() async -> [Reminder] {
        guard settings.checkInReminders || settings.longDayReminders else { return [] }
        let result = await runner.localResult { core in (core.today(), try core.nudges()) }
        guard case let .success((today, nudges)) = result else { return [] }
        var due: [Reminder] = []
        if settings.checkInReminders && nudges.checkInDue {
            due.append(Reminder(kind: .checkIn, day: today))
        }
        if settings.longDayReminders, let minutes = nudges.longDayMinutes {
            due.append(Reminder(kind: .longDay, day: today, workedMinutes: minutes))
        }
        let delivered = Set(defaults.stringArray(forKey: Self.deliveredKey) ?? [])
        return due.filter { !delivered.contains($0.identifier) }
    }

    /// Remembers what was posted, so it is not posted again the same day.
    public func markDelivered(_ reminders: [Reminder]) {
        guard let day = reminders.first?.day else { return }
        // Only today's entries matter: older ones are dropped.
        let kept = (defaults.stringArray(forKey: Self.deliveredKey) ?? []).filter { $0.hasSuffix(".\(day)") }
        defaults.set(Array(Set(kept + reminders.map(\.identifier))).sorted(), forKey: Self.deliveredKey)
    }
}
