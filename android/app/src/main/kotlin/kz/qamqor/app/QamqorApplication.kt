package kz.qamqor.app

import android.app.Application
import android.content.Context
import android.content.res.Resources
import android.os.Build
import androidx.appcompat.app.AppCompatDelegate
import androidx.core.os.LocaleListCompat
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.drop
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.launch
import kz.qamqor.app.work.BackgroundWork
import kz.qamqor.core.QamqorCore
import kz.qamqor.state.CoreAccess
import kz.qamqor.state.LanguageSource
import kz.qamqor.state.LanguageState
import kz.qamqor.state.Reminders
import kz.qamqor.state.SyncState
import kz.qamqor.state.UiError
import kz.qamqor.state.toUiError

class QamqorApplication : Application() {
    lateinit var graph: AppGraph
        private set

    override fun onCreate() {
        super.onCreate()
        graph = AppGraph(this)
        graph.start()
    }
}

/** The app's one graph of objects (the app is small: no DI framework). */
val Context.graph: AppGraph get() = (applicationContext as QamqorApplication).graph

/**
 * What lives as long as the process: the core (one per database file, safe from any thread),
 * the app-wide state holders (language, sync), the settings, and the wiring between them.
 */
class AppGraph(private val app: Application) {
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Main.immediate)

    /** The core, or why the database cannot be opened (shown instead of the app, never a crash). */
    private val opened: Result<QamqorCore> = runCatching { QamqorCore.open(File(app.filesDir, "qamqor.db").path) }
    val openError: UiError? = opened.exceptionOrNull()?.toUiError()
    val core: QamqorCore? = opened.getOrNull()

    val settings = DataStoreSettings(app)
    val deviceName: String = listOf(Build.MANUFACTURER.replaceFirstChar { it.uppercase() }, Build.MODEL).distinct().joinToString(" ")

    // Below: only used when the core opened (the UI checks openError first).
    val access: CoreAccess by lazy { CoreAccess(requireNotNull(core), Dispatchers.IO) }
    val language: LanguageState by lazy { LanguageState(scope, access, settings, phoneLanguage()) }
    val sync: SyncState by lazy { SyncState(scope, access) }
    val reminders: Reminders by lazy { Reminders(access, settings) }

    fun start() {
        if (core == null) return
        language.refresh()
        sync.refresh()
        // the language in force is the app's locale (AppCompat recreates the screens)
        scope.launch {
            language.state.map { it.language to it.source }.distinctUntilChanged().collect { (lang, source) ->
                val locales = if (source == LanguageSource.PHONE) {
                    LocaleListCompat.getEmptyLocaleList()
                } else {
                    LocaleListCompat.forLanguageTags(LanguageState.localeTag(lang))
                }
                if (AppCompatDelegate.getApplicationLocales() != locales) AppCompatDelegate.setApplicationLocales(locales)
            }
        }
        // every change on the phone: the status shows it, and a sync waits for the network
        scope.launch {
            access.revision.drop(1).collect {
                language.refresh()
                sync.refresh()
                BackgroundWork.syncWhenOnline(app, settings)
            }
        }
        // the background work follows the switches
        scope.launch { settings.settings.distinctUntilChanged().collect { BackgroundWork.apply(app, it) } }
        scope.launch { BackgroundWork.syncWhenOnline(app, settings) }
    }

    /**
     * The app came to the foreground: the day counts as a day the app was used, the screens reload
     * (the day may have changed) and a sync waits for the network.
     */
    fun onForeground() {
        if (core == null) return
        scope.launch {
            access.call { it.recordAppOpen() }
            access.changed()
        }
    }

    /** The phone's own language (the system's, not the app's). */
    private fun phoneLanguage() = LanguageState.fromLocaleTag(Resources.getSystem().configuration.locales[0].toLanguageTag())
}
