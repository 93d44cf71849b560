package kz.qamqor.app.ui.growth

import android.content.Context
import android.graphics.BitmapFactory
import android.net.Uri
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Card
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.FloatingActionButton
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.core.content.FileProvider
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import java.io.File
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.DateField
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.categoryName
import kz.qamqor.app.ui.common.date
import kz.qamqor.app.ui.common.fieldError
import kz.qamqor.app.ui.common.label
import kz.qamqor.app.ui.common.supportingText
import kz.qamqor.app.ui.common.typeName
import kz.qamqor.app.ui.rememberHolder
import kz.qamqor.core.Achievement
import kz.qamqor.core.AchievementStatus
import kz.qamqor.state.AchievementDraft
import kz.qamqor.state.AchievementsState
import kz.qamqor.state.AchievementsUiState
import kz.qamqor.state.EvidenceView

@Composable
fun AchievementsRoute() {
    val context = LocalContext.current
    val holder = rememberHolder { scope, graph -> AchievementsState(scope, graph.access) }
    val state by holder.state.collectAsStateWithLifecycle()
    val scope = rememberCoroutineScope()

    // the same mechanism as the profile photo: the system photo picker, or the camera through the FileProvider
    fun useEvidence(read: suspend () -> ByteArray?) {
        scope.launch { read()?.let { holder.setEvidence(it) } }
    }
    val pick = rememberLauncherForActivityResult(ActivityResultContracts.PickVisualMedia()) { uri ->
        if (uri != null) useEvidence { readBytes(context, uri) }
    }
    val shot = remember { evidenceFile(context) }
    val take = rememberLauncherForActivityResult(ActivityResultContracts.TakePicture()) { taken ->
        if (taken) useEvidence { withContext(Dispatchers.IO) { shot.readBytes() } }
    }

    AchievementsScreen(
        state,
        AchievementsIntents(
            new = holder::newAchievement,
            pickType = holder::pickType,
            setTitle = holder::setTitle,
            setDate = holder::setAchievedOn,
            setDescription = holder::setDescription,
            pickEvidence = { pick.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly)) },
            takeEvidence = { take.launch(FileProvider.getUriForFile(context, "${context.packageName}.export", shot)) },
            removeEvidence = holder::removeEvidence,
            submit = { holder.submit() },
            close = holder::closeEditor,
            delete = { holder.delete(it) },
            openEvidence = { holder.openEvidence(it) },
            closeEvidence = holder::closeEvidence,
            dismissError = holder::dismissError,
        ),
    )
}

private suspend fun readBytes(context: Context, uri: Uri): ByteArray? =
    withContext(Dispatchers.IO) { context.contentResolver.openInputStream(uri)?.use { it.readBytes() } }

/** Where the camera writes an evidence photo before the core processes it (shared through the FileProvider). */
private fun evidenceFile(context: Context) = File(context.cacheDir, "export").apply { mkdirs() }.let { File(it, "evidence.jpg") }

class AchievementsIntents(
    val new: () -> Unit,
    val pickType: (String) -> Unit,
    val setTitle: (String) -> Unit,
    val setDate: (String) -> Unit,
    val setDescription: (String) -> Unit,
    val pickEvidence: () -> Unit,
    val takeEvidence: () -> Unit,
    val removeEvidence: () -> Unit,
    val submit: () -> Unit,
    val close: () -> Unit,
    val delete: (String) -> Unit,
    val openEvidence: (String) -> Unit,
    val closeEvidence: () -> Unit,
    val dismissError: () -> Unit,
)

/** My achievements with their review, the form to add one, and the evidence. Stateless. */
@Composable
fun AchievementsScreen(state: AchievementsUiState, intents: AchievementsIntents) {
    Box(Modifier.fillMaxSize()) {
        Column(Modifier.fillMaxSize().padding(horizontal = 16.dp)) {
            if (state.editor == null) ErrorBanner(state.error, onDismiss = intents.dismissError)
            if (!state.loading && state.achievements.isEmpty()) Text(stringResource(R.string.achievements_empty), Modifier.padding(vertical = 16.dp))
            LazyColumn(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.padding(top = 8.dp)) {
                items(state.achievements, key = { it.id }) { a -> AchievementCard(a, intents) }
            }
        }
        FloatingActionButton(onClick = intents.new, modifier = Modifier.align(Alignment.BottomEnd).padding(16.dp)) {
            Icon(Icons.Filled.Add, contentDescription = stringResource(R.string.achievements_new))
        }
    }
    state.editor?.let { AchievementForm(it, state, intents) }
    state.evidence?.let { EvidenceDialog(it, intents.closeEvidence) }
}

@Composable
private fun AchievementCard(a: Achievement, intents: AchievementsIntents) {
    var confirming by remember { mutableStateOf(false) }
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text(a.title, style = MaterialTheme.typography.bodyLarge)
            Text("${categoryName(a.categoryDefaultKey, a.categoryName)} · ${typeName(a.typeDefaultKey, a.typeName)} · ${date(a.achievedOn)}", style = MaterialTheme.typography.bodySmall)
            a.description?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
            Row(verticalAlignment = Alignment.CenterVertically) {
                Text(
                    stringResource(a.status.label()),
                    Modifier.weight(1f),
                    style = MaterialTheme.typography.labelLarge,
                    color = statusColor(a.status),
                )
                Text(stringResource(R.string.achievement_points, a.points.toInt()), style = MaterialTheme.typography.labelLarge)
            }
            a.review?.let { r ->
                Text(stringResource(R.string.achievement_reviewed_by, r.reviewerName), style = MaterialTheme.typography.bodySmall)
                r.comment?.let { Text(stringResource(R.string.achievement_comment, it), style = MaterialTheme.typography.bodyMedium) }
            }
            Row {
                if (a.hasEvidence) TextButton(onClick = { intents.openEvidence(a.id) }) { Text(stringResource(R.string.achievement_show_evidence)) }
                // offered only where the core allows it (until a manager reviews it); the core still checks
                if (a.canDelete) TextButton(onClick = { confirming = true }) { Text(stringResource(R.string.achievement_delete)) }
            }
        }
    }
    if (confirming) {
        AlertDialog(
            onDismissRequest = { confirming = false },
            text = { Text(stringResource(R.string.achievement_delete_confirm)) },
            confirmButton = { TextButton(onClick = { confirming = false; intents.delete(a.id) }) { Text(stringResource(R.string.achievement_delete)) } },
            dismissButton = { TextButton(onClick = { confirming = false }) { Text(stringResource(R.string.action_cancel)) } },
        )
    }
}

