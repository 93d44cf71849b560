import QamqorCore
import QamqorModels
import SwiftUI

/// Opening, onboarding, or the main screens.
struct RootView: View {
    @ObservedObject var app: AppModel
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        switch app.stage {
        case .opening:
            ProgressView(s["common.loading"])
        case let .failed(error):
            VStack(spacing: 12) {
                Image(systemName: "externaldrive.badge.exclamationmark")
                    .font(.largeTitle)
                Text(s.message(error.message))
                    .multilineTextAlignment(.center)
            }
            .padding()
        case let .onboarding(model):
            OnboardingView(model: model)
        case let .ready(screens):
            MainTabView(app: app, screens: screens)
        }
    }
}

/// A sheet that signs the person in again (or joins an organisation later).
struct SignInSheet: Identifiable {
    let id = UUID()
    let model: OnboardingModel
}

/// The five tabs; the sync status sits under each navigation bar.
struct MainTabView: View {
    @ObservedObject var app: AppModel
    let screens: Screens
    @EnvironmentObject private var settings: SettingsModel
    @State private var signIn: SignInSheet?
    private var s: Localizer { settings.strings }

    var body: some View {
        TabView {
            TodayView(model: screens.today, screens: screens, onSignIn: showSignIn)
                .tabItem { Label(s["tab.today"], systemImage: "sun.max") }
            RiskView(model: screens.risk, questionnaire: screens.questionnaire, sync: screens.sync, onSignIn: showSignIn)
                .tabItem { Label(s["tab.risk"], systemImage: "heart.text.square") }
            HistoryView(model: screens.history, sync: screens.sync, onSignIn: showSignIn)
                .tabItem { Label(s["tab.history"], systemImage: "chart.bar") }
            TasksView(model: screens.tasks, feedback: screens.feedback, sync: screens.sync, onSignIn: showSignIn)
                .tabItem { Label(s["tab.tasks"], systemImage: "checklist") }
            ProfileView(model: screens.profile, screens: screens, onSignIn: showSignIn)
                .tabItem { Label(s["tab.profile"], systemImage: "person.crop.circle") }
        }
        .sheet(item: $signIn) { sheet in
            OnboardingView(model: sheet.model, onCancel: { signIn = nil })
        }
    }

    private func showSignIn() {
        guard let model = app.makeSignIn() else { return }
        let previousFinish = model.onFinished
        model.onFinished = {
            previousFinish?()
            signIn = nil
        }
        signIn = SignInSheet(model: model)
    }
}
