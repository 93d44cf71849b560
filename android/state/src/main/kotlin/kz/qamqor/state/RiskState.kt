package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.MissingData
import kz.qamqor.core.RiskAssessment
import kz.qamqor.core.RiskFactor
import kz.qamqor.core.RiskHistoryEntry
import kz.qamqor.core.RiskLevel
import kz.qamqor.core.RiskSuggestion

/** One point of the trend chart: the score as of a date (null: not enough data then). */
data class TrendPoint(val asOf: String, val score: Double?)

data class RiskUiState(
    val loading: Boolean = true,
    val assessment: RiskAssessment? = null,
    /** The latest daily assessments, newest first. */
    val history: List<RiskHistoryEntry> = emptyList(),
    val error: UiError? = null,
) {
    /** The core has not enough data to score yet (it says so: no score, and what is missing). */
    val notEnoughData: Boolean get() = assessment != null && assessment.score == null
    val level: RiskLevel? get() = assessment?.level
    val score: Double? get() = assessment?.score

    /** The reasons, largest first, as the core ordered them. */
    val factors: List<RiskFactor> get() = assessment?.factors.orEmpty()

    /** What would let the assessment say more. */
    val missing: List<MissingData> get() = assessment?.missing.orEmpty()

    /** The score over the previous weeks and now, oldest first. */
    val trend: List<TrendPoint>
        get() {
            val a = assessment ?: return emptyList()
            return a.previousWeeks.reversed().map { TrendPoint(it.asOf, it.score) } + TrendPoint(a.localDate, a.score)
        }

    /** What could help, in the core's order (its rule: docs/RISK_MODEL.md), talking to someone last. */
    val suggestions: List<RiskSuggestion> get() = assessment?.suggestions.orEmpty()
}

/** "My risk": level and score, the reasons with their values, the trend, and what to do. Computed on the phone. */
class RiskState(scope: CoroutineScope, access: CoreAccess) : StateHolder<RiskUiState>(RiskUiState(), scope, access) {

    /** Assesses now (the core keeps it as today's entry of the history) and loads the history. */
    override fun refresh(): Job = launch {
        update { it.copy(loading = true) }
        // assessRisk writes today's history entry, but not data other screens show: no revision bump
        when (val loaded = access.call { it.assessRisk() to it.riskHistory(HISTORY_DAYS) }) {
            is Outcome.Ok -> update { RiskUiState(loading = false, assessment = loaded.value.first, history = loaded.value.second) }
            is Outcome.Failed -> update { it.copy(loading = false, error = loaded.error) }
        }
    }

    private companion object {
        const val HISTORY_DAYS = 28u
    }
}
