//! One simulated phone: a real device core (`qamqor_core::Store` on its own SQLite file) whose
//! clock is stepped through the person's days, recording what they would record in the app,
//! and whose real sync client (`qamqor_core::Syncer`) signs in to the server and syncs weekly.
//! Nothing here writes to the server's tables: the history reaches the server by push.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc, Weekday};
use qamqor_core::risk::RiskLevel;
use qamqor_core::{
    AchievementInput, AchievementStatus, CancelToken, CheckInInput, FixedClock, Language, NoProgress, ProfileInput, Store, Syncer, TaskInput,
    TaskStatus, WorkSchedule,
};
use uuid::Uuid;

use crate::store::Millis;

use super::achievements;
use super::office::{Action, Office, Planned};
use super::plan::{Area, Pattern, PersonPlan, DEPARTMENTS, PASSWORD};
use super::rng::Rng;

/// Everyone's time zone (Kazakhstan has one, UTC+5, since March 2024).
pub const TIME_ZONE: &str = "Asia/Almaty";

/// The local time `minute` minutes after midnight of `date` (past 24:00 runs into the next day).
pub fn local(date: NaiveDate, minute: i64) -> DateTime<Utc> {
    let naive = date.and_time(chrono::NaiveTime::MIN) + chrono::Duration::minutes(minute);
    let tz = chrono_tz::Asia::Almaty;
    tz.from_local_datetime(&naive).earliest().unwrap_or_else(|| tz.from_utc_datetime(&naive)).with_timezone(&Utc)
}

/// What the phones share.
pub struct PhoneContext<'a> {
    pub server_url: &'a str,
    /// The first simulated day (a Monday) and the last (yesterday).
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// "Now": the final assessment and sync happen at this instant.
    pub end: DateTime<Utc>,
    /// Where the phones' databases go (deleted afterwards).
    pub dir: &'a Path,
    /// The admin and the managers, acting through the admin API.
    pub office: &'a Office,
}

/// Who the person is on the server, and who acts on their records there.
#[derive(Debug, Clone)]
pub struct Accounts {
    pub me: Uuid,
    /// The admin: assigns profession cards.
    pub admin: Uuid,
    /// Who reviews their achievements and scores their skills: the manager of their top-level
    /// department (the admin for the head office and for the managers themselves).
    pub reviewer: Uuid,
    /// The reviewer's language, for the comments.
    pub reviewer_language: Language,
}

/// When the admin assigns the person their card, if they have one: in the first two weeks in IT,
/// in the third or fourth elsewhere; on a working day, in office hours.
pub fn assignment_time(person: &PersonPlan, first_day: NaiveDate) -> Option<DateTime<Utc>> {
    person.card?;
    let mut r = Rng::new(person.seed).fork(2);
    let days = if DEPARTMENTS[person.department].area == Area::It { r.range(0, 9) } else { r.range(14, 24) };
    Some(office_hours(&mut r, first_day + Days::new(days as u64)))
}

/// A moment of a working day, on or after `day`, between 9:30 and 17:30.
fn office_hours(r: &mut Rng, mut day: NaiveDate) -> DateTime<Utc> {
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day = day + Days::new(1);
    }
    local(day, 9 * 60 + 30 + r.range(0, 480))
}

/// What one phone did.
#[derive(Debug, Clone, Default)]
pub struct PhoneReport {
    /// The person's email (their account).
    pub email: String,
    /// Changes the server acknowledged.
    pub pushed: u64,
    pub syncs: u32,
    /// The risk level of the final assessment.
    pub level: Option<RiskLevel>,
    /// When the person first signed in, on the simulated clock (their first morning).
    pub first_sign_in: Millis,
    /// Achievements recorded, and with an evidence photo.
    pub achievements: u32,
    pub evidence: u32,
    /// Verdicts on the phone after the last sync (each one a manager wrote).
    pub verified: u32,
    pub rejected: u32,
    /// The card assigned by the admin (pulled), skill scores the person gave (changes), and
    /// skills their manager scored.
    pub card: bool,
    pub own_scores: u32,
    pub manager_scores: u32,
}

