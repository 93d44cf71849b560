import QamqorCore
import QamqorModels
import SwiftUI

/// The work timer: start, stop (now or at an earlier time).
struct TimerCard: View {
    @ObservedObject var model: TodayModel
    let running: WorkSession?
    var onStopEarlier: () -> Void
    @EnvironmentObject private var settings: SettingsModel
    @State private var note = ""
    private var s: Localizer { settings.strings }

    var body: some View {
        if let running {
            VStack(alignment: .leading, spacing: 8) {
                HStack {
                    Image(systemName: "timer")
                    Text(running.startedAt, style: .timer)
                        .font(.title2.monospacedDigit())
                    Spacer()
                    Text(s.format("today.timer.since", running.startedAt.formatted(date: .omitted, time: .shortened)))
                        .font(.caption)
                        .foregroundStyle(.secondary)
                }
                if let note = running.note {
                    Text(note).font(.caption).foregroundStyle(.secondary)
                }
                HStack {
                    Button(s["today.timer.stop"]) { Task { await model.stopTimer() } }
                        .buttonStyle(.borderedProminent)
                    Button(s["today.timer.stop_earlier"], action: onStopEarlier)
                        .buttonStyle(.bordered)
                }
                .disabled(model.isSaving)
            }
        } else {
            HStack {
                TextField(s["today.timer.note"], text: $note)
                Button(s["today.timer.start"]) {
                    Task {
                        if await model.startTimer(note: note) { note = "" }
                    }
                }
                .buttonStyle(.borderedProminent)
                .disabled(model.isSaving)
            }
        }
    }
}

/// Stops the running timer at an earlier time (the person forgot to stop it).
struct StopEarlierSheet: View {
    @ObservedObject var model: TodayModel
    @EnvironmentObject private var settings: SettingsModel
    @Environment(\.dismiss) private var dismiss
    @State private var end = Date()
    private var s: Localizer { settings.strings }

    var body: some View {
        NavigationStack {
            Form {
                DatePicker(s["today.timer.ended_at"], selection: $end, in: (model.snapshot?.running?.startedAt ?? .distantPast)...Date())
                if let error = model.actionError {
                    ErrorBanner(error: error)
                }
            }
            .navigationTitle(s["today.timer.stop_earlier"])
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(s["common.cancel"]) { dismiss() }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button(s["today.timer.stop"]) {
                        Task {
                            if await model.stopTimer(at: end) { dismiss() }
                        }
                    }
                }
            }
        }
        .presentationDetents([.medium])
    }
}

/// A session recorded afterwards.
struct AddSessionSheet: View {
    @ObservedObject var model: TodayModel
    @EnvironmentObject private var settings: SettingsModel
    @Environment(\.dismiss) private var dismiss
    @State private var start = Date().addingTimeInterval(-3600)
    @State private var end = Date()
    @State private var note = ""
    private var s: Localizer { settings.strings }

    var body: some View {
        NavigationStack {
            Form {
                DatePicker(s["today.session.from"], selection: $start, in: ...Date())
                DatePicker(s["today.session.to"], selection: $end, in: ...Date())
                TextField(s["today.session.note"], text: $note)
                if let error = model.actionError {
                    ErrorBanner(error: error)
                }
            }
            // The pickers show the person's wall clock; the core reads it in their time zone.
            .environment(\.timeZone, model.snapshot?.pickerTimeZone ?? .current)
            .navigationTitle(s["today.session.add"])
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button(s["common.cancel"]) { dismiss() }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button(s["common.save"]) {
                        Task {
                            if await model.addSession(from: start, to: end, note: note) { dismiss() }
                        }
                    }
                    .disabled(model.isSaving)
                }
            }
        }
    }
}
