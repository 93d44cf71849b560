package kz.qamqor.app.ui.today

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Delete
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Slider
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import java.time.Duration
import java.time.Instant
import java.time.LocalDateTime
import java.time.ZoneId
import kotlin.math.roundToInt
import kotlinx.coroutines.delay
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.DateTimeField
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.Loading
import kz.qamqor.app.ui.common.Section
import kz.qamqor.app.ui.common.date
import kz.qamqor.app.ui.common.duration
import kz.qamqor.app.ui.common.fieldError
import kz.qamqor.app.ui.common.supportingText
import kz.qamqor.app.ui.common.label
import kz.qamqor.app.ui.common.number
import kz.qamqor.app.ui.common.time
import kz.qamqor.app.ui.rememberHolder
import kz.qamqor.core.CheckInInput
import kz.qamqor.core.TaskStatus
import kz.qamqor.core.WorkSession
import kz.qamqor.state.SessionDraft
import kz.qamqor.state.TodayState
import kz.qamqor.state.TodayUiState

@Composable
fun TodayRoute(onOpenQuestionnaire: () -> Unit) {
    val holder = rememberHolder { scope, graph -> TodayState(scope, graph.access) }
    val state by holder.state.collectAsStateWithLifecycle()
    TodayScreen(
        state,
        TodayIntents(
            editCheckIn = holder::editCheckIn,
            submitCheckIn = { holder.submitCheckIn() },
            startTimer = { holder.startTimer() },
            stopTimer = { holder.stopTimer() },
            openSessionForm = { zone ->
                val now = LocalDateTime.now(zone)
                holder.openSessionForm(now.minusHours(1).withSecond(0).withNano(0), now.withSecond(0).withNano(0))
            },
            editSession = holder::editSession,
            saveSession = { holder.saveSession() },
            closeSessionForm = holder::closeSessionForm,
            deleteSession = { holder.deleteSession(it) },
            setTaskStatus = { id, status -> holder.setTaskStatus(id, status) },
            dismissError = holder::dismissError,
            openQuestionnaire = onOpenQuestionnaire,
        ),
    )
}

class TodayIntents(
    val editCheckIn: ((CheckInInput) -> CheckInInput) -> Unit,
    val submitCheckIn: () -> Unit,
    val startTimer: () -> Unit,
    val stopTimer: () -> Unit,
    val openSessionForm: (ZoneId) -> Unit,
    val editSession: ((SessionDraft) -> SessionDraft) -> Unit,
    val saveSession: () -> Unit,
    val closeSessionForm: () -> Unit,
    val deleteSession: (String) -> Unit,
    val setTaskStatus: (String, TaskStatus) -> Unit,
    val dismissError: () -> Unit,
    val openQuestionnaire: () -> Unit,
)

/** Today: the check-in (a few taps), the work timer and sessions, today's tasks. Stateless. */
@Composable
fun TodayScreen(state: TodayUiState, intents: TodayIntents) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        if (state.loading) {
            Loading()
            return@Column
        }
        state.date?.let { Text(date(it), style = MaterialTheme.typography.titleLarge) }
        val formError = state.error?.takeIf { it.field != null }
        ErrorBanner(state.error?.takeIf { formError == null }, onDismiss = intents.dismissError)

        state.nudges?.longDayMinutes?.let { minutes ->
            Gentle(stringResource(R.string.today_long_day, duration(minutes)))
        }
        if (state.nudges?.questionnaireDue == true) {
            Gentle(stringResource(R.string.today_questionnaire_due), action = stringResource(R.string.today_questionnaire_open) to intents.openQuestionnaire)
        }

        CheckInSection(state, intents)
        TimerSection(state, intents)
        TasksSection(state, intents)
    }
}

@Composable
private fun Gentle(text: String, action: Pair<String, () -> Unit>? = null) {
    Card(colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.tertiaryContainer)) {
        Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically) {
            Text(text, Modifier.weight(1f))
            action?.let { TextButton(onClick = it.second) { Text(it.first) } }
        }
    }
}

