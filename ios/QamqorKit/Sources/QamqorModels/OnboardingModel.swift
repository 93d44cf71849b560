#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// First launch: what the app records and who sees it, then joining the organisation (an
/// invitation code, or signing in on another phone), then the organisation's own policy.
/// Also used later to sign in again after a session ended.
@MainActor
public final class OnboardingModel: ObservableObject {
    public enum Step: Equatable, Sendable {
        /// What the app records, what it never records, who sees what (before any server).
        case welcome
        /// Server address and invitation code, or sign-in.
        case account
        /// Connected: the organisation's policy, as received from the server.
        case policy
        case finished
    }

    public enum Mode: Equatable, Sendable {
        case register
        case signIn
    }

    @Published public var mode: Mode = .register
    @Published public var serverAddress = ""
    @Published public var inviteCode = ""
    @Published public var email = ""
    @Published public var name = ""
    @Published public var password = ""

    @Published public private(set) var step: Step = .welcome
    /// What the manager would see: the default (private) policy first, the organisation's after sign-in.
    @Published public private(set) var privacy: PrivacyView?
    @Published public private(set) var isWorking = false
    @Published public private(set) var error: ModelError?
    @Published public private(set) var account: SyncAccount?
    /// The first sync after joining did not complete (the policy shown is then the private
    /// default until it arrives).
    @Published public private(set) var firstSyncError: ModelError?

    /// Called when the person is done (joined, or chose to stay on this phone only).
    public var onFinished: (@MainActor () -> Void)?

    private let runner: CoreRunner
    private let deviceName: String
    private let language: @MainActor () -> Language

    /// `deviceName`: shown to the person's admin in the device list ("Aigerim's iPhone").
    public init(runner: CoreRunner, deviceName: String, language: @escaping @MainActor () -> Language) {
        self.runner = runner
        self.deviceName = deviceName
        self.language = language
    }

    /// For signing in again: start at the account step with the known server and email.
    public func prepareSignIn(account known: SyncAccount?) {
        mode = .signIn
        if let known {
            serverAddress = known.serverUrl
            email = known.email
        }
        password = ""
        error = nil
        step = .account
    }

    /// Loads the privacy centre as it stands before joining (private by default).
    public func load() async {
        if case let .success(view) = await runner.localResult({ try $0.privacyView() }) {
            privacy = view
        }
    }

    public func continueToAccount() {
        step = .account
    }

    public func back() {
        error = nil
        if step == .account { step = .welcome }
    }

    /// Every field the current mode needs has something in it (the core and the server check the rest).
    public var canSubmit: Bool {
        let filled = { (s: String) in !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        let common = filled(serverAddress) && filled(email) && !password.isEmpty
        return !isWorking && (mode == .signIn ? common : common && filled(inviteCode) && filled(name))
    }

    /// Registers with the invitation code or signs in, then syncs once to receive the
    /// organisation's settings, and shows its policy. Returns whether the person is connected.
    @discardableResult
    public func submit() async -> Bool {
        guard !isWorking else { return false }
        isWorking = true
        error = nil
        defer { isWorking = false }
        let (server, code, email, name, password, device) = (serverAddress, inviteCode, self.email, self.name, self.password, deviceName)
        let mode = self.mode
        let result = await runner.networkResult { core -> SyncAccount in
            switch mode {
            case .register:
                return try core.register(serverUrl: server, inviteCode: code, email: email, name: name, password: password, deviceName: device)
            case .signIn:
                return try core.signIn(serverUrl: server, email: email, password: password, deviceName: device)
            }
        }
        switch result {
        case let .failure(e):
            error = e
            return false
        case let .success(account):
            self.account = account
            self.password = ""
        }
        if mode == .register {
            await fillProfileName(name)
        }
        // The organisation's settings (and, when signing in on a new phone, the person's data)
        // arrive with the first pull. Joining does not depend on it.
        firstSyncError = await runner.networkResult { try $0.sync(observer: nil) }.failure
        await load()
        step = .policy
        return true
    }

    /// A new account's profile starts with the name given at registration (the rest stays at the
    /// core's defaults until the person edits it). An earlier profile is left alone.
    private func fillProfileName(_ name: String) async {
        let language = self.language()
        _ = await runner.localResult { core -> Profile? in
            let profile = core.profile()
            guard profile.updatedAt == nil else { return nil }
            return try core.updateProfile(input: ProfileInput(
                name: name, department: profile.department, position: profile.position,
                qualificationLevel: profile.qualificationLevel, schedule: profile.schedule,
                remoteWork: profile.remoteWork, language: language))
        }
    }

    /// Use the app on this phone only for now; joining later keeps everything recorded meanwhile.
    public func useWithoutAccount() {
        finish()
    }

    public func finish() {
        step = .finished
        onFinished?()
    }

    public func clearError() {
        error = nil
    }
}
