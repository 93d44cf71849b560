import QamqorCore
import QamqorModels
import SwiftUI

/// Tasks: the person's own and those their manager assigned, by status; messages from the manager.
struct TasksView: View {
    @ObservedObject var model: TasksModel
    @ObservedObject var feedback: FeedbackModel
    let sync: SyncModel
    var onSignIn: () -> Void
    @EnvironmentObject private var settings: SettingsModel
    @State private var showingMessages = false
    private var s: Localizer { settings.strings }

    var body: some View {
        NavigationStack {
            VStack(spacing: 0) {
                SyncStatusView(sync: sync, onSignIn: onSignIn)
                Picker(s["tasks.filter"], selection: $model.filter) {
                    ForEach(TasksModel.Filter.allCases, id: \.self) { filter in
                        Text(s["tasks.filter.\(filter.rawValue)"]).tag(filter)
                    }
                }
                .pickerStyle(.segmented)
                .padding()
                switch model.state {
                case .loading:
                    ProgressView().frame(maxHeight: .infinity)
                case let .failed(error):
                    LoadFailedView(error: error) { await model.load() }
                case .loaded:
                    list
                }
            }
            .navigationTitle(s["tab.tasks"])
            .toolbar {
                ToolbarItem(placement: .navigationBarLeading) {
                    Button {
                        showingMessages = true
                    } label: {
                        Label(s["feedback.title"], systemImage: feedback.unreadCount > 0 ? "envelope.badge" : "envelope")
                    }
                }
                ToolbarItem(placement: .primaryAction) {
                    Button {
                        model.newTask()
                    } label: {
                        Label(s["tasks.new"], systemImage: "plus")
                    }
                }
            }
            .refreshable {
                await sync.syncNow()
                await model.load()
            }
        }
        .task {
            await model.load()
            await feedback.load()
        }
        .sheet(isPresented: Binding(get: { model.draft != nil }, set: { if !$0 { model.cancelEditing() } })) {
            TaskEditorView(model: model)
        }
        .sheet(isPresented: $showingMessages) {
            FeedbackView(model: feedback)
        }
    }

    private var list: some View {
        List {
            if let error = model.actionError {
                ErrorBanner(error: error) { model.dismissError() }
                    .listRowBackground(Color.clear)
            }
            if model.visible.isEmpty {
                Text(s["tasks.empty"]).foregroundStyle(.secondary)
            }
            ForEach(model.visible, id: \.id) { task in
                TaskRow(task: task)
                    .contentShape(Rectangle())
                    .onTapGesture { model.edit(task) }
                    .swipeActions(edge: .leading) {
                        if task.status.isOpen {
                            Button {
                                Task { await model.setStatus(.done, of: task.id) }
                            } label: {
                                Label(s["tasks.mark_done"], systemImage: "checkmark")
                            }
                            .tint(.green)
                        } else {
                            Button {
                                Task { await model.setStatus(.todo, of: task.id) }
                            } label: {
                                Label(s["tasks.reopen"], systemImage: "arrow.uturn.backward")
                            }
                        }
                    }
                    .swipeActions(edge: .trailing) {
                        if task.status == .todo {
                            Button {
                                Task { await model.setStatus(.inProgress, of: task.id) }
                            } label: {
                                Label(s["tasks.start"], systemImage: "play")
                            }
                            .tint(.blue)
                        }
                        if task.status.isOpen {
                            Button(role: .destructive) {
                                Task { await model.setStatus(.cancelled, of: task.id) }
                            } label: {
                                Label(s["tasks.cancel_task"], systemImage: "xmark")
                            }
                        }
                    }
            }
        }
        .listStyle(.plain)
    }
}

/// A task: title, status, due date, who assigned it.
struct TaskRow: View {
    let task: WorkTask
    @EnvironmentObject private var settings: SettingsModel
    private var s: Localizer { settings.strings }

    var body: some View {
        HStack(alignment: .top) {
            Image(systemName: task.status == .done ? "checkmark.circle.fill" : task.status == .inProgress ? "circle.lefthalf.filled" : "circle")
                .foregroundStyle(task.status == .done ? Color.green : Color.secondary)
            VStack(alignment: .leading, spacing: 2) {
                Text(task.title)
                    .strikethrough(task.status == .cancelled)
                HStack(spacing: 8) {
                    Text(s["task.status.\(task.status.key)"])
                    if let due = task.dueDate, let date = LocalDate.date(due) {
                        Text(s.format("tasks.due", formatted(date)))
                    }
                    if let estimate = task.estimateMinutes {
                        Text(s.format("tasks.estimate", "\(estimate)"))
                    }
                }
                .font(.caption)
                .foregroundStyle(.secondary)
                if let by = task.assignedBy {
                    Text(s.format("tasks.assigned_by", by))
                        .font(.caption)
                        .foregroundStyle(.secondary)
                }
            }
        }
    }

    private func formatted(_ date: Date) -> String {
        var style = Date.FormatStyle(date: .abbreviated, time: .omitted).locale(s.locale)
        style.timeZone = LocalDate.utc
        return date.formatted(style)
    }
}
