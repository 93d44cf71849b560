package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kz.qamqor.core.Language

/** The app's own preferences (not the person's data, which the core keeps). */
data class AppSettings(
    /** Onboarding was finished (with an account, or to use the app on this phone only). */
    val onboardingDone: Boolean = false,
    /** Sync in the background on a schedule and when the network returns. */
    val backgroundSync: Boolean = true,
    /** Remind about the daily check-in. */
    val checkInReminder: Boolean = true,
    /** Say so, gently, on a very long day. */
    val longDayReminder: Boolean = true,
    /** Remind when the burnout questionnaire is due. */
    val questionnaireReminder: Boolean = true,
    /**
     * The language chosen in the app before the profile exists (null: the phone's). Once the
     * profile is saved, its language is the one in force.
     */
    val language: Language? = null,
    /** The local date (YYYY-MM-DD) each reminder was last shown, so each comes at most once a day. */
    val lastReminded: Map<ReminderKind, String> = emptyMap(),
)

/** Where [AppSettings] live: DataStore in the app, memory in tests. */
interface SettingsStore {
    val settings: Flow<AppSettings>

    suspend fun update(transform: (AppSettings) -> AppSettings)
}

/** Settings kept in memory (tests, previews). */
class InMemorySettingsStore(initial: AppSettings = AppSettings()) : SettingsStore {
    private val flow = MutableStateFlow(initial)
    override val settings: Flow<AppSettings> = flow.asStateFlow()

    override suspend fun update(transform: (AppSettings) -> AppSettings) = flow.update(transform)
}

/** The switches of the settings screen: background sync and each reminder. */
class SettingsState(private val store: SettingsStore, private val scope: CoroutineScope) {
    private val mutable = MutableStateFlow(AppSettings())
    val state = mutable.asStateFlow()

    fun refresh(): Job = scope.launch { mutable.value = store.settings.first() }

    fun setBackgroundSync(on: Boolean) = change { it.copy(backgroundSync = on) }

    fun setCheckInReminder(on: Boolean) = change { it.copy(checkInReminder = on) }

    fun setLongDayReminder(on: Boolean) = change { it.copy(longDayReminder = on) }

    fun setQuestionnaireReminder(on: Boolean) = change { it.copy(questionnaireReminder = on) }

    private fun change(transform: (AppSettings) -> AppSettings): Job = scope.launch {
        store.update(transform)
        mutable.value = store.settings.first()
    }
}
