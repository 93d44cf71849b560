package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.Feedback

data class FeedbackUiState(
    val loading: Boolean = true,
    /** Newest first. */
    val messages: List<Feedback> = emptyList(),
    val error: UiError? = null,
) {
    val unread: Int get() = messages.count { it.readAt == null }
}

/** Messages from the manager (they arrive with sync); reading one marks it read on this phone. */
class FeedbackState(scope: CoroutineScope, access: CoreAccess) : StateHolder<FeedbackUiState>(FeedbackUiState(), scope, access) {
    override fun refresh(): Job = launch {
        when (val messages = access.call { it.feedback() }) {
            is Outcome.Ok -> update { it.copy(loading = false, messages = messages.value, error = null) }
            is Outcome.Failed -> update { it.copy(loading = false, error = messages.error) }
        }
    }

    fun markRead(id: String): Job = launch {
        when (val done = access.write { it.markFeedbackRead(id) }) {
            is Outcome.Ok -> refresh().join()
            is Outcome.Failed -> update { it.copy(error = done.error) }
        }
    }
}
