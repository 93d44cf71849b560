import QamqorCore
import QamqorModels
import SwiftUI

/// Today: the reminders due, the check-in, the timer and today's sessions, today's tasks.
struct TodayView: View {
    @ObservedObject var model: TodayModel
    let screens: Screens
    var onSignIn: () -> Void
    @ObservedObject private var feedback: FeedbackModel
    @EnvironmentObject private var settings: SettingsModel
    @State private var addingSession = false
    @State private var stoppingEarlier = false
    @State private var showingQuestionnaire = false
    private var s: Localizer { settings.strings }

    init(model: TodayModel, screens: Screens, onSignIn: @escaping () -> Void) {
        self.model = model
        self.screens = screens
        self.onSignIn = onSignIn
        _feedback = ObservedObject(wrappedValue: screens.feedback)
    }

    var body: some View {
        NavigationStack {
            VStack(spacing: 0) {
                SyncStatusView(sync: screens.sync, onSignIn: onSignIn)
                content
            }
            .navigationTitle(s["tab.today"])
            .refreshable {
                await screens.sync.syncNow()
                await model.load()
            }
        }
        .task {
            await model.load()
            await feedback.load()
        }
        .sheet(isPresented: $addingSession) {
            AddSessionSheet(model: model)
        }
        .sheet(isPresented: $stoppingEarlier) {
            StopEarlierSheet(model: model)
        }
        .sheet(isPresented: $showingQuestionnaire, onDismiss: { Task { await model.load() } }) {
            QuestionnaireView(model: screens.questionnaire)
        }
    }

    @ViewBuilder
    private var content: some View {
        switch model.state {
        case .loading:
            ProgressView().frame(maxHeight: .infinity)
        case let .failed(error):
            LoadFailedView(error: error) { await model.load() }
        case let .loaded(today):
            List {
                if let error = model.actionError {
                    Section {
                        ErrorBanner(error: error) { model.dismissError() }
                    }
                    .listRowBackground(Color.clear)
                }
                nudges(today)
                Section(s["today.checkin.title"]) {
                    CheckInCard(model: model, done: today.checkIn, streak: today.checkInStreak)
                }
                Section {
                    TimerCard(model: model, running: today.running, onStopEarlier: { stoppingEarlier = true })
                    ForEach(today.sessions.filter { $0.endedAt != nil }, id: \.id) { session in
                        SessionRow(session: session)
                            .swipeActions {
                                Button(role: .destructive) {
                                    Task { await model.deleteSession(id: session.id) }
                                } label: {
                                    Label(s["common.delete"], systemImage: "trash")
                                }
                            }
                    }
                    Button {
                        addingSession = true
                    } label: {
                        Label(s["today.session.add"], systemImage: "plus.circle")
                    }
                } header: {
                    Text(s["today.work.title"])
                } footer: {
                    Text(s.format("today.worked", s.hours(minutes: today.stats.workedMinutes)))
                }
                Section(s["today.tasks.title"]) {
                    if today.openTasks.isEmpty {
                        Text(s["today.tasks.empty"]).foregroundStyle(.secondary)
                    }
                    ForEach(today.openTasks.prefix(5), id: \.id) { task in
                        Button {
                            Task { await model.setTask(id: task.id, done: true) }
                        } label: {
                            HStack {
                                Image(systemName: "circle")
                                VStack(alignment: .leading) {
                                    Text(task.title).foregroundStyle(.primary)
                                    if task.dueDate == today.date {
                                        Text(s["today.tasks.due_today"]).font(.caption).foregroundStyle(.orange)
                                    }
                                }
                            }
                        }
                        .accessibilityHint(s["tasks.mark_done"])
                    }
                }
            }
            .listStyle(.insetGrouped)
        }
    }

    @ViewBuilder
    private func nudges(_ today: TodayModel.Snapshot) -> some View {
        if today.nudges.checkInDue || today.nudges.longDayMinutes != nil || today.nudges.questionnaireDue || feedback.unreadCount > 0 {
            Section {
                if let minutes = today.nudges.longDayMinutes {
                    Label(s.format("today.nudge.long_day", s.hours(minutes: minutes)), systemImage: "moon.zzz")
                }
                if today.nudges.checkInDue {
                    Label(s["today.nudge.check_in"], systemImage: "hand.wave")
                }
                if today.nudges.questionnaireDue {
                    Button {
                        showingQuestionnaire = true
                    } label: {
                        Label(s["today.nudge.questionnaire"], systemImage: "list.clipboard")
                    }
                }
                if feedback.unreadCount > 0 {
                    Label(s.format("today.messages.unread", "\(feedback.unreadCount)"), systemImage: "envelope.badge")
                }
            }
        }
    }
}

/// One session of today: its span and length.
struct SessionRow: View {
    let session: WorkSession
    @EnvironmentObject private var settings: SettingsModel

    var body: some View {
        HStack {
            VStack(alignment: .leading) {
                if let end = session.endedAt {
                    Text(verbatim: "\(session.startedAt.formatted(date: .omitted, time: .shortened)) – \(end.formatted(date: .omitted, time: .shortened))")
                }
                if let note = session.note {
                    Text(note).font(.caption).foregroundStyle(.secondary)
                }
            }
            Spacer()
            Text(settings.strings.hours(minutes: session.minutes))
                .monospacedDigit()
                .foregroundStyle(.secondary)
        }
    }
}
