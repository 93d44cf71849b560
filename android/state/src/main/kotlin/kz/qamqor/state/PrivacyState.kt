package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.PrivacyView
import kz.qamqor.core.RiskHistoryEntry

/** A file of the export, ready for the share sheet. */
data class ExportedFile(val name: String, val mimeType: String, val content: String)

/** Formats of the export. */
enum class ExportFormat { JSON, CSV }

/**
 * Asking for the account's deletion. The server has no endpoint for it yet, so the screen says
 * whom to ask ([organisation]'s administrators; null when the organisation is not known yet) and
 * offers to export everything first.
 */
data class DeletionRequest(val organisation: String?)

data class PrivacyUiState(
    val loading: Boolean = true,
    /** Exactly what the manager sees, what only groups show, what stays with the person (the core's). */
    val view: PrivacyView? = null,
    /** The latest assessment kept on the phone (what is shared of it is in [view]); null before the first. */
    val latestAssessment: RiskHistoryEntry? = null,
    val exporting: Boolean = false,
    /** The export, until the share sheet took it. */
    val export: List<ExportedFile>? = null,
    val deletion: DeletionRequest? = null,
    val error: UiError? = null,
)

/** The privacy centre: who sees what, the export of all the person's data, and how to ask for deletion. */
class PrivacyState(scope: CoroutineScope, access: CoreAccess) : StateHolder<PrivacyUiState>(PrivacyUiState(), scope, access) {

    override fun refresh(): Job = launch {
        // read only: showing the latest assessment never assesses again nor writes
        when (val view = access.call { it.privacyView() to it.latestRiskAssessment() }) {
            is Outcome.Ok -> update { it.copy(loading = false, view = view.value.first, latestAssessment = view.value.second) }
            is Outcome.Failed -> update { it.copy(loading = false, error = view.error) }
        }
    }

    /** Exports everything on this phone: one JSON document, or one CSV file per kind of record. */
    fun export(format: ExportFormat): Job = launch {
        update { it.copy(exporting = true, error = null) }
        val files = access.call { core ->
            val stamp = core.today()
            when (format) {
                ExportFormat.JSON -> listOf(ExportedFile("qamqor-$stamp.json", "application/json", core.exportJson()))
                ExportFormat.CSV -> core.exportCsv().map { ExportedFile("qamqor-$stamp-${it.name}", "text/csv", it.content) }
            }
        }
        update { it.copy(exporting = false, export = files.valueOrNull(), error = files.errorOrNull()) }
    }

    /** The share sheet has the files. */
    fun exportShared() = update { it.copy(export = null) }

    /** Shows whom to ask for deletion (and the export, to do first). */
    fun requestDeletion() = update { it.copy(deletion = DeletionRequest(it.view?.organisation)) }

    fun dismissDeletion() = update { it.copy(deletion = null) }
}
