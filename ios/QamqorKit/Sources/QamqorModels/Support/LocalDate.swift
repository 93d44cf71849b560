import Foundation

/// The core's local dates are ISO strings (YYYY-MM-DD, in the person's time zone). These helpers
/// turn them into `Date`s for charts and pickers and back, without any time-zone arithmetic of
/// their own: a local date is read and written as a calendar day, nothing more.
public enum LocalDate {
    /// UTC, the zone the `Date`s of `date(_:)` are midnights in (for axis and list labels).
    public static let utc = TimeZone(secondsFromGMT: 0) ?? .current

    private static func formatter(_ timeZone: TimeZone) -> DateFormatter {
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian)
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = "yyyy-MM-dd"
        return f
    }

    /// The calendar day of `iso` as midnight UTC (format it with a UTC formatter), or nil if it is
    /// not a date.
    public static func date(_ iso: String) -> Date? {
        formatter(utc).date(from: iso)
    }

    /// The ISO date of the day `date` falls on in `timeZone` (a date picker's value: the phone's zone).
    public static func iso(_ date: Date, in timeZone: TimeZone = .current) -> String {
        formatter(timeZone).string(from: date)
    }

    /// The wall-clock time a picker shows for `date` in `timeZone`, as `YYYY-MM-DDTHH:MM` (the
    /// core reads it in the person's own time zone: `localTimeToInstant`).
    public static func wallClock(_ date: Date, in timeZone: TimeZone = .current) -> String {
        let f = formatter(timeZone)
        f.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return f.string(from: date)
    }

    /// Midnight of the ISO date in `timeZone` (to put a stored due date back into a date picker).
    public static func pickerDate(_ iso: String, in timeZone: TimeZone = .current) -> Date? {
        formatter(timeZone).date(from: iso)
    }
}
