package kz.qamqor.app.ui.profile

import android.Manifest
import android.content.Context
import android.graphics.BitmapFactory
import android.net.Uri
import android.os.Build
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Face
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TimePicker
import androidx.compose.material3.rememberTimePickerState
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.core.content.FileProvider
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import java.io.File
import java.time.ZoneId
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kz.qamqor.app.R
import kz.qamqor.app.graph
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.Loading
import kz.qamqor.app.ui.common.Section
import kz.qamqor.app.ui.common.fieldError
import kz.qamqor.app.ui.common.supportingText
import kz.qamqor.app.ui.common.label
import kz.qamqor.app.ui.rememberHolder
import kz.qamqor.core.Language
import kz.qamqor.core.ProfileInput
import kz.qamqor.core.Weekday
import kz.qamqor.state.AppSettings
import kz.qamqor.state.ProfileState
import kz.qamqor.state.ProfileUiState
import kz.qamqor.state.SettingsState
import kz.qamqor.state.SyncUiState

@Composable
fun ProfileRoute(onOpenPrivacy: () -> Unit, onOpenGrowth: () -> Unit, onSignIn: () -> Unit) {
    val context = LocalContext.current
    val graph = context.graph
    val holder = rememberHolder { scope, g -> ProfileState(scope, g.access) { g.language.state.value.language } }
    val state by holder.state.collectAsStateWithLifecycle()
    val sync by graph.sync.state.collectAsStateWithLifecycle()
    val scope = rememberCoroutineScope()
    val settingsState = remember { SettingsState(graph.settings, scope) }
    LaunchedEffect(Unit) { settingsState.refresh() }
    val settings by settingsState.state.collectAsStateWithLifecycle()

    fun usePhoto(read: suspend () -> ByteArray?) {
        scope.launch { read()?.let { holder.setPhoto(it) } }
    }
    val pick = rememberLauncherForActivityResult(ActivityResultContracts.PickVisualMedia()) { uri ->
        if (uri != null) usePhoto { readBytes(context, uri) }
    }
    val shot = remember { photoFile(context) }
    val take = rememberLauncherForActivityResult(ActivityResultContracts.TakePicture()) { taken ->
        if (taken) usePhoto { withContext(Dispatchers.IO) { shot.readBytes() } }
    }
    val notifications = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { }
    fun reminder(set: (Boolean) -> Unit): (Boolean) -> Unit = { on ->
        if (on && Build.VERSION.SDK_INT >= 33) notifications.launch(Manifest.permission.POST_NOTIFICATIONS)
        set(on)
    }

    ProfileScreen(
        state = state,
        sync = sync,
        settings = settings,
        intents = ProfileIntents(
            edit = holder::edit,
            toggleDay = holder::toggleWorkingDay,
            save = { holder.save() },
            pickPhoto = { pick.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly)) },
            takePhoto = { take.launch(FileProvider.getUriForFile(context, "${context.packageName}.export", shot)) },
            removePhoto = { holder.removePhoto() },
            selectLanguage = { l ->
                holder.edit { it.copy(language = l) }
                graph.language.select(l)
            },
            dismissError = holder::dismissError,
            setBackgroundSync = { settingsState.setBackgroundSync(it) },
            setCheckInReminder = reminder { settingsState.setCheckInReminder(it) },
            setLongDayReminder = reminder { settingsState.setLongDayReminder(it) },
            setQuestionnaireReminder = reminder { settingsState.setQuestionnaireReminder(it) },
            signIn = onSignIn,
            signOut = { graph.sync.signOut() },
            openPrivacy = onOpenPrivacy,
            openGrowth = onOpenGrowth,
        ),
    )
}

private suspend fun readBytes(context: Context, uri: Uri): ByteArray? =
    withContext(Dispatchers.IO) { context.contentResolver.openInputStream(uri)?.use { it.readBytes() } }

/** Where the camera writes a photo before the core processes it (shared through the FileProvider). */
private fun photoFile(context: Context) = File(context.cacheDir, "export").apply { mkdirs() }.let { File(it, "photo.jpg") }

