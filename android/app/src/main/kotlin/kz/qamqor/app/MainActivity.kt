package kz.qamqor.app

import android.os.Bundle
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.appcompat.app.AppCompatActivity
import kz.qamqor.app.ui.QamqorApp
import kz.qamqor.app.ui.theme.QamqorTheme

/**
 * The one activity. An AppCompatActivity so that the in-app language switch
 * (AppCompatDelegate.setApplicationLocales) works on Android 12 and older too.
 */
class MainActivity : AppCompatActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        setContent { QamqorTheme { QamqorApp(graph) } }
    }

    override fun onStart() {
        super.onStart()
        graph.onForeground()
    }
}