@Composable
private fun CheckInSection(state: TodayUiState, intents: TodayIntents) {
    var editing by remember { mutableStateOf(false) }
    Section(stringResource(R.string.today_check_in)) {
        val done = state.checkIn
        if (done != null && !editing) {
            Text(stringResource(R.string.today_check_in_done, done.fatigue.toInt(), done.stress.toInt(), done.mood.toInt(), number(done.sleepHours)))
            TextButton(onClick = { editing = true }) { Text(stringResource(R.string.today_check_in_change)) }
            return@Section
        }
        val d = state.draft
        // the core's scales: what it accepts is what the pickers offer
        val scales = state.scales
        Text(stringResource(R.string.today_fatigue, d.fatigue.toInt()))
        Slider(
            value = d.fatigue.toFloat(),
            onValueChange = { v -> intents.editCheckIn { it.copy(fatigue = v.roundToInt().toUByte()) } },
            valueRange = scales.fatigueMin.toFloat()..scales.fatigueMax.toFloat(),
            steps = scales.fatigueMax.toInt() - scales.fatigueMin.toInt() - 1,
        )
        FieldError(fieldError(state.error, "fatigue"))
        Scale(stringResource(R.string.today_stress), scales.stressMin.toInt()..scales.stressMax.toInt(), d.stress.toInt()) { v ->
            intents.editCheckIn { it.copy(stress = v.toUByte()) }
        }
        FieldError(fieldError(state.error, "stress"))
        Scale(stringResource(R.string.today_mood), scales.moodMin.toInt()..scales.moodMax.toInt(), d.mood.toInt()) { v ->
            intents.editCheckIn { it.copy(mood = v.toUByte()) }
        }
        FieldError(fieldError(state.error, "mood"))
        Text(stringResource(R.string.today_sleep, number(d.sleepHours)))
        Slider(
            value = d.sleepHours.toFloat(),
            onValueChange = { v -> intents.editCheckIn { it.copy(sleepHours = (v / scales.sleepHoursStep).roundToInt() * scales.sleepHoursStep) } },
            valueRange = 0f..scales.sleepHoursMax.toFloat(),
            steps = (scales.sleepHoursMax / scales.sleepHoursStep).roundToInt() - 1,
        )
        FieldError(fieldError(state.error, "sleep_hours"))
        OutlinedTextField(
            value = d.note.orEmpty(),
            onValueChange = { v -> intents.editCheckIn { it.copy(note = v) } },
            label = { Text(stringResource(R.string.today_note)) },
            isError = fieldError(state.error, "note") != null,
            supportingText = supportingText(fieldError(state.error, "note")),
            modifier = Modifier.fillMaxWidth(),
        )
        Button(onClick = { intents.submitCheckIn(); editing = false }, enabled = !state.busy) { Text(stringResource(R.string.today_check_in_save)) }
    }
}

/** One tap per point of the core's scale, least to most. */
@Composable
private fun Scale(title: String, points: IntRange, value: Int, onChange: (Int) -> Unit) {
    Text(title)
    Row(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
        points.forEach { n -> FilterChip(selected = n == value, onClick = { onChange(n) }, label = { Text("$n") }) }
    }
}

@Composable
private fun FieldError(message: String?) {
    if (message != null) Text(message, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall)
}

