package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.Language
import kz.qamqor.core.Profile
import kz.qamqor.core.ProfileInput
import kz.qamqor.core.QamqorCoreInterface
import kz.qamqor.core.SyncAccount
import kz.qamqor.core.Weekday

data class ProfileUiState(
    val loading: Boolean = true,
    val profile: Profile? = null,
    /** The form: the saved profile's fields until the person edits them. */
    val draft: ProfileInput? = null,
    /** The stored photo (JPEG, as the core processed it). */
    val photo: ByteArray? = null,
    val account: SyncAccount? = null,
    val busy: Boolean = false,
    /** The form differs from the saved profile. */
    val dirty: Boolean = false,
    /** [UiError.field] is the core's: `name`, `qualification_level`, `schedule.time_zone`, `photo`... */
    val error: UiError? = null,
) {
    /** The profile was never filled in: the screen invites the person to. */
    val isNew: Boolean get() = profile?.updatedAt == null
}

/**
 * The profile: name, work, schedule, language and photo. The photo is processed by the core
 * (any JPEG, PNG or WebP; resized, turned upright, its metadata dropped).
 */
class ProfileState(
    scope: CoroutineScope,
    access: CoreAccess,
    /** The language in force, for the form of a profile never saved (LanguageState). */
    private val language: () -> Language,
) : StateHolder<ProfileUiState>(ProfileUiState(), scope, access) {

    override fun refresh(): Job = launch {
        val loaded = access.call { core -> Triple(core.profile(), core.profilePhoto(), core.syncStatus().account) }
        when (loaded) {
            is Outcome.Ok -> {
                val (profile, photo, account) = loaded.value
                update {
                    it.copy(
                        loading = false,
                        profile = profile,
                        photo = photo,
                        account = account,
                        draft = if (it.dirty && it.draft != null) it.draft else formOf(profile),
                    )
                }
            }
            is Outcome.Failed -> update { it.copy(loading = false, error = loaded.error) }
        }
    }

    /** Changes the form (`edit { it.copy(position = "QA") }`). */
    fun edit(transform: (ProfileInput) -> ProfileInput) = update { s ->
        val draft = s.draft?.let(transform) ?: return@update s
        s.copy(draft = draft, dirty = s.profile?.let { draft != formOf(it) } ?: true, error = null)
    }

    fun toggleWorkingDay(day: Weekday) = edit { p ->
        val days = p.schedule.workingDays
        p.copy(schedule = p.schedule.copy(workingDays = if (day in days) days - day else (days + day).sortedBy { it.ordinal }))
    }

    /** Saves the form; a value the core refuses stays in the form with its field marked. */
    fun save(): Job = launch {
        val draft = current.draft ?: return@launch
        update { it.copy(busy = true, error = null) }
        when (val saved = access.write { it.updateProfile(draft) }) {
            is Outcome.Ok -> update { it.copy(busy = false, profile = saved.value, draft = formOf(saved.value), dirty = false) }
            is Outcome.Failed -> update { it.copy(busy = false, error = saved.error) }
        }
    }

    /** Takes a picked or photographed image as it is: the core checks and processes it. */
    fun setPhoto(image: ByteArray): Job = photoChange { it.setProfilePhoto(image) }

    fun removePhoto(): Job = photoChange { it.removeProfilePhoto() }

    fun dismissError() = update { it.copy(error = null) }

    private fun photoChange(block: (QamqorCoreInterface) -> Profile): Job = launch {
        update { it.copy(busy = true, error = null) }
        when (val changed = access.write { core -> block(core) to core.profilePhoto() }) {
            is Outcome.Ok -> update { it.copy(busy = false, profile = changed.value.first, photo = changed.value.second) }
            is Outcome.Failed -> update { it.copy(busy = false, error = changed.error) }
        }
    }

    /** The form of a saved profile; a new one starts in the app's language. */
    private fun formOf(profile: Profile): ProfileInput =
        if (profile.updatedAt == null) profile.toInput().copy(language = language()) else profile.toInput()
}
