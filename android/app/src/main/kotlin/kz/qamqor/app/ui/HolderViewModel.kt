package kz.qamqor.app.ui

import androidx.compose.runtime.Composable
import androidx.compose.ui.platform.LocalContext
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch
import kz.qamqor.app.AppGraph
import kz.qamqor.app.graph
import kz.qamqor.state.StateHolder

/**
 * Keeps a screen's state holder across configuration changes, runs its work in viewModelScope,
 * and reloads it whenever the data changed (a write on any screen, a sync that brought something).
 */
class HolderViewModel<H : StateHolder<*>>(create: (CoroutineScope) -> H, revision: StateFlow<Long>) : ViewModel() {
    val holder: H = create(viewModelScope)

    init {
        viewModelScope.launch { revision.collect { holder.refresh() } }
    }
}

/** The screen's state holder, made once per navigation destination. */
@Composable
inline fun <reified H : StateHolder<*>> rememberHolder(noinline create: (scope: CoroutineScope, graph: AppGraph) -> H): H {
    val graph = LocalContext.current.graph
    val model = viewModel<HolderViewModel<H>>(key = H::class.java.name) {
        HolderViewModel({ scope -> create(scope, graph) }, graph.access.revision)
    }
    return model.holder
}
