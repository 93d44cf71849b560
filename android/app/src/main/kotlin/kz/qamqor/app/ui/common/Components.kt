package kz.qamqor.app.ui.common

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.CheckCircle
import androidx.compose.material.icons.filled.Refresh
import androidx.compose.material.icons.filled.Warning
import androidx.compose.material3.Card
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import kz.qamqor.app.R
import kz.qamqor.state.ErrorAction
import kz.qamqor.state.SyncUiState
import kz.qamqor.state.UiError

/** A titled card: the screens are made of these. */
@Composable
fun Section(title: String, modifier: Modifier = Modifier, content: @Composable ColumnScope.() -> Unit) {
    Card(modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            content()
        }
    }
}

/** An error that is not about one input, with what can be done about it. */
@Composable
fun ErrorBanner(error: UiError?, onRetry: (() -> Unit)? = null, onSignIn: (() -> Unit)? = null, onDismiss: (() -> Unit)? = null) {
    if (error == null) return
    Surface(color = MaterialTheme.colorScheme.errorContainer, shape = MaterialTheme.shapes.medium, modifier = Modifier.fillMaxWidth()) {
        Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically) {
            Icon(Icons.Filled.Warning, contentDescription = null, tint = MaterialTheme.colorScheme.onErrorContainer)
            Text(errorMessage(error), Modifier.weight(1f).padding(horizontal = 12.dp), color = MaterialTheme.colorScheme.onErrorContainer)
            when {
                error.action == ErrorAction.RETRY && onRetry != null -> TextButton(onClick = onRetry) { Text(stringResource(R.string.action_retry)) }
                error.action == ErrorAction.SIGN_IN && onSignIn != null -> TextButton(onClick = onSignIn) { Text(stringResource(R.string.action_sign_in)) }
                onDismiss != null -> TextButton(onClick = onDismiss) { Text(stringResource(R.string.action_ok)) }
            }
        }
    }
}

/**
 * The sync status shown above every screen with data: syncing, offline (will retry), the changes
 * waiting, the last sync, or the error with a retry. Never in the way: everything works offline.
 */
@Composable
fun SyncStatusBar(state: SyncUiState, onRetry: () -> Unit, onSignIn: () -> Unit) {
    val error = state.error
    when {
        state.waitingToRetry -> StatusLine(stringResource(R.string.sync_offline_will_retry), busy = true)
        state.syncing -> StatusLine(stringResource(R.string.sync_syncing), busy = true)
        error != null -> ErrorBanner(error, onRetry = onRetry, onSignIn = onSignIn)
        !state.signedIn -> StatusLine(
            if (state.pendingChanges > 0) {
                pluralStringResource(R.plurals.sync_on_this_phone_only, state.pendingChanges.toInt(), state.pendingChanges.toInt())
            } else {
                stringResource(R.string.sync_not_signed_in)
            },
            action = stringResource(R.string.action_sign_in) to onSignIn,
        )
        state.pendingChanges > 0 -> StatusLine(
            pluralStringResource(R.plurals.sync_pending, state.pendingChanges.toInt(), state.pendingChanges.toInt()),
            action = stringResource(R.string.action_sync_now) to onRetry,
        )
        else -> {
            val last = state.lastSuccessAt
            StatusLine(if (last != null) stringResource(R.string.sync_synced_at, dateTime(last)) else stringResource(R.string.sync_never), done = last != null)
        }
    }
}

@Composable
private fun StatusLine(text: String, busy: Boolean = false, done: Boolean = false, action: Pair<String, () -> Unit>? = null) {
    Row(Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 4.dp), verticalAlignment = Alignment.CenterVertically) {
        when {
            busy -> CircularProgressIndicator(Modifier.size(16.dp), strokeWidth = 2.dp)
            done -> Icon(Icons.Filled.CheckCircle, contentDescription = null, Modifier.size(16.dp), tint = MaterialTheme.colorScheme.primary)
            else -> Icon(Icons.Filled.Refresh, contentDescription = null, Modifier.size(16.dp))
        }
        Text(text, Modifier.weight(1f).padding(start = 8.dp), style = MaterialTheme.typography.bodySmall)
        if (action != null) TextButton(onClick = action.second) { Text(action.first) }
    }
}

/** The message under a text field, when there is one. */
fun supportingText(message: String?): (@Composable () -> Unit)? = if (message == null) null else { { Text(message) } }

/** A label and a value on one line. */
@Composable
fun LabelValue(label: String, value: String) {
    Row(Modifier.fillMaxWidth()) {
        Text(label, Modifier.weight(1f), style = MaterialTheme.typography.bodyMedium)
        Text(value, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.primary)
    }
}

/** A centred spinner while a screen loads. */
@Composable
fun Loading() {
    Row(Modifier.fillMaxWidth().padding(32.dp), horizontalArrangement = Arrangement.Center) { CircularProgressIndicator() }
}
