package kz.qamqor.app.work

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.content.res.Configuration
import android.os.Build
import androidx.appcompat.app.AppCompatDelegate
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import kz.qamqor.app.MainActivity
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.formatDuration
import kz.qamqor.state.DueReminder
import kz.qamqor.state.ReminderKind

/** The reminders' notifications: one quiet channel, tapping opens the app. */
object Notifications {
    private const val CHANNEL = "reminders"

    fun show(context: Context, reminder: DueReminder) {
        if (Build.VERSION.SDK_INT >= 33 &&
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED
        ) {
            return // the person did not allow notifications: the app shows the same on its screens
        }
        val text = localized(context)
        val manager = context.getSystemService(NotificationManager::class.java)
        manager.createNotificationChannel(
            NotificationChannel(CHANNEL, text.getString(R.string.reminder_channel), NotificationManager.IMPORTANCE_DEFAULT),
        )
        val (title, body) = when (reminder.kind) {
            ReminderKind.CHECK_IN -> R.string.reminder_check_in_title to text.getString(R.string.reminder_check_in_text)
            ReminderKind.LONG_DAY -> R.string.reminder_long_day_title to
                text.getString(R.string.reminder_long_day_text, formatDuration(text, reminder.longDayMinutes ?: 0L))
            ReminderKind.QUESTIONNAIRE -> R.string.reminder_questionnaire_title to text.getString(R.string.reminder_questionnaire_text)
        }
        val tap = PendingIntent.getActivity(
            context,
            reminder.kind.ordinal,
            Intent(context, MainActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val notification = NotificationCompat.Builder(context, CHANNEL)
            .setSmallIcon(R.drawable.ic_launcher_foreground)
            .setContentTitle(text.getString(title))
            .setContentText(body)
            .setStyle(NotificationCompat.BigTextStyle().bigText(body))
            .setContentIntent(tap)
            .setAutoCancel(true)
            .build()
        try {
            NotificationManagerCompat.from(context).notify(reminder.kind.ordinal, notification)
        } catch (e: SecurityException) {
            // notifications were turned off meanwhile: the screens show the same
        }
    }

    /** Resources in the app's language (a worker's context follows the phone's on Android 12 and older). */
    private fun localized(context: Context): Context {
        val locales = AppCompatDelegate.getApplicationLocales()
        if (locales.isEmpty || Build.VERSION.SDK_INT >= 33) return context
        val config = Configuration(context.resources.configuration)
        config.setLocales(android.os.LocaleList.forLanguageTags(locales.toLanguageTags()))
        return context.createConfigurationContext(config)
    }
}
