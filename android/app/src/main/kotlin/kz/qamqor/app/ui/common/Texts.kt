package kz.qamqor.app.ui.common

import android.content.Context
import androidx.annotation.StringRes
import androidx.compose.runtime.Composable
import androidx.compose.ui.platform.LocalConfiguration
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import java.text.NumberFormat
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import java.util.Locale
import kz.qamqor.app.R
import kz.qamqor.core.AchievementStatus
import kz.qamqor.core.DataKind
import kz.qamqor.core.FactorKind
import kz.qamqor.core.Language
import kz.qamqor.core.MissingData
import kz.qamqor.core.RatingMethod
import kz.qamqor.core.RiskFactor
import kz.qamqor.core.RiskLevel
import kz.qamqor.core.RiskSuggestion
import kz.qamqor.core.TaskStatus
import kz.qamqor.core.TrendDirection
import kz.qamqor.core.Weekday
import kz.qamqor.state.ErrorKey
import kz.qamqor.state.HistoryMetric
import kz.qamqor.state.UiError

// Every text the state module hands over as a key, in the app's language. Formatting only: the
// values themselves all come from the core.

@StringRes
fun ErrorKey.text(): Int = when (this) {
    ErrorKey.INVALID_EMPTY -> R.string.error_invalid_empty
    ErrorKey.INVALID_TOO_LONG -> R.string.error_invalid_too_long
    ErrorKey.INVALID_OUT_OF_RANGE -> R.string.error_invalid_out_of_range
    ErrorKey.INVALID_IN_FUTURE -> R.string.error_invalid_in_future
    ErrorKey.INVALID_END_BEFORE_START -> R.string.error_invalid_end_before_start
    ErrorKey.INVALID_BAD_FORMAT -> R.string.error_invalid_bad_format
    ErrorKey.INVALID_NOT_AN_IMAGE -> R.string.error_invalid_not_an_image
    ErrorKey.INVALID_UNSUPPORTED -> R.string.error_invalid_unsupported
    ErrorKey.INVALID_UNKNOWN -> R.string.error_invalid_unknown
    ErrorKey.NOT_FOUND -> R.string.error_not_found
    ErrorKey.CONFLICT_TIMER_ALREADY_RUNNING -> R.string.error_conflict_timer_already_running
    ErrorKey.CONFLICT_NO_RUNNING_TIMER -> R.string.error_conflict_no_running_timer
    ErrorKey.CONFLICT_SESSION_OVERLAP -> R.string.error_conflict_session_overlap
    ErrorKey.CONFLICT_ACHIEVEMENT_REVIEWED -> R.string.error_conflict_achievement_reviewed
    ErrorKey.STORAGE -> R.string.error_storage
    ErrorKey.SYNC_NOT_SIGNED_IN -> R.string.error_sync_not_signed_in
    ErrorKey.SYNC_NETWORK -> R.string.error_sync_network
    ErrorKey.SYNC_SERVER -> R.string.error_sync_server
    ErrorKey.SYNC_SESSION_ENDED -> R.string.error_sync_session_ended
    ErrorKey.SYNC_WRONG_CREDENTIALS -> R.string.error_sync_wrong_credentials
    ErrorKey.SYNC_UPGRADE_REQUIRED -> R.string.error_sync_upgrade_required
    ErrorKey.SYNC_PROTOCOL -> R.string.error_sync_protocol
    ErrorKey.SYNC_CANCELLED -> R.string.error_sync_cancelled
    ErrorKey.SYNC_ACCOUNT_MISMATCH -> R.string.error_sync_account_mismatch
    ErrorKey.UNEXPECTED -> R.string.error_unexpected
}

/** The server's codes a person may meet, translated; others are shown as the code itself. */
@StringRes
private fun serverCodeText(code: String): Int? = when (code) {
    "invitation_used" -> R.string.server_invitation_used
    "invitation_expired" -> R.string.server_invitation_expired
    "invitation_not_found" -> R.string.server_invitation_not_found
    "email_taken" -> R.string.server_email_taken
    "too_many_attempts" -> R.string.server_too_many_attempts
    "device_id_taken" -> R.string.server_device_id_taken
    "invalid_field" -> R.string.server_invalid_field
    "internal" -> R.string.server_internal
    else -> null
}

