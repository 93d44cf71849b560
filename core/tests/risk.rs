//! The burnout-risk assessment: honest without data, explained, monotone where it must be,
//! trending against the person's own weeks, kept as history, and updatable only by a valid,
//! newer model.

use std::sync::Arc;

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use proptest::prelude::*;
use qamqor_core::risk::{self, FactorKind, FactorSource, MissingData, Model, RiskData, RiskLevel, TrendDirection};
use qamqor_core::schedule::Schedule;
use qamqor_core::*;
use qamqor_risk_model::artifact::Artifact;
use qamqor_risk_model::BUILTIN_ARTIFACT;
use tempfile::TempDir;

fn model() -> Model {
    Model::builtin().unwrap()
}

fn sched() -> Schedule {
    Schedule::new(&WorkSchedule::default()).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 23);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

fn at(s: &Schedule, d: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    s.to_utc(d.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap()))
}

fn now(s: &Schedule) -> DateTime<Utc> {
    at(s, today(), 22, 0)
}

/// A working life for the last `days` days: each working day from 09:00 for `hours` hours,
/// plus `evening` extra minutes after 19:00; a check-in every day with `fatigue`.
struct Scenario {
    days: u64,
    hours: f64,
    evening_minutes: i64,
    fatigue: u8,
    sleep: f64,
    saturdays: bool,
}

impl Scenario {
    fn build(&self, s: &Schedule) -> (Vec<(DateTime<Utc>, DateTime<Utc>)>, Vec<CheckIn>) {
        let mut sessions = vec![];
        let mut check_ins = vec![];
        for ago in (0..self.days).rev() {
            let d = today() - Days::new(ago);
            let start = at(s, d, 9, 0);
            if s.is_working_day(d) {
                sessions.push((start, start + Duration::minutes((self.hours * 60.0) as i64)));
                if self.evening_minutes > 0 {
                    let e = at(s, d, 19, 30);
                    sessions.push((e, e + Duration::minutes(self.evening_minutes)));
                }
            } else if self.saturdays && d.format("%u").to_string() == "6" {
                sessions.push((at(s, d, 10, 0), at(s, d, 14, 0)));
            }
            check_ins.push(CheckIn {
                id: d.to_string(),
                local_date: d,
                fatigue: self.fatigue,
                stress: 3,
                mood: 3,
                sleep_hours: self.sleep,
                note: None,
                recorded_at: at(s, d, 21, 0),
                replaced: false,
            });
        }
        (sessions, check_ins)
    }
}

fn data<'a>(s: &'a Schedule, sessions: &'a [(DateTime<Utc>, DateTime<Utc>)], check_ins: &'a [CheckIn], cbi: &'a [CbiResponse]) -> RiskData<'a> {
    RiskData { schedule: s, first_seen: None, qualification_level: Some(4), remote_work: false, sessions, tasks: &[], check_ins, app_open_days: &[], cbi }
}

fn base() -> Scenario {
    Scenario { days: 56, hours: 8.0, evening_minutes: 0, fatigue: 3, sleep: 7.5, saturdays: false }
}

#[test]
fn without_check_ins_there_is_no_score_only_what_is_missing() {
    let s = sched();
    let (sessions, _) = base().build(&s);
    let a = risk::assess(&data(&s, &sessions, &[], &[]), &model(), now(&s));
    assert_eq!(a.score, None);
    assert_eq!(a.level, None);
    assert!(a.factors.is_empty());
    assert!(a.missing.contains(&MissingData::CheckIns));
    assert!(a.missing.contains(&MissingData::Questionnaire));
    assert!(!a.missing.contains(&MissingData::WorkSessions));
    assert_eq!(a.model_version, "1.0.0");
    assert!(a.coverage.observed_features < a.coverage.total_features);
}

