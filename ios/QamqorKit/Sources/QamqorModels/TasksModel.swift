#if canImport(Combine)
import Combine
#endif
import Foundation
import QamqorCore

/// A task as edited in the form.
public struct TaskDraft: Equatable, Sendable {
    /// nil for a new task.
    public var id: String?
    public var title = ""
    public var notes = ""
    /// A day picked in the phone's calendar.
    public var dueDate: Date?
    public var estimateMinutes: UInt32?
    /// Kept as it is when editing an assigned task.
    public var assignedBy: String?

    public init() {}

    public init(_ t: WorkTask) {
        id = t.id
        title = t.title
        notes = t.notes ?? ""
        dueDate = t.dueDate.flatMap { LocalDate.pickerDate($0) }
        estimateMinutes = t.estimateMinutes
        assignedBy = t.assignedBy
    }

    /// The core's input (the core trims and checks the fields).
    public var input: TaskInput {
        TaskInput(
            title: title,
            notes: notes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : notes,
            dueDate: dueDate.map { LocalDate.iso($0) },
            estimateMinutes: estimateMinutes,
            assignedBy: assignedBy)
    }
}

/// The tasks screen: the person's tasks (their own and those assigned by their manager), filtered,
/// with adding, editing and moving between statuses.
@MainActor
public final class TasksModel: ObservableObject {
    public enum Filter: String, CaseIterable, Sendable {
        case open, done, all
    }

    @Published public var filter: Filter = .open
    @Published public private(set) var state: LoadState<[WorkTask]> = .loading
    /// The form being edited (nil when closed).
    @Published public var draft: TaskDraft?
    /// The form's error: its `field` is highlighted.
    @Published public private(set) var draftError: ModelError?
    /// A status change that failed (the task may have been removed by a sync).
    @Published public private(set) var actionError: ModelError?
    @Published public private(set) var isSaving = false

    public var onLocalChange: (@MainActor () -> Void)?

    private let runner: CoreRunner

    public init(runner: CoreRunner) {
        self.runner = runner
    }

    /// The loaded tasks in the current filter, in the core's order.
    public var visible: [WorkTask] {
        let all = state.value ?? []
        switch filter {
        case .open: return all.filter { $0.status.isOpen }
        case .done: return all.filter { !$0.status.isOpen }
        case .all: return all
        }
    }

    public func load() async {
        switch await runner.localResult({ try $0.tasks(status: nil) }) {
        case let .success(tasks): state = .loaded(tasks)
        case let .failure(e): state = .failed(e)
        }
    }

    public func newTask() {
        draftError = nil
        draft = TaskDraft()
    }

    public func edit(_ task: WorkTask) {
        draftError = nil
        draft = TaskDraft(task)
    }

    public func cancelEditing() {
        draft = nil
        draftError = nil
    }

    /// Saves the form (new or edited). On an invalid field the form stays open with the error.
    @discardableResult
    public func saveDraft() async -> Bool {
        guard let draft, !isSaving else { return false }
        isSaving = true
        defer { isSaving = false }
        let input = draft.input
        let id = draft.id
        let result = await runner.localResult { core -> WorkTask in
            if let id { return try core.editTask(id: id, input: input) }
            return try core.addTask(input: input)
        }
        switch result {
        case .success:
            self.draft = nil
            draftError = nil
            await load()
            onLocalChange?()
            return true
        case let .failure(e):
            draftError = e
            return false
        }
    }

    @discardableResult
    public func setStatus(_ status: TaskStatus, of id: String) async -> Bool {
        switch await runner.localResult({ try $0.setTaskStatus(id: id, status: status) }) {
        case .success:
            actionError = nil
            await load()
            onLocalChange?()
            return true
        case let .failure(e):
            actionError = e
            await load()
            return false
        }
    }

    public func dismissError() {
        actionError = nil
    }
}
