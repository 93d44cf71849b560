import Charts
import QamqorCore
import QamqorModels
import SwiftUI

/// My risk: the level and score, or honestly "not enough data yet"; the factors in plain words;
/// the trend over recent weeks; what could help, and someone to talk to. Calm, not alarming.
struct RiskView: View {
    @ObservedObject var model: RiskModel
    let questionnaire: QuestionnaireModel
    let sync: SyncModel
    var onSignIn: () -> Void
    @EnvironmentObject private var settings: SettingsModel
    @State private var showingQuestionnaire = false
    private var s: Localizer { settings.strings }

    var body: some View {
        NavigationStack {
            VStack(spacing: 0) {
                SyncStatusView(sync: sync, onSignIn: onSignIn)
                switch model.state {
                case .loading:
                    ProgressView().frame(maxHeight: .infinity)
                case let .failed(error):
                    LoadFailedView(error: error) { await model.load() }
                case let .loaded(screen):
                    List {
                        summary(screen)
                        if !screen.factors.isEmpty {
                            factors(screen.factors)
                        }
                        trend(screen)
                        suggestions(screen.suggestions.filter { $0 != .talkToSomeone })
                        if screen.suggestions.contains(.talkToSomeone) {
                            talk
                        }
                        Section {
                            Text(s.format("risk.model_version", screen.assessment.modelVersion))
                            Text(s["risk.disclaimer"])
                        }
                        .font(.footnote)
                        .foregroundStyle(.secondary)
                    }
                    .listStyle(.insetGrouped)
                }
            }
            .navigationTitle(s["tab.risk"])
            .refreshable { await model.load() }
        }
        .task { await model.load() }
        .sheet(isPresented: $showingQuestionnaire, onDismiss: { Task { await model.load() } }) {
            QuestionnaireView(model: questionnaire)
        }
    }

    /// The questionnaire, offered when the assessment lacks it.
    @ViewBuilder
    private func questionnaireButton(_ screen: RiskModel.Screen) -> some View {
        if screen.missing.contains(.questionnaire) || !screen.assessment.coverage.hasRecentQuestionnaire {
            Button {
                showingQuestionnaire = true
            } label: {
                Label(s["risk.questionnaire"], systemImage: "list.clipboard")
            }
        }
    }

    @ViewBuilder
    private func summary(_ screen: RiskModel.Screen) -> some View {
        Section {
            if screen.notEnoughData {
                VStack(alignment: .leading, spacing: 8) {
                    Text(s["risk.not_enough.title"]).font(.title3.bold())
                    Text(s["risk.not_enough.body"]).foregroundStyle(.secondary)
                    ForEach(screen.missing, id: \.self) { missing in
                        Label(s["missing.\(missing.key)"], systemImage: "plus.circle")
                            .font(.subheadline)
                    }
                }
                .padding(.vertical, 4)
                questionnaireButton(screen)
            } else if let level = screen.assessment.level, let percent = screen.scorePercent {
                VStack(alignment: .leading, spacing: 8) {
                    HStack(alignment: .firstTextBaseline) {
                        Text(s["risk.level.\(level.key)"])
                            .font(.title.bold())
                            .foregroundStyle(color(level))
                        Spacer()
                        Text(s.format("risk.score", "\(percent)"))
                            .font(.headline.monospacedDigit())
                            .foregroundStyle(.secondary)
                    }
                    Gauge(value: Double(percent), in: 0...100) { EmptyView() }
                        .tint(color(level))
                    Text(s["risk.level.\(level.key).explain"])
                        .font(.subheadline)
                    if let trend = screen.assessment.trend {
                        Label(s["trend.\(trend.direction.key)"], systemImage: symbol(trend.direction))
                            .font(.subheadline)
                            .foregroundStyle(.secondary)
                    }
                    if !screen.missing.isEmpty {
                        Text(s["risk.could_say_more"]).font(.footnote).foregroundStyle(.secondary)
                        ForEach(screen.missing, id: \.self) { missing in
                            Text("• " + s["missing.\(missing.key)"]).font(.footnote).foregroundStyle(.secondary)
                        }
                    }
                }
                .padding(.vertical, 4)
                questionnaireButton(screen)
            }
        }
    }

    private func factors(_ rows: [RiskFactorRow]) -> some View {
        Section {
            ForEach(rows) { factor in
                VStack(alignment: .leading, spacing: 4) {
                    HStack {
                        Image(systemName: factor.raisesRisk ? "arrow.up.right" : "arrow.down.right")
                            .foregroundStyle(factor.raisesRisk ? Color.orange : Color.green)
                        Text(s[factor.titleKey]).font(.subheadline.weight(.semibold))
                        Spacer()
                        Text(factor.valueText(s))
                            .font(.subheadline.monospacedDigit())
                    }
                    Text(s[factor.explanationKey])
                        .font(.caption)
                        .foregroundStyle(.secondary)
                    Text(s[factor.raisesRisk ? "risk.factor.raises" : "risk.factor.lowers"])
                        .font(.caption2)
                        .foregroundStyle(.secondary)
                }
                .padding(.vertical, 2)
            }
        } header: {
            Text(s["risk.factors.title"])
        } footer: {
            Text(s["risk.factors.footer"])
        }
    }

    private func trend(_ screen: RiskModel.Screen) -> some View {
        Section(s["risk.trend.title"]) {
            if screen.trend.contains(where: { $0.score != nil }) {
                Chart(screen.trend.filter { $0.score != nil }) { point in
                    LineMark(x: .value(s["risk.trend.week"], label(point)), y: .value(s["risk.trend.score"], (point.score ?? 0) * 100))
                    PointMark(x: .value(s["risk.trend.week"], label(point)), y: .value(s["risk.trend.score"], (point.score ?? 0) * 100))
                        .foregroundStyle(point.isNow ? Color.accentColor : Color.secondary)
                }
                .chartYScale(domain: 0...100)
                .frame(height: 160)
            } else {
                Text(s["risk.trend.no_data"]).foregroundStyle(.secondary)
            }
        }
    }

    private func suggestions(_ suggestions: [RiskSuggestion]) -> some View {
        Section(s["risk.suggestions.title"]) {
            ForEach(suggestions, id: \.self) { suggestion in
                Label(s["suggestion.\(suggestion.key)"], systemImage: "leaf")
            }
        }
    }

    private var talk: some View {
        Section(s["risk.talk.title"]) {
            Text(s["risk.talk.body"])
            Text(s["risk.talk.urgent"]).font(.footnote).foregroundStyle(.secondary)
        }
    }

    private func label(_ point: RiskTrendPoint) -> String {
        if point.isNow { return s["risk.trend.now"] }
        guard let date = LocalDate.date(point.asOf) else { return point.asOf }
        var style = Date.FormatStyle(date: .abbreviated, time: .omitted).locale(s.locale)
        style.timeZone = LocalDate.utc
        return date.formatted(style)
    }

    private func color(_ level: RiskLevel) -> Color {
        switch level {
        case .low: return .green
        case .medium: return .yellow
        case .high: return .orange
        }
    }

    private func symbol(_ direction: TrendDirection) -> String {
        switch direction {
        case .rising: return "arrow.up.right"
        case .stable: return "arrow.right"
        case .falling: return "arrow.down.right"
        }
    }
}
