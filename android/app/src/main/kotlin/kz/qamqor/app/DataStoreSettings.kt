package kz.qamqor.app

import android.content.Context
import androidx.datastore.preferences.core.Preferences
import androidx.datastore.preferences.core.booleanPreferencesKey
import androidx.datastore.preferences.core.edit
import androidx.datastore.preferences.core.stringPreferencesKey
import androidx.datastore.preferences.preferencesDataStore
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.map
import kz.qamqor.core.Language
import kz.qamqor.state.AppSettings
import kz.qamqor.state.ReminderKind
import kz.qamqor.state.SettingsStore

private val Context.dataStore by preferencesDataStore(name = "settings")

/** [AppSettings] in a Preferences DataStore (the app's switches; the person's data is in the core). */
class DataStoreSettings(context: Context) : SettingsStore {
    private val store = context.applicationContext.dataStore

    override val settings: Flow<AppSettings> = store.data.map(::read)

    override suspend fun update(transform: (AppSettings) -> AppSettings) {
        store.edit { prefs ->
            val next = transform(read(prefs))
            prefs[ONBOARDING_DONE] = next.onboardingDone
            prefs[BACKGROUND_SYNC] = next.backgroundSync
            prefs[CHECK_IN_REMINDER] = next.checkInReminder
            prefs[LONG_DAY_REMINDER] = next.longDayReminder
            prefs[QUESTIONNAIRE_REMINDER] = next.questionnaireReminder
            if (next.language != null) prefs[LANGUAGE] = next.language!!.name else prefs.remove(LANGUAGE)
            for (kind in ReminderKind.entries) {
                val date = next.lastReminded[kind]
                if (date != null) prefs[reminded(kind)] = date else prefs.remove(reminded(kind))
            }
        }
    }

    /** The settings now (for the workers). */
    suspend fun current(): AppSettings = settings.first()

    private fun read(p: Preferences): AppSettings {
        val defaults = AppSettings()
        return AppSettings(
            onboardingDone = p[ONBOARDING_DONE] ?: defaults.onboardingDone,
            backgroundSync = p[BACKGROUND_SYNC] ?: defaults.backgroundSync,
            checkInReminder = p[CHECK_IN_REMINDER] ?: defaults.checkInReminder,
            longDayReminder = p[LONG_DAY_REMINDER] ?: defaults.longDayReminder,
            questionnaireReminder = p[QUESTIONNAIRE_REMINDER] ?: defaults.questionnaireReminder,
            language = p[LANGUAGE]?.let { name -> Language.entries.firstOrNull { it.name == name } },
            lastReminded = ReminderKind.entries.mapNotNull { kind -> p[reminded(kind)]?.let { kind to it } }.toMap(),
        )
    }

    private companion object {
        val ONBOARDING_DONE = booleanPreferencesKey("onboarding_done")
        val BACKGROUND_SYNC = booleanPreferencesKey("background_sync")
        val CHECK_IN_REMINDER = booleanPreferencesKey("check_in_reminder")
        val LONG_DAY_REMINDER = booleanPreferencesKey("long_day_reminder")
        val QUESTIONNAIRE_REMINDER = booleanPreferencesKey("questionnaire_reminder")
        val LANGUAGE = stringPreferencesKey("language")

        fun reminded(kind: ReminderKind) = stringPreferencesKey("last_reminded_${kind.name.lowercase()}")
    }
}
