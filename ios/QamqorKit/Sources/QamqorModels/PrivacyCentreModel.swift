#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// The privacy centre: exactly what the manager sees under the organisation's policy (from the
/// core), an export of all the person's data, and the request for deletion (recorded on the phone
/// by the core, sent by the next sync; its status is the core's).
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
        /// The person's deletion request and where it is (waiting to be sent, received); nil if none.
        public var deletionRequest: DeletionRequest?

        /// Without an organisation account the data is only on this phone: nobody to ask.
        public var canRequestDeletion: Bool { account != nil && deletionRequest == nil }
    }

    @Published public private(set) var state: LoadState<Content> = .loading
    @Published public private(set) var export: ExportState = .idle
    /// The last deletion request's failure (a banner); cleared by the next attempt.
    @Published public private(set) var deletionError: ModelError?
    @Published public private(set) var isRequestingDeletion = false

    /// Called after the request is recorded (the app refreshes the sync status and syncs soon).
    public var onLocalChange: (@MainActor () -> Void)?

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
            Content(
                view: try core.privacyView(), account: try core.syncStatus().account,
                latestAssessment: try core.latestRiskAssessment(), deletionRequest: try core.deletionRequest())
        }
        switch result {
        case let .success(c): state = .loaded(c)
        case let .failure(e): state = .failed(e)
        }
    }

    /// Asks the organisation to delete the person's account and data: the core records the
    /// request on the phone at once (offline first) and the next sync sends it.
    @discardableResult
    public func requestDeletion() async -> Bool {
        guard !isRequestingDeletion else { return false }
        isRequestingDeletion = true
        deletionError = nil
        let result = await runner.localResult { try $0.requestDeletion() }
        isRequestingDeletion = false
        switch result {
        case let .success(request):
            if var c = content {
                c.deletionRequest = request
                state = .loaded(c)
            }
            onLocalChange?()
            return true
        case let .failure(e):
            deletionError = e
            return false
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