/** The message of an error. */
fun errorMessage(context: Context, error: UiError): String {
    if (error.key == ErrorKey.SYNC_SERVER) {
        val code = error.code.orEmpty()
        serverCodeText(code)?.let { return context.getString(it) }
        return context.getString(R.string.error_sync_server, code.ifEmpty { "?" })
    }
    return context.getString(error.key.text())
}

@Composable
fun errorMessage(error: UiError): String {
    LocalConfiguration.current // re-read when the language changes
    return errorMessage(LocalContext.current, error)
}

/** The error's message when it is about [field] (shown under that input), else null. */
@Composable
fun fieldError(error: UiError?, vararg field: String): String? =
    error?.takeIf { it.field != null && field.any { f -> it.field == f || it.field!!.startsWith("$f.") } }?.let { errorMessage(it) }

@StringRes
fun RiskSuggestion.text(): Int = when (this) {
    RiskSuggestion.REST -> R.string.suggestion_rest
    RiskSuggestion.PROTECT_SLEEP -> R.string.suggestion_protect_sleep
    RiskSuggestion.END_THE_DAY_ON_TIME -> R.string.suggestion_end_the_day_on_time
    RiskSuggestion.SWITCH_OFF_AFTER_HOURS -> R.string.suggestion_switch_off_after_hours
    RiskSuggestion.TAKE_A_DAY_OFF -> R.string.suggestion_take_a_day_off
    RiskSuggestion.TALK_ABOUT_WORKLOAD -> R.string.suggestion_talk_about_workload
    RiskSuggestion.PAUSE_AND_BREATHE -> R.string.suggestion_pause_and_breathe
    RiskSuggestion.STAY_CONNECTED -> R.string.suggestion_stay_connected
    RiskSuggestion.KEEP_BREAKS -> R.string.suggestion_keep_breaks
    RiskSuggestion.TALK_TO_SOMEONE -> R.string.suggestion_talk_to_someone
}

@StringRes
fun FactorKind.label(): Int = when (this) {
    FactorKind.FATIGUE -> R.string.factor_fatigue
    FactorKind.WORK_HOURS -> R.string.factor_work_hours
    FactorKind.QUALIFICATION_LEVEL -> R.string.factor_qualification_level
    FactorKind.REMOTE_WORK -> R.string.factor_remote_work
    FactorKind.AFTER_HOURS_WORK -> R.string.factor_after_hours_work
    FactorKind.LONG_WEEKS -> R.string.factor_long_weeks
    FactorKind.NO_RECOVERY -> R.string.factor_no_recovery
    FactorKind.WEEKEND_WORK -> R.string.factor_weekend_work
    FactorKind.OVERDUE_TASKS -> R.string.factor_overdue_tasks
    FactorKind.BURNOUT_QUESTIONNAIRE -> R.string.factor_burnout_questionnaire
    FactorKind.SHORT_SLEEP -> R.string.factor_short_sleep
    FactorKind.STRESS -> R.string.factor_stress
}

/** A factor's value in its unit, in words ("7.5 of 10", "3 h 20 min a week"). */
@Composable
fun factorValue(f: RiskFactor): String {
    val n = number(f.value)
    return when (f.kind) {
        FactorKind.FATIGUE -> stringResource(R.string.factor_value_fatigue, n)
        FactorKind.WORK_HOURS -> stringResource(R.string.factor_value_work_hours, n)
        FactorKind.QUALIFICATION_LEVEL -> stringResource(R.string.factor_value_qualification_level, n)
        FactorKind.REMOTE_WORK ->
            stringResource(R.string.factor_value_remote_work, stringResource(if (f.value >= 0.5) R.string.remote_work_yes else R.string.remote_work_no))
        FactorKind.AFTER_HOURS_WORK -> stringResource(R.string.factor_value_after_hours_work, duration(f.value.toLong()))
        FactorKind.LONG_WEEKS -> stringResource(R.string.factor_value_long_weeks, n)
        FactorKind.NO_RECOVERY -> stringResource(R.string.factor_value_no_recovery, n)
        FactorKind.WEEKEND_WORK -> stringResource(R.string.factor_value_weekend_work, n)
        FactorKind.OVERDUE_TASKS -> stringResource(R.string.factor_value_overdue_tasks, NumberFormat.getPercentInstance(locale()).format(f.value))
        FactorKind.BURNOUT_QUESTIONNAIRE -> stringResource(R.string.factor_value_burnout_questionnaire, n)
        FactorKind.SHORT_SLEEP -> stringResource(R.string.factor_value_short_sleep, n)
        FactorKind.STRESS -> stringResource(R.string.factor_value_stress, n)
    }
}

