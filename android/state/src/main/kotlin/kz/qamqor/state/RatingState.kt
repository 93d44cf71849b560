package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.Rating

/** The days the rating counts achievements of (YYYY-MM-DD; empty: no bound, both empty: all time). */
data class RatingPeriod(val from: String = "", val to: String = "") {
    val allTime: Boolean get() = from.isBlank() && to.isBlank()
}

data class RatingUiState(
    val loading: Boolean = true,
    val period: RatingPeriod = RatingPeriod(),
    /**
     * The person's rating of the period as the core computes it (the same function the server
     * ranks people with): the total, the method, the verified points and each category's
     * contribution. The rank among colleagues is the server's, not the phone's.
     */
    val rating: Rating? = null,
    /** [UiError.field] is the core's: `from`, `to` (an end before the start). */
    val error: UiError? = null,
)

/** "My rating": the total and its breakdown by category, for all time or a period. */
class RatingState(scope: CoroutineScope, access: CoreAccess) : StateHolder<RatingUiState>(RatingUiState(), scope, access) {

    override fun refresh(): Job = launch {
        val period = current.period
        val rating = access.call { it.rating(period.from.ifBlank { null }, period.to.ifBlank { null }) }
        update {
            when {
                it.period != period -> it // another period was picked meanwhile: its answer counts
                rating is Outcome.Ok -> it.copy(loading = false, rating = rating.value, error = null)
                else -> it.copy(loading = false, error = rating.errorOrNull())
            }
        }
    }

    /** Shows the period [from]..[to] (either may be empty); the core checks the dates. */
    fun setPeriod(from: String, to: String): Job {
        update { it.copy(period = RatingPeriod(from, to)) }
        return refresh()
    }

    fun setFrom(from: String): Job = setPeriod(from, current.period.to)
    fun setTo(to: String): Job = setPeriod(current.period.from, to)

    /** Back to every achievement ever verified. */
    fun allTime(): Job = setPeriod("", "")

    fun dismissError() = update { it.copy(error = null) }
}
