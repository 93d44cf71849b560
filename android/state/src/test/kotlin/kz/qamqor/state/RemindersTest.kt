package kz.qamqor.state

import java.time.LocalDateTime
import java.time.ZoneId
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.Test

/** Reminders come from the core's nudges, follow the person's switches, and come once a day. */
class RemindersTest {
    private fun Reminders.due(): List<DueReminder> = runBlocking { (takeDue() as Outcome.Ok).value }

    @Test fun remindersFollowTheCoreAndTheSwitchesOncePerDay() = Phone().use { phone ->
        val zone = phone.fillProfile()
        val reminders = phone.reminders()
        assertEquals(listOf(DueReminder(ReminderKind.CHECK_IN), DueReminder(ReminderKind.QUESTIONNAIRE)), reminders.due())
        assertTrue(reminders.due().isEmpty(), "once a day")

        val settings = SettingsState(phone.settings, phone.scope)
        settings.refresh().await()
        assertTrue(settings.state.value.checkInReminder)
        settings.setCheckInReminder(false).await()
        assertFalse(settings.state.value.checkInReminder)
        runBlocking { phone.settings.update { it.copy(lastReminded = emptyMap()) } }
        assertEquals(listOf(DueReminder(ReminderKind.QUESTIONNAIRE)), reminders.due())

        // a very long day: eleven hours so far
        val now = LocalDateTime.now(ZoneId.of(zone))
        val today = phone.today()
        today.openSessionForm(now.minusHours(12), now.minusHours(1))
        today.saveSession().await()
        val long = reminders.due().single()
        assertEquals(ReminderKind.LONG_DAY, long.kind)
        assertEquals(660L, long.longDayMinutes)

        settings.setLongDayReminder(false).await()
        settings.setQuestionnaireReminder(false).await()
        runBlocking { phone.settings.update { it.copy(lastReminded = emptyMap()) } }
        assertTrue(reminders.due().isEmpty(), "all switched off")
    }
}
