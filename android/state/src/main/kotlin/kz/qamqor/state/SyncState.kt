package kz.qamqor.state

import java.time.Instant
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.SyncObserver
import kz.qamqor.core.SyncPhase
import kz.qamqor.core.SyncProgress
import kz.qamqor.core.SyncReport
import kz.qamqor.core.SyncStatus

data class SyncUiState(
    val status: SyncStatus? = null,
    val syncing: Boolean = false,
    /** The running sync's last report (pushing, pulling, waiting to retry). */
    val progress: SyncProgress? = null,
    /** Why the last sync did not complete (also after a restart: the core keeps it), with its action. */
    val error: UiError? = null,
    val lastReport: SyncReport? = null,
) {
    val signedIn: Boolean get() = status?.signedIn == true
    val pendingChanges: Long get() = status?.pendingChanges?.toLong() ?: 0
    val lastSuccessAt: Instant? get() = status?.lastSuccessAt

    /** Offline or the server is unreachable while syncing: the core retries on its own. */
    val waitingToRetry: Boolean get() = syncing && progress?.phase == SyncPhase.WAITING_TO_RETRY
}

/**
 * The sync status shown on every screen that has data (pending changes, last sync, the error
 * with a retry), and the sync itself. One per app: the background work runs through it too, so
 * the screens see that work as well. Nothing waits for it: everything works offline.
 */
class SyncState(scope: CoroutineScope, access: CoreAccess) : StateHolder<SyncUiState>(SyncUiState(), scope, access) {
    private var running: Job? = null

    override fun refresh(): Job = launch {
        when (val s = access.call { it.syncStatus() }) {
            is Outcome.Ok -> update { it.copy(status = s.value, error = if (it.syncing) it.error else s.value.lastError()) }
            is Outcome.Failed -> update { it.copy(error = s.error) }
        }
    }

    /** Pushes what is waiting and pulls what is new; a second call while one runs joins it. */
    @Synchronized
    fun syncNow(): Job {
        running?.let { if (it.isActive) return it }
        val observer = object : SyncObserver {
            override fun onProgress(progress: SyncProgress) = update { it.copy(progress = progress) }
        }
        return launch {
            update { it.copy(syncing = true, progress = null, error = null) }
            val outcome = access.call { it.sync(observer) }
            val report = outcome.valueOrNull()
            if (report != null && report.applied > 0uL) access.changed()
            val status = access.call { it.syncStatus() }.valueOrNull()
            update {
                it.copy(
                    syncing = false,
                    progress = null,
                    status = status ?: it.status,
                    lastReport = report ?: it.lastReport,
                    error = outcome.errorOrNull()?.takeUnless { e -> e.key == ErrorKey.SYNC_CANCELLED },
                )
            }
        }.also { running = it }
    }

    /** The retry button: the same as [syncNow]. */
    fun retry(): Job = syncNow()

    /** Stops the running sync; what completed stays done. */
    fun cancel(): Job = launch { access.call { it.cancelSync() } }

    /** Signs out; the data and the unsent changes stay on the phone. */
    fun signOut(): Job = launch {
        val outcome = access.call { it.signOut() }
        update { it.copy(error = outcome.errorOrNull()) }
        refresh().join()
    }
}

/** The last sync's error, unless it no longer applies (cancelled; a sign-in error after signing in). */
private fun SyncStatus.lastError(): UiError? {
    val error = lastErrorKind?.let { syncErrorFromStatus(it, lastErrorCode, lastError) } ?: return null
    return when {
        error.key == ErrorKey.SYNC_CANCELLED -> null
        signedIn && error.action == ErrorAction.SIGN_IN -> null
        else -> error
    }
}
