import QamqorCore
import QamqorModels
import SwiftUI

/// Competencies: the profession card the admin assigned, its labour functions with their scores
/// and "strong" marks, and each skill with the person's own score (editable) and the manager's.
struct CompetencyView: View {
    @ObservedObject var model: CompetencyModel
    let sync: SyncModel
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        Group {
            switch model.state {
            case .loading:
                ProgressView().frame(maxHeight: .infinity)
            case let .failed(error):
                LoadFailedView(error: error) { await model.load() }
            case .loaded(.noCard):
                VStack(spacing: 12) {
                    Image(systemName: "person.text.rectangle")
                        .font(.largeTitle)
                        .foregroundStyle(.secondary)
                    Text(s["competency.no_card"])
                        .multilineTextAlignment(.center)
                }
                .padding()
                .frame(maxHeight: .infinity)
            case let .loaded(.profile(profile)):
                card(profile)
            }
        }
        .navigationTitle(s["competency.title"])
        .refreshable {
            await sync.syncNow()
            await model.load()
        }
        .task { await model.load() }
    }

    private func card(_ profile: CompetencyProfile) -> some View {
        List {
            Section {
                VStack(alignment: .leading, spacing: 4) {
                    Text(profile.cardName).font(.headline)
                    Text(s.format("competency.level", "\(profile.level)"))
                    if let code = profile.occupationCode {
                        Text(s.format("competency.occupation_code", code))
                    }
                    Text(s.format("competency.assigned_by", profile.assignedBy))
                        .foregroundStyle(.secondary)
                }
                .font(.callout)
                if let purpose = profile.mainPurpose {
                    Text(purpose).font(.callout).foregroundStyle(.secondary)
                }
            } footer: {
                Text(s["competency.scale.footer"])
            }
            ForEach(profile.functions, id: \.functionId) { function in
                Section {
                    ForEach(function.skills, id: \.skillId) { skill in
                        SkillRow(model: model, skill: skill)
                    }
                } header: {
                    functionHeader(function)
                }
            }
        }
    }

    private func functionHeader(_ function: FunctionScore) -> some View {
        VStack(alignment: .leading, spacing: 2) {
            if !function.mandatory {
                Text(s["competency.additional"]).font(.caption2)
            }
            HStack {
                Text(function.name)
                Spacer()
                if function.strong {
                    Label(s["competency.strong"], systemImage: "star.fill").foregroundStyle(.green)
                }
                Text(function.score.map { s.number($0, fractionDigits: 2) } ?? s["competency.not_rated"])
            }
        }
    }
}

/// One skill: its name, what it takes, the person's own score and the manager's.
struct SkillRow: View {
    @ObservedObject var model: CompetencyModel
    let skill: SkillScore
    @EnvironmentObject private var settings: SettingsModel
    @State private var showingDetails = false
    private var s: Localizer { settings.strings }

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            Text(skill.name)
            Picker(s["competency.own"], selection: Binding(
                get: { skill.own },
                set: { score in if let score { Task { await model.rate(skill: skill.skillId, score: score) } } })) {
                Text(s["competency.not_rated"]).tag(UInt8?.none)
                ForEach(CompetencyModel.scale, id: \.self) { score in
                    Text("\(score) · " + s["competency.scale.\(score)"]).tag(Optional(score))
                }
            }
            .disabled(model.savingSkill == skill.skillId)
            if let manager = skill.manager {
                Text(s.format("competency.manager_score", "\(manager)", s["competency.scale.\(manager)"], skill.managerName ?? s["competency.your_manager"]))
                    .font(.caption)
                    .foregroundStyle(.secondary)
            }
            if let error = model.error(for: skill.skillId) {
                ErrorBanner(error: error) { model.dismissError() }
            }
            if !skill.abilities.isEmpty || !skill.knowledge.isEmpty {
                DisclosureGroup(s["competency.details"], isExpanded: $showingDetails) {
                    if !skill.abilities.isEmpty {
                        Text(s["competency.abilities"]).font(.caption).bold()
                        ForEach(skill.abilities, id: \.self) { Text("• " + $0).font(.caption) }
                    }
                    if !skill.knowledge.isEmpty {
                        Text(s["competency.knowledge"]).font(.caption).bold()
                        ForEach(skill.knowledge, id: \.self) { Text("• " + $0).font(.caption) }
                    }
                }
                .font(.caption)
            }
        }
    }
}
