package kz.qamqor.app.ui.growth

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.Loading
import kz.qamqor.app.ui.common.Section
import kz.qamqor.app.ui.common.errorMessage
import kz.qamqor.app.ui.common.number
import kz.qamqor.app.ui.common.skillScoreLabel
import kz.qamqor.app.ui.rememberHolder
import kz.qamqor.core.FunctionScore
import kz.qamqor.core.SkillScore
import kz.qamqor.state.CompetencyState
import kz.qamqor.state.CompetencyUiState

@Composable
fun CompetencyRoute() {
    val holder = rememberHolder { scope, graph -> CompetencyState(scope, graph.access) }
    val state by holder.state.collectAsStateWithLifecycle()
    CompetencyScreen(state, onRate = { skill, score -> holder.rateSkill(skill, score) }, onDismissError = holder::dismissError)
}

/** My profession card: its labour functions, my and my manager's scores of its skills, rating a skill. Stateless. */
@Composable
fun CompetencyScreen(state: CompetencyUiState, onRate: (String, Int) -> Unit, onDismissError: () -> Unit) {
    Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        ErrorBanner(state.error?.takeIf { state.errorSkillId == null }, onDismiss = onDismissError)
        val profile = state.profile
        if (profile == null) {
            if (state.loading) Loading()
            if (state.noCard) Text(stringResource(R.string.competency_no_card), style = MaterialTheme.typography.bodyLarge)
            return@Column
        }
        Section(stringResource(R.string.competency_card, profile.cardName, profile.level.toInt())) {
            profile.occupationCode?.let { Text(stringResource(R.string.competency_occupation, it), style = MaterialTheme.typography.bodySmall) }
            profile.mainPurpose?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
            Text(stringResource(R.string.competency_assigned_by, profile.assignedBy), style = MaterialTheme.typography.bodySmall)
        }
        profile.functions.forEach { f -> LabourFunction(f, state, onRate) }
    }
}

@Composable
private fun LabourFunction(f: FunctionScore, state: CompetencyUiState, onRate: (String, Int) -> Unit) {
    Section(f.name) {
        Text(
            stringResource(if (f.mandatory) R.string.competency_mandatory else R.string.competency_additional),
            style = MaterialTheme.typography.labelMedium,
        )
        val score = f.score
        Text(
            if (score != null) stringResource(R.string.competency_function_score, number(score, maxDecimals = 2)) else stringResource(R.string.competency_not_rated),
            style = MaterialTheme.typography.bodyMedium,
        )
        // "strong" is the core's verdict, shown as it is
        if (f.strong) Text(stringResource(R.string.competency_strong), style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
        f.skills.forEach { s ->
            HorizontalDivider()
            Skill(s, state, onRate)
        }
    }
}

@Composable
private fun Skill(s: SkillScore, state: CompetencyUiState, onRate: (String, Int) -> Unit) {
    var menu by remember { mutableStateOf(false) }
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Text(s.name, style = MaterialTheme.typography.bodyLarge)
        if (s.abilities.isNotEmpty()) Text(stringResource(R.string.competency_abilities) + ": " + s.abilities.joinToString("; "), style = MaterialTheme.typography.bodySmall)
        if (s.knowledge.isNotEmpty()) Text(stringResource(R.string.competency_knowledge) + ": " + s.knowledge.joinToString("; "), style = MaterialTheme.typography.bodySmall)
        s.manager?.let { m ->
            Text(stringResource(R.string.competency_manager_score, s.managerName ?: "—", m.toInt()), style = MaterialTheme.typography.bodyMedium)
        }
        Box {
            OutlinedButton(onClick = { menu = true }, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) {
                Text(stringResource(R.string.competency_own_score) + ": " + (s.own?.let { stringResource(skillScoreLabel(it.toInt())) } ?: "—"))
            }
            DropdownMenu(expanded = menu, onDismissRequest = { menu = false }) {
                // the core's scale (skillScale()); the core checks the score
                state.scale.forEach { score ->
                    DropdownMenuItem(text = { Text(stringResource(skillScoreLabel(score))) }, onClick = { menu = false; onRate(s.skillId, score) })
                }
            }
        }
        state.error?.takeIf { state.errorSkillId == s.skillId }?.let { e ->
            Row { Text(errorMessage(e), color = MaterialTheme.colorScheme.error) }
        }
    }
}
