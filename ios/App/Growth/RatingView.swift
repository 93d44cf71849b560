import QamqorCore
import QamqorModels
import SwiftUI

/// The person's rating for a period: the total, how it is computed, and what each category adds
/// (the core's numbers, from verified achievements only).
struct RatingView: View {
    @ObservedObject var model: RatingModel
    let sync: SyncModel
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        List {
            Section {
                Picker(s["rating.period"], selection: Binding(get: { model.period }, set: { p in Task { await model.select(p) } })) {
                    ForEach(RatingModel.Period.allCases, id: \.self) { period in
                        Text(s["rating.period.\(period.rawValue)"]).tag(period)
                    }
                }
                .pickerStyle(.segmented)
                if model.period == .custom {
                    DatePicker(s["field.from"], selection: day(\.from), displayedComponents: .date)
                    DatePicker(s["field.to"], selection: day(\.to), displayedComponents: .date)
                        .foregroundStyle(model.state.error?.field == "to" ? Color.orange : Color.primary)
                }
            }
            switch model.state {
            case .loading:
                ProgressView()
            case let .failed(error):
                ErrorBanner(error: error).listRowBackground(Color.clear)
            case let .loaded(rating):
                summary(rating)
                categories(rating)
            }
        }
        .navigationTitle(s["rating.title"])
        .refreshable {
            await sync.syncNow()
            await model.load()
        }
        .task { await model.load() }
    }

    private func summary(_ rating: Rating) -> some View {
        Section {
            VStack(alignment: .leading, spacing: 4) {
                Text(s.number(rating.total, fractionDigits: 2))
                    .font(.system(size: 44, weight: .bold, design: .rounded))
                Text(s.format("rating.points_total", "\(rating.points)"))
                    .foregroundStyle(.secondary)
            }
        } header: {
            Text(s["rating.total"])
        } footer: {
            Text(s["rating.method.\(rating.method.key).explain"])
        }
    }

    private func categories(_ rating: Rating) -> some View {
        Section(s["rating.method.\(rating.method.key)"]) {
            ForEach(rating.categories, id: \.categoryId) { category in
                VStack(alignment: .leading, spacing: 2) {
                    HStack {
                        Text(s.categoryName(category.name, defaultKey: category.defaultKey))
                        Spacer()
                        Text(s.number(category.contribution, fractionDigits: 2)).bold()
                    }
                    HStack(spacing: 8) {
                        Text(s.format("achievements.points", "\(category.points)"))
                        Text(s.format("rating.achievements", "\(category.achievements)"))
                        if let weight = category.weightPercent {
                            Text(s.format("rating.weight", s.number(weight, fractionDigits: 2)))
                        }
                    }
                    .font(.caption)
                    .foregroundStyle(.secondary)
                }
            }
        }
    }

    /// A custom bound as a picker's day (today until picked); picking reloads.
    private func day(_ bound: ReferenceWritableKeyPath<RatingModel, Date?>) -> Binding<Date> {
        Binding(
            get: { model[keyPath: bound] ?? Date() },
            set: { date in
                model[keyPath: bound] = date
                Task { await model.load() }
            })
    }
}
