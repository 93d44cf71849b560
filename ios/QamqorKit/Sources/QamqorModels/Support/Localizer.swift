import Foundation
import QamqorCore

/// Looks texts up in the app's Localizable.strings for one language (the in-app choice, which may
/// differ from the phone's), and formats numbers the way that language writes them.
///
/// Keys missing in the language fall back to English, then to the message's fallback key, so a
/// server code this version does not know still shows a sensible sentence.
public struct Localizer {
    public let language: Language
    /// For dates and numbers: Kazakh, Russian or English as written in Kazakhstan.
    public let locale: Locale
    private let table: Bundle?
    private let english: Bundle?

    /// `bundle` holds `<code>.lproj/Localizable.strings` (the app's main bundle).
    public init(language: Language, bundle: Bundle = .main) {
        self.language = language
        self.locale = Locale(identifier: language.localeIdentifier)
        func lproj(_ code: String) -> Bundle? {
            bundle.path(forResource: code, ofType: "lproj").flatMap(Bundle.init(path:))
        }
        self.table = lproj(language.code)
        self.english = language == .en ? table : lproj(Language.en.code)
    }

    private static let missing = "\u{1}missing\u{1}"

    /// The text of `key`, or nil if neither this language nor English has it.
    public func lookup(_ key: String) -> String? {
        for bundle in [table, english].compactMap({ $0 }) {
            let s = bundle.localizedString(forKey: key, value: Self.missing, table: nil)
            if s != Self.missing { return s }
        }
        return nil
    }

    /// The text of `key` (the key itself if it has no translation, so a gap is visible).
    public subscript(_ key: String) -> String {
        lookup(key) ?? key
    }

    /// The text of `key` with `%@` / `%1$@` replaced by `arguments`.
    public func format(_ key: String, _ arguments: String...) -> String {
        Localizer.substitute(self[key], arguments)
    }

    /// A message from a model, its arguments resolved.
    public func message(_ m: LocalizedMessage) -> String {
        let template = lookup(m.key) ?? m.fallback.flatMap(lookup) ?? m.key
        let args = m.arguments.map { arg -> String in
            switch arg {
            case let .field(name): return fieldName(name)
            case let .text(text): return text
            }
        }
        return Localizer.substitute(template, args)
    }

    /// A category of achievements in words: the app's translation ("achievement.category.<key>")
    /// while the core gives the category a `defaultKey` (the default catalogue's, unrenamed),
    /// else `name` as the organisation wrote it.
    public func categoryName(_ name: String, defaultKey: String?) -> String {
        defaultKey.flatMap { lookup(Localizer.categoryKey($0)) } ?? name
    }

    /// The Localizable.strings key of a default category (the core's `defaultKey`).
    public static func categoryKey(_ defaultKey: String) -> String {
        "achievement.category.\(defaultKey)"
    }

    /// An achievement type's name: the translation while the core gives a `defaultKey` (the
    /// default catalogue's type, unrenamed), else the name as the organisation wrote it.
    public func typeName(_ name: String, defaultKey: String?) -> String {
        defaultKey.flatMap { lookup(Localizer.typeKey($0)) } ?? name
    }

    /// The Localizable.strings key of a default achievement type (the core's `defaultKey`).
    public static func typeKey(_ defaultKey: String) -> String {
        "achievement.type.\(defaultKey)"
    }

    /// A field name from the core or the server, in words: `title`, `schedule.time_zone`,
    /// `answers[3]` (as "answers"), else "this field".
    public func fieldName(_ field: String) -> String {
        let withoutIndexes = field.replacingOccurrences(of: #"\[[0-9]+\]"#, with: "", options: .regularExpression)
        let candidates = [field, withoutIndexes, withoutIndexes.split(separator: ".").last.map(String.init) ?? withoutIndexes]
        for c in candidates {
            if let s = lookup("field.\(c)") { return s }
        }
        return self["field.unknown"]
    }

    /// `value` with the language's decimal separator.
    public func number(_ value: Double, fractionDigits: Int = 1) -> String {
        let f = NumberFormatter()
        f.locale = locale
        f.numberStyle = .decimal
        f.minimumFractionDigits = 0
        f.maximumFractionDigits = fractionDigits
        return f.string(from: NSNumber(value: value)) ?? String(value)
    }

    /// Minutes as hours ("7.5 h" / "7,5 сағ").
    public func hours(minutes: Int64) -> String {
        format("unit.hours", number(Double(minutes) / 60, fractionDigits: 1))
    }

    /// Replaces `%@` (in order) and `%n$@` (by position) with `arguments`; `%%` is a percent sign.
    static func substitute(_ template: String, _ arguments: [String]) -> String {
        var out = ""
        var next = 0
        var i = template.startIndex
        while i < template.endIndex {
            let c = template[i]
            guard c == "%" else {
                out.append(c)
                i = template.index(after: i)
                continue
            }
            let rest = template[template.index(after: i)...]
            if rest.hasPrefix("%") {
                out.append("%")
                i = template.index(i, offsetBy: 2)
            } else if rest.hasPrefix("@") {
                out += next < arguments.count ? arguments[next] : ""
                next += 1
                i = template.index(i, offsetBy: 2)
            } else if let digit = rest.first, let n = digit.wholeNumberValue, n >= 1, rest.dropFirst().hasPrefix("$@") {
                out += n - 1 < arguments.count ? arguments[n - 1] : ""
                i = template.index(i, offsetBy: 4)
            } else {
                out.append(c)
                i = template.index(after: i)
            }
        }
        return out
    }
}

extension Language {
    /// The locale its dates and numbers are written in, as used in Kazakhstan.
    public var localeIdentifier: String {
        switch self {
        case .kk: return "kk_KZ"
        case .ru: return "ru_KZ"
        case .en: return "en_GB"
        }
    }
}