#[test]
fn a_calm_month_is_low_and_an_overloaded_one_is_high_with_reasons() {
    let s = sched();
    let (sessions, check_ins) = base().build(&s);
    let calm = risk::assess(&data(&s, &sessions, &check_ins, &[]), &model(), now(&s));
    assert_eq!(calm.level, Some(RiskLevel::Low), "{:?}", calm.score);

    let heavy = Scenario { hours: 10.0, evening_minutes: 120, fatigue: 8, sleep: 5.0, saturdays: true, ..base() };
    let (sessions, check_ins) = heavy.build(&s);
    let high_cbi = [CbiResponse {
        id: "c".into(),
        answered_at: now(&s) - Duration::days(3),
        answers: vec![Some(3); 19],
        scores: CbiScores { personal: Some(75.0), work_related: Some(70.0), client_related: None },
    }];
    let a = risk::assess(&data(&s, &sessions, &check_ins, &high_cbi), &model(), now(&s));
    assert_eq!(a.level, Some(RiskLevel::High), "{:?}", a.score);
    let kinds: Vec<FactorKind> = a.factors.iter().map(|f| f.kind).collect();
    for k in [FactorKind::Fatigue, FactorKind::WorkHours, FactorKind::AfterHoursWork, FactorKind::BurnoutQuestionnaire, FactorKind::ShortSleep, FactorKind::WeekendWork] {
        assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
    }
    assert_eq!(a.factors[0].kind, FactorKind::Fatigue, "fatigue is the strongest signal");
    assert!(a.factors.windows(2).all(|w| w[0].contribution.abs() >= w[1].contribution.abs()), "ordered by size");
    let fatigue = &a.factors[0];
    assert_eq!((fatigue.value, fatigue.source), (8.0, FactorSource::Model));
    let after = a.factors.iter().find(|f| f.kind == FactorKind::AfterHoursWork).unwrap();
    assert_eq!(after.source, FactorSource::Literature);
    // 09:00-19:00 is one hour past 18:00, plus the two-hour evening: 3 h x 5 days a week.
    assert!((after.value - 900.0).abs() < 1.0, "after-hours minutes per week: {}", after.value);
    assert!(a.score.unwrap() <= 1.0);
}

#[test]
fn a_worsening_month_trends_up_against_the_persons_own_weeks() {
    let s = sched();
    let (sessions, mut check_ins) = base().build(&s);
    for c in check_ins.iter_mut().filter(|c| (today() - c.local_date).num_days() < 7) {
        c.fatigue = 9;
    }
    let a = risk::assess(&data(&s, &sessions, &check_ins, &[]), &model(), now(&s));
    let trend = a.trend.expect("four earlier weeks exist");
    assert_eq!(trend.direction, TrendDirection::Rising, "{trend:?}");
    assert_eq!(a.previous_weeks.len(), 4);
    assert!(a.previous_weeks.iter().all(|w| w.score.unwrap() < a.score.unwrap()));
    assert_eq!(a.previous_weeks[0].as_of, today() - Days::new(7));
}

fn score_of(sc: &Scenario, extra: &[(DateTime<Utc>, DateTime<Utc>)]) -> f64 {
    let s = sched();
    let (mut sessions, check_ins) = sc.build(&s);
    sessions.extend_from_slice(extra);
    sessions.sort();
    risk::assess(&data(&s, &sessions, &check_ins, &[]), &model(), now(&s)).score.unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Higher fatigue never lowers the risk, all else equal.
    #[test]
    fn more_fatigue_never_lowers_the_risk(hours in 4.0f64..11.0, fatigue in 0u8..10, more in 1u8..=10, evening in 0i64..180) {
        let a = Scenario { hours, fatigue, evening_minutes: evening, ..base() };
        let b = Scenario { fatigue: (fatigue + more).min(10), ..a };
        let (lo, hi) = (score_of(&a, &[]), score_of(&b, &[]));
        prop_assert!(hi >= lo - 1e-12, "fatigue {} -> {}: {} -> {}", fatigue, b.fatigue, lo, hi);
    }

    /// More overtime or after-hours work never lowers the risk, all else equal.
    #[test]
    fn more_work_never_lowers_the_risk(hours in 4.0f64..10.0, fatigue in 0u8..=10, evening in 0i64..120, extra in 10i64..240, ago in 0u64..27) {
        let a = Scenario { hours, fatigue, evening_minutes: evening, ..base() };
        let b = Scenario { evening_minutes: evening + extra, ..a };
        prop_assert!(score_of(&b, &[]) >= score_of(&a, &[]) - 1e-12, "longer evenings");
        // An extra late session on one day (after every other session of that day).
        let s = sched();
        let d = today() - Days::new(ago);
        let late = at(&s, d, 23, 0);
        let longer = score_of(&a, &[(late, late + Duration::minutes(extra.min(59)))]);
        prop_assert!(longer >= score_of(&a, &[]) - 1e-12, "one more late session");
    }
}

