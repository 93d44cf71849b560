import QamqorCore
import QamqorModels
import SwiftUI

/// The Copenhagen Burnout Inventory, one item after another; the core scores it.
struct QuestionnaireView: View {
    @ObservedObject var model: QuestionnaireModel
    @EnvironmentObject private var settings: SettingsModel
    @Environment(\.dismiss) private var dismiss
    private var s: Localizer { settings.strings }

    var body: some View {
        NavigationStack {
            Group {
                switch model.state {
                case .loading:
                    ProgressView()
                case let .failed(error):
                    LoadFailedView(error: error) { await model.load(language: settings.language) }
                case let .loaded(content):
                    form(content)
                }
            }
            .navigationTitle(s["questionnaire.title"])
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(s["common.close"]) { dismiss() }
                }
            }
        }
        .task(id: settings.language) { await model.load(language: settings.language) }
    }

    private func form(_ content: QuestionnaireModel.Content) -> some View {
        Form {
            Section {
                Text(s["questionnaire.intro"])
                if let last = content.lastResponse {
                    Text(s.format("questionnaire.last", last.answeredAt.formatted(date: .abbreviated, time: .omitted)))
                        .foregroundStyle(.secondary)
                }
                Toggle(s["questionnaire.no_clients"], isOn: $model.noClientWork)
            }
            if let result = model.result {
                Section(s["questionnaire.result.title"]) {
                    score(s["questionnaire.scale.personal"], result.scores.personal)
                    score(s["questionnaire.scale.work_related"], result.scores.workRelated)
                    score(s["questionnaire.scale.client_related"], result.scores.clientRelated)
                    Button(s["common.done"]) { dismiss() }
                }
            }
            ForEach(model.visibleItems, id: \.number) { item in
                Section {
                    Text(item.text)
                    Picker(s["questionnaire.answer"], selection: Binding(
                        get: { model.answer(for: item) },
                        set: { if let value = $0 { model.setAnswer(value, for: item) } })) {
                        ForEach(Array(content.labels(for: item).enumerated()), id: \.offset) { index, label in
                            Text(label).tag(Optional(UInt8(index)))
                        }
                    }
                    .pickerStyle(.inline)
                    .labelsHidden()
                } header: {
                    Text(s.format("questionnaire.item", "\(item.number)", "\(content.items.count)"))
                }
            }
            if let error = model.error {
                ErrorBanner(error: error)
                    .listRowBackground(Color.clear)
            }
            Section {
                Button {
                    Task { await model.submit() }
                } label: {
                    Text(s["questionnaire.submit"]).frame(maxWidth: .infinity)
                }
                .buttonStyle(.borderedProminent)
                .disabled(!model.isComplete || model.isSaving)
            }
            .listRowBackground(Color.clear)
        }
    }

    private func score(_ title: String, _ value: Double?) -> some View {
        HStack {
            Text(title)
            Spacer()
            Text(value.map { s.format("factor.value.of_100", s.number($0, fractionDigits: 0)) } ?? s["questionnaire.not_scored"])
                .foregroundStyle(.secondary)
        }
    }
}
