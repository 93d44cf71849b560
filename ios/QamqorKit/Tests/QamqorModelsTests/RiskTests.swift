import Foundation
import QamqorCore
import QamqorModels
import XCTest

/// The "my risk" screen: honest without data, explained with it.
final class RiskTests: XCTestCase {
    @MainActor
    func testRiskSaysNotEnoughDataThenExplainsTheScoreWithItsFactors() async throws {
        let phone = makePhone()
        let screens = try await phone.start()
        try phone.onboarding.useWithoutAccount()
        _ = try await screens.runner.local { try $0.updateProfile(input: everyDayProfile()) }

        let risk = screens.risk
        await risk.load()
        var screen = try XCTUnwrap(risk.screen)
        XCTAssertTrue(screen.notEnoughData)
        XCTAssertNil(screen.scorePercent)
        XCTAssertNil(screen.assessment.level)
        XCTAssertTrue(screen.missing.contains(.checkIns))
        XCTAssertTrue(screen.missing.contains(.questionnaire))
        XCTAssertEqual(screen.factors, [], "no made-up factors without data")
        XCTAssertEqual(screen.suggestions, [.keepBreaks, .talkToSomeone], "the core's general idea, and someone to talk to")
        XCTAssertEqual(screen.trend.count, 5, "four earlier weeks and now")
        XCTAssertTrue(screen.trend.allSatisfy { $0.score == nil })

        // A hard week: an exhausted check-in and the questionnaire, through their screens.
        await screens.today.load()
        screens.today.checkIn = {
            var d = CheckInDraft()
            d.fatigue = 9
            d.stress = 5
            d.mood = 1
            d.sleepHours = 4.5
            return d
        }()
        let checkedIn = await screens.today.submitCheckIn()
        XCTAssertTrue(checkedIn)
        let questionnaire = screens.questionnaire
        await questionnaire.load(language: .en)
        XCTAssertEqual(questionnaire.content?.isDue, true, "never answered")
        questionnaire.noClientWork = true
        for item in questionnaire.visibleItems {
            questionnaire.setAnswer(item.reverseScored ? 0 : 4, for: item)
        }
        XCTAssertTrue(questionnaire.isComplete)
        let answered = await questionnaire.submit()
        XCTAssertTrue(answered)

        await risk.load()
        screen = try XCTUnwrap(risk.screen)
        XCTAssertFalse(screen.notEnoughData)
        let percent = try XCTUnwrap(screen.scorePercent)
        XCTAssertTrue((0...100).contains(percent))
        XCTAssertEqual(screen.assessment.level, .high)
        let top = try XCTUnwrap(screen.factors.first)
        XCTAssertEqual(top.kind, .fatigue, "largest contribution first")
        XCTAssertTrue(top.raisesRisk)
        XCTAssertEqual(top.value, 9)
        XCTAssertTrue(screen.factors.contains { $0.kind == .burnoutQuestionnaire && $0.source == .literature })
        XCTAssertEqual(screen.suggestions, screen.assessment.suggestions, "the core's list, as it is")
        XCTAssertTrue(screen.suggestions.contains(.rest), "fatigue 9 brings rest")
        XCTAssertEqual(screen.suggestions.last, .talkToSomeone)
        XCTAssertEqual(screen.trend.last?.isNow, true)
        XCTAssertEqual(screen.trend.last?.score, screen.assessment.score)

        // The factors in plain words, with their values, in each language.
        let en = Localizer(language: .en, bundle: try XCTUnwrap(Bundle(path: appResources.path)))
        XCTAssertEqual(en[top.titleKey], "Fatigue")
        XCTAssertEqual(top.valueText(en), "9 of 10")
        let sleep = try XCTUnwrap(screen.factors.first { $0.kind == .shortSleep })
        XCTAssertEqual(sleep.valueText(en), "4.5 h a night")
        let ru = Localizer(language: .ru, bundle: try XCTUnwrap(Bundle(path: appResources.path)))
        XCTAssertEqual(sleep.valueText(ru), "4,5 ч за ночь")
        let kk = Localizer(language: .kk, bundle: try XCTUnwrap(Bundle(path: appResources.path)))
        XCTAssertEqual(kk[top.titleKey], "Шаршау")
    }
}
