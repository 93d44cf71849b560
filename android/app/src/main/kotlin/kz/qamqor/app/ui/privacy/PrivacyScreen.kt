package kz.qamqor.app.ui.privacy

import android.content.Context
import android.content.Intent
import android.net.Uri
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.core.content.FileProvider
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import java.io.File
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.Loading
import kz.qamqor.app.ui.common.Section
import kz.qamqor.app.ui.common.date
import kz.qamqor.app.ui.common.dateTime
import kz.qamqor.app.ui.common.label
import kz.qamqor.app.ui.rememberHolder
import kz.qamqor.core.DataKind
import kz.qamqor.core.DeletionRequestStatus
import kz.qamqor.core.PrivacyPolicy
import kz.qamqor.core.PrivacyView
import kz.qamqor.state.ExportFormat
import kz.qamqor.state.ExportedFile
import kz.qamqor.state.PrivacyState
import kz.qamqor.state.PrivacyUiState

@Composable
fun PrivacyRoute() {
    val holder = rememberHolder { scope, graph -> PrivacyState(scope, graph.access) }
    val state by holder.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    LaunchedEffect(state.export) {
        state.export?.let { files ->
            share(context, files)
            holder.exportShared()
        }
    }
    PrivacyScreen(
        state,
        onExport = { holder.export(it) },
        onRequestDeletion = holder::requestDeletion,
        onConfirmDeletion = { holder.confirmDeletion() },
        onDismissDeletion = holder::dismissDeletion,
        onRetry = { holder.refresh() },
    )
}

/** The privacy centre: exactly what the manager sees, the export, and how to ask for deletion. Stateless. */
@Composable
fun PrivacyScreen(
    state: PrivacyUiState,
    onExport: (ExportFormat) -> Unit,
    onRequestDeletion: () -> Unit,
    onConfirmDeletion: () -> Unit,
    onDismissDeletion: () -> Unit,
    onRetry: () -> Unit,
) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        ErrorBanner(state.error, onRetry = onRetry)
        val view = state.view
        if (state.loading && view == null) {
            Loading()
            return@Column
        }
        if (view != null) Section(stringResource(R.string.privacy_who_sees_what)) {
            WhoSeesWhat(view)
            state.latestAssessment?.let { latest ->
                val level = latest.level?.let { stringResource(it.label()) } ?: stringResource(R.string.privacy_latest_assessment_no_level)
                Text(stringResource(R.string.privacy_latest_assessment, date(latest.localDate), level), style = MaterialTheme.typography.bodySmall)
            }
        }

        Section(stringResource(R.string.privacy_export_title)) {
            Text(stringResource(R.string.privacy_export_text))
            if (state.exporting) LinearProgressIndicator()
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { onExport(ExportFormat.JSON) }, enabled = !state.exporting) { Text(stringResource(R.string.privacy_export_json)) }
                OutlinedButton(onClick = { onExport(ExportFormat.CSV) }, enabled = !state.exporting) { Text(stringResource(R.string.privacy_export_csv)) }
            }
        }

        Section(stringResource(R.string.privacy_delete_title)) {
            val request = state.deletionRequest
            val prompt = state.deletion
            when {
                // the core says where the request is: on this phone, or with the organisation
                request != null -> Text(
                    stringResource(
                        if (request.status == DeletionRequestStatus.RECEIVED) R.string.privacy_delete_received else R.string.privacy_delete_waiting,
                        dateTime(request.requestedAt),
                    ),
                )
                !state.hasAccount -> Text(stringResource(R.string.privacy_delete_local))
                prompt == null -> {
                    Text(stringResource(R.string.privacy_delete_text))
                    OutlinedButton(onClick = onRequestDeletion) { Text(stringResource(R.string.privacy_delete_ask)) }
                }
                else -> Card(colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.secondaryContainer)) {
                    Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                        val who = prompt.organisation ?: stringResource(R.string.privacy_your_organisation)
                        Text(stringResource(R.string.privacy_delete_whom, who))
                        Text(stringResource(R.string.privacy_delete_export_first))
                        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                            Button(onClick = onConfirmDeletion, enabled = !state.requestingDeletion) { Text(stringResource(R.string.privacy_delete_confirm)) }
                            OutlinedButton(onClick = { onExport(ExportFormat.JSON) }) { Text(stringResource(R.string.privacy_export_json)) }
                            TextButton(onClick = onDismissDeletion) { Text(stringResource(R.string.action_close)) }
                        }
                    }
                }
            }
        }
    }
}

/** Who sees what, from the core's privacy view (also the onboarding's privacy step). */
@Composable
fun WhoSeesWhat(view: PrivacyView) {
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        val organisation = view.organisation ?: stringResource(R.string.privacy_your_organisation)
        Text(
            when (view.policy) {
                PrivacyPolicy.INDIVIDUAL -> stringResource(R.string.privacy_policy_individual, organisation)
                PrivacyPolicy.AGGREGATE -> stringResource(R.string.privacy_policy_aggregate, organisation, view.minGroupSize.toInt())
            },
        )
        if (view.organisation == null) Text(stringResource(R.string.privacy_policy_not_received), style = MaterialTheme.typography.bodySmall)
        Kinds(stringResource(R.string.privacy_manager_sees), view.managerSees)
        Kinds(stringResource(R.string.privacy_manager_sees_groups, view.minGroupSize.toInt()), view.managerSeesOnlyInGroups)
        Kinds(stringResource(R.string.privacy_your_devices_only), view.storedForYourDevicesOnly)
        Kinds(stringResource(R.string.privacy_never_leaves), view.neverLeavesThisPhone)
    }
}

@Composable
private fun Kinds(title: String, kinds: List<DataKind>) {
    if (kinds.isEmpty()) return
    Text(title, style = MaterialTheme.typography.titleSmall)
    kinds.forEach { Text("• " + stringResource(it.label()), style = MaterialTheme.typography.bodyMedium) }
}

/** Hands the exported files to the share sheet (written to the cache folder, shared through FileProvider). */
private fun share(context: Context, files: List<ExportedFile>) {
    val dir = File(context.cacheDir, "export").apply { deleteRecursively(); mkdirs() }
    val uris: List<Uri> = files.map { f ->
        val file = File(dir, f.name).apply { writeText(f.content) }
        FileProvider.getUriForFile(context, "${context.packageName}.export", file)
    }
    val intent = if (uris.size == 1) {
        Intent(Intent.ACTION_SEND).setType(files.single().mimeType).putExtra(Intent.EXTRA_STREAM, uris.single())
    } else {
        Intent(Intent.ACTION_SEND_MULTIPLE).setType("text/csv").putParcelableArrayListExtra(Intent.EXTRA_STREAM, ArrayList(uris))
    }
    intent.addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
    context.startActivity(Intent.createChooser(intent, context.getString(R.string.privacy_export_share)))
}