/// Runs one person's phone from their first day to `ctx.end`. `assigner` is the name on the
/// tasks their manager hands out. What the admin and the manager do about the person's records
/// happens, at its simulated moment, just before the phone's next sync.
pub fn simulate(person: &PersonPlan, assigner: &str, accounts: &Accounts, ctx: &PhoneContext) -> anyhow::Result<PhoneReport> {
    let career = Career::new(person, accounts, ctx)?;
    let mut r = Rng::new(person.seed);
    let mut first_day = ctx.first_day + Days::new(7 * u64::from(person.first_week));
    if person.first_week > 0 {
        first_day = first_day + Days::new(r.range(0, 3) as u64);
    }
    // The person installs the app and signs in early on their first morning.
    let clock = Arc::new(FixedClock::new(local(first_day, 6 * 60 + 30)));
    let path = ctx.dir.join(format!("{}.db", person.email));
    let store = Arc::new(Store::open_with_clock(&path, clock.clone()).context("opening the phone's database")?);
    let syncer = Syncer::new(store.clone());
    syncer.login(ctx.server_url, &person.email, PASSWORD, person.device_name).context("signing in")?;
    store
        .update_profile(&ProfileInput {
            name: person.name.clone(),
            department: DEPARTMENTS[person.department].name.to_string(),
            position: person.position.to_string(),
            qualification_level: Some(person.qualification_level),
            schedule: WorkSchedule {
                working_days: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
                start_minute: person.start_minute,
                end_minute: person.end_minute,
                time_zone: TIME_ZONE.to_string(),
            },
            remote_work: person.remote_work,
            language: person.language,
        })
        .context("filling in the profile")?;

    let mut phone = Phone {
        person,
        assigner,
        store: &store,
        clock: &clock,
        offset: r.normal(0.0, 0.08),
        drift: 0.035 + 0.035 * r.unit(),
        answers_cbi: r.chance(person.pattern.cbi_share()),
        next_cbi: first_day + Days::new(r.range(2, 20) as u64),
        r,
        first_day,
        tasks: Vec::new(),
        extra_hours: 0.0,
        last_event: store.now(),
        career,
    };
    let mut report = PhoneReport { email: person.email.clone(), first_sign_in: local(first_day, 6 * 60 + 30).timestamp_millis(), ..PhoneReport::default() };
    let sync = |phone: &mut Phone, report: &mut PhoneReport| -> anyhow::Result<()> {
        let at = phone.store.now();
        phone.career.before_sync(ctx.office, at)?;
        let done = syncer.sync(&NoProgress, &CancelToken::new()).context("syncing")?;
        report.pushed += done.pushed;
        report.syncs += 1;
        phone.career.after_sync(phone.store, at)
    };
    let mut day = first_day;
    while day <= ctx.last_day {
        phone.day(day).with_context(|| format!("on {day}"))?;
        if day.weekday() == Weekday::Sun {
            // The weekly look back: the phone assesses the risk (shared as the day's
            // assessment) and syncs.
            let evening = local(day, 21 * 60 + 30 + phone.r.range(0, 60));
            phone.set_clock(evening.max(phone.last_event + chrono::Duration::minutes(5)));
            store.assess_risk().with_context(|| format!("assessing the risk on {day}"))?;
            sync(&mut phone, &mut report).with_context(|| format!("on {day}"))?;
        }
        day = day + Days::new(1);
    }
    phone.set_clock(ctx.end.max(phone.last_event + chrono::Duration::minutes(1)));
    report.level = store.assess_risk().context("assessing the risk today")?.level;
    if person.asks_deletion {
        store.request_deletion().context("asking for deletion")?;
    }
    sync(&mut phone, &mut report).context("the last sync")?;
    phone.career.finish(&store, &mut report).context("after the last sync")?;
    drop(phone);
    drop(syncer);
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(report)
}

impl Pattern {
    /// How strained the person is in week `week` (0-based), 0 to 1, before their own offset
    /// and daily noise: it drives check-in answers and the questionnaire. `drift` is how fast a
    /// drifting person's strain grows per week.
    fn strain(self, week: u32, drift: f64) -> f64 {
        match self {
            Pattern::Balanced | Pattern::NeverActivated => 0.18,
            Pattern::OvertimeHeavy => 0.58,
            Pattern::LateEvenings => 0.5,
            Pattern::WeekendWorker => 0.45,
            Pattern::Disengaged => 0.42,
            Pattern::Drifting => 0.12 + drift * f64::from(week),
        }
    }

    /// Chance of a check-in on a working day.
    fn check_in_chance(self, week: u32) -> f64 {
        match self {
            Pattern::Balanced | Pattern::NeverActivated => 0.85,
            Pattern::OvertimeHeavy => 0.65,
            Pattern::LateEvenings | Pattern::WeekendWorker => 0.75,
            Pattern::Disengaged => 0.3,
            Pattern::Drifting => 0.9 - 0.03 * f64::from(week),
        }
    }

    /// Chance of a new task on a working day.
    fn new_task_chance(self, week: u32) -> f64 {
        match self {
            Pattern::Balanced | Pattern::NeverActivated => 0.35,
            Pattern::OvertimeHeavy => 0.65,
            Pattern::LateEvenings | Pattern::WeekendWorker => 0.5,
            Pattern::Disengaged => 0.25,
            Pattern::Drifting => 0.3 + 0.03 * f64::from(week),
        }
    }

