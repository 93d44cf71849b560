package kz.qamqor.app.ui.history

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.SegmentedButton
import androidx.compose.material3.SegmentedButtonDefaults
import androidx.compose.material3.SingleChoiceSegmentedButtonRow
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.BarChart
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.LabelValue
import kz.qamqor.app.ui.common.Loading
import kz.qamqor.app.ui.common.Section
import kz.qamqor.app.ui.common.duration
import kz.qamqor.app.ui.common.label
import kz.qamqor.app.ui.common.number
import kz.qamqor.app.ui.common.shortDay
import kz.qamqor.app.ui.rememberHolder
import kz.qamqor.state.HistoryMetric
import kz.qamqor.state.HistoryRange
import kz.qamqor.state.HistoryState
import kz.qamqor.state.HistoryUiState

@Composable
fun HistoryRoute() {
    val holder = rememberHolder { scope, graph -> HistoryState(scope, graph.access) }
    val state by holder.state.collectAsStateWithLifecycle()
    HistoryScreen(state, onRange = holder::selectRange, onMetric = holder::selectMetric, onRetry = { holder.refresh() })
}

/** Hours, overtime, after-hours work and check-ins over 7 days and 12 weeks. Stateless. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun HistoryScreen(state: HistoryUiState, onRange: (HistoryRange) -> Unit, onMetric: (HistoryMetric) -> Unit, onRetry: () -> Unit) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        ErrorBanner(state.error, onRetry = onRetry)
        val overview = state.overview
        if (overview == null) {
            if (state.loading) Loading()
            return@Column
        }
        SingleChoiceSegmentedButtonRow(Modifier.fillMaxWidth()) {
            HistoryRange.entries.forEachIndexed { i, range ->
                SegmentedButton(
                    selected = state.range == range,
                    onClick = { onRange(range) },
                    shape = SegmentedButtonDefaults.itemShape(i, HistoryRange.entries.size),
                ) { Text(stringResource(if (range == HistoryRange.LAST_7_DAYS) R.string.history_7_days else R.string.history_12_weeks)) }
            }
        }
        Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            HistoryMetric.entries.forEach { m ->
                FilterChip(selected = state.metric == m, onClick = { onMetric(m) }, label = { Text(stringResource(m.label())) })
            }
        }
        Section(stringResource(state.metric.label())) {
            val unit = stringResource(if (state.metric == HistoryMetric.CHECK_INS) R.string.history_unit_fatigue else R.string.history_unit_hours)
            Text(unit, style = MaterialTheme.typography.bodySmall)
            val description = state.bars.joinToString("; ") { "${it.label}: ${it.value?.let { v -> "%.1f".format(v) } ?: "—"}" }
            BarChart(
                state.bars,
                label = { bar -> if (state.range == HistoryRange.LAST_7_DAYS) shortDay(bar.label) else bar.label.substringAfter("-") },
                describe = description,
            )
        }
        Section(stringResource(R.string.history_this_week)) {
            val w = overview.thisWeek
            LabelValue(stringResource(R.string.metric_hours), duration(w.workedMinutes))
            LabelValue(stringResource(R.string.metric_overtime), duration(w.overtimeMinutes))
            LabelValue(stringResource(R.string.metric_after_hours), duration(w.afterHoursMinutes))
            LabelValue(stringResource(R.string.metric_weekend), duration(w.weekendMinutes))
            LabelValue(stringResource(R.string.history_days_worked), w.daysWorked.toString())
            LabelValue(stringResource(R.string.history_tasks_completed), w.tasksCompleted.toString())
            w.checkIns.fatigue?.let { LabelValue(stringResource(R.string.history_average_fatigue), number(it)) }
        }
        Section(stringResource(R.string.metric_check_ins)) {
            LabelValue(stringResource(R.string.history_check_ins_in_period), state.checkInCount.toString())
            LabelValue(stringResource(R.string.history_streak), overview.checkInStreak.toString())
            LabelValue(stringResource(R.string.history_longest_streak), overview.longestCheckInStreak.toString())
        }
    }
}
