package kz.qamqor.app.ui.theme

import android.os.Build
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.dynamicDarkColorScheme
import androidx.compose.material3.dynamicLightColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalContext

private val Teal = Color(0xFF2E7D6B)
private val Sand = Color(0xFFE9C46A)

private val Light = lightColorScheme(primary = Teal, secondary = Color(0xFF52796F), tertiary = Sand)
private val Dark = darkColorScheme(primary = Color(0xFF7FCFB8), secondary = Color(0xFF9CC5B5), tertiary = Sand)

/** Calm colours (the phone's own on Android 12+), Material 3 everywhere else. */
@Composable
fun QamqorTheme(dark: Boolean = isSystemInDarkTheme(), content: @Composable () -> Unit) {
    val colors = when {
        Build.VERSION.SDK_INT >= 31 -> if (dark) dynamicDarkColorScheme(LocalContext.current) else dynamicLightColorScheme(LocalContext.current)
        dark -> Dark
        else -> Light
    }
    MaterialTheme(colorScheme = colors, content = content)
}

/** The colours of the risk levels: quiet, never alarming red. */
object LevelColors {
    val low = Color(0xFF4CAF8E)
    val medium = Color(0xFFE0A43A)
    val high = Color(0xFFD9825B)
}