/// A person who started `history` days ago: check-ins since then and `hours` a working day.
fn short_history_score(history: u64, hours: f64, fatigue: u8, extra: &[(DateTime<Utc>, DateTime<Utc>)]) -> f64 {
    let s = sched();
    let sc = Scenario { days: history, hours, fatigue, ..base() };
    let (mut sessions, check_ins) = sc.build(&s);
    sessions.extend_from_slice(extra);
    sessions.sort();
    let first_seen = today() - Days::new(history - 1);
    let d = RiskData { first_seen: Some(first_seen), ..data(&s, &sessions, &check_ins, &[]) };
    risk::assess(&d, &model(), now(&s)).score.unwrap()
}

#[test]
fn work_logged_before_the_first_day_or_a_first_short_session_never_lowers_the_risk() {
    let s = sched();
    // Review finding: an hour logged 20 days ago used to stretch a 7-day history to 21 days.
    let early = at(&s, today() - Days::new(20), 10, 0);
    let base_score = short_history_score(7, 11.0, 6, &[]);
    assert!(short_history_score(7, 11.0, 6, &[(early, early + Duration::hours(1))]) >= base_score);
    // Review finding: a first one-hour session after two weeks of check-ins used to lower it.
    let no_sessions = short_history_score(14, 0.0, 6, &[]);
    let one = at(&s, today() - Days::new(2), 10, 0);
    assert!(short_history_score(14, 0.0, 6, &[(one, one + Duration::hours(1))]) >= no_sessions);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// With short histories too, any extra work anywhere in the last 40 days never lowers it.
    #[test]
    fn extra_work_never_lowers_the_risk_with_a_short_history(history in 3u64..40, hours in 0.0f64..11.0, fatigue in 0u8..=10, ago in 0u64..40, len in 10i64..300) {
        let s = sched();
        let start = at(&s, today() - Days::new(ago), 5, 0);
        let before = short_history_score(history, hours, fatigue, &[]);
        let after = short_history_score(history, hours, fatigue, &[(start, start + Duration::minutes(len.min(239)))]);
        prop_assert!(after >= before - 1e-12, "{} -> {}", before, after);
    }
}

// ---- through the store --------------------------------------------------------------------

fn store_at(dir: &TempDir, clock: &Arc<FixedClock>) -> Store {
    Store::open_with_clock(dir.path().join("risk.db"), clock.clone()).unwrap()
}

fn newer_artifact(version: &str) -> Vec<u8> {
    let a = Artifact::parse(BUILTIN_ARTIFACT.as_bytes()).unwrap();
    Artifact::seal(version, a.parameters, a.training).to_json()
}

