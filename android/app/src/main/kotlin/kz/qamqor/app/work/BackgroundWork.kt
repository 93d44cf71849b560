package kz.qamqor.app.work

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.flow.first
import kz.qamqor.app.graph
import kz.qamqor.state.AppSettings
import kz.qamqor.state.ErrorKey
import kz.qamqor.state.Outcome
import kz.qamqor.state.SettingsStore

/**
 * The work the phone does in the background: sync every hour while online and once as soon as
 * the network is there after a change, and the reminders check. Each follows its switch.
 */
object BackgroundWork {
    private const val PERIODIC_SYNC = "qamqor.sync.periodic"
    private const val SYNC_WHEN_ONLINE = "qamqor.sync.when-online"
    private const val REMINDERS = "qamqor.reminders"

    private val online = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()

    /** Schedules or cancels the periodic work after the settings changed. */
    fun apply(context: Context, settings: AppSettings) {
        val work = WorkManager.getInstance(context)
        if (settings.backgroundSync) {
            val periodic = PeriodicWorkRequestBuilder<SyncWorker>(1, TimeUnit.HOURS).setConstraints(online).build()
            work.enqueueUniquePeriodicWork(PERIODIC_SYNC, ExistingPeriodicWorkPolicy.KEEP, periodic)
        } else {
            work.cancelUniqueWork(PERIODIC_SYNC)
            work.cancelUniqueWork(SYNC_WHEN_ONLINE)
        }
        if (settings.checkInReminder || settings.longDayReminder || settings.questionnaireReminder) {
            val check = PeriodicWorkRequestBuilder<ReminderWorker>(1, TimeUnit.HOURS).build()
            work.enqueueUniquePeriodicWork(REMINDERS, ExistingPeriodicWorkPolicy.KEEP, check)
        } else {
            work.cancelUniqueWork(REMINDERS)
        }
    }

    /**
     * One sync as soon as the phone is online (at once when it is), unless background sync is off.
     * An already waiting one covers new changes too: a sync sends everything waiting when it runs.
     */
    suspend fun syncWhenOnline(context: Context, settings: SettingsStore) {
        if (!settings.settings.first().backgroundSync) return
        val request = OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(online)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(SYNC_WHEN_ONLINE, ExistingWorkPolicy.KEEP, request)
    }
}

/** Runs a sync through the app's SyncState, so the screens show it; retries later when the network or server failed. */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val graph = applicationContext.graph
        if (graph.core == null || !graph.settings.current().backgroundSync) return Result.success()
        val sync = graph.sync
        try {
            sync.syncNow().join()
        } catch (e: CancellationException) {
            sync.cancel() // WorkManager stopped us (constraints lost): stop the core's sync too
            throw e
        }
        return when (sync.state.value.error?.key) {
            null -> Result.success()
            // nothing is lost; WorkManager tries again with its backoff
            ErrorKey.SYNC_NETWORK, ErrorKey.SYNC_SERVER -> if (runAttemptCount < MAX_ATTEMPTS) Result.retry() else Result.success()
            // the rest needs the person (sign in, update the app): the screens show it
            else -> Result.success()
        }
    }

    private companion object {
        const val MAX_ATTEMPTS = 5
    }
}

/** Shows the reminders that are due (the core's nudges, the person's switches, once a day each). */
class ReminderWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val graph = applicationContext.graph
        if (graph.core == null) return Result.success()
        val due = graph.reminders.takeDue()
        if (due is Outcome.Ok) due.value.forEach { Notifications.show(applicationContext, it) }
        return Result.success()
    }
}
