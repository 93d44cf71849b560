import PhotosUI
import QamqorCore
import QamqorModels
import SwiftUI
import UIKit

/// Profile: photo, name and position, schedule, language, reminders, account, privacy centre.
struct ProfileView: View {
    @ObservedObject var model: ProfileModel
    let screens: Screens
    var onSignIn: () -> Void
    @ObservedObject private var sync: SyncModel
    @EnvironmentObject private var settings: SettingsModel
    @State private var pickedItem: PhotosPickerItem?
    @State private var showingCamera = false
    @State private var confirmingSignOut = false
    private var s: Localizer { settings.strings }

    init(model: ProfileModel, screens: Screens, onSignIn: @escaping () -> Void) {
        self.model = model
        self.screens = screens
        self.onSignIn = onSignIn
        _sync = ObservedObject(wrappedValue: screens.sync)
    }

    var body: some View {
        NavigationStack {
            VStack(spacing: 0) {
                SyncStatusView(sync: sync, onSignIn: onSignIn)
                Form {
                    photoSection
                    if let draft = Binding($model.draft) {
                        details(draft)
                        schedule(draft)
                    }
                    if let error = model.error {
                        ErrorBanner(error: error).listRowBackground(Color.clear)
                    }
                    Section {
                        Button(s["common.save"]) { Task { await model.save() } }
                            .disabled(!model.isEdited || model.isSaving)
                        if model.saved && !model.isEdited {
                            Label(s["profile.saved"], systemImage: "checkmark").foregroundStyle(.green)
                        }
                    }
                    growth
                    languageAndReminders
                    account
                    Section {
                        NavigationLink(s["centre.title"]) {
                            PrivacyCentreView(model: screens.privacy)
                        }
                    }
                }
            }
            .navigationTitle(s["tab.profile"])
        }
        .task { await model.load() }
        .onChange(of: pickedItem) { item in
            guard let item else { return }
            Task {
                let data = try? await item.loadTransferable(type: Data.self)
                if let data { await model.setPhoto(data) }
                pickedItem = nil
            }
        }
        .onChange(of: settings.language) { language in
            Task { await model.languageChanged(to: language) }
        }
        .fullScreenCover(isPresented: $showingCamera) {
            CameraPicker { data in
                showingCamera = false
                if let data { Task { await model.setPhoto(data) } }
            }
            .ignoresSafeArea()
        }
    }

    private var photoSection: some View {
        Section {
            HStack(spacing: 16) {
                Group {
                    if let data = model.photo, let image = UIImage(data: data) {
                        Image(uiImage: image).resizable().scaledToFill()
                    } else {
                        Image(systemName: "person.crop.circle.fill").resizable().foregroundStyle(.secondary)
                    }
                }
                .frame(width: 72, height: 72)
                .clipShape(Circle())
                VStack(alignment: .leading, spacing: 8) {
                    PhotosPicker(selection: $pickedItem, matching: .images) {
                        Label(s["profile.photo.choose"], systemImage: "photo")
                    }
                    if UIImagePickerController.isSourceTypeAvailable(.camera) {
                        Button {
                            showingCamera = true
                        } label: {
                            Label(s["profile.photo.camera"], systemImage: "camera")
                        }
                    }
                    if model.photo != nil {
                        Button(role: .destructive) {
                            Task { await model.removePhoto() }
                        } label: {
                            Label(s["profile.photo.remove"], systemImage: "trash")
                        }
                    }
                }
                .buttonStyle(.borderless)
            }
            if let error = model.photoError {
                ErrorBanner(error: error)
            }
        } footer: {
            Text(s["profile.photo.footer"])
        }
    }

    private func details(_ draft: Binding<ProfileDraft>) -> some View {
        Section {
            labelled(s["field.name"], "name", TextField(s["field.name"], text: draft.name))
            labelled(s["field.department"], "department", TextField(s["field.department"], text: draft.department))
            labelled(s["field.position"], "position", TextField(s["field.position"], text: draft.position))
            Picker(s["field.qualification_level"], selection: draft.qualificationLevel) {
                Text(s["common.not_set"]).tag(UInt8?.none)
                ForEach(UInt8(1)...UInt8(8), id: \.self) { level in
                    Text(verbatim: "\(level)").tag(Optional(level))
                }
            }
            Toggle(s["profile.remote"], isOn: draft.remoteWork)
        } footer: {
            Text(s["profile.level.footer"])
        }
    }

