import QamqorCore

// Stable keys of the core's enums, for Localizable.strings ("factor.fatigue.title", …) and for
// UserDefaults. The switches are exhaustive on purpose: a case added to the core does not compile
// here until it has a key (and the strings test then asks for its translations).

extension InvalidReason {
    public var key: String {
        switch self {
        case .empty: return "empty"
        case .tooLong: return "too_long"
        case .outOfRange: return "out_of_range"
        case .inFuture: return "in_future"
        case .endBeforeStart: return "end_before_start"
        case .badFormat: return "bad_format"
        case .notAnImage: return "not_an_image"
        case .unsupported: return "unsupported"
        case .unknown: return "unknown"
        }
    }
    public static let all: [InvalidReason] = [.empty, .tooLong, .outOfRange, .inFuture, .endBeforeStart, .badFormat, .notAnImage, .unsupported, .unknown]
}

extension ConflictKind {
    public var key: String {
        switch self {
        case .timerAlreadyRunning: return "timer_already_running"
        case .noRunningTimer: return "no_running_timer"
        case .sessionOverlap: return "session_overlap"
        case .achievementReviewed: return "achievement_reviewed"
        }
    }
    public static let all: [ConflictKind] = [.timerAlreadyRunning, .noRunningTimer, .sessionOverlap, .achievementReviewed]
}

extension SyncErrorKind {
    public var key: String {
        switch self {
        case .notSignedIn: return "not_signed_in"
        case .network: return "network"
        case .server: return "server"
        case .sessionEnded: return "session_ended"
        case .wrongCredentials: return "wrong_credentials"
        case .upgradeRequired: return "upgrade_required"
        case .protocol: return "protocol"
        case .cancelled: return "cancelled"
        case .accountMismatch: return "account_mismatch"
        case .storage: return "storage"
        }
    }
    public static let all: [SyncErrorKind] = [.notSignedIn, .network, .server, .sessionEnded, .wrongCredentials, .upgradeRequired, .protocol, .cancelled, .accountMismatch, .storage]
}

extension DataKind {
    public var key: String {
        switch self {
        case .workHours: return "work_hours"
        case .checkInCompletion: return "check_in_completion"
        case .checkInAnswers: return "check_in_answers"
        case .taskCounts: return "task_counts"
        case .taskDetails: return "task_details"
        case .appActivity: return "app_activity"
        case .questionnaire: return "questionnaire"
        case .riskLevel: return "risk_level"
        case .riskFactors: return "risk_factors"
        case .profile: return "profile"
        case .profilePhoto: return "profile_photo"
        }
    }
    public static let all: [DataKind] = [.workHours, .checkInCompletion, .checkInAnswers, .taskCounts, .taskDetails, .appActivity, .questionnaire, .riskLevel, .riskFactors, .profile, .profilePhoto]
}

extension FactorKind {
    public var key: String {
        switch self {
        case .fatigue: return "fatigue"
        case .workHours: return "work_hours"
        case .qualificationLevel: return "qualification_level"
        case .remoteWork: return "remote_work"
        case .afterHoursWork: return "after_hours_work"
        case .longWeeks: return "long_weeks"
        case .noRecovery: return "no_recovery"
        case .weekendWork: return "weekend_work"
        case .overdueTasks: return "overdue_tasks"
        case .burnoutQuestionnaire: return "burnout_questionnaire"
        case .shortSleep: return "short_sleep"
        case .stress: return "stress"
        }
    }
    public static let all: [FactorKind] = [.fatigue, .workHours, .qualificationLevel, .remoteWork, .afterHoursWork, .longWeeks, .noRecovery, .weekendWork, .overdueTasks, .burnoutQuestionnaire, .shortSleep, .stress]
}

extension MissingData {
    public var key: String {
        switch self {
        case .checkIns: return "check_ins"
        case .workSessions: return "work_sessions"
        case .qualificationLevel: return "qualification_level"
        case .questionnaire: return "questionnaire"
        }
    }
    public static let all: [MissingData] = [.checkIns, .workSessions, .qualificationLevel, .questionnaire]
}

extension RiskLevel {
    public var key: String {
        switch self {
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        }
    }
    public static let all: [RiskLevel] = [.low, .medium, .high]
}

extension TrendDirection {
    public var key: String {
        switch self {
        case .rising: return "rising"
        case .stable: return "stable"
        case .falling: return "falling"
        }
    }
    public static let all: [TrendDirection] = [.rising, .stable, .falling]
}

extension TaskStatus {
    public var key: String {
        switch self {
        case .todo: return "todo"
        case .inProgress: return "in_progress"
        case .done: return "done"
        case .cancelled: return "cancelled"
        }
    }
    public static let all: [TaskStatus] = [.todo, .inProgress, .done, .cancelled]

    /// Still on the person's plate.
    public var isOpen: Bool { self == .todo || self == .inProgress }
}

extension Weekday {
    public var key: String {
        switch self {
        case .monday: return "mon"
        case .tuesday: return "tue"
        case .wednesday: return "wed"
        case .thursday: return "thu"
        case .friday: return "fri"
        case .saturday: return "sat"
        case .sunday: return "sun"
        }
    }
    /// Monday first, as weeks are counted in Kazakhstan.
    public static let all: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday, .sunday]
}

extension Language {
    /// The ISO 639-1 code, also the name of the app's .lproj folder.
    public var code: String {
        switch self {
        case .kk: return "kk"
        case .ru: return "ru"
        case .en: return "en"
        }
    }
    public static let all: [Language] = [.kk, .ru, .en]

    public init?(code: String) {
        guard let l = Language.all.first(where: { $0.code == code }) else { return nil }
        self = l
    }
}

extension PrivacyPolicy {
    public var key: String {
        switch self {
        case .individual: return "individual"
        case .aggregate: return "aggregate"
        }
    }
}

extension CbiScale {
    public var key: String {
        switch self {
        case .personal: return "personal"
        case .workRelated: return "work_related"
        case .clientRelated: return "client_related"
        }
    }
}

extension SyncPhase {
    public var key: String {
        switch self {
        case .pushing: return "pushing"
        case .pulling: return "pulling"
        case .waitingToRetry: return "waiting_to_retry"
        }
    }
}

extension RiskSuggestion {
    /// The core's key; Localizable.strings words it as "suggestion.<key>".
    public var key: String {
        switch self {
        case .rest: return "rest"
        case .protectSleep: return "protect_sleep"
        case .endTheDayOnTime: return "end_the_day_on_time"
        case .switchOffAfterHours: return "switch_off_after_hours"
        case .takeADayOff: return "take_a_day_off"
        case .talkAboutWorkload: return "talk_about_workload"
        case .pauseAndBreathe: return "pause_and_breathe"
        case .stayConnected: return "stay_connected"
        case .keepBreaks: return "keep_breaks"
        case .talkToSomeone: return "talk_to_someone"
        }
    }
    public static let all: [RiskSuggestion] = [.rest, .protectSleep, .endTheDayOnTime, .switchOffAfterHours, .takeADayOff, .talkAboutWorkload, .pauseAndBreathe, .stayConnected, .keepBreaks, .talkToSomeone]
}

extension AchievementStatus {
    public var key: String {
        switch self {
        case .pending: return "pending"
        case .verified: return "verified"
        case .rejected: return "rejected"
        }
    }
    public static let all: [AchievementStatus] = [.pending, .verified, .rejected]
}

extension RatingMethod {
    public var key: String {
        switch self {
        case .average: return "average"
        case .workload: return "workload"
        }
    }
    public static let all: [RatingMethod] = [.average, .workload]
}
