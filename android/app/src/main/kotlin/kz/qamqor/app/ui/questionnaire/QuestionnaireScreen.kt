package kz.qamqor.app.ui.questionnaire

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.itemsIndexed
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.Loading
import kz.qamqor.app.ui.common.Section
import kz.qamqor.app.ui.common.number
import kz.qamqor.app.ui.rememberHolder
import kz.qamqor.core.CbiItem
import kz.qamqor.core.CbiScale
import kz.qamqor.state.QuestionnaireState
import kz.qamqor.state.QuestionnaireUiState

@Composable
fun QuestionnaireRoute(onDone: () -> Unit) {
    val holder = rememberHolder { scope, graph -> QuestionnaireState(scope, graph.access) { graph.language.state.value.language } }
    val state by holder.state.collectAsStateWithLifecycle()
    QuestionnaireScreen(
        state,
        onAnswer = holder::answer,
        onSubmit = { holder.submit() },
        onDone = {
            holder.dismissSubmitted()
            onDone()
        },
    )
}

/** The Copenhagen Burnout Inventory: 19 items, five answers each; client items may be skipped. Stateless. */
@Composable
fun QuestionnaireScreen(state: QuestionnaireUiState, onAnswer: (Int, UByte?) -> Unit, onSubmit: () -> Unit, onDone: () -> Unit) {
    val submitted = state.submitted
    if (submitted != null) {
        Column(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            Section(stringResource(R.string.questionnaire_thanks)) {
                submitted.scores.personal?.let { Text(stringResource(R.string.questionnaire_score_personal, number(it))) }
                submitted.scores.workRelated?.let { Text(stringResource(R.string.questionnaire_score_work, number(it))) }
                submitted.scores.clientRelated?.let { Text(stringResource(R.string.questionnaire_score_client, number(it))) }
                Text(stringResource(R.string.questionnaire_scores_hint), style = MaterialTheme.typography.bodySmall)
                Button(onClick = onDone) { Text(stringResource(R.string.action_ok)) }
            }
        }
        return
    }
    if (state.loading) {
        Loading()
        return
    }
    LazyColumn(Modifier.fillMaxSize().padding(horizontal = 16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        item {
            Text(stringResource(if (state.due) R.string.questionnaire_due else R.string.questionnaire_not_due), Modifier.padding(vertical = 8.dp))
            Text(stringResource(R.string.questionnaire_intro), style = MaterialTheme.typography.bodySmall)
        }
        itemsIndexed(state.items, key = { _, item -> item.number.toInt() }) { index, item ->
            ItemCard(item, state.labels[item.answerKind].orEmpty(), state.answers.getOrNull(index), state.error?.field == "answers[${item.number}]") {
                onAnswer(index, it)
            }
        }
        item {
            ErrorBanner(state.error)
            Text(stringResource(R.string.questionnaire_answered, state.answeredCount, state.items.size), style = MaterialTheme.typography.bodySmall)
            Button(onClick = onSubmit, enabled = !state.busy, modifier = Modifier.fillMaxWidth().padding(vertical = 12.dp)) {
                Text(stringResource(R.string.questionnaire_submit))
            }
        }
    }
}

@Composable
private fun ItemCard(item: CbiItem, labels: List<String>, answer: UByte?, refused: Boolean, onAnswer: (UByte?) -> Unit) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp).selectableGroup()) {
            Text("${item.number}. ${item.text}", style = MaterialTheme.typography.bodyLarge, color = if (refused) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface)
            labels.forEachIndexed { i, label ->
                val value = i.toUByte()
                Row(
                    Modifier.fillMaxWidth().selectable(selected = answer == value, onClick = { onAnswer(value) }, role = Role.RadioButton),
                    verticalAlignment = Alignment.CenterVertically,
                ) {
                    RadioButton(selected = answer == value, onClick = null)
                    Text(label, Modifier.padding(start = 8.dp))
                }
            }
            if (item.scale == CbiScale.CLIENT_RELATED) {
                TextButton(onClick = { onAnswer(null) }) { Text(stringResource(R.string.questionnaire_skip)) }
            }
        }
    }
}