@Composable
private fun TimerSection(state: TodayUiState, intents: TodayIntents) {
    val zone = state.timeZone?.let { runCatching { ZoneId.of(it) }.getOrNull() } ?: ZoneId.systemDefault()
    Section(stringResource(R.string.today_work)) {
        state.today?.let { Text(stringResource(R.string.today_worked, duration(it.workedMinutes))) }
        val running = state.running
        if (running != null) {
            val elapsed by produceState(0L, running.startedAt) {
                while (true) {
                    value = Duration.between(running.startedAt, Instant.now()).toMinutes()
                    delay(30_000)
                }
            }
            Text(stringResource(R.string.today_timer_running, time(running.startedAt, state.timeZone), duration(elapsed)))
            Button(onClick = intents.stopTimer, enabled = !state.busy) { Text(stringResource(R.string.today_timer_stop)) }
        } else {
            Button(onClick = intents.startTimer, enabled = !state.busy) { Text(stringResource(R.string.today_timer_start)) }
        }

        val draft = state.sessionDraft
        if (draft == null) {
            OutlinedButton(onClick = { intents.openSessionForm(zone) }) { Text(stringResource(R.string.today_add_session)) }
        } else {
            DateTimeField(stringResource(R.string.today_session_from), draft.start, { v -> intents.editSession { it.copy(start = v) } })
            FieldError(fieldError(state.error, "started_at"))
            DateTimeField(stringResource(R.string.today_session_to), draft.end, { v -> intents.editSession { it.copy(end = v) } })
            FieldError(fieldError(state.error, "ended_at"))
            OutlinedTextField(
                value = draft.note,
                onValueChange = { v -> intents.editSession { it.copy(note = v) } },
                label = { Text(stringResource(R.string.today_note)) },
                modifier = Modifier.fillMaxWidth(),
            )
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = intents.saveSession, enabled = !state.busy) { Text(stringResource(R.string.action_save)) }
                TextButton(onClick = intents.closeSessionForm) { Text(stringResource(R.string.action_cancel)) }
            }
        }
        state.sessions.forEach { SessionRow(it, state.timeZone, intents.deleteSession) }
    }
}

@Composable
private fun SessionRow(s: WorkSession, zone: String?, onDelete: (String) -> Unit) {
    Row(verticalAlignment = Alignment.CenterVertically) {
        val end = s.endedAt?.let { time(it, zone) } ?: "…"
        Column(Modifier.weight(1f)) {
            Text("${time(s.startedAt, zone)} – $end · ${duration(s.minutes)}")
            s.note?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
        }
        if (s.endedAt != null) {
            IconButton(onClick = { onDelete(s.id) }) { Icon(Icons.Filled.Delete, contentDescription = stringResource(R.string.action_delete)) }
        }
    }
}

@Composable
private fun TasksSection(state: TodayUiState, intents: TodayIntents) {
    Section(stringResource(R.string.today_tasks)) {
        if (state.tasks.isEmpty()) Text(stringResource(R.string.today_no_tasks))
        state.tasks.forEach { t ->
            Row(verticalAlignment = Alignment.CenterVertically) {
                Checkbox(checked = false, onCheckedChange = { intents.setTaskStatus(t.id, TaskStatus.DONE) })
                Column(Modifier.weight(1f)) {
                    Text(t.title)
                    val meta = listOfNotNull(
                        stringResource(t.status.label()),
                        t.dueDate?.let { stringResource(R.string.tasks_due, date(it)) },
                    ).joinToString(" · ")
                    Text(meta, style = MaterialTheme.typography.bodySmall)
                }
                if (t.status == TaskStatus.TODO) {
                    TextButton(onClick = { intents.setTaskStatus(t.id, TaskStatus.IN_PROGRESS) }) { Text(stringResource(R.string.tasks_start)) }
                }
            }
        }
    }
}

@androidx.compose.ui.tooling.preview.Preview(showBackground = true)
@Composable
private fun TodayScreenPreview() {
    val none = TodayIntents({}, {}, {}, {}, {}, {}, {}, {}, {}, { _, _ -> }, {}, {})
    kz.qamqor.app.ui.theme.QamqorTheme {
        // literal scales and answers: the preview renderer cannot load the core
        val scales = kz.qamqor.core.CheckInScales(0u, 10u, 1u, 5u, 1u, 5u, 24.0, 0.5)
        val draft = kz.qamqor.core.CheckInInput(fatigue = 5u, stress = 3u, mood = 3u, sleepHours = 7.0, note = null)
        TodayScreen(TodayUiState(loading = false, date = "2026-11-23", timeZone = "Asia/Almaty", draft = draft, scales = scales), none)
    }
}