    /// Chance that an open task gets done on a working day.
    fn completion_chance(self, week: u32) -> f64 {
        match self {
            Pattern::Balanced | Pattern::NeverActivated => 0.35,
            Pattern::OvertimeHeavy => 0.22,
            Pattern::LateEvenings => 0.25,
            Pattern::WeekendWorker => 0.28,
            Pattern::Disengaged => 0.1,
            Pattern::Drifting => 0.35 - 0.02 * f64::from(week),
        }
    }

    /// Share of people of this pattern who answer the burnout questionnaire.
    fn cbi_share(self) -> f64 {
        match self {
            Pattern::Disengaged => 0.3,
            Pattern::Drifting => 0.85,
            Pattern::Balanced => 0.8,
            _ => 0.7,
        }
    }
}

/// Something the person does in the app at a moment of the day.
enum Event {
    Open,
    CheckIn,
    StartTimer,
    StopTimer,
    /// A session entered afterwards.
    Manual { from: DateTime<Utc>, to: DateTime<Utc> },
    NewTask,
    WorkOnTasks,
    Questionnaire,
    /// An achievement recorded (sometimes with a photo of the certificate).
    Achievement,
    /// The person rates the skills of their card; later, raises one or two.
    RateSkills,
    Rerate,
}

/// The person's achievements and skills, and what their admin and manager plan to do about them.
/// Its draws are its own, so the rest of the person's days are the same with or without it.
struct Career {
    /// The person's draws (what they record and how they rate themselves).
    r: Rng,
    /// Their manager's and admin's draws (verdicts, comments, when).
    office_r: Rng,
    accounts: Accounts,
    /// Achievements per week, before the pattern's shape.
    weekly: f64,
    /// Recorded since the last sync: (id, with evidence).
    unsynced: Vec<(String, bool)>,
    /// What the admin and the manager will do, and when.
    planned: Vec<Planned>,
    /// The card's skills with the person's true level in each (the 0-4 scale, unrounded), and how
    /// much better they think they are.
    skills: Vec<(String, f64)>,
    self_bias: f64,
    rates_skills: bool,
    card_seen: bool,
    rate_on: Option<NaiveDate>,
    rerate_on: Option<NaiveDate>,
    /// What happened, for the report.
    achievements: u32,
    evidence: u32,
    own_scores: u32,
    manager_scores: u32,
    verdicts: u32,
}

impl Career {
    fn new(person: &PersonPlan, accounts: &Accounts, ctx: &PhoneContext) -> anyhow::Result<Career> {
        let seeds = Rng::new(person.seed);
        let mut r = seeds.fork(1);
        let mut office_r = seeds.fork(3);
        // Some never open the achievements screen; the others at their own pace.
        let weekly = if r.chance(0.85) { 0.3 * r.normal(0.0, 0.45).exp() } else { 0.0 };
        let mut planned = Vec::new();
        let mut skills = Vec::new();
        if let (Some(card_id), Some(assigned)) = (person.card, assignment_time(person, ctx.first_day)) {
            planned.push(Planned { at: assigned, by: accounts.admin, person: accounts.me, action: Action::Assign { card_id } });
            let card = qamqor_core::competency::catalogue()?.card(card_id).with_context(|| format!("no card {card_id}"))?;
            let above = f64::from(person.qualification_level) - f64::from(card.level.unwrap_or(person.qualification_level));
            let shift = match person.pattern {
                Pattern::Disengaged => -0.4,
                Pattern::OvertimeHeavy => 0.2,
                _ => 0.0,
            };
            let base = 2.1 + 0.6 * above + shift + r.normal(0.0, 0.45);
            skills = card.skills().map(|s| (s.skill.id.clone(), (base + r.normal(0.0, 0.6)).clamp(0.0, 4.0))).collect();
            // The manager scores a few skills of most of their people, some weeks after the card.
            if office_r.chance(0.65) {
                let mut order: Vec<usize> = (0..skills.len()).collect();
                for i in (1..order.len()).rev() {
                    order.swap(i, office_r.range(0, i as i64) as usize);
                }
                let after = Days::new(office_r.range(21, 56) as u64);
                let at = office_hours(&mut office_r, assigned.with_timezone(&chrono_tz::Asia::Almaty).date_naive() + after);
                for &i in order.iter().take(office_r.range(2, 4) as usize) {
                    let (skill_id, truth) = &skills[i];
                    let score = (truth + office_r.normal(-0.1, 0.4)).round().clamp(0.0, 4.0) as u8;
                    let at = at + chrono::Duration::minutes(office_r.range(1, 4));
                    planned.push(Planned { at, by: accounts.reviewer, person: accounts.me, action: Action::RateSkill { skill_id: skill_id.clone(), score } });
                }
            }
        }
        Ok(Career {
            self_bias: r.normal(0.25, 0.3),
            rates_skills: r.chance(if person.pattern == Pattern::Disengaged { 0.4 } else { 0.9 }),
            r,
            office_r,
            accounts: accounts.clone(),
            weekly,
            unsynced: Vec::new(),
            planned,
            skills,
            card_seen: false,
            rate_on: None,
            rerate_on: None,
            achievements: 0,
            evidence: 0,
            own_scores: 0,
            manager_scores: 0,
            verdicts: 0,
        })
    }

