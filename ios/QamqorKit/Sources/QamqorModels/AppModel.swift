#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// The models of the main screens, over one core. Built once the database is open.
@MainActor
public final class Screens {
    public let runner: CoreRunner
    public let sync: SyncModel
    public let today: TodayModel
    public let risk: RiskModel
    public let history: HistoryModel
    public let tasks: TasksModel
    public let questionnaire: QuestionnaireModel
    public let feedback: FeedbackModel
    public let profile: ProfileModel
    public let privacy: PrivacyCentreModel
    public let reminders: RemindersModel
    public let achievements: AchievementsModel
    public let rating: RatingModel
    public let competency: CompetencyModel

    public init(runner: CoreRunner, settings: SettingsModel, defaults: UserDefaults = .standard, autoSyncDelay: Duration? = .seconds(3), exportDirectory: URL? = nil) {
        self.runner = runner
        sync = SyncModel(runner: runner, autoSyncDelay: autoSyncDelay)
        today = TodayModel(runner: runner)
        risk = RiskModel(runner: runner)
        history = HistoryModel(runner: runner)
        tasks = TasksModel(runner: runner)
        questionnaire = QuestionnaireModel(runner: runner)
        feedback = FeedbackModel(runner: runner)
        profile = ProfileModel(runner: runner)
        privacy = exportDirectory.map { PrivacyCentreModel(runner: runner, exportDirectory: $0) } ?? PrivacyCentreModel(runner: runner)
        reminders = RemindersModel(runner: runner, settings: settings, defaults: defaults)
        achievements = AchievementsModel(runner: runner)
        rating = RatingModel(runner: runner)
        competency = CompetencyModel(runner: runner)

        // A local write: show the new pending count and sync soon; the other screens reload
        // when they appear.
        let changed: @MainActor () -> Void = { [weak self] in
            guard let self else { return }
            Task { await self.sync.localChangeMade() }
        }
        today.onLocalChange = changed
        risk.onLocalChange = changed
        tasks.onLocalChange = changed
        questionnaire.onLocalChange = changed
        profile.onLocalChange = changed
        privacy.onLocalChange = changed
        achievements.onLocalChange = changed
        competency.onLocalChange = changed
        // Changes from the server (tasks, feedback, the policy, other phones' records): reload.
        let synced: @MainActor (SyncReport) -> Void = { [weak self, weak settings] report in
            // What was sent may have changed a status the privacy centre shows (a deletion request).
            if report.pushed > 0, let self { Task { await self.privacy.load() } }
            guard let self, let settings, report.applied > 0 else { return }
            let language = settings.language
            Task { await self.reload(language: language) }
        }
        sync.onSynced = synced
    }

    /// Reloads every screen's data (after a sync brought changes, or after joining). The risk
    /// screen reassesses when it appears instead: an assessment is itself a write (today's entry,
    /// shared per the policy), which a sync should not set off by itself.
    public func reload(language: Language) async {
        await today.load()
        await tasks.load()
        await feedback.load()
        await history.load()
        await profile.load()
        await privacy.load()
        await achievements.load()
        await rating.load()
        await competency.load()
        await questionnaire.load(language: language)
    }
}

/// The app as a whole: opens the database, shows onboarding until the person has joined (or
/// chosen to stay on this phone), then the main screens; and what happens when the app becomes
/// active or the system grants a background refresh.
@MainActor
public final class AppModel: ObservableObject {
    public enum Stage {
        case opening
        /// The database could not be opened (disk full, a newer app's data).
        case failed(ModelError)
        case onboarding(OnboardingModel)
        case ready(Screens)
    }

    @Published public private(set) var stage: Stage = .opening
    public let settings: SettingsModel
    /// Built once the database is open (also during onboarding).
    public private(set) var screens: Screens?

    private let databaseURL: URL
    private let deviceName: String
    private let defaults: UserDefaults
    private let autoSyncDelay: Duration?
    private let exportDirectory: URL?

    public init(databaseURL: URL, settings: SettingsModel, deviceName: String, defaults: UserDefaults = .standard,
                autoSyncDelay: Duration? = .seconds(3), exportDirectory: URL? = nil) {
        self.databaseURL = databaseURL
        self.settings = settings
        self.deviceName = deviceName
        self.defaults = defaults
        self.autoSyncDelay = autoSyncDelay
        self.exportDirectory = exportDirectory
    }

    /// Where the app keeps its database: Application Support, excluded from nothing (the data is
    /// the person's; iOS backups are theirs too).
    public static func defaultDatabaseURL() -> URL {
        let base = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask).first
            ?? FileManager.default.temporaryDirectory
        return base.appendingPathComponent("Qamqor", isDirectory: true).appendingPathComponent("qamqor.db")
    }

    /// Opens the database and decides what to show first.
    public func start() async {
        guard case .opening = stage else { return }
        let runner: CoreRunner
        do {
            runner = try await CoreRunner.open(databaseAt: databaseURL)
        } catch {
            stage = .failed(ModelError(error))
            return
        }
        let screens = Screens(runner: runner, settings: settings, defaults: defaults, autoSyncDelay: autoSyncDelay, exportDirectory: exportDirectory)
        self.screens = screens
        _ = await runner.localResult { try $0.recordAppOpen() }
        await screens.sync.refresh()
        if settings.onboardingFinished || screens.sync.status?.account != nil {
            settings.onboardingFinished = true
            stage = .ready(screens)
        } else {
            stage = .onboarding(makeOnboarding(runner: runner, screens: screens))
        }
    }

    /// A sign-in screen for a person whose session ended (nothing was lost meanwhile).
    public func makeSignIn() -> OnboardingModel? {
        guard let screens else { return nil }
        let model = makeOnboarding(runner: screens.runner, screens: screens)
        model.prepareSignIn(account: screens.sync.status?.account)
        return model
    }

    private func makeOnboarding(runner: CoreRunner, screens: Screens) -> OnboardingModel {
        let model = OnboardingModel(runner: runner, deviceName: deviceName, language: { [weak self] in self?.settings.language ?? .en })
        model.onFinished = { [weak self] in
            guard let self else { return }
            self.settings.onboardingFinished = true
            self.stage = .ready(screens)
            Task {
                screens.sync.clearError()
                await screens.sync.refresh()
                await screens.reload(language: self.settings.language)
            }
        }
        return model
    }

    /// The app came to the foreground: count the day's use, refresh, sync what waits.
    public func becameActive() async {
        guard let screens else { return }
        _ = await screens.runner.localResult { try $0.recordAppOpen() }
        await screens.sync.refresh()
        if case .ready = stage {
            await screens.today.load()
            await screens.sync.syncNow()
        }
    }

    /// A background refresh granted by the system: sync (if switched on), then the reminders due
    /// now, for the app to post.
    public func backgroundRefresh() async -> [Reminder] {
        guard let screens, case .ready = stage else { return [] }
        if settings.backgroundSync {
            await screens.sync.syncNow()
        }
        return await screens.reminders.due()
    }
}