    private func schedule(_ draft: Binding<ProfileDraft>) -> some View {
        Section(s["profile.schedule"]) {
            HStack(spacing: 4) {
                ForEach(Weekday.all, id: \.self) { day in
                    let on = draft.wrappedValue.workingDays.contains(day)
                    Button {
                        if on { draft.wrappedValue.workingDays.remove(day) } else { draft.wrappedValue.workingDays.insert(day) }
                    } label: {
                        Text(s["weekday.\(day.key)"])
                            .font(.caption)
                            .frame(maxWidth: .infinity, minHeight: 32)
                            .background(on ? Color.accentColor : Color.secondary.opacity(0.12), in: RoundedRectangle(cornerRadius: 8))
                            .foregroundStyle(on ? Color.white : Color.primary)
                    }
                    .buttonStyle(.plain)
                }
            }
            DatePicker(s["field.start_minute"], selection: Binding(
                get: { draft.wrappedValue.time(ofMinute: draft.wrappedValue.startMinute) },
                set: { draft.wrappedValue.startMinute = ProfileDraft.minute(of: $0) }), displayedComponents: .hourAndMinute)
            DatePicker(s["field.end_minute"], selection: Binding(
                get: { draft.wrappedValue.time(ofMinute: draft.wrappedValue.endMinute) },
                set: { draft.wrappedValue.endMinute = ProfileDraft.minute(of: $0) }), displayedComponents: .hourAndMinute)
            Picker(s["field.time_zone"], selection: draft.timeZone) {
                ForEach(model.timeZoneChoices, id: \.self) { zone in
                    Text(zone).tag(zone)
                }
            }
        }
    }

    /// Achievements, the rating and competencies, each a screen of its own.
    private var growth: some View {
        Section(s["growth.title"]) {
            NavigationLink {
                AchievementsView(model: screens.achievements, sync: sync)
            } label: {
                Label(s["achievements.title"], systemImage: "rosette")
            }
            NavigationLink {
                RatingView(model: screens.rating, sync: sync)
            } label: {
                Label(s["rating.title"], systemImage: "chart.line.uptrend.xyaxis")
            }
            NavigationLink {
                CompetencyView(model: screens.competency, sync: sync)
            } label: {
                Label(s["competency.title"], systemImage: "list.bullet.rectangle")
            }
        }
    }

    private var languageAndReminders: some View {
        Section(s["profile.settings"]) {
            Picker(s["profile.language"], selection: $settings.languageChoice) {
                ForEach(LanguageChoice.allCases, id: \.self) { choice in
                    Text(s["language.\(choice.rawValue)"]).tag(choice)
                }
            }
            Toggle(s["profile.reminders.check_in"], isOn: $settings.checkInReminders)
            Toggle(s["profile.reminders.long_day"], isOn: $settings.longDayReminders)
            Toggle(s["profile.background_sync"], isOn: $settings.backgroundSync)
        }
        .onChange(of: settings.checkInReminders || settings.longDayReminders) { on in
            if on { Task { _ = await Reminders.requestPermission() } }
        }
        .onChange(of: settings.backgroundSync) { on in
            if on { BackgroundRefresh.schedule() } else { BackgroundRefresh.cancel() }
        }
    }

    private var account: some View {
        Section(s["profile.account"]) {
            if let account = sync.status?.account {
                LabeledContent(s["field.email"], value: account.email)
                LabeledContent(s["field.server_url"], value: account.serverUrl)
                if sync.isSignedIn {
                    Button(s["sync.sync_now"]) { Task { await sync.syncNow() } }
                        .disabled(sync.isSyncing)
                    Button(s["profile.sign_out"], role: .destructive) { confirmingSignOut = true }
                } else {
                    Button(s["sync.sign_in"], action: onSignIn)
                }
            } else {
                Text(s["profile.local_only"])
                Button(s["profile.join"], action: onSignIn)
            }
        }
        .confirmationDialog(s["profile.sign_out.confirm"], isPresented: $confirmingSignOut, titleVisibility: .visible) {
            Button(s["profile.sign_out"], role: .destructive) { Task { await sync.signOut() } }
        }
    }

    private func labelled<Field: View>(_ title: String, _ key: String, _ field: Field) -> some View {
        VStack(alignment: .leading, spacing: 2) {
            Text(title)
                .font(.caption)
                .foregroundStyle(model.error?.field == key ? Color.orange : Color.secondary)
            field
        }
    }
}

/// The camera, for a profile photo (its bytes go to the core like a picked photo's).
struct CameraPicker: UIViewControllerRepresentable {
    var onDone: (Data?) -> Void

    func makeUIViewController(context: Context) -> UIImagePickerController {
        let picker = UIImagePickerController()
        picker.sourceType = .camera
        picker.cameraDevice = .front
        picker.delegate = context.coordinator
        return picker
    }

    func updateUIViewController(_ controller: UIImagePickerController, context: Context) {}

    func makeCoordinator() -> Coordinator {
        Coordinator(onDone: onDone)
    }

    final class Coordinator: NSObject, UIImagePickerControllerDelegate, UINavigationControllerDelegate {
        let onDone: (Data?) -> Void

        init(onDone: @escaping (Data?) -> Void) {
            self.onDone = onDone
        }

        func imagePickerController(_ picker: UIImagePickerController, didFinishPickingMediaWithInfo info: [UIImagePickerController.InfoKey: Any]) {
            let image = info[.originalImage] as? UIImage
            onDone(image?.jpegData(compressionQuality: 0.9))
        }

        func imagePickerControllerDidCancel(_ picker: UIImagePickerController) {
            onDone(nil)
        }
    }
}
