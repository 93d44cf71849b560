package kz.qamqor.app.ui.growth

import androidx.annotation.StringRes
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.SegmentedButton
import androidx.compose.material3.SegmentedButtonDefaults
import androidx.compose.material3.SingleChoiceSegmentedButtonRow
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import kz.qamqor.app.R

/** The parts of "My growth". */
enum class GrowthPart(@StringRes val title: Int) {
    ACHIEVEMENTS(R.string.growth_achievements),
    RATING(R.string.growth_rating),
    COMPETENCIES(R.string.growth_competencies),
}

/** "My growth", reached from the profile: my achievements, my rating and my competencies, one at a time. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun GrowthRoute() {
    var part by rememberSaveable { mutableStateOf(GrowthPart.ACHIEVEMENTS) }
    Column(Modifier.fillMaxSize()) {
        SingleChoiceSegmentedButtonRow(Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 8.dp)) {
            GrowthPart.entries.forEachIndexed { i, p ->
                SegmentedButton(
                    selected = part == p,
                    onClick = { part = p },
                    shape = SegmentedButtonDefaults.itemShape(i, GrowthPart.entries.size),
                ) { Text(stringResource(p.title), maxLines = 1) }
            }
        }
        Box(Modifier.fillMaxSize()) {
            when (part) {
                GrowthPart.ACHIEVEMENTS -> AchievementsRoute()
                GrowthPart.RATING -> RatingRoute()
                GrowthPart.COMPETENCIES -> CompetencyRoute()
            }
        }
    }
}