    /// Chance of recording an achievement on a working day.
    fn achievement_chance(&self, pattern: Pattern, week: u32) -> f64 {
        let shape = match pattern {
            Pattern::OvertimeHeavy => 1.3,
            Pattern::Disengaged => 0.25,
            Pattern::Drifting => (1.1 - 0.07 * f64::from(week)).max(0.3),
            _ => 1.0,
        };
        self.weekly * shape / 5.0
    }

    /// What the admin and the manager did since the last sync, at its moments, before this one.
    fn before_sync(&mut self, office: &Office, at: DateTime<Utc>) -> anyhow::Result<()> {
        for p in office.run_due(&mut self.planned, at)? {
            match p.action {
                Action::RateSkill { .. } => self.manager_scores += 1,
                Action::Review { .. } => self.verdicts += 1,
                Action::Assign { .. } => {}
            }
        }
        Ok(())
    }

    /// After a sync at `at`: the reviewer plans the verdicts on what it pushed; a card that has
    /// just arrived is rated in the days after.
    fn after_sync(&mut self, store: &Store, at: DateTime<Utc>) -> anyhow::Result<()> {
        let synced_on = at.with_timezone(&chrono_tz::Asia::Almaty).date_naive();
        let r = &mut self.office_r;
        for (id, evidence) in std::mem::take(&mut self.unsynced) {
            let rejected = r.chance(if evidence { 0.03 } else { 0.1 });
            let comment = if rejected {
                Some(achievements::rejection(r, evidence, self.accounts.reviewer_language))
            } else if r.chance(0.15) {
                Some(
                    match self.accounts.reviewer_language {
                        Language::Kk => "Жарайсың, жалғастыр!",
                        Language::Ru => "Отличная работа!",
                        Language::En => "Well done!",
                    }
                    .to_string(),
                )
            } else {
                None
            };
            // Within the week, now and then a week or two later.
            let late = if r.chance(0.15) { r.range(7, 14) } else { 0 };
            let after = Days::new((r.range(1, 5) + late) as u64);
            let when = office_hours(r, synced_on + after);
            let action = Action::Review { achievement_id: id, verified: !rejected, comment };
            self.planned.push(Planned { at: when, by: self.accounts.reviewer, person: self.accounts.me, action });
        }
        if !self.card_seen && !self.skills.is_empty() && store.competency_profile()?.is_some() {
            self.card_seen = true;
            if self.rates_skills {
                let mut day = synced_on + Days::new(self.r.range(1, 9) as u64);
                while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                    day = day + Days::new(1);
                }
                self.rate_on = Some(day);
                if self.r.chance(0.3) {
                    self.rerate_on = Some(day + Days::new(self.r.range(21, 42) as u64));
                }
            }
        }
        Ok(())
    }

    /// Records an achievement of the day.
    fn record_achievement(&mut self, store: &Store, person: &PersonPlan, day: NaiveDate) -> anyhow::Result<()> {
        let r = &mut self.r;
        let area = DEPARTMENTS[person.department].area;
        let weights = achievements::type_weights(area);
        let type_id = weights[r.weighted(&weights.iter().map(|w| w.1).collect::<Vec<_>>())].0;
        let title = achievements::title(r, type_id, area, person.language);
        let achieved_on = day - Days::new(r.range(0, 6) as u64);
        let photo = r.chance(achievements::evidence_chance(type_id)).then(|| achievements::certificate_png(r));
        let input = AchievementInput { type_id: type_id.to_string(), title, description: None, achieved_on };
        let a = store.record_achievement(&input, photo.as_deref())?;
        self.achievements += 1;
        self.evidence += u32::from(a.has_evidence);
        self.unsynced.push((a.id, a.has_evidence));
        Ok(())
    }

    /// Rates the card's skills as the phone shows them (most people all of them).
    fn rate_skills(&mut self, store: &Store) -> anyhow::Result<()> {
        let profile = store.competency_profile()?.context("the card is not on the phone")?;
        let skills: Vec<String> = profile.functions.iter().flat_map(|f| f.skills.iter().map(|s| s.skill_id.clone())).collect();
        let skips = if skills.len() > 3 && self.r.chance(0.2) { self.r.range(1, 2) as usize } else { 0 };
        let skip_from = self.r.range(0, skills.len() as i64 - 1) as usize;
        for (i, skill_id) in skills.iter().enumerate() {
            if i >= skip_from && i < skip_from + skips {
                continue;
            }
            let truth = self.skills.iter().find(|(id, _)| id == skill_id).map_or(2.0, |s| s.1);
            let score = (truth + self.self_bias + self.r.normal(0.0, 0.35)).round().clamp(0.0, 4.0) as u8;
            store.rate_skill(skill_id, score)?;
            self.own_scores += 1;
        }
        Ok(())
    }

    /// Weeks later, one or two skills feel stronger.
    fn rerate(&mut self, store: &Store) -> anyhow::Result<()> {
        let profile = store.competency_profile()?.context("the card is not on the phone")?;
        let mut rated: Vec<(String, u8)> =
            profile.functions.iter().flat_map(|f| f.skills.iter().filter_map(|s| s.own.filter(|&o| o < 4).map(|o| (s.skill_id.clone(), o)))).collect();
        for _ in 0..self.r.range(1, 2) {
            if rated.is_empty() {
                break;
            }
            let (skill_id, own) = rated.swap_remove(self.r.range(0, rated.len() as i64 - 1) as usize);
            store.rate_skill(&skill_id, own + 1)?;
            self.own_scores += 1;
        }
        Ok(())
    }

    /// After the last sync: every verdict the manager wrote has reached the phone.
    fn finish(&self, store: &Store, report: &mut PhoneReport) -> anyhow::Result<()> {
        let held = store.achievements()?;
        report.verified = held.iter().filter(|a| a.status == AchievementStatus::Verified).count() as u32;
        report.rejected = held.iter().filter(|a| a.status == AchievementStatus::Rejected).count() as u32;
        anyhow::ensure!(
            report.verified + report.rejected == self.verdicts,
            "the phone holds {} verdicts, its manager wrote {}",
            report.verified + report.rejected,
            self.verdicts
        );
        anyhow::ensure!(held.len() as u32 == self.achievements, "the phone holds {} achievements, it recorded {}", held.len(), self.achievements);
        report.achievements = self.achievements;
        report.evidence = self.evidence;
        report.card = store.competency_profile()?.is_some();
        let card_expected = !self.skills.is_empty();
        anyhow::ensure!(report.card == card_expected, "the assigned card did not reach the phone");
        report.own_scores = self.own_scores;
        report.manager_scores = self.manager_scores;
        Ok(())
    }
}

