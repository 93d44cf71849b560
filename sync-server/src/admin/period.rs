//! Report periods: an ISO week (`2026-W48`, Monday to Sunday) or a calendar month
//! (`2026-11`), as local dates.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};

/// Years a period may lie in.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A week or month of local dates, `[from, to]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Week,
    Month,
}

/// A period as answers show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PeriodView {
    pub kind: PeriodKind,
    /// `2026-W48` or `2026-11`.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The ISO week containing `d`.
    pub fn week_of(d: NaiveDate) -> Period {
        let from = d - Days::new(u64::from(d.weekday().num_days_from_monday()));
        Period { kind: PeriodKind::Week, from, to: from + Days::new(6) }
    }

    /// The last ISO week that has ended before `today`.
    pub fn last_complete_week(today: NaiveDate) -> Period {
        Period::week_of(today - Days::new(7))
    }

    /// The month containing `d`.
    pub fn month_of(d: NaiveDate) -> Period {
        let from = d.with_day(1).unwrap_or(d);
        let to = (from + Months::new(1)).pred_opt().unwrap_or(from);
        Period { kind: PeriodKind::Month, from, to }
    }

    /// The period just before this one, of the same kind.
    pub fn previous(&self) -> Period {
        match self.kind {
            PeriodKind::Week => Period::week_of(self.from - Days::new(7)),
            PeriodKind::Month => Period::month_of(self.from - Days::new(1)),
        }
    }

    /// `2026-W48` or `2026-11`.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Week => {
                let w = self.from.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            PeriodKind::Month => format!("{}-{:02}", self.from.year(), self.from.month()),
        }
    }

    pub fn view(&self) -> PeriodView {
        PeriodView { kind: self.kind, label: self.label(), from: self.from, to: self.to }
    }

    /// The days of the period up to `today` (the current period is counted so far); `None`
    /// when it has not begun.
    pub fn so_far(&self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        (self.from <= today).then(|| (self.from, self.to.min(today)))
    }
}

/// Parses `YYYY-Www`; 422 naming `field` otherwise.
pub fn parse_week(raw: &str, field: &str) -> AppResult<Period> {
    let bad = || AppError::invalid(field, format!("'{raw}' is not an ISO week: expected YYYY-Www such as 2026-W48"));
    let (year, week) = raw.trim().split_once("-W").ok_or_else(bad)?;
    if year.len() != 4 || week.len() != 2 {
        return Err(bad());
    }
    let (year, week): (i32, u32) = (year.parse().map_err(|_| bad())?, week.parse().map_err(|_| bad())?);
    if !YEARS.contains(&year) {
        return Err(AppError::invalid(field, format!("the year must be {} to {}", YEARS.start(), YEARS.end())));
    }
    let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
        .ok_or_else(|| AppError::invalid(field, format!("{year} has no ISO week {week}")))?;
    Ok(Period::week_of(monday))
}

/// Parses `YYYY-MM`; 422 naming `field` otherwise.
pub fn parse_month(raw: &str, field: &str) -> AppResult<Period> {
    let bad = || AppError::invalid(field, format!("'{raw}' is not a month: expected YYYY-MM such as 2026-11"));
    let (year, month) = raw.trim().split_once('-').ok_or_else(bad)?;
    if year.len() != 4 || month.len() != 2 {
        return Err(bad());
    }
    let (year, month): (i32, u32) = (year.parse().map_err(|_| bad())?, month.parse().map_err(|_| bad())?);
    if !YEARS.contains(&year) {
        return Err(AppError::invalid(field, format!("the year must be {} to {}", YEARS.start(), YEARS.end())));
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
    Ok(Period::month_of(first))
}

/// `?week=` or `?month=` (not both); neither: `default`.
pub fn parse_period(week: Option<&str>, month: Option<&str>, default: Period) -> AppResult<Period> {
    match (week, month) {
        (Some(_), Some(_)) => Err(AppError::invalid("month", "ask for a week or a month, not both")),
        (Some(w), None) => parse_week(w, "week"),
        (None, Some(m)) => parse_month(m, "month"),
        (None, None) => Ok(default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_and_months() {
        let w = parse_week("2026-W48", "week").unwrap();
        assert_eq!((w.from, w.to, w.label()), (d("2026-11-23"), d("2026-11-29"), "2026-W48".to_string()));
        assert_eq!(w.previous().label(), "2026-W47");
        assert_eq!(parse_week("2021-W01", "week").unwrap().from, d("2021-01-04"));
        assert_eq!(parse_week("2025-W53", "week").unwrap_err().message().1, Some("week"));
        assert!(parse_week("2020-W53", "week").is_ok());
        for bad in ["2026-48", "2026-W4", "26-W48", "2026-W00", "1999-W10", "x"] {
            assert!(parse_week(bad, "week").is_err(), "{bad}");
        }
        let m = parse_month("2026-02", "month").unwrap();
        assert_eq!((m.from, m.to, m.label()), (d("2026-02-01"), d("2026-02-28"), "2026-02".to_string()));
        assert_eq!(m.previous().label(), "2026-01");
        for bad in ["2026-13", "2026-1", "2026/11", "2101-01"] {
            assert!(parse_month(bad, "month").is_err(), "{bad}");
        }
        // Wednesday 2026-12-02: the last complete week is W48.
        assert_eq!(Period::last_complete_week(d("2026-12-02")).label(), "2026-W48");
        // Monday 2026-11-30: W48 ended yesterday.
        assert_eq!(Period::last_complete_week(d("2026-11-30")).label(), "2026-W48");
        assert_eq!(w.so_far(d("2026-11-25")), Some((d("2026-11-23"), d("2026-11-25"))));
        assert_eq!(w.so_far(d("2026-11-22")), None);
        assert!(parse_period(Some("2026-W48"), Some("2026-11"), w).is_err());
    }
}
