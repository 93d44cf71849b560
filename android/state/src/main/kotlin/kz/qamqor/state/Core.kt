package kz.qamqor.state

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.withContext
import kz.qamqor.core.QamqorCoreInterface

/**
 * The one way the state holders reach the core: every call runs on [io] (core calls block), and
 * every error becomes an [Outcome.Failed] with a [UiError], never an exception in the UI.
 */
class CoreAccess(val core: QamqorCoreInterface, private val io: CoroutineDispatcher) {
    private val revisionFlow = MutableStateFlow(0L)

    /** Moves on after every write on this device and every sync that applied something: screens reload on it. */
    val revision: StateFlow<Long> = revisionFlow.asStateFlow()

    /** Tells every screen that the data changed. */
    fun changed() = revisionFlow.update { it + 1 }

    /** Runs a read (or a write whose result only its own screen shows) off the main thread. */
    suspend fun <T> call(block: (QamqorCoreInterface) -> T): Outcome<T> = withContext(io) {
        try {
            Outcome.Ok(block(core))
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            Outcome.Failed(e.toUiError())
        }
    }

    /** Runs a write; when it succeeds, every screen learns that the data changed. */
    suspend fun <T> write(block: (QamqorCoreInterface) -> T): Outcome<T> =
        call(block).also { if (it is Outcome.Ok) changed() }
}

/** What a core call gave: a value, or an error a screen shows. */
sealed interface Outcome<out T> {
    data class Ok<out T>(val value: T) : Outcome<T>
    data class Failed(val error: UiError) : Outcome<Nothing>
}

/** The value, or null after a failure. */
fun <T> Outcome<T>.valueOrNull(): T? = (this as? Outcome.Ok)?.value

/** The error, or null after a success. */
fun Outcome<*>.errorOrNull(): UiError? = (this as? Outcome.Failed)?.error
