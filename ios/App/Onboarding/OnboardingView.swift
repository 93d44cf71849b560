import QamqorCore
import QamqorModels
import SwiftUI

/// First launch: what the app records and who sees it, joining, then the organisation's policy.
struct OnboardingView: View {
    @ObservedObject var model: OnboardingModel
    /// Set when shown as a sheet (signing in again, joining later).
    var onCancel: (() -> Void)?
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        NavigationStack {
            Group {
                switch model.step {
                case .welcome:
                    welcome
                case .account:
                    OnboardingAccountForm(model: model)
                case .policy, .finished:
                    policy
                }
            }
            .toolbar {
                ToolbarItem(placement: .primaryAction) {
                    LanguageMenu()
                }
                ToolbarItem(placement: .cancellationAction) {
                    if let onCancel, model.step != .policy {
                        Button(s["common.cancel"], action: onCancel)
                    }
                }
            }
        }
        .task { await model.load() }
    }

    private var welcome: some View {
        List {
            Section {
                VStack(alignment: .leading, spacing: 8) {
                    Text(s["onboarding.welcome.title"])
                        .font(.title2.bold())
                    Text(s["onboarding.welcome.body"])
                        .foregroundStyle(.secondary)
                }
                .padding(.vertical, 4)
            }
            Section(s["onboarding.records.title"]) {
                Text(s["onboarding.records.body"])
            }
            Section(s["onboarding.never.title"]) {
                Text(s["onboarding.never.body"])
            }
            if let privacy = model.privacy {
                PrivacyListsView(view: privacy)
            }
            Section {
                Button(s["onboarding.continue"]) { model.continueToAccount() }
                    .frame(maxWidth: .infinity)
                    .buttonStyle(.borderedProminent)
            }
            .listRowBackground(Color.clear)
        }
        .navigationTitle(s["app.name"])
    }

    private var policy: some View {
        List {
            Section {
                if let organisation = model.privacy?.organisation {
                    Text(s.format("onboarding.policy.organisation", organisation))
                        .font(.headline)
                }
                if model.firstSyncError != nil {
                    Text(s["onboarding.policy.first_sync_failed"])
                        .foregroundStyle(.secondary)
                }
            }
            if let privacy = model.privacy {
                PrivacyListsView(view: privacy)
            }
            Section {
                Button(s["onboarding.finish"]) { model.finish() }
                    .frame(maxWidth: .infinity)
                    .buttonStyle(.borderedProminent)
            }
            .listRowBackground(Color.clear)
        }
        .navigationTitle(s["onboarding.policy.title"])
    }
}

/// Server address with an invitation code (register) or sign-in; also the sign-in-again sheet.
struct OnboardingAccountForm: View {
    @ObservedObject var model: OnboardingModel
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        Form {
            Section {
                Picker(s["onboarding.mode"], selection: $model.mode) {
                    Text(s["onboarding.mode.register"]).tag(OnboardingModel.Mode.register)
                    Text(s["onboarding.mode.sign_in"]).tag(OnboardingModel.Mode.signIn)
                }
                .pickerStyle(.segmented)
            }
            Section {
                field(s["field.server_url"], text: $model.serverAddress, key: "server_url", prompt: "https://qamqor.example.kz")
                    .keyboardType(.URL)
                if model.mode == .register {
                    field(s["field.code"], text: $model.inviteCode, key: "code", prompt: "qic_…")
                    field(s["field.name"], text: $model.name, key: "name", prompt: nil)
                        .textInputAutocapitalization(.words)
                }
                field(s["field.email"], text: $model.email, key: "email", prompt: "name@company.kz")
                    .keyboardType(.emailAddress)
                SecureField(s["field.password"], text: $model.password)
                    .textContentType(model.mode == .register ? .newPassword : .password)
                    .foregroundStyle(model.error?.field == "password" ? Color.orange : Color.primary)
            } footer: {
                Text(s[model.mode == .register ? "onboarding.register.hint" : "onboarding.sign_in.hint"])
            }
            if let error = model.error {
                Section {
                    ErrorBanner(error: error) { model.clearError() }
                }
                .listRowBackground(Color.clear)
            }
            Section {
                Button {
                    Task { await model.submit() }
                } label: {
                    HStack {
                        Spacer()
                        if model.isWorking { ProgressView() }
                        Text(s[model.mode == .register ? "onboarding.join" : "onboarding.sign_in"])
                        Spacer()
                    }
                }
                .disabled(!model.canSubmit)
                if model.step == .account && model.account == nil {
                    Button(s["onboarding.without_account"]) { model.useWithoutAccount() }
                        .frame(maxWidth: .infinity)
                }
            } footer: {
                Text(s["onboarding.without_account.hint"])
            }
        }
        .autocorrectionDisabled()
        .textInputAutocapitalization(.never)
        .navigationTitle(s["onboarding.account.title"])
        .toolbar {
            ToolbarItem(placement: .navigationBarLeading) {
                if model.step == .account && model.account == nil {
                    Button(s["common.back"]) { model.back() }
                }
            }
        }
    }

    private func field(_ title: String, text: Binding<String>, key: String, prompt: String?) -> some View {
        VStack(alignment: .leading, spacing: 2) {
            Text(title)
                .font(.caption)
                .foregroundStyle(model.error?.field == key ? Color.orange : Color.secondary)
            TextField(title, text: text, prompt: prompt.map { Text($0) })
        }
    }
}

/// Who sees what: the core's privacy view as four lists.
struct PrivacyListsView: View {
    let view: PrivacyView
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        Section {
            Text(s[view.policy == .individual ? "privacy.policy.individual" : "privacy.policy.aggregate"])
                .font(.subheadline)
        }
        list(s["privacy.manager_sees"], view.managerSees, symbol: "eye")
        list(s.format("privacy.only_in_groups", "\(view.minGroupSize)"), view.managerSeesOnlyInGroups, symbol: "person.3")
        list(s["privacy.devices_only"], view.storedForYourDevicesOnly, symbol: "lock.icloud")
        list(s["privacy.never_leaves"], view.neverLeavesThisPhone, symbol: "iphone")
    }

    @ViewBuilder
    private func list(_ title: String, _ kinds: [DataKind], symbol: String) -> some View {
        if !kinds.isEmpty {
            Section(title) {
                ForEach(kinds, id: \.self) { kind in
                    Label(s["data_kind.\(kind.key)"], systemImage: symbol)
                }
            }
        }
    }
}

/// The in-app language switch (the phone's language, or one of the three).
struct LanguageMenu: View {
    @EnvironmentObject private var settings: SettingsModel

    var body: some View {
        Menu {
            Picker(settings.strings["profile.language"], selection: $settings.languageChoice) {
                ForEach(LanguageChoice.allCases, id: \.self) { choice in
                    Text(settings.strings["language.\(choice.rawValue)"]).tag(choice)
                }
            }
        } label: {
            Image(systemName: "globe")
                .accessibilityLabel(settings.strings["profile.language"])
        }
    }
}
