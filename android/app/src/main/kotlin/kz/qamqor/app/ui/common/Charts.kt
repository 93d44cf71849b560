package kz.qamqor.app.ui.common

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.CornerRadius
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.PathEffect
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import kz.qamqor.state.ChartBar

/**
 * Bars of the core's values, with a label under each; a bar with no value (no data that day)
 * is drawn as a dotted baseline, not as zero. [describe] reads the chart out for accessibility.
 */
@Composable
fun BarChart(bars: List<ChartBar>, label: @Composable (ChartBar) -> String, describe: String, modifier: Modifier = Modifier) {
    val color = MaterialTheme.colorScheme.primary
    val empty = MaterialTheme.colorScheme.outlineVariant
    val max = bars.maxOfOrNull { it.value ?: 0.0 }?.takeIf { it > 0 } ?: 1.0
    Column(modifier.semantics { contentDescription = describe }) {
        Canvas(Modifier.fillMaxWidth().height(140.dp)) {
            if (bars.isEmpty()) return@Canvas
            val slot = size.width / bars.size
            val barWidth = slot * 0.6f
            bars.forEachIndexed { i, bar ->
                val x = i * slot + (slot - barWidth) / 2
                val v = bar.value
                if (v == null) {
                    drawLine(empty, Offset(x, size.height - 1), Offset(x + barWidth, size.height - 1), strokeWidth = 2f, pathEffect = PathEffect.dashPathEffect(floatArrayOf(4f, 4f)))
                } else {
                    val h = (v / max * (size.height - 4)).toFloat().coerceAtLeast(2f)
                    drawRoundRect(color, Offset(x, size.height - h), Size(barWidth, h), CornerRadius(6f, 6f))
                }
            }
        }
        Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceEvenly) {
            // every label for 7 bars; every third for 12
            val step = if (bars.size > 7) 3 else 1
            bars.forEachIndexed { i, bar ->
                Text(
                    if (i % step == bars.lastIndex % step) label(bar) else "",
                    Modifier.weight(1f),
                    style = MaterialTheme.typography.labelSmall,
                    textAlign = TextAlign.Center,
                    maxLines = 1,
                )
            }
        }
    }
}

/** The risk score over the weeks (0 to 1), a point per week; weeks without a score leave a gap. */
@Composable
fun TrendChart(points: List<Double?>, describe: String, modifier: Modifier = Modifier, lineColor: Color = MaterialTheme.colorScheme.primary) {
    val grid = MaterialTheme.colorScheme.outlineVariant
    Canvas(modifier.fillMaxWidth().height(100.dp).semantics { contentDescription = describe }) {
        if (points.isEmpty()) return@Canvas
        val dx = if (points.size > 1) size.width / (points.size - 1) else 0f
        fun y(v: Double) = (size.height - 4) * (1 - v.toFloat()) + 2
        drawLine(grid, Offset(0f, y(0.5)), Offset(size.width, y(0.5)), pathEffect = PathEffect.dashPathEffect(floatArrayOf(6f, 6f)))
        var previous: Offset? = null
        points.forEachIndexed { i, v ->
            if (v == null) {
                previous = null
                return@forEachIndexed
            }
            val p = Offset(i * dx, y(v))
            previous?.let { drawLine(lineColor, it, p, strokeWidth = 4f) }
            drawCircle(lineColor, radius = 6f, center = p)
            previous = p
        }
    }
}
