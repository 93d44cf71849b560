//! The person's schedule resolved against their time zone: local days, working hours, and the
//! split of a span of work into in-hours, after-hours and weekend time. Pure functions.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{Error, InvalidReason, Result};
use crate::model::WorkSchedule;

/// A validated schedule, ready for fast date arithmetic.
#[derive(Debug, Clone)]
pub struct Schedule {
    tz: Tz,
    working: [bool; 7],
    start_minute: u16,
    end_minute: u16,
}

/// How the seconds of a span of work fall on one local day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DaySplit {
    pub worked_secs: i64,
    /// Outside working hours on a working day.
    pub after_hours_secs: i64,
    /// On a day that is not a working day.
    pub weekend_secs: i64,
}

impl Schedule {
    /// Validates a schedule: a known IANA time zone, at least one working day, start before end.
    pub fn new(s: &WorkSchedule) -> Result<Schedule> {
        let tz: Tz = s.time_zone.parse().map_err(|_| {
            Error::invalid(
                "schedule.time_zone",
                InvalidReason::BadFormat,
                format!("'{}' is not an IANA time zone such as Asia/Almaty", s.time_zone),
            )
        })?;
        if s.working_days.is_empty() {
            return Err(Error::invalid(
                "schedule.working_days",
                InvalidReason::Empty,
                "at least one working day is needed",
            ));
        }
        let mut working = [false; 7];
        for d in &s.working_days {
            working[d.num_days_from_monday() as usize] = true;
        }
        if s.end_minute > 24 * 60 {
            return Err(Error::invalid(
                "schedule.end_minute",
                InvalidReason::OutOfRange,
                "the working day must end by 24:00",
            ));
        }
        if s.start_minute >= s.end_minute {
            return Err(Error::invalid(
                "schedule.end_minute",
                InvalidReason::EndBeforeStart,
                "the working day must end after it starts (night shifts across midnight are not supported yet)",
            ));
        }
        Ok(Schedule { tz, working, start_minute: s.start_minute, end_minute: s.end_minute })
    }

    /// The person's local calendar day at an instant.
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }

    /// The instant of a local wall-clock time (the earliest one when clocks go back; the first
    /// valid instant after a gap when they go forward).
    pub fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let mut probe = local;
        // A DST gap is at most a few hours: step forward by minutes until the time exists.
        for _ in 0..=240 {
            if let Some(t) = self.tz.from_local_datetime(&probe).earliest() {
                return t.with_timezone(&Utc);
            }
            probe += chrono::Duration::minutes(1);
        }
        // No zone has a gap this long; fall back to reading the wall clock as UTC.
        Utc.from_utc_datetime(&local)
    }

    /// The same local wall-clock time `days` days earlier (not `days * 24` hours: DST days
    /// are 23 or 25 hours long).
    pub fn days_before(&self, t: DateTime<Utc>, days: u64) -> DateTime<Utc> {
        let local = t.with_timezone(&self.tz).naive_local();
        self.to_utc(local - Days::new(days))
    }

    /// Local midnight at the start of a day.
    pub fn day_start(&self, d: NaiveDate) -> DateTime<Utc> {
        self.to_utc(d.and_time(NaiveTime::MIN))
    }

    /// Whether a local day is a working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        self.working[d.weekday().num_days_from_monday() as usize]
    }

    /// Minutes the person is scheduled to work on a day.
    pub fn scheduled_minutes(&self, d: NaiveDate) -> i64 {
        if self.is_working_day(d) {
            i64::from(self.end_minute - self.start_minute)
        } else {
            0
        }
    }

    fn working_window(&self, d: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let at = |m: u16| {
            if m == 24 * 60 {
                self.day_start(d + Days::new(1))
            } else {
                let t = NaiveTime::from_hms_opt(u32::from(m / 60), u32::from(m % 60), 0).unwrap_or(NaiveTime::MIN);
                self.to_utc(d.and_time(t))
            }
        };
        (at(self.start_minute), at(self.end_minute))
    }

    /// Splits the span `[start, end)` into the local days it touches, calling `f` for each.
    pub fn split(&self, start: DateTime<Utc>, end: DateTime<Utc>, mut f: impl FnMut(NaiveDate, DaySplit)) {
        if end <= start {
            return;
        }
        let mut day = self.local_date(start);
        let mut cursor = start;
        while cursor < end {
            let next_midnight = self.day_start(day + Days::new(1));
            let seg_end = end.min(next_midnight);
            let secs = (seg_end - cursor).num_seconds();
            let mut split = DaySplit { worked_secs: secs, ..DaySplit::default() };
            if self.is_working_day(day) {
                let (ws, we) = self.working_window(day);
                let overlap = (seg_end.min(we) - cursor.max(ws)).num_seconds().max(0);
                split.after_hours_secs = secs - overlap;
            } else {
                split.weekend_secs = secs;
            }
            f(day, split);
            cursor = seg_end;
            day = day + Days::new(1);
        }
    }
}

