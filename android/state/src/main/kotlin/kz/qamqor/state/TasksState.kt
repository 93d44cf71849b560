package kz.qamqor.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kz.qamqor.core.TaskInput
import kz.qamqor.core.TaskStatus
import kz.qamqor.core.WorkTask

/** The task form as typed: empty texts mean "none"; the core checks every value. */
data class TaskDraft(
    /** The task being edited; null for a new one. */
    val id: String? = null,
    val title: String = "",
    val notes: String = "",
    /** YYYY-MM-DD (from the date picker), or empty. */
    val dueDate: String = "",
    /** Minutes, as typed, or empty. */
    val estimateMinutes: String = "",
    /** Kept as it is when an assigned task is edited. */
    val assignedBy: String? = null,
)

data class TasksUiState(
    val loading: Boolean = true,
    /** Only tasks of this status; null: all. */
    val filter: TaskStatus? = null,
    val tasks: List<WorkTask> = emptyList(),
    /** The open form, if any. */
    val editor: TaskDraft? = null,
    val busy: Boolean = false,
    /** [UiError.field] is the core's: `title`, `notes`, `due_date`, `estimate_minutes`. */
    val error: UiError? = null,
)

/** The task list (the person's own and those their manager assigned), its filter and its form. */
class TasksState(scope: CoroutineScope, access: CoreAccess) : StateHolder<TasksUiState>(TasksUiState(), scope, access) {

    override fun refresh(): Job = launch {
        val filter = current.filter
        when (val tasks = access.call { it.tasks(filter) }) {
            is Outcome.Ok -> update { if (it.filter == filter) it.copy(loading = false, tasks = tasks.value) else it }
            is Outcome.Failed -> update { it.copy(loading = false, error = tasks.error) }
        }
    }

    fun setFilter(status: TaskStatus?): Job {
        update { it.copy(filter = status) }
        return refresh()
    }

    fun newTask() = update { it.copy(editor = TaskDraft(), error = null) }

    fun edit(task: WorkTask) = update {
        it.copy(
            editor = TaskDraft(
                id = task.id,
                title = task.title,
                notes = task.notes.orEmpty(),
                dueDate = task.dueDate.orEmpty(),
                estimateMinutes = task.estimateMinutes?.toString().orEmpty(),
                assignedBy = task.assignedBy,
            ),
            error = null,
        )
    }

    fun editDraft(transform: (TaskDraft) -> TaskDraft) = update { it.copy(editor = it.editor?.let(transform)) }

    fun closeEditor() = update { it.copy(editor = null, error = null) }

    /** Adds or saves the task in the form; an input the core refuses stays in the form with its field marked. */
    fun save(): Job = launch {
        val draft = current.editor ?: return@launch
        val estimate = draft.estimateMinutes.trim()
        // The FFI takes a number: text that is not one cannot reach the core, so it is refused here.
        val minutes = if (estimate.isEmpty()) null else estimate.toUIntOrNull()
        if (estimate.isNotEmpty() && minutes == null) {
            return@launch update { it.copy(error = UiError(ErrorKey.INVALID_BAD_FORMAT, field = "estimate_minutes")) }
        }
        val input = TaskInput(
            title = draft.title,
            notes = draft.notes.ifBlank { null },
            dueDate = draft.dueDate.ifBlank { null },
            estimateMinutes = minutes,
            assignedBy = draft.assignedBy,
        )
        update { it.copy(busy = true, error = null) }
        val saved = access.write { core -> draft.id?.let { core.editTask(it, input) } ?: core.addTask(input) }
        update { it.copy(busy = false, error = saved.errorOrNull(), editor = if (saved is Outcome.Ok) null else it.editor) }
        if (saved is Outcome.Ok) refresh().join()
    }

    fun setStatus(id: String, status: TaskStatus): Job = launch {
        val saved = access.write { it.setTaskStatus(id, status) }
        update { it.copy(error = saved.errorOrNull()) }
        if (saved is Outcome.Ok) refresh().join()
    }

    fun dismissError() = update { it.copy(error = null) }
}