struct Phone<'a> {
    person: &'a PersonPlan,
    assigner: &'a str,
    store: &'a Store,
    clock: &'a FixedClock,
    r: Rng,
    first_day: NaiveDate,
    /// The person's own offset to their pattern's strain, and how fast it drifts.
    offset: f64,
    drift: f64,
    answers_cbi: bool,
    next_cbi: NaiveDate,
    /// Open tasks: (id, due date).
    tasks: Vec<(String, Option<NaiveDate>)>,
    /// Yesterday's hours beyond the schedule (all of them on a day off): tomorrow's fatigue.
    extra_hours: f64,
    last_event: DateTime<Utc>,
    career: Career,
}

impl Phone<'_> {
    fn set_clock(&mut self, at: DateTime<Utc>) {
        self.clock.set(at);
        self.last_event = self.last_event.max(at);
    }

    fn week(&self, day: NaiveDate) -> u32 {
        ((day - self.first_day).num_days() / 7 + i64::from(self.person.first_week)) as u32
    }

    fn strain(&mut self, day: NaiveDate) -> f64 {
        let s = self.person.pattern.strain(self.week(day), self.drift) + self.offset + self.r.normal(0.0, 0.06) + (0.04 * self.extra_hours).min(0.2);
        s.clamp(0.0, 1.0)
    }

    /// The work sessions of `day`, in local minutes after midnight.
    fn sessions(&mut self, day: NaiveDate) -> Vec<(i64, i64)> {
        let p = self.person;
        let week = self.week(day);
        let (start, end) = (i64::from(p.start_minute), i64::from(p.end_minute));
        let r = &mut self.r;
        let working = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if !working {
            let saturday = day.weekday() == Weekday::Sat;
            let works = match p.pattern {
                Pattern::WeekendWorker => r.chance(if saturday { 0.7 } else { 0.4 }),
                Pattern::OvertimeHeavy => saturday && r.chance(0.25),
                Pattern::Drifting => saturday && week >= 7 && r.chance(0.4),
                Pattern::Balanced => saturday && r.chance(0.04),
                _ => false,
            };
            if !works {
                return Vec::new();
            }
            let from = if saturday { 10 * 60 } else { 14 * 60 } + r.range(-30, 60);
            return vec![(from, from + r.range(120, 330))];
        }
        // A day off now and then (leave, sick days); the disengaged often log nothing.
        let skip = match p.pattern {
            Pattern::Disengaged => 0.15,
            _ => 0.03,
        };
        if r.chance(skip) {
            return Vec::new();
        }
        let mut from = start + r.normal(0.0, 12.0) as i64;
        let mut to = end + r.normal(0.0, 15.0) as i64;
        let mut lunch = r.range(45, 75);
        match p.pattern {
            Pattern::OvertimeHeavy => {
                from -= 20;
                lunch = 30;
                if r.chance(0.75) {
                    to += r.range(90, 180);
                }
            }
            Pattern::Drifting => {
                to += i64::from(week) * 12 + r.normal(0.0, 20.0) as i64;
                lunch -= i64::from(week) * 3;
            }
            Pattern::Disengaged => {
                from += r.range(30, 70);
                to -= r.range(60, 120);
                lunch += 20;
            }
            Pattern::Balanced if r.chance(0.1) => to += 60,
            _ => {}
        }
        let lunch_start = 13 * 60 + r.normal(0.0, 10.0) as i64;
        let skips_lunch = match p.pattern {
            Pattern::OvertimeHeavy => r.chance(0.4),
            Pattern::Drifting => r.chance(0.05 * f64::from(week)),
            _ => r.chance(0.03),
        };
        let to = to.min(23 * 60 + 30);
        let mut out = Vec::new();
        if skips_lunch || lunch_start <= from + 60 || lunch_start + lunch >= to - 60 {
            out.push((from, to));
        } else {
            out.push((from, lunch_start));
            out.push((lunch_start + lunch.max(20), to));
        }
        if p.pattern == Pattern::LateEvenings && r.chance(0.6) {
            let ev_from = (21 * 60 + r.normal(0.0, 20.0) as i64).max(to + 45);
            let ev_to = (ev_from + r.range(60, 150)).min(23 * 60 + 55);
            if ev_to - ev_from >= 30 {
                out.push((ev_from, ev_to));
            }
        }
        out
    }

    /// Plans and records one day.
    fn day(&mut self, day: NaiveDate) -> anyhow::Result<()> {
        let p = self.person;
        let week = self.week(day);
        let working = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let sessions = self.sessions(day);
        let strain = self.strain(day);
        let mut events: Vec<(DateTime<Utc>, Event)> = Vec::new();

        let mut check_in_chance = p.pattern.check_in_chance(week);
        if !working {
            check_in_chance *= 0.3;
        }
        let checks_in = self.r.chance(check_in_chance);
        let first_open = match sessions.first() {
            Some((from, _)) => Some(from - self.r.range(1, 10)),
            None if checks_in || self.r.chance(0.15) => Some(10 * 60 + self.r.range(0, 180)),
            None => None,
        };
        if let Some(open) = first_open {
            events.push((local(day, open), Event::Open));
            // Half check in in the morning, half in the evening.
            if checks_in {
                let at = if self.r.chance(0.5) { open + self.r.range(1, 4) } else { 19 * 60 + 30 + self.r.range(0, 150) };
                if at != open {
                    events.push((local(day, at), Event::Open));
                }
                events.push((local(day, at) + chrono::Duration::seconds(30), Event::CheckIn));
            }
        }
        for &(from, to) in &sessions {
            if self.r.chance(0.6) {
                events.push((local(day, from), Event::StartTimer));
                events.push((local(day, to), Event::StopTimer));
            } else {
                let entered = local(day, to + self.r.range(2, 20));
                events.push((entered, Event::Manual { from: local(day, from), to: local(day, to) }));
            }
        }
        if let (Some(&(from, _)), Some(&(_, to))) = (sessions.first(), sessions.last()) {
            let new_task = p.pattern.new_task_chance(week);
            let n = usize::from(self.r.chance(new_task)) + usize::from(self.r.chance(new_task / 3.0));
            for _ in 0..n {
                events.push((local(day, self.r.range(from, to)), Event::NewTask));
            }
            if working || !self.tasks.is_empty() {
                events.push((local(day, self.r.range(from, to)), Event::WorkOnTasks));
            }
        }
        if self.answers_cbi && day >= self.next_cbi {
            events.push((local(day, 20 * 60 + self.r.range(0, 120)), Event::Questionnaire));
            self.next_cbi = day + Days::new(self.r.range(25, 31) as u64);
        }
        // Achievements and skills (their own draws): at work, or in the evening at home.
        if let (true, Some(&(from, _)), Some(&(_, to))) = (working, sessions.first(), sessions.last()) {
            let c = &mut self.career;
            let moment = |c: &mut Career| if c.r.chance(0.7) { c.r.range(from, to) } else { 20 * 60 + c.r.range(0, 150) };
            if c.r.chance(c.achievement_chance(p.pattern, week)) {
                events.push((local(day, moment(c)), Event::Achievement));
            }
            if c.rate_on.is_some_and(|d| d <= day) {
                c.rate_on = None;
                events.push((local(day, moment(c)), Event::RateSkills));
            } else if c.rate_on.is_none() && c.rerate_on.is_some_and(|d| d <= day) {
                c.rerate_on = None;
                events.push((local(day, moment(c)), Event::Rerate));
            }
        }

        events.sort_by_key(|(at, _)| *at);
        for (at, event) in events {
            self.set_clock(at);
            self.apply(event, day, week, strain).with_context(|| format!("at {at}"))?;
        }

        let worked: i64 = sessions.iter().map(|(a, b)| b - a).sum();
        let scheduled = if working { i64::from(p.end_minute - p.start_minute) - 60 } else { 0 };
        self.extra_hours = ((worked - scheduled) as f64 / 60.0).max(0.0);
        Ok(())
    }

    fn apply(&mut self, event: Event, day: NaiveDate, week: u32, strain: f64) -> anyhow::Result<()> {
        let store = self.store;
        match event {
            Event::Open => {
                store.record_app_open()?;
            }
            Event::CheckIn => {
                store.record_check_in(&self.check_in(strain))?;
            }
            Event::StartTimer => {
                store.start_timer(None)?;
            }
            Event::StopTimer => {
                store.stop_timer(None)?;
            }
            Event::Manual { from, to } => {
                store.add_session(from, to, None)?;
            }
            Event::NewTask => {
                if self.tasks.len() < 30 {
                    let input = self.new_task(day);
                    let due = input.due_date;
                    let task = store.add_task(&input)?;
                    self.tasks.push((task.id, due));
                }
            }
            Event::WorkOnTasks => {
                let done = self.person.pattern.completion_chance(week);
                let mut still_open = Vec::new();
                for (id, due) in std::mem::take(&mut self.tasks) {
                    // A task due soon or late gets more attention.
                    let urgent = due.is_some_and(|d| d <= day + Days::new(1));
                    if self.r.chance(if urgent { done * 1.5 } else { done }) {
                        store.set_task_status(&id, TaskStatus::Done)?;
                    } else if self.r.chance(0.01) {
                        store.set_task_status(&id, TaskStatus::Cancelled)?;
                    } else {
                        if self.r.chance(0.3) {
                            store.set_task_status(&id, TaskStatus::InProgress)?;
                        }
                        still_open.push((id, due));
                    }
                }
                self.tasks = still_open;
            }
            Event::Questionnaire => {
                let answers = self.questionnaire(strain);
                store.record_cbi(&answers)?;
            }
            Event::Achievement => self.career.record_achievement(store, self.person, day)?,
            Event::RateSkills => self.career.rate_skills(store)?,
            Event::Rerate => self.career.rerate(store)?,
        }
        Ok(())
    }

    /// Check-in answers that follow the day's strain.
    fn check_in(&mut self, s: f64) -> CheckInInput {
        let r = &mut self.r;
        let mood_shift = if self.person.pattern == Pattern::Disengaged { -0.6 } else { 0.0 };
        let fatigue = (1.5 + 7.5 * s + r.normal(0.0, 1.0)).round().clamp(0.0, 10.0) as u8;
        let stress = (1.3 + 3.4 * s + r.normal(0.0, 0.5)).round().clamp(1.0, 5.0) as u8;
        let mood = (4.6 - 3.2 * s + mood_shift + r.normal(0.0, 0.5)).round().clamp(1.0, 5.0) as u8;
        let sleep = (8.2 - 2.8 * s + r.normal(0.0, 0.5)).clamp(3.5, 10.0);
        CheckInInput { fatigue, stress, mood, sleep_hours: (sleep * 4.0).round() / 4.0, note: None }
    }

    /// A Copenhagen Burnout Inventory response around the person's strain; the client-related
    /// items only from people who deal with clients.
    fn questionnaire(&mut self, s: f64) -> Vec<Option<u8>> {
        let clients = DEPARTMENTS[self.person.department].client_facing;
        let level = 4.0 * (s + 0.05).min(1.0);
        (0..19)
            .map(|i| {
                if (i >= 13 && !clients) || self.r.chance(0.03) {
                    return None;
                }
                let v = self.r.normal(level, 0.7).round().clamp(0.0, 4.0) as u8;
                // Item 13 ("enough energy for family and friends") is reverse-scored.
                Some(if i == 12 { 4 - v } else { v })
            })
            .collect()
    }

    fn new_task(&mut self, day: NaiveDate) -> TaskInput {
        let area = DEPARTMENTS[self.person.department].area;
        let titles = task_titles(area);
        let (kk, ru, en) = *self.r.pick(titles);
        let title = match self.person.language {
            Language::Kk => kk,
            Language::Ru => ru,
            Language::En => en,
        };
        let r = &mut self.r;
        TaskInput {
            title: title.to_string(),
            notes: None,
            due_date: r.chance(0.7).then(|| day + Days::new(r.range(1, 10) as u64)),
            estimate_minutes: r.chance(0.6).then(|| 15 * r.range(2, 32) as u32),
            assigned_by: r.chance(0.4).then(|| self.assigner.to_string()),
        }
    }
}

