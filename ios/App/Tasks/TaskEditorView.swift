import QamqorCore
import QamqorModels
import SwiftUI

/// The form of a new or edited task; the core checks the fields and names the wrong one.
struct TaskEditorView: View {
    @ObservedObject var model: TasksModel
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        NavigationStack {
            Form {
                if let draft = Binding($model.draft) {
                    Section {
                        TextField(s["field.title"], text: draft.title)
                            .foregroundStyle(model.draftError?.field == "title" ? Color.orange : Color.primary)
                        TextField(s["field.notes"], text: draft.notes, axis: .vertical)
                            .lineLimit(2...6)
                    }
                    Section {
                        Toggle(s["tasks.has_due"], isOn: Binding(
                            get: { draft.wrappedValue.dueDate != nil },
                            set: { draft.wrappedValue.dueDate = $0 ? (draft.wrappedValue.dueDate ?? Date()) : nil }))
                        if let due = Binding(draft.dueDate) {
                            DatePicker(s["field.due_date"], selection: due, displayedComponents: .date)
                        }
                        Stepper(value: Binding(
                            get: { Int(draft.wrappedValue.estimateMinutes ?? 0) },
                            set: { draft.wrappedValue.estimateMinutes = $0 > 0 ? UInt32($0) : nil }), in: 0...(60 * 24), step: 15) {
                            Text(draft.wrappedValue.estimateMinutes.map { s.format("tasks.estimate", "\($0)") } ?? s["tasks.no_estimate"])
                        }
                    }
                    if let by = draft.wrappedValue.assignedBy {
                        Section {
                            Text(s.format("tasks.assigned_by", by)).foregroundStyle(.secondary)
                        }
                    }
                    if let error = model.draftError {
                        ErrorBanner(error: error)
                            .listRowBackground(Color.clear)
                    }
                }
            }
            .navigationTitle(s[model.draft?.id == nil ? "tasks.new" : "tasks.edit"])
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(s["common.cancel"]) { model.cancelEditing() }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button(s["common.save"]) { Task { await model.saveDraft() } }
                        .disabled(model.isSaving)
                }
            }
        }
    }
}
