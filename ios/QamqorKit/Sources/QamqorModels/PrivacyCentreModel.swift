#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// The privacy centre: exactly what the manager sees under the organisation's policy (from the
/// core), an export of all the person's data, and how to ask for deletion.
@MainActor
public final class PrivacyCentreModel: ObservableObject {
    public enum ExportFormat: String, CaseIterable, Sendable {
        case json, csv
    }

    public enum ExportState: Equatable, Sendable {
        case idle
        case preparing(ExportFormat)
        /// Files written to a private temporary folder, ready for the share sheet.
        case ready(ExportFormat, [URL])
        case failed(ModelError)
    }

    public struct Content: Equatable, Sendable {
        public var view: PrivacyView
        public var account: SyncAccount?
        /// The latest assessment kept on the phone (what is shared of it: `view`); nil before the first.
        public var latestAssessment: RiskHistoryEntry?
    }

    @Published public private(set) var state: LoadState<Content> = .loading
    @Published public private(set) var export: ExportState = .idle

    private let runner: CoreRunner
    private let exportDirectory: URL

    /// `exportDirectory`: where exports are written (a folder of the app's temporary directory).
    public init(runner: CoreRunner, exportDirectory: URL = FileManager.default.temporaryDirectory.appendingPathComponent("exports", isDirectory: true)) {
        self.runner = runner
        self.exportDirectory = exportDirectory
    }

    public var content: Content? { state.value }

    /// The organisation to ask for deletion (known once its settings arrived by sync).
    public var organisation: String? { content?.view.organisation }

    public func load() async {
        let result = await runner.localResult { core in
            // Read only: showing the latest assessment never assesses again nor writes.
            Content(view: try core.privacyView(), account: try core.syncStatus().account, latestAssessment: try core.latestRiskAssessment())
        }
        switch result {
        case let .success(c): state = .loaded(c)
        case let .failure(e): state = .failed(e)
        }
    }

    /// Writes all of the person's data (as the core exports it) to files for sharing.
    @discardableResult
    public func prepareExport(_ format: ExportFormat) async -> [URL]? {
        if case .preparing = export { return nil }
        export = .preparing(format)
        let folder = exportDirectory.appendingPathComponent(UUID().uuidString, isDirectory: true)
        let result = await runner.localResult { core -> [URL] in
            try? FileManager.default.removeItem(at: folder.deletingLastPathComponent())
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let stamp = core.today()
            switch format {
            case .json:
                let url = folder.appendingPathComponent("qamqor-\(stamp).json")
                try Data(try core.exportJson().utf8).write(to: url, options: .atomic)
                return [url]
            case .csv:
                return try core.exportCsv().map { file in
                    let url = folder.appendingPathComponent("qamqor-\(stamp)-\(file.name)")
                    try Data(file.content.utf8).write(to: url, options: .atomic)
                    return url
                }
            }
        }
        switch result {
        case let .success(urls):
            export = .ready(format, urls)
            return urls
        case let .failure(e):
            export = .failed(e)
            return nil
        }
    }

    /// Deletes the written files once shared (or when the person leaves the screen).
    public func finishExport() {
        if case let .ready(_, urls) = export, let folder = urls.first?.deletingLastPathComponent() {
            try? FileManager.default.removeItem(at: folder)
        }
        export = .idle
    }
}