/// (Kazakh, Russian, English) task titles of each area, in the person's app language.
fn task_titles(area: Area) -> &'static [(&'static str, &'static str, &'static str)] {
    match area {
        Area::Office => &[
            ("Келісімшартты тексеру", "Проверить договор", "Review the contract"),
            ("Кеңсе тауарларына тапсырыс беру", "Заказать канцтовары", "Order office supplies"),
            ("Құжаттарды аудару", "Перевести документы", "Translate the documents"),
            ("Кіріс хаттарды тіркеу", "Зарегистрировать входящие письма", "Register incoming letters"),
        ],
        Area::It => &[
            ("Код шолуын жасау", "Провести код-ревью", "Do the code review"),
            ("Кіру бетіндегі қатені түзету", "Исправить ошибку на странице входа", "Fix the login page bug"),
            ("API құжаттамасын жаңарту", "Обновить документацию API", "Update the API docs"),
            ("Релизді дайындау", "Подготовить релиз", "Prepare the release"),
            ("Тесттер жазу", "Написать тесты", "Write the tests"),
            ("Серверді жаңарту", "Обновить сервер", "Upgrade the server"),
            ("Пайдаланушы өтінішін қарау", "Разобрать обращение пользователя", "Handle a user's ticket"),
            ("Сақтық көшірмені тексеру", "Проверить резервную копию", "Check the backup"),
        ],
        Area::Finance => &[
            ("Айлық есепті дайындау", "Подготовить ежемесячный отчёт", "Prepare the monthly report"),
            ("Шот-фактураларды тексеру", "Проверить счета-фактуры", "Check the invoices"),
            ("Бюджетті жоспарлау", "Спланировать бюджет", "Plan the budget"),
            ("Салық декларациясын тапсыру", "Сдать налоговую декларацию", "File the tax return"),
            ("Жеткізушілермен салыстыру актісі", "Акт сверки с поставщиками", "Reconcile with suppliers"),
            ("Шығындарды талдау", "Проанализировать расходы", "Analyse the expenses"),
        ],
        Area::People => &[
            ("Үміткерлермен сұхбат", "Собеседование с кандидатами", "Interview candidates"),
            ("Жаңа қызметкерді бейімдеу", "Адаптация нового сотрудника", "Onboard a new colleague"),
            ("Демалыс кестесін жасау", "Составить график отпусков", "Draw up the leave schedule"),
            ("Оқыту жоспарын жаңарту", "Обновить план обучения", "Update the training plan"),
            ("Еңбек шарттарын ресімдеу", "Оформить трудовые договоры", "Prepare employment contracts"),
            ("Қызметкерлер сауалнамасын өткізу", "Провести опрос сотрудников", "Run the staff survey"),
        ],
        Area::Sales => &[
            ("Клиентке коммерциялық ұсыныс жіберу", "Отправить клиенту коммерческое предложение", "Send the client a quote"),
            ("Клиентпен кездесу", "Встреча с клиентом", "Meet the client"),
            ("Апталық сату есебі", "Еженедельный отчёт по продажам", "Weekly sales report"),
            ("Шартты келісу", "Согласовать договор", "Agree the contract"),
            ("Жаңа клиенттерге қоңырау шалу", "Обзвонить новых клиентов", "Call new leads"),
            ("CRM деректерін жаңарту", "Обновить данные в CRM", "Update the CRM"),
        ],
        Area::Marketing => &[
            ("Әлеуметтік желіге жазба дайындау", "Подготовить пост для соцсетей", "Draft a social media post"),
            ("Жарнама науқанын іске қосу", "Запустить рекламную кампанию", "Launch the ad campaign"),
            ("Баннер макетін жасау", "Сделать макет баннера", "Design the banner"),
            ("Науқан нәтижелерін талдау", "Проанализировать результаты кампании", "Analyse the campaign results"),
            ("Сайт мәтіндерін жаңарту", "Обновить тексты на сайте", "Update the website copy"),
            ("Көрмеге дайындалу", "Подготовиться к выставке", "Prepare for the trade fair"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_are_almaty_times() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(local(d, 9 * 60).to_rfc3339(), "2026-11-23T04:00:00+00:00");
        assert_eq!(local(d, 24 * 60 + 30).to_rfc3339(), "2026-11-23T19:30:00+00:00");
    }
}
