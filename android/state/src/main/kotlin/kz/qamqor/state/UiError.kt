package kz.qamqor.state

import kz.qamqor.core.ApiException
import kz.qamqor.core.ConflictKind
import kz.qamqor.core.InvalidReason
import kz.qamqor.core.SyncErrorKind

/**
 * An error as a screen shows it: [key] names the message (the app translates it, string
 * `error_<key in lower case>`), [field] the input to highlight, in the core's words (`fatigue`,
 * `schedule.time_zone`, `server_url`), and [code] the server's machine-readable code when it
 * answered (`invitation_used`). [detail] is English for logs, never the message itself.
 */
data class UiError(
    val key: ErrorKey,
    val field: String? = null,
    val code: String? = null,
    val detail: String? = null,
    /** For a server's answer: trying the same again later can help (the core's rule, the one its
     *  own sync retries by; `invitation_used` will not work later either). */
    val retryable: Boolean = true,
) {
    /** What the screen offers next to the message (the table in docs/SYNC_PROTOCOL.md). */
    val action: ErrorAction
        get() = when (key) {
            ErrorKey.SYNC_SERVER -> if (retryable) ErrorAction.RETRY else ErrorAction.NONE
            ErrorKey.SYNC_NETWORK, ErrorKey.SYNC_PROTOCOL, ErrorKey.STORAGE, ErrorKey.UNEXPECTED -> ErrorAction.RETRY
            ErrorKey.SYNC_NOT_SIGNED_IN, ErrorKey.SYNC_SESSION_ENDED -> ErrorAction.SIGN_IN
            ErrorKey.SYNC_UPGRADE_REQUIRED -> ErrorAction.UPDATE_APP
            else -> ErrorAction.NONE
        }
}

/** What a person can do about an error. */
enum class ErrorAction { NONE, RETRY, SIGN_IN, UPDATE_APP }

/** Every message a screen can show for an error; one string resource each. */
enum class ErrorKey {
    INVALID_EMPTY,
    INVALID_TOO_LONG,
    INVALID_OUT_OF_RANGE,
    INVALID_IN_FUTURE,
    INVALID_END_BEFORE_START,
    INVALID_BAD_FORMAT,
    INVALID_NOT_AN_IMAGE,
    INVALID_UNSUPPORTED,
    INVALID_UNKNOWN,
    NOT_FOUND,
    CONFLICT_TIMER_ALREADY_RUNNING,
    CONFLICT_NO_RUNNING_TIMER,
    CONFLICT_SESSION_OVERLAP,
    CONFLICT_ACHIEVEMENT_REVIEWED,
    STORAGE,
    SYNC_NOT_SIGNED_IN,
    SYNC_NETWORK,
    SYNC_SERVER,
    SYNC_SESSION_ENDED,
    SYNC_WRONG_CREDENTIALS,
    SYNC_UPGRADE_REQUIRED,
    SYNC_PROTOCOL,
    SYNC_CANCELLED,
    SYNC_ACCOUNT_MISMATCH,
    UNEXPECTED,
}

/** Maps what the core threw; anything else (a bug) is [ErrorKey.UNEXPECTED], still not a crash. */
fun Throwable.toUiError(): UiError = when (this) {
    is ApiException.InvalidInput -> UiError(reason.toKey(), field = field, detail = detail)
    is ApiException.NotFound -> UiError(ErrorKey.NOT_FOUND, detail = "$entity $id")
    is ApiException.Conflict -> UiError(kind.toKey(), detail = detail)
    is ApiException.Storage -> UiError(ErrorKey.STORAGE, detail = detail)
    is ApiException.Sync -> UiError(kind.toKey(), field = field, code = code.ifEmpty { null }, detail = detail, retryable = retryable)
    else -> UiError(ErrorKey.UNEXPECTED, detail = toString())
}

private fun InvalidReason.toKey() = when (this) {
    InvalidReason.EMPTY -> ErrorKey.INVALID_EMPTY
    InvalidReason.TOO_LONG -> ErrorKey.INVALID_TOO_LONG
    InvalidReason.OUT_OF_RANGE -> ErrorKey.INVALID_OUT_OF_RANGE
    InvalidReason.IN_FUTURE -> ErrorKey.INVALID_IN_FUTURE
    InvalidReason.END_BEFORE_START -> ErrorKey.INVALID_END_BEFORE_START
    InvalidReason.BAD_FORMAT -> ErrorKey.INVALID_BAD_FORMAT
    InvalidReason.NOT_AN_IMAGE -> ErrorKey.INVALID_NOT_AN_IMAGE
    InvalidReason.UNSUPPORTED -> ErrorKey.INVALID_UNSUPPORTED
    InvalidReason.UNKNOWN -> ErrorKey.INVALID_UNKNOWN
}

private fun ConflictKind.toKey() = when (this) {
    ConflictKind.TIMER_ALREADY_RUNNING -> ErrorKey.CONFLICT_TIMER_ALREADY_RUNNING
    ConflictKind.NO_RUNNING_TIMER -> ErrorKey.CONFLICT_NO_RUNNING_TIMER
    ConflictKind.SESSION_OVERLAP -> ErrorKey.CONFLICT_SESSION_OVERLAP
    ConflictKind.ACHIEVEMENT_REVIEWED -> ErrorKey.CONFLICT_ACHIEVEMENT_REVIEWED
}

private fun SyncErrorKind.toKey() = when (this) {
    SyncErrorKind.NOT_SIGNED_IN -> ErrorKey.SYNC_NOT_SIGNED_IN
    SyncErrorKind.NETWORK -> ErrorKey.SYNC_NETWORK
    SyncErrorKind.SERVER -> ErrorKey.SYNC_SERVER
    SyncErrorKind.SESSION_ENDED -> ErrorKey.SYNC_SESSION_ENDED
    SyncErrorKind.WRONG_CREDENTIALS -> ErrorKey.SYNC_WRONG_CREDENTIALS
    SyncErrorKind.UPGRADE_REQUIRED -> ErrorKey.SYNC_UPGRADE_REQUIRED
    SyncErrorKind.PROTOCOL -> ErrorKey.SYNC_PROTOCOL
    SyncErrorKind.CANCELLED -> ErrorKey.SYNC_CANCELLED
    SyncErrorKind.ACCOUNT_MISMATCH -> ErrorKey.SYNC_ACCOUNT_MISMATCH
    SyncErrorKind.STORAGE -> ErrorKey.STORAGE
}

/**
 * The error of the last sync as the core's status keeps it, so that it is still shown after the
 * app restarts: the core reads its kind from the kept code; the code is shown only when it is
 * the server's own.
 */
fun syncErrorFromStatus(kind: SyncErrorKind, code: String?, detail: String?): UiError =
    UiError(kind.toKey(), code = code?.takeIf { kind == SyncErrorKind.SERVER }, detail = detail)
