package kz.qamqor.app.ui.tasks

import androidx.compose.foundation.clickable
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Card
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.FilterChip
import androidx.compose.material3.FloatingActionButton
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.DateField
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.date
import kz.qamqor.app.ui.common.duration
import kz.qamqor.app.ui.common.fieldError
import kz.qamqor.app.ui.common.supportingText
import kz.qamqor.app.ui.common.label
import kz.qamqor.app.ui.rememberHolder
import kz.qamqor.core.TaskStatus
import kz.qamqor.core.WorkTask
import kz.qamqor.state.TaskDraft
import kz.qamqor.state.TasksState
import kz.qamqor.state.TasksUiState

@Composable
fun TasksRoute() {
    val holder = rememberHolder { scope, graph -> TasksState(scope, graph.access) }
    val state by holder.state.collectAsStateWithLifecycle()
    TasksScreen(
        state,
        onFilter = { holder.setFilter(it) },
        onNew = holder::newTask,
        onEdit = holder::edit,
        onEditDraft = holder::editDraft,
        onSave = { holder.save() },
        onClose = holder::closeEditor,
        onStatus = { id, s -> holder.setStatus(id, s) },
        onDismissError = holder::dismissError,
    )
}

/** The task list with its filter, and the task form. Stateless. */
@Composable
fun TasksScreen(
    state: TasksUiState,
    onFilter: (TaskStatus?) -> Unit,
    onNew: () -> Unit,
    onEdit: (WorkTask) -> Unit,
    onEditDraft: ((TaskDraft) -> TaskDraft) -> Unit,
    onSave: () -> Unit,
    onClose: () -> Unit,
    onStatus: (String, TaskStatus) -> Unit,
    onDismissError: () -> Unit,
) {
    Box(Modifier.fillMaxSize()) {
        Column(Modifier.fillMaxSize().padding(horizontal = 16.dp)) {
            Row(Modifier.horizontalScroll(rememberScrollState()).padding(vertical = 8.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                FilterChip(selected = state.filter == null, onClick = { onFilter(null) }, label = { Text(stringResource(R.string.tasks_all)) })
                TaskStatus.entries.forEach { s ->
                    FilterChip(selected = state.filter == s, onClick = { onFilter(s) }, label = { Text(stringResource(s.label())) })
                }
            }
            if (state.editor == null) ErrorBanner(state.error, onDismiss = onDismissError)
            if (!state.loading && state.tasks.isEmpty()) Text(stringResource(R.string.tasks_empty), Modifier.padding(vertical = 16.dp))
            LazyColumn(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                items(state.tasks, key = { it.id }) { task -> TaskCard(task, onEdit, onStatus) }
            }
        }
        FloatingActionButton(onClick = onNew, modifier = Modifier.align(Alignment.BottomEnd).padding(16.dp)) {
            Icon(Icons.Filled.Add, contentDescription = stringResource(R.string.tasks_new))
        }
    }
    state.editor?.let { TaskForm(it, state, onEditDraft, onSave, onClose) }
}

@Composable
private fun TaskCard(task: WorkTask, onEdit: (WorkTask) -> Unit, onStatus: (String, TaskStatus) -> Unit) {
    var menu by remember { mutableStateOf(false) }
    Card(Modifier.fillMaxWidth().clickable { onEdit(task) }) {
        Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically) {
            Column(Modifier.weight(1f)) {
                Text(task.title, style = MaterialTheme.typography.bodyLarge)
                val meta = listOfNotNull(
                    task.dueDate?.let { stringResource(R.string.tasks_due, date(it)) },
                    task.estimateMinutes?.let { duration(it.toLong()) },
                    task.assignedBy?.let { stringResource(R.string.tasks_assigned_by, it) },
                ).joinToString(" · ")
                if (meta.isNotEmpty()) Text(meta, style = MaterialTheme.typography.bodySmall)
            }
            Box {
                TextButton(onClick = { menu = true }) { Text(stringResource(task.status.label())) }
                DropdownMenu(expanded = menu, onDismissRequest = { menu = false }) {
                    TaskStatus.entries.filter { it != task.status }.forEach { s ->
                        DropdownMenuItem(text = { Text(stringResource(s.label())) }, onClick = { menu = false; onStatus(task.id, s) })
                    }
                }
            }
        }
    }
}

@Composable
private fun TaskForm(draft: TaskDraft, state: TasksUiState, onEditDraft: ((TaskDraft) -> TaskDraft) -> Unit, onSave: () -> Unit, onClose: () -> Unit) {
    AlertDialog(
        onDismissRequest = onClose,
        title = { Text(stringResource(if (draft.id == null) R.string.tasks_new else R.string.tasks_edit)) },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                ErrorBanner(state.error?.takeIf { it.field == null })
                FormField(draft.title, { v -> onEditDraft { it.copy(title = v) } }, stringResource(R.string.tasks_title), fieldError(state.error, "title"))
                FormField(draft.notes, { v -> onEditDraft { it.copy(notes = v) } }, stringResource(R.string.tasks_notes), fieldError(state.error, "notes"), single = false)
                DateField(stringResource(R.string.tasks_due_date), draft.dueDate, { v -> onEditDraft { it.copy(dueDate = v) } })
                fieldError(state.error, "due_date")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
                FormField(
                    draft.estimateMinutes,
                    { v -> onEditDraft { it.copy(estimateMinutes = v) } },
                    stringResource(R.string.tasks_estimate),
                    fieldError(state.error, "estimate_minutes"),
                    type = KeyboardType.Number,
                )
                draft.assignedBy?.let { Text(stringResource(R.string.tasks_assigned_by, it), style = MaterialTheme.typography.bodySmall) }
            }
        },
        confirmButton = { TextButton(onClick = onSave, enabled = !state.busy) { Text(stringResource(R.string.action_save)) } },
        dismissButton = { TextButton(onClick = onClose) { Text(stringResource(R.string.action_cancel)) } },
    )
}

@Composable
private fun FormField(value: String, onChange: (String) -> Unit, label: String, error: String?, single: Boolean = true, type: KeyboardType = KeyboardType.Text) {
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        isError = error != null,
        supportingText = supportingText(error),
        singleLine = single,
        keyboardOptions = KeyboardOptions(keyboardType = type),
        modifier = Modifier.fillMaxWidth(),
    )
}
