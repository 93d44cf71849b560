import Foundation
import QamqorCore
@testable import QamqorModels
import XCTest

/// The app speaks Kazakh, Russian and English: every text exists in all three, with the same
/// placeholders, and every key the models and views ask for is there.
final class LocalizationTests: XCTestCase {
    static let languages = ["en", "kk", "ru"]

    /// Reads a Localizable.strings file ("key" = "value"; with /* */ and // comments).
    static func table(_ language: String) throws -> [String: String] {
        let url = appResources.appendingPathComponent("\(language).lproj/Localizable.strings")
        let text = try String(contentsOf: url, encoding: .utf8)
        var result: [String: String] = [:]
        var i = text.startIndex
        func skipSpaceAndComments() {
            while i < text.endIndex {
                if text[i].isWhitespace {
                    i = text.index(after: i)
                } else if text[i...].hasPrefix("/*"), let end = text[i...].range(of: "*/") {
                    i = end.upperBound
                } else if text[i...].hasPrefix("//") {
                    i = text[i...].firstIndex(of: "\n") ?? text.endIndex
                } else {
                    return
                }
            }
        }
        func quoted() throws -> String {
            guard i < text.endIndex, text[i] == "\"" else { throw TestError.server("\(language): expected a quote at \(text.distance(from: text.startIndex, to: i))") }
            i = text.index(after: i)
            var s = ""
            while i < text.endIndex, text[i] != "\"" {
                if text[i] == "\\" {
                    i = text.index(after: i)
                    switch text[i] {
                    case "n": s.append("\n")
                    case "t": s.append("\t")
                    default: s.append(text[i])
                    }
                } else {
                    s.append(text[i])
                }
                i = text.index(after: i)
            }
            i = text.index(after: i)
            return s
        }
        func expect(_ c: Character) throws {
            skipSpaceAndComments()
            guard i < text.endIndex, text[i] == c else { throw TestError.server("\(language): expected '\(c)'") }
            i = text.index(after: i)
        }
        skipSpaceAndComments()
        while i < text.endIndex {
            let key = try quoted()
            try expect("=")
            skipSpaceAndComments()
            let value = try quoted()
            try expect(";")
            XCTAssertNil(result[key], "\(language): \(key) appears twice")
            result[key] = value
            skipSpaceAndComments()
        }
        return result
    }

