import QamqorCore
import QamqorModels
import SwiftUI

/// The privacy centre: exactly what the manager sees, an export of everything, and how to ask
/// for deletion (there is no deletion endpoint yet: the organisation's admin does it).
struct PrivacyCentreView: View {
    @ObservedObject var model: PrivacyCentreModel
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
            if let organisation = model.organisation {
                Text(s.format("centre.delete.body", organisation))
            } else {
                Text(s["centre.delete.body_local"])
            }
            Text(s["centre.delete.export_first"]).foregroundStyle(.secondary)
        }
    }
}
