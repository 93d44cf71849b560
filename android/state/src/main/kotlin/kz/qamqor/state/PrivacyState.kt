package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.DeletionRequest
import kz.qamqor.core.PrivacyView
import kz.qamqor.core.RiskHistoryEntry

/** A file of the export, ready for the share sheet. */
data class ExportedFile(val name: String, val mimeType: String, val content: String)

/** Formats of the export. */
enum class ExportFormat { JSON, CSV }

/**
 * The confirmation before asking for deletion: whom the request goes to ([organisation]'s
 * administrators; null while its settings have not arrived) and the export, to do first.
 */
data class DeletionPrompt(val organisation: String?)

data class PrivacyUiState(
    val loading: Boolean = true,
    /** Exactly what the manager sees, what only groups show, what stays with the person (the core's). */
    val view: PrivacyView? = null,
    /** The latest assessment kept on the phone (what is shared of it is in [view]); null before the first. */
    val latestAssessment: RiskHistoryEntry? = null,
    /** Whether the phone belongs to an organisation account (else the data is only here: nobody to ask). */
    val hasAccount: Boolean = false,
    val exporting: Boolean = false,
    /** The export, until the share sheet took it. */
    val export: List<ExportedFile>? = null,
    /** The confirmation being shown, before the request is made. */
    val deletion: DeletionPrompt? = null,
    /** The request once made, and where it is (the core's: waiting to be sent, or received). */
    val deletionRequest: DeletionRequest? = null,
    val requestingDeletion: Boolean = false,
    val error: UiError? = null,
)

/** The privacy centre: who sees what, the export of all the person's data, and the request for deletion. */
class PrivacyState(scope: CoroutineScope, access: CoreAccess) : StateHolder<PrivacyUiState>(PrivacyUiState(), scope, access) {

    private data class Loaded(val view: PrivacyView, val latest: RiskHistoryEntry?, val hasAccount: Boolean, val request: DeletionRequest?)

    override fun refresh(): Job = launch {
        // read only: showing the latest assessment never assesses again nor writes
        val loaded = access.call { Loaded(it.privacyView(), it.latestRiskAssessment(), it.syncStatus().account != null, it.deletionRequest()) }
        when (loaded) {
            is Outcome.Ok -> update {
                val l = loaded.value
                it.copy(loading = false, view = l.view, latestAssessment = l.latest, hasAccount = l.hasAccount, deletionRequest = l.request)
            }
            is Outcome.Failed -> update { it.copy(loading = false, error = loaded.error) }
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

    /** Shows whom the request goes to, with the export to do first, before asking. */
    fun requestDeletion() = update { it.copy(deletion = DeletionPrompt(it.view?.organisation), error = null) }

    /**
     * Asks for deletion: the core records the request on the phone at once (offline first) and
     * the next sync sends it; the screen shows it waiting, then received.
     */
    fun confirmDeletion(): Job = launch {
        update { it.copy(requestingDeletion = true, error = null) }
        val made = access.write { it.requestDeletion() }
        update {
            when (made) {
                is Outcome.Ok -> it.copy(requestingDeletion = false, deletion = null, deletionRequest = made.value)
                is Outcome.Failed -> it.copy(requestingDeletion = false, error = made.error)
            }
        }
    }

    fun dismissDeletion() = update { it.copy(deletion = null) }
}
