package kz.qamqor.app.ui.onboarding

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.SegmentedButton
import androidx.compose.material3.SegmentedButtonDefaults
import androidx.compose.material3.SingleChoiceSegmentedButtonRow
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.fieldError
import kz.qamqor.app.ui.common.supportingText
import kz.qamqor.app.ui.common.label
import kz.qamqor.app.ui.privacy.WhoSeesWhat
import kz.qamqor.core.Language
import kz.qamqor.state.OnboardingMode
import kz.qamqor.state.OnboardingState
import kz.qamqor.state.OnboardingStep
import kz.qamqor.state.OnboardingUiState

/** The intents of the onboarding screen (the state holder's methods). */
class OnboardingIntents(
    val setMode: (OnboardingMode) -> Unit,
    val setServerUrl: (String) -> Unit,
    val setInviteCode: (String) -> Unit,
    val setEmail: (String) -> Unit,
    val setName: (String) -> Unit,
    val setPassword: (String) -> Unit,
    val submit: () -> Unit,
    val continueWithoutAccount: () -> Unit,
    val back: () -> Unit,
    val finish: () -> Unit,
    val selectLanguage: (Language) -> Unit,
) {
    companion object {
        fun of(s: OnboardingState, selectLanguage: (Language) -> Unit) = OnboardingIntents(
            setMode = s::setMode,
            setServerUrl = s::setServerUrl,
            setInviteCode = s::setInviteCode,
            setEmail = s::setEmail,
            setName = s::setName,
            setPassword = s::setPassword,
            submit = { s.submit() },
            continueWithoutAccount = { s.continueWithoutAccount() },
            back = s::back,
            finish = { s.finish() },
            selectLanguage = selectLanguage,
        )
    }
}

/** Joining (server address and invitation code) or signing in, then who sees what. Stateless. */
@Composable
fun OnboardingScreen(state: OnboardingUiState, language: Language, intents: OnboardingIntents, signingInLater: Boolean = false) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).imePadding().padding(24.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        when (state.step) {
            OnboardingStep.CONNECT -> Connect(state, language, intents, signingInLater)
            OnboardingStep.PRIVACY, OnboardingStep.DONE -> Privacy(state, intents)
        }
    }
}

@OptIn(ExperimentalMaterial3Api::class)
@Composable
private fun Connect(state: OnboardingUiState, language: Language, intents: OnboardingIntents, signingInLater: Boolean) {
    Text(stringResource(R.string.app_name), style = MaterialTheme.typography.headlineLarge)
    Text(stringResource(R.string.onboarding_welcome), style = MaterialTheme.typography.bodyLarge)
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        Language.entries.forEach { l ->
            FilterChip(selected = l == language, onClick = { intents.selectLanguage(l) }, label = { Text(stringResource(l.label())) })
        }
    }
    SingleChoiceSegmentedButtonRow(Modifier.fillMaxWidth()) {
        OnboardingMode.entries.forEachIndexed { i, mode ->
            SegmentedButton(
                selected = state.mode == mode,
                onClick = { intents.setMode(mode) },
                shape = SegmentedButtonDefaults.itemShape(i, OnboardingMode.entries.size),
            ) {
                Text(stringResource(if (mode == OnboardingMode.REGISTER) R.string.onboarding_mode_register else R.string.onboarding_mode_sign_in))
            }
        }
    }
    Field(state.serverUrl, intents.setServerUrl, R.string.field_server_url, fieldError(state.error, "server_url"), KeyboardType.Uri, hint = R.string.field_server_url_hint)
    if (state.mode == OnboardingMode.REGISTER) {
        Field(state.inviteCode, intents.setInviteCode, R.string.field_invite_code, fieldError(state.error, "code"))
    }
    Field(state.email, intents.setEmail, R.string.field_email, fieldError(state.error, "email"), KeyboardType.Email)
    if (state.mode == OnboardingMode.REGISTER) {
        Field(state.name, intents.setName, R.string.field_name, fieldError(state.error, "name"))
    }
    OutlinedTextField(
        value = state.password,
        onValueChange = intents.setPassword,
        label = { Text(stringResource(R.string.field_password)) },
        visualTransformation = PasswordVisualTransformation(),
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password),
        isError = fieldError(state.error, "password") != null,
        supportingText = supportingText(fieldError(state.error, "password")),
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
    ErrorBanner(state.error?.takeIf { it.field == null || it.field !in FORM_FIELDS }, onRetry = intents.submit)
    Button(onClick = intents.submit, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) {
        if (state.busy) CircularProgressIndicator(Modifier.size(18.dp), strokeWidth = 2.dp)
        else Text(stringResource(if (state.mode == OnboardingMode.REGISTER) R.string.onboarding_join else R.string.onboarding_sign_in))
    }
    if (!signingInLater) {
        TextButton(onClick = intents.continueWithoutAccount, modifier = Modifier.fillMaxWidth()) {
            Text(stringResource(R.string.onboarding_without_account))
        }
        Text(stringResource(R.string.onboarding_without_account_hint), style = MaterialTheme.typography.bodySmall)
    }
}

private val FORM_FIELDS = setOf("server_url", "code", "email", "name", "password")

@Composable
private fun Field(value: String, onChange: (String) -> Unit, label: Int, error: String?, type: KeyboardType = KeyboardType.Text, hint: Int? = null) {
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(stringResource(label)) },
        placeholder = if (hint == null) null else { { Text(stringResource(hint)) } },
        isError = error != null,
        supportingText = supportingText(error),
        keyboardOptions = KeyboardOptions(keyboardType = type),
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
}

@Composable
private fun Privacy(state: OnboardingUiState, intents: OnboardingIntents) {
    Text(stringResource(R.string.onboarding_privacy_title), style = MaterialTheme.typography.headlineSmall)
    state.account?.let { Text(stringResource(R.string.onboarding_signed_in_as, it.email), style = MaterialTheme.typography.bodyMedium) }
    // a first sync that did not complete does not stop anything: the status bar will retry
    ErrorBanner(state.firstSyncError)
    ErrorBanner(state.error)
    Text(stringResource(R.string.privacy_records_title), style = MaterialTheme.typography.titleMedium)
    Text(stringResource(R.string.privacy_records_text))
    Text(stringResource(R.string.privacy_never_records_title), style = MaterialTheme.typography.titleMedium)
    Text(stringResource(R.string.privacy_never_records_text))
    state.privacy?.let { WhoSeesWhat(it) }
    Spacer(Modifier.height(8.dp))
    Button(onClick = intents.finish, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.onboarding_start)) }
    if (state.account == null) {
        TextButton(onClick = intents.back, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.action_back)) }
    }
}

@androidx.compose.ui.tooling.preview.Preview(showBackground = true)
@Composable
private fun OnboardingScreenPreview() {
    val none = OnboardingIntents({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})
    kz.qamqor.app.ui.theme.QamqorTheme {
        OnboardingScreen(OnboardingUiState(loading = false, serverUrl = "https://qamqor.example.kz"), Language.KK, none)
    }
}