@StringRes
fun DataKind.label(): Int = when (this) {
    DataKind.WORK_HOURS -> R.string.data_kind_work_hours
    DataKind.CHECK_IN_COMPLETION -> R.string.data_kind_check_in_completion
    DataKind.CHECK_IN_ANSWERS -> R.string.data_kind_check_in_answers
    DataKind.TASK_COUNTS -> R.string.data_kind_task_counts
    DataKind.TASK_DETAILS -> R.string.data_kind_task_details
    DataKind.APP_ACTIVITY -> R.string.data_kind_app_activity
    DataKind.QUESTIONNAIRE -> R.string.data_kind_questionnaire
    DataKind.RISK_LEVEL -> R.string.data_kind_risk_level
    DataKind.RISK_FACTORS -> R.string.data_kind_risk_factors
    DataKind.PROFILE -> R.string.data_kind_profile
    DataKind.PROFILE_PHOTO -> R.string.data_kind_profile_photo
}

@StringRes
fun MissingData.label(): Int = when (this) {
    MissingData.CHECK_INS -> R.string.missing_check_ins
    MissingData.WORK_SESSIONS -> R.string.missing_work_sessions
    MissingData.QUALIFICATION_LEVEL -> R.string.missing_qualification_level
    MissingData.QUESTIONNAIRE -> R.string.missing_questionnaire
}

@StringRes
fun RiskLevel.label(): Int = when (this) {
    RiskLevel.LOW -> R.string.risk_level_low
    RiskLevel.MEDIUM -> R.string.risk_level_medium
    RiskLevel.HIGH -> R.string.risk_level_high
}

@StringRes
fun TrendDirection.label(): Int = when (this) {
    TrendDirection.RISING -> R.string.trend_rising
    TrendDirection.STABLE -> R.string.trend_stable
    TrendDirection.FALLING -> R.string.trend_falling
}

@StringRes
fun TaskStatus.label(): Int = when (this) {
    TaskStatus.TODO -> R.string.task_status_todo
    TaskStatus.IN_PROGRESS -> R.string.task_status_in_progress
    TaskStatus.DONE -> R.string.task_status_done
    TaskStatus.CANCELLED -> R.string.task_status_cancelled
}

@StringRes
fun Weekday.label(): Int = when (this) {
    Weekday.MONDAY -> R.string.weekday_monday
    Weekday.TUESDAY -> R.string.weekday_tuesday
    Weekday.WEDNESDAY -> R.string.weekday_wednesday
    Weekday.THURSDAY -> R.string.weekday_thursday
    Weekday.FRIDAY -> R.string.weekday_friday
    Weekday.SATURDAY -> R.string.weekday_saturday
    Weekday.SUNDAY -> R.string.weekday_sunday
}

@StringRes
fun Language.label(): Int = when (this) {
    Language.KK -> R.string.language_kk
    Language.RU -> R.string.language_ru
    Language.EN -> R.string.language_en
}

@StringRes
fun HistoryMetric.label(): Int = when (this) {
    HistoryMetric.HOURS -> R.string.metric_hours
    HistoryMetric.OVERTIME -> R.string.metric_overtime
    HistoryMetric.AFTER_HOURS -> R.string.metric_after_hours
    HistoryMetric.WEEKEND -> R.string.metric_weekend
    HistoryMetric.CHECK_INS -> R.string.metric_check_ins
}

@StringRes
fun AchievementStatus.label(): Int = when (this) {
    AchievementStatus.PENDING -> R.string.achievement_status_pending
    AchievementStatus.VERIFIED -> R.string.achievement_status_verified
    AchievementStatus.REJECTED -> R.string.achievement_status_rejected
}

@StringRes
fun RatingMethod.label(): Int = when (this) {
    RatingMethod.AVERAGE -> R.string.rating_method_average
    RatingMethod.WORKLOAD -> R.string.rating_method_workload
}

/** A point of the core's skill scale (0-4) in words. */
@StringRes
fun skillScoreLabel(score: Int): Int = when (score) {
    0 -> R.string.skill_score_0
    1 -> R.string.skill_score_1
    2 -> R.string.skill_score_2
    3 -> R.string.skill_score_3
    else -> R.string.skill_score_4
}

