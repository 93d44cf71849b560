package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.first
import kz.qamqor.core.Language
import kz.qamqor.core.PrivacyView
import kz.qamqor.core.SyncAccount

/** Joining with an invitation code, or signing in to an existing account (a second phone). */
enum class OnboardingMode { REGISTER, SIGN_IN }

enum class OnboardingStep {
    /** Server address and invitation code, or email and password. */
    CONNECT,

    /** What the app records, what it never records, and who can see what. */
    PRIVACY,

    /** Onboarding is over: the app shows its screens. */
    DONE,
}

data class OnboardingUiState(
    /** Not known yet whether onboarding was done (the app shows nothing rather than a flash of the form). */
    val loading: Boolean = true,
    val step: OnboardingStep = OnboardingStep.CONNECT,
    val mode: OnboardingMode = OnboardingMode.REGISTER,
    val serverUrl: String = "",
    val inviteCode: String = "",
    val email: String = "",
    val name: String = "",
    val password: String = "",
    val busy: Boolean = false,
    /** Why joining or signing in failed; [UiError.field] names the input (`server_url`, `email`). */
    val error: UiError? = null,
    val account: SyncAccount? = null,
    /** Who sees what: the organisation's policy once the first sync brought it, the private default before. */
    val privacy: PrivacyView? = null,
    /** The first sync did not complete: onboarding goes on, the sync status shows it with a retry. */
    val firstSyncError: UiError? = null,
)

/**
 * Onboarding: register with the server address and invitation code, or sign in; then the privacy
 * step, with the organisation's policy from the server. The person can also go on without an
 * account: everything works on the phone alone, and signing in later sends what was recorded.
 */
class OnboardingState(
    scope: CoroutineScope,
    access: CoreAccess,
    private val settings: SettingsStore,
    private val deviceName: String,
    /** Signing in later, from the app (after starting without an account): the same steps, whatever onboarding said. */
    private val later: Boolean = false,
    /** The language in force (LanguageState), saved in the profile made at registration. */
    private val language: () -> Language,
) : StateHolder<OnboardingUiState>(OnboardingUiState(), scope, access) {

    override fun refresh(): Job = launch {
        val done = settings.settings.first().onboardingDone && !later
        val loaded = access.call { it.syncStatus() to it.privacyView() }
        when (loaded) {
            is Outcome.Ok -> {
                val (status, privacy) = loaded.value
                update {
                    it.copy(
                        loading = false,
                        step = when {
                            done || it.step == OnboardingStep.DONE -> OnboardingStep.DONE
                            status.signedIn -> OnboardingStep.PRIVACY
                            else -> it.step
                        },
                        account = status.account,
                        privacy = privacy,
                    )
                }
            }
            is Outcome.Failed -> update { it.copy(loading = false, step = if (done) OnboardingStep.DONE else it.step, error = loaded.error) }
        }
    }

    fun setMode(mode: OnboardingMode) = update { it.copy(mode = mode, error = null) }
    fun setServerUrl(value: String) = update { it.copy(serverUrl = value, error = it.error.clearedFor("server_url")) }
    fun setInviteCode(value: String) = update { it.copy(inviteCode = value, error = it.error.clearedFor("code")) }
    fun setEmail(value: String) = update { it.copy(email = value, error = it.error.clearedFor("email")) }
    fun setName(value: String) = update { it.copy(name = value, error = it.error.clearedFor("name")) }
    fun setPassword(value: String) = update { it.copy(password = value, error = it.error.clearedFor("password")) }

    /** Registers or signs in, syncs once (for the organisation's policy), and shows the privacy step. */
    fun submit(): Job = launch {
        val s = current
        if (s.busy) return@launch
        update { it.copy(busy = true, error = null) }
        val signedIn = access.call { core ->
            when (s.mode) {
                OnboardingMode.REGISTER -> core.register(s.serverUrl, s.inviteCode, s.email, s.name, s.password, deviceName)
                OnboardingMode.SIGN_IN -> core.signIn(s.serverUrl, s.email, s.password, deviceName)
            }
        }
        val account = when (signedIn) {
            is Outcome.Failed -> return@launch update { it.copy(busy = false, error = signedIn.error) }
            is Outcome.Ok -> signedIn.value
        }
        // The name given at registration starts the profile, so it is not asked twice.
        val profileError = if (s.mode == OnboardingMode.REGISTER) startProfile(s.name) else null
        val synced = access.call { it.sync(null) }
        if (synced is Outcome.Ok) access.changed()
        val privacy = access.call { it.privacyView() }
        update {
            it.copy(
                busy = false,
                step = OnboardingStep.PRIVACY,
                account = account,
                password = "",
                privacy = privacy.valueOrNull() ?: it.privacy,
                error = profileError ?: privacy.errorOrNull(),
                firstSyncError = synced.errorOrNull(),
            )
        }
    }

    /** Uses the app on this phone only, for now. */
    fun continueWithoutAccount(): Job = launch {
        val privacy = access.call { it.privacyView() }
        update { it.copy(step = OnboardingStep.PRIVACY, privacy = privacy.valueOrNull() ?: it.privacy, error = privacy.errorOrNull()) }
    }

    /** Back from the privacy step to the form (only before an account exists). */
    fun back() = update { if (it.account == null) it.copy(step = OnboardingStep.CONNECT) else it }

    /** The person has read the privacy step: onboarding is over. */
    fun finish(): Job = launch {
        settings.update { it.copy(onboardingDone = true) }
        update { it.copy(step = OnboardingStep.DONE) }
    }

    private suspend fun startProfile(name: String): UiError? {
        val profile = when (val p = access.call { it.profile() }) {
            is Outcome.Ok -> p.value
            is Outcome.Failed -> return p.error
        }
        if (profile.updatedAt != null) return null
        return access.write { it.updateProfile(profile.toInput().copy(name = name, language = language())) }.errorOrNull()
    }
}

/** The error stays unless it was about [field], which the person is now editing. */
internal fun UiError?.clearedFor(field: String): UiError? = this?.takeUnless { it.field == field }
