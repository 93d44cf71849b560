package kz.qamqor.app.ui.growth

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import java.time.LocalDate
import kz.qamqor.app.R
import kz.qamqor.app.ui.common.DateField
import kz.qamqor.app.ui.common.ErrorBanner
import kz.qamqor.app.ui.common.LabelValue
import kz.qamqor.app.ui.common.Loading
import kz.qamqor.app.ui.common.Section
import kz.qamqor.app.ui.common.categoryName
import kz.qamqor.app.ui.common.fieldError
import kz.qamqor.app.ui.common.label
import kz.qamqor.app.ui.common.number
import kz.qamqor.app.ui.rememberHolder
import kz.qamqor.state.RatingState
import kz.qamqor.state.RatingUiState

@Composable
fun RatingRoute() {
    val holder = rememberHolder { scope, graph -> RatingState(scope, graph.access) }
    val state by holder.state.collectAsStateWithLifecycle()
    RatingScreen(
        state,
        onPeriod = { from, to -> holder.setPeriod(from, to) },
        onFrom = { holder.setFrom(it) },
        onTo = { holder.setTo(it) },
        onDismissError = holder::dismissError,
    )
}

/** My rating and its breakdown by category, for all time or a period. Stateless. */
@Composable
fun RatingScreen(
    state: RatingUiState,
    onPeriod: (String, String) -> Unit,
    onFrom: (String) -> Unit,
    onTo: (String) -> Unit,
    onDismissError: () -> Unit,
) {
    Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        val thisYear = LocalDate.now().withDayOfYear(1).toString() to ""
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            FilterChip(selected = state.period.allTime, onClick = { onPeriod("", "") }, label = { Text(stringResource(R.string.rating_all_time)) })
            FilterChip(
                selected = state.period.from == thisYear.first && state.period.to.isEmpty(),
                onClick = { onPeriod(thisYear.first, thisYear.second) },
                label = { Text(stringResource(R.string.rating_this_year)) },
            )
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            DateField(stringResource(R.string.rating_from), state.period.from, onFrom)
            DateField(stringResource(R.string.rating_to), state.period.to, onTo)
        }
        fieldError(state.error, "from", "to")?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        ErrorBanner(state.error?.takeIf { it.field == null }, onDismiss = onDismissError)
        val rating = state.rating
        if (rating == null) {
            if (state.loading) Loading()
            return@Column
        }
        Section(stringResource(R.string.rating_mine)) {
            Text(number(rating.total, maxDecimals = 2), style = MaterialTheme.typography.displayMedium, color = MaterialTheme.colorScheme.primary)
            Text(stringResource(rating.method.label()), style = MaterialTheme.typography.bodyMedium)
            Text(stringResource(R.string.rating_points, rating.points.toInt()), style = MaterialTheme.typography.bodyMedium)
            Text(stringResource(R.string.rating_verified_only), style = MaterialTheme.typography.bodySmall)
        }
        Section(stringResource(R.string.rating_categories)) {
            rating.categories.forEach { c ->
                Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
                    LabelValue(categoryName(c.defaultKey, c.name), stringResource(R.string.rating_contribution, number(c.contribution, maxDecimals = 2)))
                    Text(stringResource(R.string.rating_category_counts, c.points.toInt(), c.achievements.toInt()), style = MaterialTheme.typography.bodySmall)
                    c.weightPercent?.let { Text(stringResource(R.string.rating_weight, number(it) + " %"), style = MaterialTheme.typography.bodySmall) }
                }
            }
        }
    }
}
