package kz.qamqor.app.ui.risk

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kotlin.math.roundToInt
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.Loading
import kz.qamqor.app.ui.common.Section
import kz.qamqor.app.ui.common.TrendChart
import kz.qamqor.app.ui.common.factorValue
import kz.qamqor.app.ui.common.label
import kz.qamqor.app.ui.common.text
import kz.qamqor.app.ui.rememberHolder
import kz.qamqor.app.ui.theme.LevelColors
import kz.qamqor.core.FactorSource
import kz.qamqor.core.RiskLevel
import kz.qamqor.core.RiskSuggestion
import kz.qamqor.state.RiskState
import kz.qamqor.state.RiskUiState

@Composable
fun RiskRoute(onOpenQuestionnaire: () -> Unit, onOpenProfile: () -> Unit) {
    val holder = rememberHolder { scope, graph -> RiskState(scope, graph.access) }
    val state by holder.state.collectAsStateWithLifecycle()
    RiskScreen(state, onRetry = { holder.refresh() }, onOpenQuestionnaire = onOpenQuestionnaire, onOpenProfile = onOpenProfile)
}

/**
 * My risk, computed on this phone: the level and score, the reasons in plain words with their
 * values, the trend, what is missing when there is not enough data, and what could help. Calm
 * words and colours: it is information for the person, not an alarm. Stateless.
 */
@Composable
fun RiskScreen(state: RiskUiState, onRetry: () -> Unit, onOpenQuestionnaire: () -> Unit, onOpenProfile: () -> Unit) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        ErrorBanner(state.error, onRetry = onRetry)
        val assessment = state.assessment
        if (assessment == null) {
            if (state.loading) Loading()
            return@Column
        }
        Text(stringResource(R.string.risk_on_device), style = MaterialTheme.typography.bodySmall)

        if (state.notEnoughData) {
            Section(stringResource(R.string.risk_not_enough_data)) {
                Text(stringResource(R.string.risk_not_enough_data_text))
                state.missing.forEach { Text("• " + stringResource(it.label())) }
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    OutlinedButton(onClick = onOpenQuestionnaire) { Text(stringResource(R.string.today_questionnaire_open)) }
                    OutlinedButton(onClick = onOpenProfile) { Text(stringResource(R.string.risk_open_profile)) }
                }
            }
        } else {
            val level = state.level
            val score = state.score ?: 0.0
            Section(stringResource(R.string.risk_title)) {
                if (level != null) {
                    Text(stringResource(level.label()), style = MaterialTheme.typography.headlineMedium, color = level.color())
                    Text(stringResource(levelText(level)))
                }
                LinearProgressIndicator(progress = { score.toFloat() }, modifier = Modifier.fillMaxWidth(), color = level?.color() ?: MaterialTheme.colorScheme.primary)
                Text(stringResource(R.string.risk_score, (score * 100).roundToInt()), style = MaterialTheme.typography.bodySmall)
                assessment.trend?.let { Text(stringResource(it.direction.label())) }
            }
            Section(stringResource(R.string.risk_why)) {
                state.factors.forEach { f ->
                    Column {
                        Text(stringResource(f.kind.label()), style = MaterialTheme.typography.bodyLarge)
                        Text(
                            factorValue(f) + " · " + stringResource(if (f.contribution > 0) R.string.risk_raises else R.string.risk_lowers) +
                                if (f.source == FactorSource.MODEL) " · " + stringResource(R.string.risk_from_model) else "",
                            style = MaterialTheme.typography.bodySmall,
                        )
                    }
                }
                if (state.missing.isNotEmpty()) {
                    Text(stringResource(R.string.risk_would_say_more), style = MaterialTheme.typography.bodySmall)
                    state.missing.forEach { Text("• " + stringResource(it.label()), style = MaterialTheme.typography.bodySmall) }
                }
            }
        }

        if (state.trend.any { it.score != null }) {
            Section(stringResource(R.string.risk_trend)) {
                TrendChart(state.trend.map { it.score }, describe = stringResource(R.string.risk_trend_description, state.trend.size))
            }
        }

        Section(stringResource(R.string.risk_what_helps)) {
            // the core's list, in its order; the option to talk to someone (always last) stands out
            state.suggestions.forEach {
                if (it == RiskSuggestion.TALK_TO_SOMEONE) Text(stringResource(it.text()), style = MaterialTheme.typography.bodyLarge)
                else Text("• " + stringResource(it.text()))
            }
            if (state.level == RiskLevel.HIGH) Text(stringResource(R.string.risk_high_reassure))
        }
        Text(stringResource(R.string.risk_model_version, assessment.modelVersion), style = MaterialTheme.typography.labelSmall)
    }
}

private fun levelText(level: RiskLevel): Int = when (level) {
    RiskLevel.LOW -> R.string.risk_level_low_text
    RiskLevel.MEDIUM -> R.string.risk_level_medium_text
    RiskLevel.HIGH -> R.string.risk_level_high_text
}

private fun RiskLevel.color() = when (this) {
    RiskLevel.LOW -> LevelColors.low
    RiskLevel.MEDIUM -> LevelColors.medium
    RiskLevel.HIGH -> LevelColors.high
}
