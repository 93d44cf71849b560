import PhotosUI
import QamqorCore
import QamqorModels
import SwiftUI
import UIKit

/// The form of a new achievement; the core checks the fields (and the photo) and names the wrong one.
struct AchievementEditorView: View {
    @ObservedObject var model: AchievementsModel
    @EnvironmentObject private var settings: SettingsModel
    @State private var pickedItem: PhotosPickerItem?
    private var s: Localizer { settings.strings }

    var body: some View {
        NavigationStack {
            Form {
                if let draft = Binding($model.draft) {
                    Section {
                        Picker(s["field.type_id"], selection: draft.typeId) {
                            ForEach(model.categories, id: \.id) { category in
                                Section(s.categoryName(category.name, defaultKey: category.defaultKey)) {
                                    ForEach(model.types(in: category.id), id: \.id) { type in
                                        Text(s.typeName(type.name, defaultKey: type.defaultKey)).tag(type.id)
                                    }
                                }
                            }
                        }
                        .foregroundStyle(highlighted("type_id"))
                        if let type = model.draftType {
                            Text(s.format("achievements.points", "\(type.points)"))
                                .foregroundStyle(.secondary)
                        }
                    } footer: {
                        Text(s["achievements.points.footer"])
                    }
                    Section {
                        TextField(s["field.title"], text: draft.title)
                            .foregroundStyle(highlighted("title"))
                        TextField(s["field.description"], text: draft.description, axis: .vertical)
                            .lineLimit(2...6)
                            .foregroundStyle(highlighted("description"))
                        DatePicker(s["field.achieved_on"], selection: draft.achievedOn, displayedComponents: .date)
                            .foregroundStyle(highlighted("achieved_on"))
                    }
                    evidence(draft.wrappedValue.evidence)
                    if let error = model.draftError {
                        ErrorBanner(error: error)
                            .listRowBackground(Color.clear)
                    }
                }
            }
            .navigationTitle(s["achievements.new"])
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(s["common.cancel"]) { model.cancelEditing() }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button(s["achievements.submit"]) { Task { await model.submit() } }
                        .disabled(model.isSaving)
                }
            }
        }
        .onChange(of: pickedItem) { item in
            guard let item else { return }
            Task {
                let data = try? await item.loadTransferable(type: Data.self)
                if let data { model.setEvidence(data) }
                pickedItem = nil
            }
        }
    }

    private func evidence(_ data: Data?) -> some View {
        Section {
            if let data, let image = UIImage(data: data) {
                Image(uiImage: image)
                    .resizable()
                    .scaledToFit()
                    .frame(maxHeight: 160)
            }
            PhotosPicker(selection: $pickedItem, matching: .images) {
                Label(s[data == nil ? "achievements.evidence.choose" : "achievements.evidence.replace"], systemImage: "photo")
            }
            .foregroundStyle(model.draftError?.field == "evidence" ? Color.orange : Color.accentColor)
            if data != nil {
                Button(role: .destructive) {
                    model.setEvidence(nil)
                } label: {
                    Label(s["achievements.evidence.remove"], systemImage: "trash")
                }
            }
        } header: {
            Text(s["field.evidence"])
        } footer: {
            Text(s["achievements.evidence.footer"])
        }
    }

    private func highlighted(_ field: String) -> Color {
        model.draftError?.field == field ? .orange : .primary
    }
}
