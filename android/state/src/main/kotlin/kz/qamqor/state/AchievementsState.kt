package kz.qamqor.state

import java.time.LocalDate
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.Achievement
import kz.qamqor.core.AchievementCategory
import kz.qamqor.core.AchievementInput
import kz.qamqor.core.AchievementType
import kz.qamqor.core.RatingCatalogue

/** The "add achievement" form as typed: empty texts mean "none"; the core checks every value. */
data class AchievementDraft(
    /** An achievement type of the catalogue, or empty until one is picked. */
    val typeId: String = "",
    val title: String = "",
    /** YYYY-MM-DD (from the date picker). */
    val achievedOn: String = "",
    val description: String = "",
    /** The picked or photographed image as it is (the core checks and processes it), or null. */
    val evidence: ByteArray? = null,
) {
    // a ByteArray compares by identity: the form changed when another image was picked
    override fun equals(other: Any?): Boolean = other is AchievementDraft && typeId == other.typeId && title == other.title &&
        achievedOn == other.achievedOn && description == other.description && evidence.contentEquals(other.evidence)

    override fun hashCode(): Int = listOf(typeId, title, achievedOn, description, evidence?.contentHashCode()).hashCode()
}

/** One category of the catalogue with the types a person can pick in it. */
data class CategoryChoice(val category: AchievementCategory, val types: List<AchievementType>)

/** An achievement's evidence photo, opened to look at it (JPEG as the core keeps it; null: none). */
data class EvidenceView(val achievementId: String, val photo: ByteArray?) {
    override fun equals(other: Any?): Boolean = other is EvidenceView && achievementId == other.achievementId && photo.contentEquals(other.photo)

    override fun hashCode(): Int = 31 * achievementId.hashCode() + (photo?.contentHashCode() ?: 0)
}

data class AchievementsUiState(
    val loading: Boolean = true,
    /** Every achievement, the latest day first, each with its status and the manager's review (the core's). */
    val achievements: List<Achievement> = emptyList(),
    /** The organisation's catalogue (the defaults until the first sync). */
    val catalogue: RatingCatalogue? = null,
    /** The open form, if any. */
    val editor: AchievementDraft? = null,
    /** The open evidence photo, if any. */
    val evidence: EvidenceView? = null,
    val busy: Boolean = false,
    /**
     * [UiError.field] is the core's: `type_id`, `title`, `description`, `achieved_on`, `evidence`;
     * deleting a reviewed achievement is [ErrorKey.CONFLICT_ACHIEVEMENT_REVIEWED] (the screen
     * offers delete only where [Achievement.canDelete]).
     */
    val error: UiError? = null,
) {
    /**
     * The form's choices: the types the core says may be recorded now
     * ([AchievementType.recordable]), under their category; a category without one is left out.
     * The core still checks the type on submit.
     */
    val choices: List<CategoryChoice>
        get() = catalogue?.let { c ->
            c.categories.map { cat -> CategoryChoice(cat, c.types.filter { it.categoryId == cat.id && it.recordable }) }
                .filter { it.types.isNotEmpty() }
        }.orEmpty()

    /** The picked type, for the form's label. */
    val pickedType: AchievementType? get() = editor?.let { d -> catalogue?.types?.firstOrNull { it.id == d.typeId } }
}

/**
 * "My achievements": what the person recorded, where each stands (pending, verified, or
 * rejected with the manager's comment), the form to record one offline with an optional
 * evidence photo, deleting, and the evidence. Every rule is the core's: what can be recorded,
 * the points, the review and what can still be deleted.
 */
class AchievementsState(
    scope: CoroutineScope,
    access: CoreAccess,
    /** The day a new form starts with (the phone's today; the person can pick another). */
    private val today: () -> LocalDate = { LocalDate.now() },
) : StateHolder<AchievementsUiState>(AchievementsUiState(), scope, access) {

    override fun refresh(): Job = launch {
        when (val loaded = access.call { core -> core.achievements() to core.ratingCatalogue() }) {
            is Outcome.Ok -> update { it.copy(loading = false, achievements = loaded.value.first, catalogue = loaded.value.second) }
            is Outcome.Failed -> update { it.copy(loading = false, error = loaded.error) }
        }
    }

    fun newAchievement() = update { it.copy(editor = AchievementDraft(achievedOn = today().toString()), error = null) }

    fun editDraft(transform: (AchievementDraft) -> AchievementDraft) = update { it.copy(editor = it.editor?.let(transform)) }

    fun pickType(typeId: String) = editDraft { it.copy(typeId = typeId) }
    fun setTitle(value: String) = editDraft { it.copy(title = value) }
    fun setAchievedOn(value: String) = editDraft { it.copy(achievedOn = value) }
    fun setDescription(value: String) = editDraft { it.copy(description = value) }

    /** Takes a picked or photographed image as it is: the core checks and processes it on submit. */
    fun setEvidence(image: ByteArray) = update { s -> s.copy(editor = s.editor?.copy(evidence = image), error = s.error.clearedFor("evidence")) }

    fun removeEvidence() = update { s -> s.copy(editor = s.editor?.copy(evidence = null), error = s.error.clearedFor("evidence")) }

    fun closeEditor() = update { it.copy(editor = null, error = null) }

    /** Records the achievement in the form; an input the core refuses stays in the form with its field marked. */
    fun submit(): Job = launch {
        val draft = current.editor ?: return@launch
        val input = AchievementInput(
            typeId = draft.typeId,
            title = draft.title,
            description = draft.description.ifBlank { null },
            achievedOn = draft.achievedOn,
        )
        update { it.copy(busy = true, error = null) }
        val recorded = access.write { it.recordAchievement(input, draft.evidence) }
        update { it.copy(busy = false, error = recorded.errorOrNull(), editor = if (recorded is Outcome.Ok) null else it.editor) }
        if (recorded is Outcome.Ok) refresh().join()
    }

    /**
     * Deletes an achievement. The screen offers it only where [Achievement.canDelete] (the core's
     * rule); the core still refuses one a manager has reviewed, and the screen says why.
     */
    fun delete(id: String): Job = launch {
        val deleted = access.write { it.deleteAchievement(id) }
        update { it.copy(error = deleted.errorOrNull(), evidence = it.evidence?.takeUnless { e -> e.achievementId == id && deleted is Outcome.Ok }) }
        if (deleted is Outcome.Ok) refresh().join()
    }

    /** Opens an achievement's evidence photo. */
    fun openEvidence(id: String): Job = launch {
        when (val photo = access.call { it.achievementEvidence(id) }) {
            is Outcome.Ok -> update { it.copy(evidence = EvidenceView(id, photo.value)) }
            is Outcome.Failed -> update { it.copy(error = photo.error) }
        }
    }

    fun closeEvidence() = update { it.copy(evidence = null) }

    fun dismissError() = update { it.copy(error = null) }
}
