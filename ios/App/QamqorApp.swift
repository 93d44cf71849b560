import QamqorCore
import QamqorModels
import SwiftUI
import UIKit

/// The app: one AppModel over the core, background refresh and reminders, the language chosen
/// in the app. Views only render the models' state and call their intents.
@main
struct QamqorApp: App {
    @StateObject private var settings: SettingsModel
    @StateObject private var app: AppModel
    @Environment(\.scenePhase) private var scenePhase
    private let connectivity = Connectivity()

    init() {
        let settings = SettingsModel()
        _settings = StateObject(wrappedValue: settings)
        _app = StateObject(wrappedValue: AppModel(
            databaseURL: AppModel.defaultDatabaseURL(), settings: settings, deviceName: UIDevice.current.name))
    }

    var body: some Scene {
        WindowGroup {
            RootView(app: app)
                .environmentObject(settings)
                .environment(\.locale, settings.strings.locale)
                .task {
                    await app.start()
                    connectivity.start { online in
                        Task { @MainActor in
                            await app.screens?.sync.connectivityChanged(isOnline: online)
                        }
                    }
                }
        }
        .onChange(of: scenePhase) { phase in
            switch phase {
            case .active:
                Task { await app.becameActive() }
            case .background:
                // Send what waits while the system allows; reminders come later, from the
                // background refresh, never the moment the person leaves the app.
                if settings.backgroundSync { BackgroundRefresh.schedule() }
                Task { await app.screens?.sync.syncNow() }
            default:
                break
            }
        }
        .backgroundTask(.appRefresh(BackgroundRefresh.identifier)) {
            // Granted by the system some time after `schedule()`: sync, post what is due, and ask
            // for the next one.
            let reminders = await app.backgroundRefresh()
            await Reminders.post(reminders, app: app, strings: settings.strings)
            let enabled = await settings.backgroundSync
            if enabled { BackgroundRefresh.schedule() }
        }
    }
}