class ProfileIntents(
    val edit: ((ProfileInput) -> ProfileInput) -> Unit,
    val toggleDay: (Weekday) -> Unit,
    val save: () -> Unit,
    val pickPhoto: () -> Unit,
    val takePhoto: () -> Unit,
    val removePhoto: () -> Unit,
    val selectLanguage: (Language) -> Unit,
    val dismissError: () -> Unit,
    val setBackgroundSync: (Boolean) -> Unit,
    val setCheckInReminder: (Boolean) -> Unit,
    val setLongDayReminder: (Boolean) -> Unit,
    val setQuestionnaireReminder: (Boolean) -> Unit,
    val signIn: () -> Unit,
    val signOut: () -> Unit,
    val openPrivacy: () -> Unit,
    val openGrowth: () -> Unit,
)

/** The profile (photo, work, schedule, language), the switches, the account and the way to the privacy centre. Stateless. */
@Composable
fun ProfileScreen(state: ProfileUiState, sync: SyncUiState, settings: AppSettings, intents: ProfileIntents) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        val draft = state.draft
        if (draft == null) {
            if (state.loading) Loading()
            ErrorBanner(state.error)
            return@Column
        }
        if (state.isNew) Text(stringResource(R.string.profile_fill_in), style = MaterialTheme.typography.bodyLarge)
        ErrorBanner(state.error?.takeIf { it.field == null }, onDismiss = intents.dismissError)
        Photo(state, intents)
        Button(onClick = intents.openGrowth, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.growth_title)) }
        Text(stringResource(R.string.growth_hint), style = MaterialTheme.typography.bodySmall)
        AboutYou(draft, state, intents)
        Schedule(draft, state, intents)
        Button(onClick = intents.save, enabled = state.dirty && !state.busy, modifier = Modifier.fillMaxWidth()) {
            Text(stringResource(R.string.action_save))
        }
        Section(stringResource(R.string.profile_language)) {
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Language.entries.forEach { l ->
                    FilterChip(selected = draft.language == l, onClick = { intents.selectLanguage(l) }, label = { Text(stringResource(l.label())) })
                }
            }
        }
        Section(stringResource(R.string.settings_title)) {
            Toggle(stringResource(R.string.settings_background_sync), settings.backgroundSync, intents.setBackgroundSync)
            Toggle(stringResource(R.string.settings_check_in_reminder), settings.checkInReminder, intents.setCheckInReminder)
            Toggle(stringResource(R.string.settings_long_day_reminder), settings.longDayReminder, intents.setLongDayReminder)
            Toggle(stringResource(R.string.settings_questionnaire_reminder), settings.questionnaireReminder, intents.setQuestionnaireReminder)
        }
        Section(stringResource(R.string.profile_account)) {
            val account = state.account
            if (sync.signedIn && account != null) {
                Text(stringResource(R.string.onboarding_signed_in_as, account.email))
                Text(account.serverUrl, style = MaterialTheme.typography.bodySmall)
                OutlinedButton(onClick = intents.signOut) { Text(stringResource(R.string.profile_sign_out)) }
                Text(stringResource(R.string.profile_sign_out_hint), style = MaterialTheme.typography.bodySmall)
            } else {
                Text(stringResource(R.string.sync_not_signed_in))
                Button(onClick = intents.signIn) { Text(stringResource(R.string.action_sign_in)) }
            }
        }
        OutlinedButton(onClick = intents.openPrivacy, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.privacy_title)) }
    }
}

@Composable
private fun Photo(state: ProfileUiState, intents: ProfileIntents) {
    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(12.dp)) {
        val bitmap = remember(state.photo) { state.photo?.let { BitmapFactory.decodeByteArray(it, 0, it.size)?.asImageBitmap() } }
        Box(Modifier.size(88.dp).clip(CircleShape), contentAlignment = Alignment.Center) {
            if (bitmap != null) {
                Image(bitmap, contentDescription = stringResource(R.string.profile_photo), contentScale = ContentScale.Crop, modifier = Modifier.fillMaxSize())
            } else {
                Icon(Icons.Filled.Face, contentDescription = null, Modifier.size(64.dp))
            }
        }
        Column {
            TextButton(onClick = intents.pickPhoto) { Text(stringResource(R.string.profile_photo_pick)) }
            TextButton(onClick = intents.takePhoto) { Text(stringResource(R.string.profile_photo_take)) }
            if (bitmap != null) TextButton(onClick = intents.removePhoto) { Text(stringResource(R.string.profile_photo_remove)) }
        }
    }
    fieldError(state.error, "photo")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    Text(stringResource(R.string.profile_photo_hint), style = MaterialTheme.typography.bodySmall)
}

