import QamqorCore
import QamqorModels
import SwiftUI
import UIKit

/// Achievements: what the person recorded and where each stands (waiting for the manager,
/// verified, or rejected with the manager's comment); a form to record a new one.
struct AchievementsView: View {
    @ObservedObject var model: AchievementsModel
    let sync: SyncModel
    @EnvironmentObject private var settings: SettingsModel
    @State private var shownEvidence: EvidencePhoto?
    private var s: Localizer { settings.strings }

    var body: some View {
        Group {
            switch model.state {
            case .loading:
                ProgressView().frame(maxHeight: .infinity)
            case let .failed(error):
                LoadFailedView(error: error) { await model.load() }
            case .loaded:
                list
            }
        }
        .navigationTitle(s["achievements.title"])
        .toolbar {
            ToolbarItem(placement: .primaryAction) {
                Button {
                    model.newAchievement()
                } label: {
                    Label(s["achievements.new"], systemImage: "plus")
                }
            }
        }
        .refreshable {
            await sync.syncNow()
            await model.load()
        }
        .task { await model.load() }
        .sheet(isPresented: Binding(get: { model.draft != nil }, set: { if !$0 { model.cancelEditing() } })) {
            AchievementEditorView(model: model)
        }
        .sheet(item: $shownEvidence) { photo in
            NavigationStack {
                Group {
                    if let image = UIImage(data: photo.data) {
                        Image(uiImage: image).resizable().scaledToFit()
                    }
                }
                .padding()
                .toolbar {
                    ToolbarItem(placement: .confirmationAction) {
                        Button(s["common.close"]) { shownEvidence = nil }
                    }
                }
            }
        }
    }

    private var list: some View {
        List {
            if let error = model.actionError {
                ErrorBanner(error: error) { model.dismissError() }
                    .listRowBackground(Color.clear)
            }
            if model.achievements.isEmpty {
                Text(s["achievements.empty"]).foregroundStyle(.secondary)
            }
            ForEach(model.achievements, id: \.id) { achievement in
                AchievementRow(achievement: achievement) {
                    Task {
                        if let data = await model.loadEvidence(of: achievement.id) {
                            shownEvidence = EvidencePhoto(id: achievement.id, data: data)
                        }
                    }
                }
                .swipeActions(edge: .trailing) {
                    if achievement.canDelete {
                        Button(role: .destructive) {
                            Task { await model.delete(achievement.id) }
                        } label: {
                            Label(s["common.delete"], systemImage: "trash")
                        }
                    }
                }
            }
        }
        .listStyle(.plain)
    }
}

/// An evidence photo to show full size.
struct EvidencePhoto: Identifiable {
    let id: String
    let data: Data
}

/// One achievement: title, type and category, day, points, status and the manager's comment.
struct AchievementRow: View {
    let achievement: Achievement
    var onShowEvidence: () -> Void
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack(alignment: .firstTextBaseline) {
                Text(achievement.title).font(.headline)
                Spacer()
                Label(s["achievement.status.\(achievement.status.key)"], systemImage: symbol)
                    .font(.caption)
                    .foregroundStyle(tint)
            }
            Text(s.typeName(achievement.typeName, defaultKey: achievement.typeDefaultKey) + " · " + s.categoryName(achievement.categoryName, defaultKey: achievement.categoryDefaultKey))
                .font(.caption)
                .foregroundStyle(.secondary)
            HStack(spacing: 8) {
                if let date = LocalDate.date(achievement.achievedOn) {
                    Text(formatted(date))
                }
                Text(s.format("achievements.points", "\(achievement.points)"))
                if achievement.hasEvidence {
                    Button(action: onShowEvidence) {
                        Label(s["achievements.evidence.show"], systemImage: "photo")
                    }
                    .buttonStyle(.borderless)
                }
            }
            .font(.caption)
            .foregroundStyle(.secondary)
            if let review = achievement.review {
                Text(s.format("achievements.reviewed_by", review.reviewerName))
                    .font(.caption)
                    .foregroundStyle(.secondary)
                if let comment = review.comment {
                    Text(comment)
                        .font(.callout)
                        .padding(8)
                        .frame(maxWidth: .infinity, alignment: .leading)
                        .background(tint.opacity(0.1), in: RoundedRectangle(cornerRadius: 8))
                }
            }
        }
    }

    private var symbol: String {
        switch achievement.status {
        case .pending: return "hourglass"
        case .verified: return "checkmark.seal.fill"
        case .rejected: return "xmark.seal"
        }
    }

    private var tint: Color {
        switch achievement.status {
        case .pending: return .secondary
        case .verified: return .green
        case .rejected: return .orange
        }
    }

    private func formatted(_ date: Date) -> String {
        var style = Date.FormatStyle(date: .abbreviated, time: .omitted).locale(s.locale)
        style.timeZone = LocalDate.utc
        return date.formatted(style)
    }
}