/**
 * An achievement category's name: in the app's language while the core gives its default key
 * (`AchievementCategory.defaultKey`, `Achievement.categoryDefaultKey`, `CategoryScore.defaultKey`:
 * the default catalogue's category, unrenamed), otherwise [name] as the organisation wrote it.
 */
@Composable
fun categoryName(defaultKey: String?, name: String): String = when (defaultKey) {
    "research" -> stringResource(R.string.achievement_category_research)
    "professional" -> stringResource(R.string.achievement_category_professional)
    "methodical" -> stringResource(R.string.achievement_category_methodical)
    "social" -> stringResource(R.string.achievement_category_social)
    "organisational" -> stringResource(R.string.achievement_category_organisational)
    else -> name
}

/**
 * An achievement type's name: the app's translation when the core gives a [defaultKey] (the
 * default catalogue's type, unrenamed), otherwise [name] as the organisation wrote it.
 */
@Composable
fun typeName(defaultKey: String?, name: String): String = when (defaultKey) {
    "research_article" -> stringResource(R.string.achievement_type_research_article)
    "research_conference_talk" -> stringResource(R.string.achievement_type_research_conference_talk)
    "research_monograph" -> stringResource(R.string.achievement_type_research_monograph)
    "research_patent" -> stringResource(R.string.achievement_type_research_patent)
    "professional_certification" -> stringResource(R.string.achievement_type_professional_certification)
    "professional_course" -> stringResource(R.string.achievement_type_professional_course)
    "professional_project" -> stringResource(R.string.achievement_type_professional_project)
    "professional_award" -> stringResource(R.string.achievement_type_professional_award)
    "methodical_guide" -> stringResource(R.string.achievement_type_methodical_guide)
    "methodical_new_method" -> stringResource(R.string.achievement_type_methodical_new_method)
    "methodical_training_given" -> stringResource(R.string.achievement_type_methodical_training_given)
    "social_mentoring" -> stringResource(R.string.achievement_type_social_mentoring)
    "social_public_event" -> stringResource(R.string.achievement_type_social_public_event)
    "social_volunteering" -> stringResource(R.string.achievement_type_social_volunteering)
    "organisational_event" -> stringResource(R.string.achievement_type_organisational_event)
    "organisational_committee" -> stringResource(R.string.achievement_type_organisational_committee)
    "organisational_process" -> stringResource(R.string.achievement_type_organisational_process)
    else -> name
}

// ---- numbers, durations, dates ----

@Composable
fun locale(): Locale = LocalConfiguration.current.locales[0]

/** A number with at most one decimal (or [maxDecimals]), in the app's locale. */
@Composable
fun number(value: Double, maxDecimals: Int = 1): String =
    NumberFormat.getNumberInstance(locale()).apply { maximumFractionDigits = maxDecimals }.format(value)

/** "3 h 20 min", "45 min", "2 h". */
fun formatDuration(context: Context, minutes: Long): String {
    val h = minutes / 60
    val m = minutes % 60
    return when {
        h == 0L -> context.getString(R.string.duration_minutes, m)
        m == 0L -> context.getString(R.string.duration_hours, h)
        else -> context.getString(R.string.duration_hours_minutes, h, m)
    }
}

@Composable
fun duration(minutes: Long): String {
    LocalConfiguration.current
    return formatDuration(LocalContext.current, minutes)
}

/** A local date (YYYY-MM-DD from the core) as the locale writes it. */
@Composable
fun date(iso: String): String =
    runCatching { LocalDate.parse(iso).format(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale())) }.getOrDefault(iso)

/** A short day label for charts ("Mon 24"). */
@Composable
fun shortDay(iso: String): String =
    runCatching { LocalDate.parse(iso).format(DateTimeFormatter.ofPattern("EEE d", locale())) }.getOrDefault(iso)

/** An instant as a time of day in [zone] (the profile's). */
@Composable
fun time(instant: Instant, zone: String?): String {
    val z = zone?.let { runCatching { ZoneId.of(it) }.getOrNull() } ?: ZoneId.systemDefault()
    return instant.atZone(z).format(DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale()))
}

/** An instant as date and time on this phone. */
@Composable
fun dateTime(instant: Instant): String =
    instant.atZone(ZoneId.systemDefault()).format(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale()))