/// Rounds seconds to whole minutes (half up).
pub fn secs_to_minutes(secs: i64) -> i64 {
    (secs + 30).div_euclid(60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn almaty() -> Schedule {
        Schedule::new(&WorkSchedule::default()).unwrap()
    }

    fn local(s: &Schedule, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        s.to_utc(NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap())
    }

    fn collect(s: &Schedule, a: DateTime<Utc>, b: DateTime<Utc>) -> Vec<(NaiveDate, DaySplit)> {
        let mut v = vec![];
        s.split(a, b, |d, x| v.push((d, x)));
        v
    }

    #[test]
    fn in_hours_work_has_no_after_hours() {
        let s = almaty();
        // Monday 2026-11-16, 10:00-12:00 local.
        let v = collect(&s, local(&s, 2026, 11, 16, 10, 0), local(&s, 2026, 11, 16, 12, 0));
        assert_eq!(v, vec![(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(), DaySplit { worked_secs: 7200, after_hours_secs: 0, weekend_secs: 0 })]);
    }

    #[test]
    fn evening_work_counts_after_hours_and_midnight_splits_days() {
        let s = almaty();
        // Monday 17:00 to Tuesday 01:00: 1 h in hours, 6 h after hours Monday, 1 h after hours Tuesday.
        let v = collect(&s, local(&s, 2026, 11, 16, 17, 0), local(&s, 2026, 11, 17, 1, 0));
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].1, DaySplit { worked_secs: 7 * 3600, after_hours_secs: 6 * 3600, weekend_secs: 0 });
        assert_eq!(v[1].1, DaySplit { worked_secs: 3600, after_hours_secs: 3600, weekend_secs: 0 });
    }

    #[test]
    fn saturday_is_weekend_in_the_persons_zone() {
        let s = almaty();
        // Saturday 2026-11-21 08:00-09:30 Almaty.
        let v = collect(&s, local(&s, 2026, 11, 21, 8, 0), local(&s, 2026, 11, 21, 9, 30));
        assert_eq!(v[0].1.weekend_secs, 5400);
        assert_eq!(v[0].1.after_hours_secs, 0);
        // The same instants are a Saturday morning in Almaty but a Friday evening in New York.
        let ny = Schedule::new(&WorkSchedule { time_zone: "America/New_York".into(), ..WorkSchedule::default() }).unwrap();
        let v = collect(&ny, local(&s, 2026, 11, 21, 8, 0), local(&s, 2026, 11, 21, 9, 30));
        assert_eq!(v[0].0.weekday(), Weekday::Sat.pred());
        assert_eq!(v[0].1.weekend_secs, 0);
        assert_eq!(v[0].1.after_hours_secs, 5400);
    }

    #[test]
    fn dst_days_split_at_real_midnights() {
        let s = Schedule::new(&WorkSchedule { time_zone: "Europe/Berlin".into(), ..WorkSchedule::default() }).unwrap();
        // 2026-03-29: clocks go forward at 02:00; a day of 23 hours.
        let d = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let len = s.day_start(d + Days::new(1)) - s.day_start(d);
        assert_eq!(len.num_hours(), 23);
        // 02:30 does not exist: the first valid instant after it is 03:00 local.
        let gap = s.to_utc(d.and_hms_opt(2, 30, 0).unwrap());
        assert_eq!(gap, s.to_utc(d.and_hms_opt(3, 0, 0).unwrap()));
    }

    #[test]
    fn days_before_keeps_the_local_time_across_dst() {
        let s = Schedule::new(&WorkSchedule { time_zone: "Europe/Berlin".into(), ..WorkSchedule::default() }).unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 3, 30).unwrap();
        let t = s.to_utc(monday.and_hms_opt(0, 30, 0).unwrap());
        let week_ago = s.days_before(t, 7);
        assert_eq!(s.local_date(week_ago), NaiveDate::from_ymd_opt(2026, 3, 23).unwrap());
        assert_eq!((t - week_ago).num_hours(), 7 * 24 - 1, "a 23-hour day lies in between");
    }

    #[test]
    fn bad_schedules_name_the_field() {
        let bad_tz = WorkSchedule { time_zone: "Mars/Olympus".into(), ..WorkSchedule::default() };
        assert!(matches!(Schedule::new(&bad_tz), Err(Error::Invalid { ref field, .. }) if field == "schedule.time_zone"));
        let no_days = WorkSchedule { working_days: vec![], ..WorkSchedule::default() };
        assert!(matches!(Schedule::new(&no_days), Err(Error::Invalid { ref field, reason: InvalidReason::Empty, .. }) if field == "schedule.working_days"));
        let backwards = WorkSchedule { start_minute: 600, end_minute: 540, ..WorkSchedule::default() };
        assert!(matches!(Schedule::new(&backwards), Err(Error::Invalid { reason: InvalidReason::EndBeforeStart, .. })));
        let too_late = WorkSchedule { end_minute: 1500, ..WorkSchedule::default() };
        assert!(matches!(Schedule::new(&too_late), Err(Error::Invalid { reason: InvalidReason::OutOfRange, .. })));
    }

    #[test]
    fn rounding_to_minutes() {
        assert_eq!(secs_to_minutes(29), 0);
        assert_eq!(secs_to_minutes(30), 1);
        assert_eq!(secs_to_minutes(3600), 60);
    }
}
