import QamqorCore
import QamqorModels
import SwiftUI

/// The privacy centre: exactly what the manager sees, an export of everything, and the request
/// for deletion (recorded on the phone by the core, sent with the next sync).
struct PrivacyCentreView: View {
    @ObservedObject var model: PrivacyCentreModel
    @State private var confirmingDeletion = false
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        List {
            Section {
                Text(s["centre.intro"])
            }
            switch model.state {
            case .loading:
                ProgressView()
            case let .failed(error):
                ErrorBanner(error: error)
            case let .loaded(content):
                Section {
                    if let organisation = content.view.organisation {
                        LabeledContent(s["centre.organisation"], value: organisation)
                    } else {
                        Text(s["centre.no_organisation"]).foregroundStyle(.secondary)
                    }
                }
                PrivacyListsView(view: content.view)
                if let latest = content.latestAssessment {
                    Section {
                        Text(s.format("centre.latest_assessment", latest.localDate, latest.level.map { s["risk.level.\($0.key)"] } ?? s["centre.latest_assessment.no_level"]))
                            .font(.footnote)
                    }
                }
            }
            exportSection
            deletionSection
        }
        .navigationTitle(s["centre.title"])
        .task { await model.load() }
        .onDisappear { model.finishExport() }
    }

    private var exportSection: some View {
        Section {
            ForEach(PrivacyCentreModel.ExportFormat.allCases, id: \.self) { format in
                switch model.export {
                case let .ready(ready, urls) where ready == format:
                    ShareLink(items: urls) {
                        Label(s["centre.export.share.\(format.rawValue)"], systemImage: "square.and.arrow.up")
                    }
                case .preparing(format):
                    HStack {
                        ProgressView()
                        Text(s["centre.export.preparing"])
                    }
                default:
                    Button {
                        Task { await model.prepareExport(format) }
                    } label: {
                        Label(s["centre.export.\(format.rawValue)"], systemImage: "doc")
                    }
                }
            }
            if case let .failed(error) = model.export {
                ErrorBanner(error: error)
            }
        } header: {
            Text(s["centre.export.title"])
        } footer: {
            Text(s["centre.export.footer"])
        }
    }

    private var deletionSection: some View {
        Section(s["centre.delete.title"]) {
            if let request = model.content?.deletionRequest {
                // Where the request is, as the core says: on this phone, or with the organisation.
                let when = request.requestedAt.formatted(date: .abbreviated, time: .shortened)
                Text(s.format(request.status == .received ? "centre.delete.received" : "centre.delete.waiting", when))
            } else if model.content?.account == nil {
                Text(s["centre.delete.body_local"])
            } else {
                Text(s.format("centre.delete.body", model.organisation ?? s["centre.delete.your_organisation"]))
                Button(s["centre.delete.ask"], role: .destructive) { confirmingDeletion = true }
                    .disabled(model.isRequestingDeletion)
                    .confirmationDialog(s["centre.delete.confirm.title"], isPresented: $confirmingDeletion, titleVisibility: .visible) {
                        Button(s["centre.delete.confirm"], role: .destructive) {
                            Task { await model.requestDeletion() }
                        }
                    } message: {
                        Text(s["centre.delete.confirm.body"])
                    }
            }
            if let error = model.deletionError {
                ErrorBanner(error: error)
            }
        }
    }
}
