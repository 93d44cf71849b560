package kz.qamqor.state

import java.time.Instant
import java.time.LocalDateTime
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.CheckIn
import kz.qamqor.core.CheckInInput
import kz.qamqor.core.CheckInScales
import kz.qamqor.core.checkInScales
import kz.qamqor.core.DayStats
import kz.qamqor.core.Nudges
import kz.qamqor.core.QamqorCoreInterface
import kz.qamqor.core.TaskStatus
import kz.qamqor.core.WorkSession
import kz.qamqor.core.WorkTask

/** A session entered afterwards, as local wall-clock times in the person's time zone. */
data class SessionDraft(val start: LocalDateTime, val end: LocalDateTime, val note: String = "")

data class TodayUiState(
    val loading: Boolean = true,
    /** The person's local date, YYYY-MM-DD (the core's). */
    val date: String? = null,
    /** The profile's time zone, for showing and entering times. */
    val timeZone: String? = null,
    val checkIn: CheckIn? = null,
    /** The check-in being answered: today's answers when done, else a middle starting point. */
    val draft: CheckInInput = DEFAULT_CHECK_IN,
    /** The core's check-in scales, which the pickers offer (a field, so previews can pass their own). */
    val scales: CheckInScales = SCALES,
    val running: WorkSession? = null,
    val today: DayStats? = null,
    val sessions: List<WorkSession> = emptyList(),
    /** Open tasks: in progress first, then to do (each in the core's order). */
    val tasks: List<WorkTask> = emptyList(),
    val nudges: Nudges? = null,
    /** The "add a session afterwards" form, when open. */
    val sessionDraft: SessionDraft? = null,
    val busy: Boolean = false,
    val error: UiError? = null,
) {
    val checkedInToday: Boolean get() = checkIn != null

    companion object {
        /** The core's check-in scales: what it accepts, so what the screen offers. */
        val SCALES: CheckInScales by lazy { checkInScales() }

        /** Where the check-in's pickers start: the middle of each scale, so a few taps are enough. */
        val DEFAULT_CHECK_IN: CheckInInput by lazy {
            val s = SCALES
            fun middle(low: UByte, high: UByte): UByte = ((low.toInt() + high.toInt()) / 2).toUByte()
            CheckInInput(
                fatigue = middle(s.fatigueMin, s.fatigueMax),
                stress = middle(s.stressMin, s.stressMax),
                mood = middle(s.moodMin, s.moodMax),
                sleepHours = 7.0,
                note = null,
            )
        }
    }
}

/** The "today" screen: the daily check-in, the work timer, sessions entered afterwards, today's tasks. */
class TodayState(scope: CoroutineScope, access: CoreAccess) : StateHolder<TodayUiState>(TodayUiState(), scope, access) {

    private class Loaded(
        val date: String,
        val timeZone: String,
        val checkIn: CheckIn?,
        val running: WorkSession?,
        val today: DayStats,
        val sessions: List<WorkSession>,
        val tasks: List<WorkTask>,
        val nudges: Nudges,
    )

    override fun refresh(): Job = launch {
        val loaded = access.call { core ->
            val date = core.today()
            Loaded(
                date = date,
                timeZone = core.profile().schedule.timeZone,
                checkIn = core.todaysCheckIn(),
                running = core.runningSession(),
                today = core.dayStats(date, date).first(),
                sessions = core.sessions(date, date),
                tasks = core.tasks(TaskStatus.IN_PROGRESS) + core.tasks(TaskStatus.TODO),
                nudges = core.nudges(),
            )
        }
        when (loaded) {
            is Outcome.Ok -> with(loaded.value) {
                update {
                    it.copy(
                        loading = false,
                        date = date,
                        timeZone = timeZone,
                        checkIn = checkIn,
                        // a draft being answered is kept; a fresh screen starts from today's answers
                        draft = if (it.checkIn == null && checkIn != null) checkIn.toInput() else it.draft,
                        running = running,
                        today = today,
                        sessions = sessions,
                        tasks = tasks,
                        nudges = nudges,
                    )
                }
            }
            is Outcome.Failed -> update { it.copy(loading = false, error = loaded.error) }
        }
    }

    // ---- check-in ----

    /** Changes an answer of the check-in being filled in (`editCheckIn { it.copy(fatigue = 7u) }`). */
    fun editCheckIn(transform: (CheckInInput) -> CheckInInput) =
        update { it.copy(draft = transform(it.draft), error = it.error.takeUnless { e -> e?.field in CHECK_IN_FIELDS }) }

    /** Records today's check-in (a second one today replaces the first, which stays in history). */
    fun submitCheckIn(): Job = write { core -> core.recordCheckIn(current.draft.normalised()) }

    // ---- timer ----

    fun startTimer(note: String? = null): Job = write { it.startTimer(note?.ifBlank { null }) }

    /** Stops the timer now, or at [at] when the person forgot to stop it. */
    fun stopTimer(at: Instant? = null): Job = write { it.stopTimer(at) }

    // ---- a session entered afterwards ----

    /** Opens the form with [start]..[end] (the app passes the times its pickers start from). */
    fun openSessionForm(start: LocalDateTime, end: LocalDateTime) = update { it.copy(sessionDraft = SessionDraft(start, end), error = null) }

    fun editSession(transform: (SessionDraft) -> SessionDraft) = update { s -> s.copy(sessionDraft = s.sessionDraft?.let(transform), error = null) }

    fun closeSessionForm() = update { it.copy(sessionDraft = null) }

    /** Saves the session; the core checks the times (order, future, overlaps) and names the field it refuses. */
    fun saveSession(): Job = launch {
        val draft = current.sessionDraft ?: return@launch
        val saved = perform { core ->
            // the form holds wall-clock times; the core reads them in the person's time zone
            val start = core.localTimeToInstant("started_at", draft.start.toString())
            val end = core.localTimeToInstant("ended_at", draft.end.toString())
            core.addSession(start, end, draft.note.ifBlank { null })
        }
        if (saved) update { it.copy(sessionDraft = null) }
    }

    fun deleteSession(id: String): Job = write { it.deleteSession(id) }

    // ---- tasks ----

    fun setTaskStatus(id: String, status: TaskStatus): Job = write { it.setTaskStatus(id, status) }

    fun dismissError() = update { it.copy(error = null) }

    private fun write(block: (QamqorCoreInterface) -> Any?): Job = launch { perform(block) }

    /** Runs a write, shows its error or reloads the screen; true when it succeeded. */
    private suspend fun perform(block: (QamqorCoreInterface) -> Any?): Boolean {
        update { it.copy(busy = true, error = null) }
        val outcome = access.write(block)
        update { it.copy(busy = false, error = outcome.errorOrNull()) }
        if (outcome is Outcome.Ok) refresh().join()
        return outcome is Outcome.Ok
    }

    private companion object {
        val CHECK_IN_FIELDS = setOf("fatigue", "stress", "mood", "sleep_hours", "note")
    }
}

private fun CheckIn.toInput() = CheckInInput(fatigue, stress, mood, sleepHours, note)

/** A blank note is no note. */
private fun CheckInInput.normalised() = copy(note = note?.ifBlank { null })
