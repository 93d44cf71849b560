import Charts
import QamqorCore
import QamqorModels
import SwiftUI

/// History: hours, overtime and after-hours work, and check-ins, over 7 days or 12 weeks.
struct HistoryView: View {
    @ObservedObject var model: HistoryModel
    let sync: SyncModel
    var onSignIn: () -> Void
    @EnvironmentObject private var settings: SettingsModel
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
                        Section {
                            Picker(s["history.range"], selection: $model.range) {
                                Text(s["history.range.7d"]).tag(HistoryModel.Range.days)
                                Text(s["history.range.12w"]).tag(HistoryModel.Range.weeks)
                            }
                            .pickerStyle(.segmented)
                        }
                        .listRowBackground(Color.clear)
                        hours
                        checkIns
                        totals(screen)
                    }
                    .listStyle(.insetGrouped)
                }
            }
            .navigationTitle(s["tab.history"])
            .refreshable { await model.load() }
        }
        .task { await model.load() }
    }

    private var hours: some View {
        Section(s["history.chart.hours"]) {
            Chart {
                ForEach(model.points) { point in
                    BarMark(x: .value(s["history.axis.period"], label(point)), y: .value(s["history.axis.hours"], point.workedHours - point.overtimeHours))
                        .foregroundStyle(by: .value(s["history.series"], s["history.worked"]))
                    BarMark(x: .value(s["history.axis.period"], label(point)), y: .value(s["history.axis.hours"], point.overtimeHours))
                        .foregroundStyle(by: .value(s["history.series"], s["history.overtime"]))
                    LineMark(x: .value(s["history.axis.period"], label(point)), y: .value(s["history.axis.hours"], point.afterHoursHours))
                        .foregroundStyle(by: .value(s["history.series"], s["history.after_hours"]))
                        .symbol(.circle)
                    LineMark(x: .value(s["history.axis.period"], label(point)), y: .value(s["history.axis.hours"], point.weekendHours))
                        .foregroundStyle(by: .value(s["history.series"], s["history.weekend"]))
                        .symbol(.square)
                }
            }
            .chartForegroundStyleScale([
                s["history.worked"]: Color.accentColor,
                s["history.overtime"]: Color.orange,
                s["history.after_hours"]: Color.purple,
                s["history.weekend"]: Color.teal,
            ])
            .frame(height: 220)
        }
    }

    private var checkIns: some View {
        Section(s["history.chart.check_ins"]) {
            Chart(model.points) { point in
                BarMark(x: .value(s["history.axis.period"], label(point)), y: .value(s["history.axis.days"], Int(point.checkIns)))
                    .foregroundStyle(Color.teal)
            }
            .frame(height: 120)
            Chart {
                ForEach(model.points) { point in
                    if let fatigue = point.fatigue {
                        LineMark(x: .value(s["history.axis.period"], label(point)), y: .value(s["history.axis.score"], fatigue))
                            .foregroundStyle(by: .value(s["history.series"], s["history.fatigue"]))
                            .symbol(.circle)
                    }
                    if let mood = point.mood {
                        LineMark(x: .value(s["history.axis.period"], label(point)), y: .value(s["history.axis.score"], mood))
                            .foregroundStyle(by: .value(s["history.series"], s["history.mood"]))
                            .symbol(.square)
                    }
                }
            }
            .chartYScale(domain: 0...10)
            .frame(height: 160)
            Text(s["history.check_ins.footnote"])
                .font(.caption)
                .foregroundStyle(.secondary)
        }
    }

    private func totals(_ screen: HistoryModel.Screen) -> some View {
        let t = model.totals
        return Section(s["history.totals"]) {
            row(s["history.worked"], s.number(t.worked) + " " + s["unit.h"])
            row(s["history.overtime"], s.number(t.overtime) + " " + s["unit.h"])
            row(s["history.after_hours"], s.number(t.afterHours) + " " + s["unit.h"])
            row(s["history.weekend"], s.number(t.weekend) + " " + s["unit.h"])
            row(s["history.check_ins"], "\(t.checkIns)")
            row(s["history.streak"], "\(screen.checkInStreak)")
            row(s["history.longest_streak"], "\(screen.longestCheckInStreak)")
        }
    }

    private func row(_ title: String, _ value: String) -> some View {
        HStack {
            Text(title)
            Spacer()
            Text(value).monospacedDigit().foregroundStyle(.secondary)
        }
    }

    /// A day as its weekday, a week as its first day's date (the point's date is midnight UTC).
    private func label(_ point: HistoryPoint) -> String {
        var style = model.range == .days
            ? Date.FormatStyle().weekday(.abbreviated).locale(s.locale)
            : Date.FormatStyle().day().month(.abbreviated).locale(s.locale)
        style.timeZone = LocalDate.utc
        return point.date.formatted(style)
    }
}
