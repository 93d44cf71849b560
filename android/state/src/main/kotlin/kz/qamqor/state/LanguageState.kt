package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.first
import kz.qamqor.core.Language
import kz.qamqor.core.Profile
import kz.qamqor.core.ProfileInput

/** Where the language in force comes from. */
enum class LanguageSource {
    /** The phone's language (nothing chosen yet). */
    PHONE,

    /** Chosen in the app before the profile existed. */
    CHOICE,

    /** The profile's language (synced to the person's other devices). */
    PROFILE,
}

data class LanguageUiState(
    val language: Language,
    val source: LanguageSource = LanguageSource.PHONE,
    val error: UiError? = null,
)

/**
 * The app's language: the profile's once the profile is filled in, else the one chosen in the
 * app, else the phone's ([phoneLanguage], from the system locale). The app applies
 * [LanguageUiState.language] with AppCompatDelegate.setApplicationLocales.
 */
class LanguageState(
    scope: CoroutineScope,
    access: CoreAccess,
    private val settings: SettingsStore,
    private val phoneLanguage: Language,
) : StateHolder<LanguageUiState>(LanguageUiState(phoneLanguage), scope, access) {

    override fun refresh(): Job = launch {
        val chosen = settings.settings.first().language
        when (val profile = access.call { it.profile() }) {
            is Outcome.Ok -> update { resolve(profile.value, chosen) }
            is Outcome.Failed -> update { it.copy(error = profile.error) }
        }
    }

    /** Switches the app to [language]: saved in the profile when there is one, else in the app's settings. */
    fun select(language: Language): Job = launch {
        val profile = when (val p = access.call { it.profile() }) {
            is Outcome.Ok -> p.value
            is Outcome.Failed -> return@launch update { it.copy(error = p.error) }
        }
        if (profile.updatedAt != null) {
            when (val saved = access.write { it.updateProfile(profile.toInput().copy(language = language)) }) {
                is Outcome.Ok -> update { LanguageUiState(saved.value.language, LanguageSource.PROFILE) }
                is Outcome.Failed -> update { it.copy(error = saved.error) }
            }
        } else {
            settings.update { it.copy(language = language) }
            update { LanguageUiState(language, LanguageSource.CHOICE) }
        }
    }

    private fun resolve(profile: Profile, chosen: Language?): LanguageUiState = when {
        profile.updatedAt != null -> LanguageUiState(profile.language, LanguageSource.PROFILE)
        chosen != null -> LanguageUiState(chosen, LanguageSource.CHOICE)
        else -> LanguageUiState(phoneLanguage, LanguageSource.PHONE)
    }

    companion object {
        /** The app's language for a locale's language tag (`kk`, `ru-KZ`); English for any other. */
        fun fromLocaleTag(tag: String): Language = when (tag.substringBefore('-').substringBefore('_').lowercase()) {
            "kk" -> Language.KK
            "ru" -> Language.RU
            else -> Language.EN
        }

        /** The locale tag the app applies for a language. */
        fun localeTag(language: Language): String = when (language) {
            Language.KK -> "kk"
            Language.RU -> "ru"
            Language.EN -> "en"
        }
    }
}

/** The profile's editable fields, to save it back with one of them changed. */
fun Profile.toInput() = ProfileInput(
    name = name,
    department = department,
    position = position,
    qualificationLevel = qualificationLevel,
    schedule = schedule,
    remoteWork = remoteWork,
    language = language,
)