    /// The argument positions a text uses: `%@` counts in order, `%2$@` is position 2.
    static func placeholders(_ s: String) -> [Int] {
        var positions: [Int] = []
        var next = 1
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "%" {
                let rest = s[s.index(after: i)...]
                if rest.hasPrefix("%") { i = s.index(i, offsetBy: 2); continue }
                if rest.hasPrefix("@") { positions.append(next); next += 1; i = s.index(i, offsetBy: 2); continue }
                if let d = rest.first?.wholeNumberValue, rest.dropFirst().hasPrefix("$@") { positions.append(d); i = s.index(i, offsetBy: 4); continue }
            }
            i = s.index(after: i)
        }
        return positions.sorted()
    }

    func testEveryTextExistsInKazakhRussianAndEnglishWithTheSamePlaceholders() throws {
        let tables = try Dictionary(uniqueKeysWithValues: Self.languages.map { ($0, try Self.table($0)) })
        let english = try XCTUnwrap(tables["en"])
        XCTAssertGreaterThan(english.count, 300)
        for language in ["kk", "ru"] {
            let table = try XCTUnwrap(tables[language])
            XCTAssertEqual(Set(table.keys).subtracting(english.keys).sorted(), [], "\(language) has keys English lacks")
            XCTAssertEqual(Set(english.keys).subtracting(table.keys).sorted(), [], "\(language) lacks keys")
            for (key, text) in table {
                XCTAssertEqual(Self.placeholders(text), Self.placeholders(english[key] ?? ""), "\(language): \(key)")
                XCTAssertFalse(text.isEmpty, "\(language): \(key) is empty")
            }
        }
        // Not English left untranslated by mistake (names and numbers may be the same).
        let same = Set(["app.name", "risk.score", "factor.value.percent", "language.kk", "language.ru", "language.en", "field.email",
                        "tab.profile", "field.profile", "today.checkin.stress", "field.stress", "factor.stress.title"])
        for (key, text) in try XCTUnwrap(tables["kk"]) where !same.contains(key) {
            XCTAssertNotEqual(text, english[key], "kk: \(key) looks untranslated")
        }
    }

    func testEveryKeyTheModelsAndViewsAskForIsThere() throws {
        let english = try Self.table("en")
        var wanted: Set<String> = []
        // Keys built from the core's enums (the switches in Keys.swift are exhaustive).
        wanted.formUnion(InvalidReason.all.map { "error.invalid.\($0.key)" })
        wanted.formUnion(ConflictKind.all.map { "error.conflict.\($0.key)" })
        wanted.formUnion(SyncErrorKind.all.map { kind in let m = SyncFailure(kind: kind, code: "").message; return m.fallback ?? m.key })
        wanted.formUnion(DataKind.all.map { "data_kind.\($0.key)" })
        wanted.formUnion(FactorKind.all.flatMap { ["factor.\($0.key).title", "factor.\($0.key).explain"] })
        wanted.formUnion(MissingData.all.map { "missing.\($0.key)" })
        wanted.formUnion(RiskLevel.all.flatMap { ["risk.level.\($0.key)", "risk.level.\($0.key).explain"] })
        wanted.formUnion(TrendDirection.all.map { "trend.\($0.key)" })
        wanted.formUnion(TaskStatus.all.map { "task.status.\($0.key)" })
        wanted.formUnion(Weekday.all.map { "weekday.\($0.key)" })
        wanted.formUnion(RiskSuggestion.all.map { "suggestion.\($0.key)" })
        wanted.formUnion(AchievementStatus.all.map { "achievement.status.\($0.key)" })
        wanted.formUnion(RatingMethod.all.flatMap { ["rating.method.\($0.key)", "rating.method.\($0.key).explain"] })
        wanted.formUnion(RatingModel.Period.allCases.map { "rating.period.\($0.rawValue)" })
        wanted.formUnion(CompetencyModel.scale.map { "competency.scale.\($0)" })
        wanted.formUnion(LanguageChoice.allCases.map { "language.\($0.rawValue)" })
        wanted.formUnion(TasksModel.Filter.allCases.map { "tasks.filter.\($0.rawValue)" })
        wanted.formUnion(PrivacyCentreModel.ExportFormat.allCases.flatMap { ["centre.export.\($0.rawValue)", "centre.export.share.\($0.rawValue)"] })
        for kind in [Reminder.Kind.checkIn, .longDay] {
            let r = Reminder(kind: kind, day: "2026-01-01")
            wanted.formUnion([r.titleKey, r.bodyKey])
        }
        // The fields the core and the server name in their errors.
        wanted.formUnion(["server_url", "code", "name", "email", "password", "title", "notes", "note", "due_date", "estimate_minutes",
                          "assigned_by", "fatigue", "stress", "mood", "sleep_hours", "started_at", "ended_at", "photo",
                          "qualification_level", "department", "position", "time_zone", "working_days", "start_minute",
                          "end_minute", "answers", "from", "to", "week", "unknown", "type_id", "description", "achieved_on", "evidence",
                          "skill_id", "score"].map { "field.\($0)" })
        // Every literal key in the views and models.
        let prefixes = "app|tab|common|sync|error|server|field|onboarding|privacy|data_kind|today|risk|factor|suggestion|history|tasks|task|questionnaire|feedback|profile|language|weekday|centre|reminder|unit|trend|missing|achievements|achievement|rating|competency|growth"
        let pattern = try NSRegularExpression(pattern: "\"((?:\(prefixes))\\.[a-z0-9_.]+)\"")
        var scanned = 0
        for folder in ["App", "QamqorKit/Sources/QamqorModels"] {
            let root = iosDirectory.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            for file in files where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    if let r = Range(m.range(at: 1), in: text) { wanted.insert(String(text[r])) }
                }
                scanned += 1
            }
        }
        XCTAssertGreaterThan(scanned, 15, "the views were found")
        XCTAssertEqual(wanted.subtracting(english.keys).sorted(), [], "keys asked for but missing in Localizable.strings")
    }

    /// The default catalogue's categories (the core marks them with a `defaultKey` while they keep
    /// their default name) are shown in the person's language; any other name as written.
    @MainActor
    func testTheDefaultAchievementTypesAreTranslated() async throws {
        let phone = makePhone()
        let screens = try await phone.start()
        await screens.achievements.load()
        let catalogue = try XCTUnwrap(screens.achievements.catalogue, "a fresh core has the default catalogue")
        let keys = catalogue.types.compactMap(\.defaultKey)
        XCTAssertEqual(keys.count, catalogue.types.count, "every type of the default catalogue has a key")
        let tables = try Dictionary(uniqueKeysWithValues: Self.languages.map { ($0, try Self.table($0)) })
        for key in keys {
            let stringsKey = Localizer.typeKey(key)
            for language in Self.languages {
                XCTAssertNotNil(tables[language]?[stringsKey], "\(language) lacks \(stringsKey)")
            }
            XCTAssertNotEqual(tables["kk"]?[stringsKey], tables["en"]?[stringsKey], "kk: \(stringsKey) looks untranslated")
            XCTAssertNotEqual(tables["ru"]?[stringsKey], tables["en"]?[stringsKey], "ru: \(stringsKey) looks untranslated")
        }
        let bundle = try XCTUnwrap(Bundle(path: appResources.path))
        let article = try XCTUnwrap(catalogue.types.first { $0.id == "research.article" })
        XCTAssertEqual(Localizer(language: .kk, bundle: bundle).typeName(article.name, defaultKey: article.defaultKey), "Рецензияланатын журналдағы мақала")
        XCTAssertEqual(Localizer(language: .kk, bundle: bundle).typeName("Өз түріміз", defaultKey: nil), "Өз түріміз", "the organisation's own words as written")
    }

    @MainActor
    func testTheDefaultAchievementCategoriesAreTranslated() async throws {
        let phone = makePhone()
        let screens = try await phone.start()
        await screens.achievements.load()
        let catalogue = try XCTUnwrap(screens.achievements.catalogue, "a fresh core has the default catalogue")
        let keys = catalogue.categories.compactMap(\.defaultKey)
        XCTAssertEqual(keys.count, catalogue.categories.count, "every category of the default catalogue has a key")
        XCTAssertEqual(Set(keys), ["research", "professional", "methodical", "social", "organisational"])

        let tables = try Dictionary(uniqueKeysWithValues: Self.languages.map { ($0, try Self.table($0)) })
        for key in keys {
            let stringsKey = Localizer.categoryKey(key)
            XCTAssertEqual(stringsKey, "achievement.category.\(key)")
            for language in Self.languages {
                XCTAssertNotNil(tables[language]?[stringsKey], "\(language) lacks \(stringsKey)")
            }
            XCTAssertNotEqual(tables["kk"]?[stringsKey], tables["en"]?[stringsKey], "kk: \(stringsKey) looks untranslated")
            XCTAssertNotEqual(tables["ru"]?[stringsKey], tables["en"]?[stringsKey], "ru: \(stringsKey) looks untranslated")
        }

        let bundle = try XCTUnwrap(Bundle(path: appResources.path))
        let kk = Localizer(language: .kk, bundle: bundle)
        let ru = Localizer(language: .ru, bundle: bundle)
        let en = Localizer(language: .en, bundle: bundle)
        let research = try XCTUnwrap(catalogue.categories.first { $0.defaultKey == "research" })
        XCTAssertEqual(kk.categoryName(research.name, defaultKey: research.defaultKey), "Ғылыми")
        XCTAssertEqual(ru.categoryName(research.name, defaultKey: research.defaultKey), "Научная")
        XCTAssertEqual(en.categoryName(research.name, defaultKey: research.defaultKey), "Research")
        XCTAssertEqual(kk.categoryName("Волонтёрство", defaultKey: nil), "Волонтёрство", "a category the organisation named")
    }

    func testTextsAreLookedUpInTheChosenLanguageWithFieldsAndNumbersInWords() throws {
        let bundle = try XCTUnwrap(Bundle(path: appResources.path))
        let kk = Localizer(language: .kk, bundle: bundle)
        let ru = Localizer(language: .ru, bundle: bundle)
        let en = Localizer(language: .en, bundle: bundle)
        XCTAssertEqual(kk["tab.today"], "Бүгін")
        XCTAssertEqual(ru["tab.today"], "Сегодня")
        XCTAssertEqual(en["tab.today"], "Today")

        let empty = ModelError.invalidInput(field: "title", reason: .empty, detail: "the title is empty").message
        XCTAssertEqual(en.message(empty), "Title: please fill this in.")
        XCTAssertEqual(ru.message(empty), "Название: заполните это поле.")
        XCTAssertEqual(kk.message(empty), "Атауы: осы өрісті толтырыңыз.")
        // Indexed and nested fields, and fields nobody named.
        XCTAssertEqual(en.fieldName("answers[3]"), "Answers")
        XCTAssertEqual(en.fieldName("schedule.time_zone"), "Time zone")
        XCTAssertEqual(en.fieldName("changes[0].payload.level"), "This field")
        // A server code this version does not know: the generic sentence.
        let unknown = SyncFailure(kind: .server, code: "brand_new_code", httpStatus: 400).message
        XCTAssertEqual(en.message(unknown), en["error.sync.server"])
        XCTAssertEqual(kk.message(LocalizedMessage("server.invitation_used", fallback: "error.sync.server")), kk["server.invitation_used"])

        // The achievement form's and the skill score's fields, named in words.
        let future = ModelError.invalidInput(field: "achieved_on", reason: .inFuture, detail: "").message
        XCTAssertEqual(en.message(future), "Date cannot be in the future.")
        XCTAssertEqual(kk.message(future), "Күні: болашақта бола алмайды.")
        XCTAssertEqual(ru.message(ModelError.invalidInput(field: "score", reason: .outOfRange, detail: "").message),
                       "Оценка: значение вне допустимого диапазона.")
        XCTAssertEqual(kk["achievement.status.rejected"], "Қабылданбады")
        XCTAssertEqual(en.format("competency.manager_score", "3", en["competency.scale.3"], "Ержан"), "Manager's score: 3 · Strong (Ержан)")

        XCTAssertEqual(en.hours(minutes: 450), "7.5 h")
        XCTAssertEqual(ru.hours(minutes: 450), "7,5 ч")
        XCTAssertEqual(kk.hours(minutes: 450), "7,5 сағ")
        XCTAssertEqual(en.format("questionnaire.item", "3", "19"), "Question 3 of 19")
        XCTAssertEqual(Localizer.substitute("%2$@ / %1$@ %% %@", ["a", "b"]), "b / a % a")
    }
}