#[test]
fn store_assessment_is_kept_as_daily_history() {
    let dir = TempDir::new().unwrap();
    let s = sched();
    let clock = Arc::new(FixedClock::new(at(&s, today() - Days::new(10), 20, 0)));
    let store = store_at(&dir, &clock);
    assert_eq!(store.latest_risk_assessment().unwrap(), None, "nothing assessed yet");
    let first = store.assess_risk().unwrap();
    assert_eq!(first.score, None, "a new person gets no made-up number");
    assert_eq!(first.suggestions(), [risk::RiskSuggestion::KeepBreaks, risk::RiskSuggestion::TalkToSomeone]);
    for _ in 0..10 {
        store.record_check_in(&CheckInInput { fatigue: 7, stress: 4, mood: 2, sleep_hours: 6.0, note: None }).unwrap();
        let t = clock.now();
        store.add_session(t - Duration::hours(11), t - Duration::hours(1), None).unwrap();
        clock.advance(Duration::days(1));
    }
    let a = store.assess_risk().unwrap();
    assert!(a.score.is_some());
    // Reading the latest writes nothing: no new entry, nothing more to sync.
    let pending = store.pending_change_count().unwrap();
    let latest = store.latest_risk_assessment().unwrap().expect("today's assessment is kept");
    assert_eq!((latest.local_date, latest.score, &latest.factors), (a.local_date, a.score, &a.factors));
    assert_eq!(latest.suggestions(), a.suggestions(), "the same rule for a kept assessment");
    assert_eq!(store.pending_change_count().unwrap(), pending);
    assert_eq!(store.risk_history(30).unwrap().len(), 2);
    // The suggestions follow the reasons that raise this person's score, talking to someone last.
    let suggestions = a.suggestions();
    assert_eq!(suggestions.last(), Some(&risk::RiskSuggestion::TalkToSomeone));
    assert!(suggestions.contains(&risk::RiskSuggestion::Rest), "fatigue 7 is a reason: {:?} {suggestions:?}", a.factors);
    // Opening the risk screen again assesses again: the same result is not a change, so
    // nothing new waits to be sent.
    let kept_at = store.latest_risk_assessment().unwrap().unwrap().assessed_at;
    clock.advance(Duration::seconds(30));
    assert_eq!(store.assess_risk().unwrap().score, a.score);
    assert_eq!(store.pending_change_count().unwrap(), pending, "the same result is not sent again");
    assert_eq!(store.latest_risk_assessment().unwrap().unwrap().assessed_at, kept_at, "nor written again");
    // A new check-in changes the result: kept and sent again.
    store.record_check_in(&CheckInInput { fatigue: 2, stress: 1, mood: 5, sleep_hours: 8.0, note: None }).unwrap();
    let pending = store.pending_change_count().unwrap();
    let changed = store.assess_risk().unwrap();
    assert_ne!(changed.factors, a.factors);
    assert_eq!(store.pending_change_count().unwrap(), pending, "today's unsent assessment is replaced, not added");
    assert!(store.latest_risk_assessment().unwrap().unwrap().assessed_at > kept_at);
    let a = changed;
    let history = store.risk_history(30).unwrap();
    assert_eq!(history.len(), 2, "one entry per day");
    assert_eq!(history[0].local_date, a.local_date);
    assert_eq!(history[0].score, a.score);
    assert_eq!(history[0].factors, a.factors);
    assert_eq!(history[1].score, None);
}

#[test]
fn model_updates_are_validated_and_survive_a_restart() {
    let dir = TempDir::new().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()));
    let store = store_at(&dir, &clock);
    assert_eq!(store.risk_model().unwrap().version(), "1.0.0");

    let reject = |bytes: &[u8], reason: InvalidReason| match store.install_risk_model(bytes) {
        Err(Error::Invalid { field, reason: r, message }) => {
            assert_eq!(field, "risk_model");
            assert_eq!(r, reason, "{message}");
        }
        other => panic!("expected a rejection, got {other:?}"),
    };
    reject(b"not json", InvalidReason::BadFormat);
    let mut tampered = newer_artifact("1.1.0");
    let pos = tampered.windows(4).position(|w| w == b"0.0.").map(|p| p + 2).unwrap_or(tampered.len() / 2);
    tampered[pos] = if tampered[pos] == b'1' { b'2' } else { b'1' };
    reject(&tampered, InvalidReason::BadFormat);
    reject(BUILTIN_ARTIFACT.as_bytes(), InvalidReason::Unsupported);
    assert_eq!(store.risk_model().unwrap().version(), "1.0.0", "rejections keep the current model");

    assert_eq!(store.install_risk_model(&newer_artifact("1.1.0")).unwrap(), "1.1.0");
    reject(&newer_artifact("1.0.5"), InvalidReason::Unsupported);
    assert_eq!(store.assess_risk().unwrap().model_version, "1.1.0");
    drop(store);
    let reopened = store_at(&dir, &clock);
    assert_eq!(reopened.risk_model().unwrap().version(), "1.1.0");
}
