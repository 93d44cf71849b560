package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.CompetencyProfile
import kz.qamqor.core.skillScale

data class CompetencyUiState(
    val loading: Boolean = true,
    /**
     * The profession card the manager assigned, its labour functions and skills with the
     * person's own and the manager's scores, each function's score and whether the person is
     * strong in it, all as the core computes them; null: no card assigned yet.
     */
    val profile: CompetencyProfile? = null,
    /** The scores a skill may be given, lowest first: the core's scale (`skillScale()`), loaded with the profile. */
    val scale: List<Int> = emptyList(),
    val busy: Boolean = false,
    /** [UiError.field] is the core's: `score` (off the [scale]), `skill_id`. */
    val error: UiError? = null,
    /** The skill [error] is about, to show it under that skill. */
    val errorSkillId: String? = null,
) {
    /** Loaded, and no card assigned yet: the screen says the manager assigns one. */
    val noCard: Boolean get() = !loading && profile == null && error == null
}

/** "My competencies": the assigned profession card and the person's own rating of its skills. */
class CompetencyState(scope: CoroutineScope, access: CoreAccess) : StateHolder<CompetencyUiState>(CompetencyUiState(), scope, access) {

    override fun refresh(): Job = launch {
        when (val p = access.call { core -> core.competencyProfile() to skillScale().map { it.toUByte().toInt() } }) {
            is Outcome.Ok -> update { it.copy(loading = false, profile = p.value.first, scale = p.value.second) }
            is Outcome.Failed -> update { it.copy(loading = false, error = p.error, errorSkillId = null) }
        }
    }

    /**
     * Rates a skill on the core's scale; a score the core refuses is shown under the skill and
     * changes nothing.
     */
    fun rateSkill(skillId: String, score: Int): Job = launch {
        // The FFI takes a byte: a number that is not one cannot reach the core, so it is refused here.
        if (score !in 0..255) {
            return@launch update { it.copy(error = UiError(ErrorKey.INVALID_OUT_OF_RANGE, field = "score"), errorSkillId = skillId) }
        }
        update { it.copy(busy = true, error = null, errorSkillId = null) }
        val rated = access.write { core -> core.rateSkill(skillId, score.toUByte()); core.competencyProfile() }
        when (rated) {
            is Outcome.Ok -> update { it.copy(busy = false, profile = rated.value) }
            is Outcome.Failed -> update { it.copy(busy = false, error = rated.error, errorSkillId = skillId) }
        }
    }

    fun dismissError() = update { it.copy(error = null, errorSkillId = null) }
}
