package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.CbiAnswerKind
import kz.qamqor.core.CbiItem
import kz.qamqor.core.CbiResponse
import kz.qamqor.core.Language
import kz.qamqor.core.cbiAnswerLabels
import kz.qamqor.core.cbiItems

data class QuestionnaireUiState(
    val loading: Boolean = true,
    val language: Language? = null,
    /** The core says the questionnaire is due (none in the last months). */
    val due: Boolean = false,
    /** The 19 items of the Copenhagen Burnout Inventory, in the app's language. */
    val items: List<CbiItem> = emptyList(),
    /** The five answer labels (least to most) of each kind of item. */
    val labels: Map<CbiAnswerKind, List<String>> = emptyMap(),
    /** One answer (0..4) per item, null while unanswered or skipped (client items do not apply to everyone). */
    val answers: List<UByte?> = emptyList(),
    val lastResponse: CbiResponse? = null,
    /** The response just recorded, with its scores, for the thank-you screen. */
    val submitted: CbiResponse? = null,
    val busy: Boolean = false,
    /** [UiError.field] is `answers[i]` (1-based, the item's number) or `answers`. */
    val error: UiError? = null,
) {
    val answeredCount: Int get() = answers.count { it != null }
}

/** The burnout questionnaire (CBI) when it is due: items and labels from the core, scored by the core. */
class QuestionnaireState(
    scope: CoroutineScope,
    access: CoreAccess,
    /** The app's language (LanguageState). */
    private val language: () -> Language,
) : StateHolder<QuestionnaireUiState>(QuestionnaireUiState(), scope, access) {

    override fun refresh(): Job = launch {
        val lang = language()
        val loaded = access.call { core ->
            Loaded(
                due = core.nudges().questionnaireDue,
                items = cbiItems(lang),
                labels = CbiAnswerKind.entries.associateWith { cbiAnswerLabels(it, lang) },
                last = core.cbiResponses().lastOrNull(),
            )
        }
        when (loaded) {
            is Outcome.Ok -> with(loaded.value) {
                update {
                    it.copy(
                        loading = false,
                        language = lang,
                        due = due,
                        items = items,
                        labels = labels,
                        answers = if (it.answers.size == items.size) it.answers else List(items.size) { null },
                        lastResponse = last,
                    )
                }
            }
            is Outcome.Failed -> update { it.copy(loading = false, error = loaded.error) }
        }
    }

    /** Answers item [index] (0-based) with 0..4, or clears it with null. */
    fun answer(index: Int, value: UByte?) = update { s ->
        if (index !in s.answers.indices) s else s.copy(answers = s.answers.toMutableList().also { it[index] = value }, error = null)
    }

    /** Records the answers; the core scores them and says which answer it refuses. */
    fun submit(): Job = launch {
        val answers = current.answers
        update { it.copy(busy = true, error = null) }
        when (val saved = access.write { it.recordCbi(answers) }) {
            is Outcome.Ok -> {
                update { it.copy(busy = false, submitted = saved.value, answers = List(it.items.size) { null }) }
                refresh().join()
            }
            is Outcome.Failed -> update { it.copy(busy = false, error = saved.error) }
        }
    }

    /** Back from the thank-you screen. */
    fun dismissSubmitted() = update { it.copy(submitted = null) }

    private class Loaded(val due: Boolean, val items: List<CbiItem>, val labels: Map<CbiAnswerKind, List<String>>, val last: CbiResponse?)
}
