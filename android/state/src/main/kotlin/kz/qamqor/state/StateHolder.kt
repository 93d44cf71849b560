package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/**
 * One screen's state: a [StateFlow] of an immutable UI state, changed only by intent methods.
 * Intents return the [Job] they started (the app ignores it; tests join it). [scope] is the
 * screen's (a ViewModel's in the app, the test's in tests); core calls go through [access], which
 * runs them on the I/O dispatcher.
 */
abstract class StateHolder<S>(initial: S, protected val scope: CoroutineScope, protected val access: CoreAccess) {
    private val mutable = MutableStateFlow(initial)

    /** What the screen renders. */
    val state: StateFlow<S> = mutable.asStateFlow()

    protected val current: S get() = mutable.value

    protected fun update(transform: (S) -> S) = mutable.update(transform)

    protected fun launch(block: suspend CoroutineScope.() -> Unit): Job = scope.launch(block = block)

    /** Loads what the screen shows (on first display, and again whenever the data changed). */
    abstract fun refresh(): Job
}
