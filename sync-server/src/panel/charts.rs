//! Charts drawn on the server as SVG with plotters (no script, no network: the panel works
//! offline and prints). Text is left to the browser's fonts, so Kazakh and Russian labels render
//! as any other text of the page.

use plotters::coord::Shift;
use plotters::prelude::*;

/// Low, medium, high: green, amber, red (the badges' colours in `panel.css`).
pub const LEVEL_COLOURS: [RGBColor; 3] = [RGBColor(46, 139, 87), RGBColor(230, 162, 35), RGBColor(200, 55, 55)];
const PREVIOUS: RGBColor = RGBColor(170, 180, 195);
const CURRENT: RGBColor = RGBColor(40, 90, 160);

fn svg(size: (u32, u32), draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        let drawn = root.fill(&WHITE).map_err(|e| e.to_string()).and_then(|_| draw(&root)).and_then(|_| root.present().map_err(|e| e.to_string()));
        if let Err(e) = drawn {
            tracing::warn!(error = %e, "a chart could not be drawn");
        }
    }
    // Scale with the page instead of a fixed pixel size.
    out.replacen("<svg ", "<svg role=\"img\" preserveAspectRatio=\"xMinYMin meet\" style=\"max-width:100%;height:auto\" ", 1)
}

/// A pie of the three levels; `labels` in the page's language. Empty when nobody is counted.
pub fn level_pie(counts: [u32; 3], labels: [&str; 3]) -> String {
    let total: u32 = counts.iter().sum();
    if total == 0 {
        return String::new();
    }
    let (sizes, colours, names): (Vec<f64>, Vec<RGBColor>, Vec<String>) = counts
        .iter()
        .zip(LEVEL_COLOURS)
        .zip(labels)
        .filter(|((c, _), _)| **c > 0)
        .map(|((c, col), l)| (f64::from(*c), col, format!("{l}: {c}")))
        .fold((vec![], vec![], vec![]), |(mut s, mut c, mut n), (a, b, d)| {
            s.push(a);
            c.push(b);
            n.push(d);
            (s, c, n)
        });
    svg((360, 260), |root| {
        let mut pie = Pie::new(&(180, 130), &90.0, &sizes, &colours, &names);
        pie.label_style(("sans-serif", 14).into_font().color(&BLACK));
        pie.label_offset(25.0);
        root.draw(&pie).map_err(|e| e.to_string())
    })
}

/// Horizontal bars, two per row (the previous value in grey, the current in blue), `0..=max`.
pub fn paired_bars(rows: &[(String, Option<f64>, Option<f64>)], legend: (&str, &str), max: f64) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let n = rows.len();
    let height = 60 + 28 * n as u32;
    svg((640, height), |root| {
        let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(200)
            .build_cartesian_2d(0.0..max, 0.0..n as f64)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| {
                let i = y.floor() as usize;
                names.get(n.saturating_sub(i + 1)).cloned().unwrap_or_default()
            })
            .x_labels(6)
            .draw()
            .map_err(|e| e.to_string())?;
        // One series per week, so the legend names each once.
        for (pick, colour, (lo, hi), label) in [
            (0usize, PREVIOUS, (0.15, 0.45), legend.0),
            (1usize, CURRENT, (0.5, 0.85), legend.1),
        ] {
            let bars = rows.iter().enumerate().filter_map(|(i, (_, previous, current))| {
                let v = if pick == 0 { *previous } else { *current }?;
                let y = (n - i - 1) as f64;
                Some(Rectangle::new([(0.0, y + lo), (v, y + hi)], colour.filled()))
            });
            chart
                .draw_series(bars)
                .map_err(|e| e.to_string())?
                .label(label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())
    })
}

/// Stacked columns of the three levels per week (shares of those assessed); a week without
/// figures (suppressed or nobody assessed) is left empty.
pub fn level_trend(weeks: &[(String, Option<[u32; 3]>)], labels: [&str; 3]) -> String {
    if weeks.is_empty() {
        return String::new();
    }
    let n = weeks.len();
    svg((640, 300), |root| {
        let names: Vec<String> = weeks.iter().map(|w| w.0.clone()).collect();
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(0.0..n as f64, 0.0..100.0)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(12))
            .x_label_formatter(&|x| names.get(x.floor() as usize).map(|w| w.rsplit('-').next().unwrap_or(w).to_string()).unwrap_or_default())
            .y_label_formatter(&|y| format!("{y:.0}%"))
            .draw()
            .map_err(|e| e.to_string())?;
        for level in 0..3 {
            let colour = LEVEL_COLOURS[level];
            let bars: Vec<Rectangle<(f64, f64)>> = weeks
                .iter()
                .enumerate()
                .filter_map(|(i, (_, counts))| {
                    let c = (*counts)?;
                    let total: u32 = c.iter().sum();
                    if total == 0 {
                        return None;
                    }
                    let below: u32 = c[..level].iter().sum();
                    let from = 100.0 * f64::from(below) / f64::from(total);
                    let to = 100.0 * f64::from(below + c[level]) / f64::from(total);
                    Some(Rectangle::new([(i as f64 + 0.15, from), (i as f64 + 0.85, to)], colour.filled()))
                })
                .collect();
            chart
                .draw_series(bars)
                .map_err(|e| e.to_string())?
                .label(labels[level])
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pie_has_a_slice_and_a_label_per_level_present() {
        let s = level_pie([6, 3, 1], ["Төмен", "Орташа", "Жоғары"]);
        assert!(s.starts_with("<svg role=\"img\""), "{}", &s[..60]);
        assert!(s.contains("Төмен: 6") && s.contains("Орташа: 3") && s.contains("Жоғары: 1"));
        let s = level_pie([4, 0, 0], ["Low", "Medium", "High"]);
        assert!(s.contains("Low: 4") && !s.contains("Medium"));
        assert_eq!(level_pie([0, 0, 0], ["a", "b", "c"]), "");
    }

    #[test]
    fn bars_name_every_row_and_the_legend() {
        let rows = vec![("Бухгалтерия".to_string(), Some(50.0), Some(75.0)), ("IT".to_string(), None, Some(100.0))];
        let s = paired_bars(&rows, ("2026-W47", "2026-W48"), 100.0);
        assert!(s.contains("Бухгалтерия") && s.contains("IT") && s.contains("2026-W47") && s.contains("2026-W48"));
        // Two current bars and one previous (the department without a previous value has none),
        // plus one swatch of each in the legend.
        assert_eq!(s.matches("fill=\"#285AA0\"").count(), 3, "{s}");
        assert_eq!(s.matches("fill=\"#AAB4C3\"").count(), 2, "{s}");
        assert_eq!(paired_bars(&[], ("a", "b"), 100.0), "");
    }

    #[test]
    fn the_trend_stacks_shares_and_skips_hidden_weeks() {
        let weeks = vec![("2026-W46".to_string(), Some([8, 1, 1])), ("2026-W47".to_string(), None)];
        let s = level_trend(&weeks, ["Low", "Medium", "High"]);
        assert!(s.contains("W46") && s.contains("Low") && s.contains("High"));
    }
}
