package kz.qamqor.state

import java.util.Locale
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.StatsOverview

/** The period of the charts. */
enum class HistoryRange { LAST_7_DAYS, LAST_12_WEEKS }

/** What a chart shows. */
enum class HistoryMetric {
    /** Hours worked. */
    HOURS,

    /** Hours beyond the schedule. */
    OVERTIME,

    /** Hours outside the working day, on working days. */
    AFTER_HOURS,

    /** Hours on days off (the schedule's non-working days). */
    WEEKEND,

    /** Fatigue of the check-ins (0-10): the day's answer, or the week's average. */
    CHECK_INS,
}

/** One bar: [label] is a date (YYYY-MM-DD) or an ISO week (2026-W47); [value] is null when there is nothing. */
data class ChartBar(val label: String, val value: Double?)

data class HistoryUiState(
    val loading: Boolean = true,
    val range: HistoryRange = HistoryRange.LAST_7_DAYS,
    val metric: HistoryMetric = HistoryMetric.HOURS,
    val overview: StatsOverview? = null,
    val error: UiError? = null,
) {
    /** The selected chart, from the core's statistics (minutes shown as hours). */
    val bars: List<ChartBar> get() = overview?.let { bars(it, range, metric) }.orEmpty()

    /** Check-ins done in the period. */
    val checkInCount: Int
        get() = when (range) {
            HistoryRange.LAST_7_DAYS -> overview?.last7Days?.count { it.checkIn != null } ?: 0
            HistoryRange.LAST_12_WEEKS -> overview?.last12Weeks?.sumOf { it.checkIns.count.toInt() } ?: 0
        }
}

private fun hours(minutes: Long): Double = minutes / 60.0

private fun bars(o: StatsOverview, range: HistoryRange, metric: HistoryMetric): List<ChartBar> = when (range) {
    HistoryRange.LAST_7_DAYS -> o.last7Days.map { d ->
        ChartBar(
            d.date,
            when (metric) {
                HistoryMetric.HOURS -> hours(d.workedMinutes)
                HistoryMetric.OVERTIME -> hours(d.overtimeMinutes)
                HistoryMetric.AFTER_HOURS -> hours(d.afterHoursMinutes)
                HistoryMetric.WEEKEND -> hours(d.weekendMinutes)
                HistoryMetric.CHECK_INS -> d.checkIn?.fatigue?.toDouble()
            },
        )
    }
    HistoryRange.LAST_12_WEEKS -> o.last12Weeks.map { w ->
        ChartBar(
            String.format(Locale.ROOT, "%d-W%02d", w.isoYear, w.isoWeek.toInt()),
            when (metric) {
                HistoryMetric.HOURS -> hours(w.workedMinutes)
                HistoryMetric.OVERTIME -> hours(w.overtimeMinutes)
                HistoryMetric.AFTER_HOURS -> hours(w.afterHoursMinutes)
                HistoryMetric.WEEKEND -> hours(w.weekendMinutes)
                HistoryMetric.CHECK_INS -> w.checkIns.fatigue
            },
        )
    }
}

/** "History": hours, overtime, after-hours work and check-ins over 7 days and 12 weeks (`statsOverview()`). */
class HistoryState(scope: CoroutineScope, access: CoreAccess) : StateHolder<HistoryUiState>(HistoryUiState(), scope, access) {
    override fun refresh(): Job = launch {
        when (val o = access.call { it.statsOverview() }) {
            is Outcome.Ok -> update { it.copy(loading = false, overview = o.value, error = null) }
            is Outcome.Failed -> update { it.copy(loading = false, error = o.error) }
        }
    }

    fun selectRange(range: HistoryRange) = update { it.copy(range = range) }

    fun selectMetric(metric: HistoryMetric) = update { it.copy(metric = metric) }
}
