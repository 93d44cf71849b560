import QamqorCore
import QamqorModels
import SwiftUI

/// The daily check-in in a few taps: fatigue 0-10, stress and mood 1-5, hours of sleep.
struct CheckInCard: View {
    @ObservedObject var model: TodayModel
    let done: CheckIn?
    let streak: UInt32
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }
    private var scales: CheckInScales { TodayModel.scales }

    var body: some View {
        VStack(alignment: .leading, spacing: 14) {
            if done != nil {
                Label(s.format("today.checkin.done", "\(streak)"), systemImage: "checkmark.circle.fill")
                    .foregroundStyle(.green)
                    .font(.subheadline)
            }
            // The core's scales: what it accepts is what the card offers.
            scale(s["today.checkin.fatigue"], values: scales.fatigueMin...scales.fatigueMax, selection: $model.checkIn.fatigue,
                  low: s["today.checkin.fatigue.low"], high: s["today.checkin.fatigue.high"])
            scale(s["today.checkin.stress"], values: scales.stressMin...scales.stressMax, selection: $model.checkIn.stress,
                  low: s["today.checkin.stress.low"], high: s["today.checkin.stress.high"])
            scale(s["today.checkin.mood"], values: scales.moodMin...scales.moodMax, selection: $model.checkIn.mood,
                  low: s["today.checkin.mood.low"], high: s["today.checkin.mood.high"])
            Stepper(value: $model.checkIn.sleepHours, in: 0...scales.sleepHoursMax, step: scales.sleepHoursStep) {
                Text(s.format("today.checkin.sleep", s.number(model.checkIn.sleepHours)))
            }
            TextField(s["today.checkin.note"], text: $model.checkIn.note, axis: .vertical)
                .lineLimit(1...3)
            Button {
                Task { await model.submitCheckIn() }
            } label: {
                Text(s[done == nil ? "today.checkin.save" : "today.checkin.update"])
                    .frame(maxWidth: .infinity)
            }
            .buttonStyle(.borderedProminent)
            .disabled(!model.checkIn.isComplete || model.isSaving)
        }
        .padding(.vertical, 6)
    }

    /// A row of numbered buttons, one tap to choose.
    private func scale(_ title: String, values: ClosedRange<UInt8>, selection: Binding<UInt8?>, low: String, high: String) -> some View {
        VStack(alignment: .leading, spacing: 6) {
            Text(title).font(.subheadline.weight(.medium))
            HStack(spacing: 4) {
                ForEach(Array(values), id: \.self) { value in
                    Button {
                        selection.wrappedValue = value
                    } label: {
                        Text(verbatim: "\(value)")
                            .font(.callout.monospacedDigit())
                            .frame(maxWidth: .infinity, minHeight: 34)
                            .background(selection.wrappedValue == value ? Color.accentColor : Color.secondary.opacity(0.12),
                                        in: RoundedRectangle(cornerRadius: 8))
                            .foregroundStyle(selection.wrappedValue == value ? Color.white : Color.primary)
                    }
                    .buttonStyle(.plain)
                    .accessibilityLabel("\(title) \(value)")
                }
            }
            HStack {
                Text(low)
                Spacer()
                Text(high)
            }
            .font(.caption2)
            .foregroundStyle(.secondary)
        }
    }
}
