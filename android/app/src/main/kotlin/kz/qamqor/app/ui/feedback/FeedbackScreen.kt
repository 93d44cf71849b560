package kz.qamqor.app.ui.feedback

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.dateTime
import kz.qamqor.state.FeedbackState
import kz.qamqor.state.FeedbackUiState

@Composable
fun FeedbackRoute(holder: FeedbackState) {
    val state by holder.state.collectAsStateWithLifecycle()
    FeedbackScreen(state, onMarkRead = { holder.markRead(it) }, onRetry = { holder.refresh() })
}

/** Messages from the manager, newest first; unread ones stand out until read. Stateless. */
@Composable
fun FeedbackScreen(state: FeedbackUiState, onMarkRead: (String) -> Unit, onRetry: () -> Unit) {
    LazyColumn(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        item { ErrorBanner(state.error, onRetry = onRetry) }
        if (!state.loading && state.messages.isEmpty()) item { Text(stringResource(R.string.feedback_empty)) }
        items(state.messages, key = { it.id }) { m ->
            val unread = m.readAt == null
            Card(
                Modifier.fillMaxWidth(),
                colors = if (unread) CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.primaryContainer) else CardDefaults.cardColors(),
            ) {
                Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                    Text(stringResource(R.string.feedback_from, m.fromName, dateTime(m.sentAt)), style = MaterialTheme.typography.labelMedium)
                    Text(m.message, style = MaterialTheme.typography.bodyLarge)
                    if (unread) TextButton(onClick = { onMarkRead(m.id) }) { Text(stringResource(R.string.feedback_mark_read)) }
                }
            }
        }
    }
}