@Composable
private fun statusColor(status: AchievementStatus): Color = when (status) {
    AchievementStatus.PENDING -> MaterialTheme.colorScheme.onSurfaceVariant
    AchievementStatus.VERIFIED -> MaterialTheme.colorScheme.primary
    AchievementStatus.REJECTED -> MaterialTheme.colorScheme.error
}

@Composable
private fun AchievementForm(draft: AchievementDraft, state: AchievementsUiState, intents: AchievementsIntents) {
    AlertDialog(
        onDismissRequest = intents.close,
        title = { Text(stringResource(R.string.achievements_new)) },
        text = {
            Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                ErrorBanner(state.error?.takeIf { it.field == null })
                TypePicker(state, intents)
                OutlinedTextField(
                    value = draft.title,
                    onValueChange = intents.setTitle,
                    label = { Text(stringResource(R.string.achievement_title)) },
                    isError = fieldError(state.error, "title") != null,
                    supportingText = supportingText(fieldError(state.error, "title")),
                    singleLine = true,
                    modifier = Modifier.fillMaxWidth(),
                )
                DateField(stringResource(R.string.achievement_date), draft.achievedOn, intents.setDate)
                fieldError(state.error, "achieved_on")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
                OutlinedTextField(
                    value = draft.description,
                    onValueChange = intents.setDescription,
                    label = { Text(stringResource(R.string.achievement_description)) },
                    isError = fieldError(state.error, "description") != null,
                    supportingText = supportingText(fieldError(state.error, "description")),
                    modifier = Modifier.fillMaxWidth(),
                )
                Evidence(draft, state, intents)
            }
        },
        confirmButton = { TextButton(onClick = intents.submit, enabled = !state.busy) { Text(stringResource(R.string.action_save)) } },
        dismissButton = { TextButton(onClick = intents.close) { Text(stringResource(R.string.action_cancel)) } },
    )
}

@Composable
private fun TypePicker(state: AchievementsUiState, intents: AchievementsIntents) {
    var menu by remember { mutableStateOf(false) }
    val picked = state.pickedType
    Box {
        OutlinedButton(onClick = { menu = true }, modifier = Modifier.fillMaxWidth()) {
            Text(stringResource(R.string.achievement_type) + ": " + (picked?.let { typeName(it.defaultKey, it.name) } ?: stringResource(R.string.achievement_type_pick)))
        }
        DropdownMenu(expanded = menu, onDismissRequest = { menu = false }) {
            state.choices.forEach { choice ->
                DropdownMenuItem(
                    text = { Text(categoryName(choice.category.defaultKey, choice.category.name), style = MaterialTheme.typography.titleSmall) },
                    onClick = {},
                    enabled = false,
                )
                choice.types.forEach { t ->
                    DropdownMenuItem(
                        text = { Text(typeName(t.defaultKey, t.name) + " · " + stringResource(R.string.achievement_points, t.points.toInt())) },
                        onClick = { menu = false; intents.pickType(t.id) },
                    )
                }
            }
        }
    }
    fieldError(state.error, "type_id")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
}

@Composable
private fun Evidence(draft: AchievementDraft, state: AchievementsUiState, intents: AchievementsIntents) {
    Text(stringResource(R.string.achievement_evidence), style = MaterialTheme.typography.titleSmall)
    if (draft.evidence != null) Text(stringResource(R.string.achievement_evidence_attached), style = MaterialTheme.typography.bodyMedium)
    Row {
        TextButton(onClick = intents.pickEvidence) { Text(stringResource(R.string.achievement_evidence_pick)) }
        TextButton(onClick = intents.takeEvidence) { Text(stringResource(R.string.achievement_evidence_take)) }
    }
    if (draft.evidence != null) TextButton(onClick = intents.removeEvidence) { Text(stringResource(R.string.achievement_evidence_remove)) }
    fieldError(state.error, "evidence")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    Text(stringResource(R.string.achievement_evidence_hint), style = MaterialTheme.typography.bodySmall)
}

@Composable
private fun EvidenceDialog(evidence: EvidenceView, onClose: () -> Unit) {
    val bitmap = remember(evidence) { evidence.photo?.let { BitmapFactory.decodeByteArray(it, 0, it.size)?.asImageBitmap() } }
    AlertDialog(
        onDismissRequest = onClose,
        text = {
            if (bitmap != null) {
                Image(bitmap, contentDescription = stringResource(R.string.achievement_evidence), contentScale = ContentScale.Fit, modifier = Modifier.fillMaxWidth())
            }
        },
        confirmButton = { TextButton(onClick = onClose) { Text(stringResource(R.string.action_ok)) } },
    )
}
