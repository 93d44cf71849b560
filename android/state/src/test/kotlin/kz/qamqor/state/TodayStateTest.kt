package kz.qamqor.state

import java.time.LocalDateTime
import java.time.ZoneId
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kz.qamqor.core.TaskStatus
import org.junit.Test

/** The "today" screen's state on a phone without an account: everything works offline. */
class TodayStateTest {
    @Test fun aQuickCheckInAndARefusedAnswerShownOnItsField() = Phone().use { phone ->
        phone.fillProfile()
        val today = phone.today()
        today.refresh().await()
        today.state.value.let {
            assertFalse(it.loading)
            assertEquals(phone.core.today(), it.date)
            assertNull(it.checkIn)
            assertEquals(true, it.nudges?.checkInDue)
        }

        today.editCheckIn { it.copy(fatigue = 11u) }
        today.submitCheckIn().await()
        val refused = assertNotNull(today.state.value.error)
        assertEquals(ErrorKey.INVALID_OUT_OF_RANGE, refused.key)
        assertEquals("fatigue", refused.field)
        assertNull(phone.core.todaysCheckIn(), "nothing was recorded")
        today.editCheckIn { it.copy(fatigue = 6u) }
        assertNull(today.state.value.error, "changing the answer clears its error")

        today.submitCheckIn().await()
        assertNull(today.state.value.error)
        assertTrue(today.state.value.checkedInToday)
        assertEquals(6, today.state.value.checkIn?.fatigue?.toInt())
        assertEquals(false, today.state.value.nudges?.checkInDue)

        today.editCheckIn { it.copy(sleepHours = 30.0) }
        today.submitCheckIn().await()
        assertEquals("sleep_hours", today.state.value.error?.field)
        assertEquals(6, phone.core.todaysCheckIn()?.fatigue?.toInt(), "the refused one replaced nothing")

        // The pickers offer the core's scales: the top of each is accepted, one past it refused.
        val scales = today.state.value.scales
        assertEquals(TodayUiState.SCALES, scales)
        val start = TodayUiState.DEFAULT_CHECK_IN
        assertTrue(start.fatigue in scales.fatigueMin..scales.fatigueMax && start.mood in scales.moodMin..scales.moodMax)
        today.editCheckIn { it.copy(fatigue = scales.fatigueMax, stress = scales.stressMax, mood = scales.moodMax, sleepHours = scales.sleepHoursMax) }
        today.submitCheckIn().await()
        assertNull(today.state.value.error)
        assertEquals(scales.moodMax, phone.core.todaysCheckIn()?.mood)
        today.editCheckIn { it.copy(stress = (scales.stressMax + 1u).toUByte()) }
        today.submitCheckIn().await()
        assertEquals("stress", today.state.value.error?.field)
    }

    @Test fun timerConflictsAreShownNotThrown() = Phone().use { phone ->
        val today = phone.today()
        today.refresh().await()
        today.stopTimer().await()
        assertEquals(ErrorKey.CONFLICT_NO_RUNNING_TIMER, today.state.value.error?.key)

        today.startTimer("focus").await()
        assertNull(today.state.value.error)
        val running = assertNotNull(today.state.value.running)
        assertEquals("focus", running.note)
        today.startTimer().await()
        assertEquals(ErrorKey.CONFLICT_TIMER_ALREADY_RUNNING, today.state.value.error?.key)
        assertEquals(running.id, today.state.value.running?.id)

        today.stopTimer(at = running.startedAt.minusSeconds(60)).await()
        assertEquals(ErrorKey.INVALID_END_BEFORE_START, today.state.value.error?.key)
        today.stopTimer(at = running.startedAt.plusSeconds(1)).await()
        assertNull(today.state.value.error)
        assertNull(today.state.value.running)
        assertEquals(listOf(running.id), today.state.value.sessions.map { it.id })
    }

    @Test fun aSessionEnteredAfterwardsNamesWhatTheCoreRefuses() = Phone().use { phone ->
        val zone = phone.fillProfile()
        val today = phone.today()
        today.refresh().await()
        assertEquals(zone, today.state.value.timeZone)
        val now = LocalDateTime.now(ZoneId.of(zone))

        today.openSessionForm(now.minusHours(1), now.minusHours(2))
        today.saveSession().await()
        assertEquals(ErrorKey.INVALID_END_BEFORE_START, today.state.value.error?.key)
        assertNotNull(today.state.value.sessionDraft, "the form stays open")

        today.editSession { it.copy(start = now.minusHours(3), end = now.plusHours(2)) }
        today.saveSession().await()
        assertEquals(ErrorKey.INVALID_IN_FUTURE, today.state.value.error?.key)
        assertEquals("ended_at", today.state.value.error?.field)

        today.editSession { SessionDraft(now.minusHours(3), now.minusHours(1), note = " ") }
        today.saveSession().await()
        assertNull(today.state.value.error)
        assertNull(today.state.value.sessionDraft)
        val session = today.state.value.sessions.single()
        assertEquals(120L, session.minutes)
        // the form's wall-clock times are read by the core in the profile's zone, not the phone's
        val expectedStart = now.minusHours(3).atZone(ZoneId.of(zone)).toInstant()
        assertTrue(Math.abs(session.startedAt.toEpochMilli() - expectedStart.toEpochMilli()) < 1000, "${session.startedAt} vs $expectedStart")
        assertNull(session.note, "a blank note is no note")
        assertEquals(120L, today.state.value.today?.workedMinutes)

        today.openSessionForm(now.minusHours(2), now.minusMinutes(30))
        today.saveSession().await()
        assertEquals(ErrorKey.CONFLICT_SESSION_OVERLAP, today.state.value.error?.key)
        today.closeSessionForm()
        assertNull(today.state.value.sessionDraft)

        today.deleteSession(session.id).await()
        assertTrue(today.state.value.sessions.isEmpty())
        today.deleteSession(session.id).await()
        assertEquals(ErrorKey.NOT_FOUND, today.state.value.error?.key)
        today.dismissError()
        assertNull(today.state.value.error)
    }

    @Test fun todaysTasksAreTheOpenOnesInProgressFirst() = Phone().use { phone ->
        val tasks = phone.tasks()
        for (title in listOf("Write the report", "Call the client")) {
            tasks.newTask()
            tasks.editDraft { it.copy(title = title) }
            tasks.save().await()
        }
        val ids = tasks.state.value.tasks.associate { it.title to it.id }
        val today = phone.today()
        today.refresh().await()
        assertEquals(2, today.state.value.tasks.size)
        today.setTaskStatus(ids.getValue("Call the client"), TaskStatus.IN_PROGRESS).await()
        assertEquals("Call the client", today.state.value.tasks.first().title)
        today.setTaskStatus(ids.getValue("Write the report"), TaskStatus.DONE).await()
        assertEquals(listOf("Call the client"), today.state.value.tasks.map { it.title })
    }
}
