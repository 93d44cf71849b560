package kz.qamqor.state

import java.time.LocalDate
import java.time.LocalDateTime
import java.time.LocalTime
import java.time.ZoneId
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kz.qamqor.core.FactorKind
import kz.qamqor.core.MissingData
import kz.qamqor.core.RiskSuggestion
import org.junit.Test

/** "My risk" and "History" show what the core computed, never a number of their own. */
class RiskAndHistoryStateTest {
    @Test fun notEnoughDataIsSaidPlainlyWithWhatWouldHelp() = Phone().use { phone ->
        val risk = phone.risk()
        risk.refresh().await()
        val s = risk.state.value
        assertFalse(s.loading)
        assertTrue(s.notEnoughData)
        assertNull(s.score)
        assertNull(s.level)
        assertTrue(s.factors.isEmpty())
        assertTrue(MissingData.CHECK_INS in s.missing)
        assertEquals(listOf(RiskSuggestion.KEEP_BREAKS, RiskSuggestion.TALK_TO_SOMEONE), s.suggestions)
        assertEquals(5, s.trend.size)
        assertTrue(s.trend.all { it.score == null })
    }

    @Test fun theLevelComesWithItsReasonsTheirValuesAndWhatToDo() = Phone().use { phone ->
        phone.fillProfile()
        val today = phone.today()
        today.refresh().await()
        today.editCheckIn { it.copy(fatigue = 9u, stress = 5u, sleepHours = 4.5) }
        today.submitCheckIn().await()
        val questionnaire = phone.questionnaire()
        questionnaire.refresh().await()
        questionnaire.state.value.items.indices.forEach { questionnaire.answer(it, 3u) }
        questionnaire.submit().await()

        val risk = phone.risk()
        risk.refresh().await()
        val s = risk.state.value
        assertNull(s.error)
        assertFalse(s.notEnoughData)
        val assessment = assertNotNull(s.assessment)
        assertEquals(assessment.level, s.level)
        assertEquals(9.0, s.factors.first { it.kind == FactorKind.FATIGUE }.value)
        assertEquals(4.5, s.factors.first { it.kind == FactorKind.SHORT_SLEEP }.value)
        // the screen shows the core's suggestions as they are, talking to someone last
        assertEquals(assessment.suggestions, s.suggestions)
        assertEquals(RiskSuggestion.TALK_TO_SOMEONE, s.suggestions.last())
        assertTrue(s.suggestions.size in 2..4)
        assertEquals(assessment.score, s.trend.last().score)
        assertEquals(assessment.score, s.history.single().score)
    }

    @Test fun chartsOfSevenDaysAndTwelveWeeks() = Phone().use { phone ->
        val zone = phone.fillProfile()
        val now = LocalDateTime.now(ZoneId.of(zone))
        val today = phone.today()
        today.refresh().await()
        today.openSessionForm(now.minusHours(4), now.minusHours(1))
        today.saveSession().await()
        val yesterday = LocalDate.parse(phone.core.today()).minusDays(1)
        today.openSessionForm(yesterday.atTime(LocalTime.of(20, 0)), yesterday.atTime(LocalTime.of(22, 0)))
        today.saveSession().await()
        today.editCheckIn { it.copy(fatigue = 6u) }
        today.submitCheckIn().await()
        assertNull(today.state.value.error)

        val history = phone.history()
        history.refresh().await()
        var s = history.state.value
        assertEquals(HistoryRange.LAST_7_DAYS, s.range)
        assertEquals(7, s.bars.size)
        assertEquals(phone.core.today(), s.bars.last().label)
        assertEquals(3.0, s.bars.last().value)
        assertEquals(2.0, s.bars[5].value)
        assertEquals(1, s.checkInCount)

        history.selectMetric(HistoryMetric.AFTER_HOURS)
        assertEquals(2.0, history.state.value.bars[5].value, "20:00-22:00 is after the working day")
        assertEquals(0.0, history.state.value.bars.last().value)
        history.selectMetric(HistoryMetric.WEEKEND)
        assertTrue(history.state.value.bars.all { it.value == 0.0 }, "every day is a working day in this schedule: nothing on days off")
        history.selectMetric(HistoryMetric.CHECK_INS)
        assertEquals(6.0, history.state.value.bars.last().value)
        assertNull(history.state.value.bars.first().value, "no check-in that day")

        history.selectRange(HistoryRange.LAST_12_WEEKS)
        history.selectMetric(HistoryMetric.HOURS)
        s = history.state.value
        assertEquals(12, s.bars.size)
        assertTrue(s.bars.all { Regex("\\d{4}-W\\d{2}").matches(it.label) })
        assertTrue(s.bars.sumOf { it.value ?: 0.0 } == 5.0, "3 h today and 2 h yesterday")
        assertEquals(1, s.checkInCount)
    }
}
