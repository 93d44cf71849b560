package kz.qamqor.state

import kotlinx.coroutines.flow.first

/** The gentle reminders the phone may show. */
enum class ReminderKind { CHECK_IN, LONG_DAY, QUESTIONNAIRE }

/** A reminder to show now; [longDayMinutes] is today's work so far for [ReminderKind.LONG_DAY]. */
data class DueReminder(val kind: ReminderKind, val longDayMinutes: Long? = null)

/**
 * Which reminders to show now: the core says what is due (`nudges()`), the person's switches
 * say which they want, and each is shown at most once per local day (the core's `today()`).
 * Called by the app's periodic reminder work.
 */
class Reminders(private val access: CoreAccess, private val store: SettingsStore) {
    /** The reminders to show now, each marked as shown today. */
    suspend fun takeDue(): Outcome<List<DueReminder>> {
        val settings = store.settings.first()
        val outcome = access.call { it.nudges() to it.today() }
        val (nudges, today) = when (outcome) {
            is Outcome.Failed -> return outcome
            is Outcome.Ok -> outcome.value
        }
        val wanted = buildList {
            if (nudges.checkInDue && settings.checkInReminder) add(DueReminder(ReminderKind.CHECK_IN))
            nudges.longDayMinutes?.let { if (settings.longDayReminder) add(DueReminder(ReminderKind.LONG_DAY, it)) }
            if (nudges.questionnaireDue && settings.questionnaireReminder) add(DueReminder(ReminderKind.QUESTIONNAIRE))
        }
        val due = wanted.filter { settings.lastReminded[it.kind] != today }
        if (due.isNotEmpty()) {
            store.update { s -> s.copy(lastReminded = s.lastReminded + due.map { it.kind to today }) }
        }
        return Outcome.Ok(due)
    }
}