@Composable
private fun AboutYou(draft: ProfileInput, state: ProfileUiState, intents: ProfileIntents) {
    Section(stringResource(R.string.profile_about)) {
        TextInput(draft.name, { v -> intents.edit { it.copy(name = v) } }, stringResource(R.string.field_name), fieldError(state.error, "name"))
        TextInput(draft.department, { v -> intents.edit { it.copy(department = v) } }, stringResource(R.string.profile_department), fieldError(state.error, "department"))
        TextInput(draft.position, { v -> intents.edit { it.copy(position = v) } }, stringResource(R.string.profile_position), fieldError(state.error, "position"))
        var levels by remember { mutableStateOf(false) }
        Box {
            OutlinedButton(onClick = { levels = true }) {
                Text(stringResource(R.string.profile_qualification_level) + ": " + (draft.qualificationLevel?.toString() ?: "—"))
            }
            DropdownMenu(expanded = levels, onDismissRequest = { levels = false }) {
                DropdownMenuItem(text = { Text("—") }, onClick = { levels = false; intents.edit { it.copy(qualificationLevel = null) } })
                // the levels of the national qualification framework, as the core documents them
                (1..8).forEach { n ->
                    DropdownMenuItem(text = { Text("$n") }, onClick = { levels = false; intents.edit { it.copy(qualificationLevel = n.toUByte()) } })
                }
            }
        }
        fieldError(state.error, "qualification_level")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        Text(stringResource(R.string.profile_qualification_hint), style = MaterialTheme.typography.bodySmall)
        Toggle(stringResource(R.string.profile_remote_work), draft.remoteWork) { on -> intents.edit { it.copy(remoteWork = on) } }
    }
}

@OptIn(androidx.compose.foundation.layout.ExperimentalLayoutApi::class)
@Composable
private fun Schedule(draft: ProfileInput, state: ProfileUiState, intents: ProfileIntents) {
    Section(stringResource(R.string.profile_schedule)) {
        FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
            Weekday.entries.forEach { d ->
                FilterChip(selected = d in draft.schedule.workingDays, onClick = { intents.toggleDay(d) }, label = { Text(stringResource(d.label())) })
            }
        }
        fieldError(state.error, "schedule.working_days")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            MinuteField(stringResource(R.string.profile_start), draft.schedule.startMinute.toInt()) { m ->
                intents.edit { it.copy(schedule = it.schedule.copy(startMinute = m.toUShort())) }
            }
            MinuteField(stringResource(R.string.profile_end), draft.schedule.endMinute.toInt()) { m ->
                intents.edit { it.copy(schedule = it.schedule.copy(endMinute = m.toUShort())) }
            }
        }
        fieldError(state.error, "schedule.start_minute", "schedule.end_minute")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        TextInput(
            draft.schedule.timeZone,
            { v -> intents.edit { it.copy(schedule = it.schedule.copy(timeZone = v)) } },
            stringResource(R.string.profile_time_zone),
            fieldError(state.error, "schedule.time_zone"),
        )
        TextButton(onClick = { intents.edit { it.copy(schedule = it.schedule.copy(timeZone = ZoneId.systemDefault().id)) } }) {
            Text(stringResource(R.string.profile_time_zone_phone))
        }
    }
}

/** A time of day as minutes after midnight (the schedule's unit), picked with the clock. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
private fun MinuteField(label: String, minutes: Int, onChange: (Int) -> Unit) {
    var showing by remember { mutableStateOf(false) }
    OutlinedButton(onClick = { showing = true }) { Text("$label: %02d:%02d".format(minutes / 60, minutes % 60)) }
    if (showing) {
        val picker = rememberTimePickerState(initialHour = minutes / 60, initialMinute = minutes % 60, is24Hour = true)
        AlertDialog(
            onDismissRequest = { showing = false },
            confirmButton = { TextButton(onClick = { onChange(picker.hour * 60 + picker.minute); showing = false }) { Text(stringResource(R.string.action_ok)) } },
            dismissButton = { TextButton(onClick = { showing = false }) { Text(stringResource(R.string.action_cancel)) } },
            text = { TimePicker(picker) },
        )
    }
}

@Composable
private fun TextInput(value: String, onChange: (String) -> Unit, label: String, error: String?) {
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        isError = error != null,
        supportingText = supportingText(error),
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
}

@Composable
private fun Toggle(label: String, checked: Boolean, onChange: (Boolean) -> Unit) {
    Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
        Text(label, Modifier.weight(1f))
        Switch(checked = checked, onCheckedChange = onChange)
    }
}
