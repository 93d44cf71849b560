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
    CancelToken, CheckInInput, FixedClock, Language, NoProgress, ProfileInput, Store, Syncer, TaskInput, TaskStatus, WorkSchedule,
};

use crate::store::Millis;

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
}

/// Runs one person's phone from their first day to `ctx.end`. `assigner` is the name on the
/// tasks their manager hands out.
pub fn simulate(person: &PersonPlan, assigner: &str, ctx: &PhoneContext) -> anyhow::Result<PhoneReport> {
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
    };
    let mut report = PhoneReport { email: person.email.clone(), first_sign_in: local(first_day, 6 * 60 + 30).timestamp_millis(), ..PhoneReport::default() };
    let sync = |report: &mut PhoneReport| -> anyhow::Result<()> {
        let done = syncer.sync(&NoProgress, &CancelToken::new()).context("syncing")?;
        report.pushed += done.pushed;
        report.syncs += 1;
        Ok(())
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
            sync(&mut report).with_context(|| format!("on {day}"))?;
        }
        day = day + Days::new(1);
    }
    phone.set_clock(ctx.end.max(phone.last_event + chrono::Duration::minutes(1)));
    report.level = store.assess_risk().context("assessing the risk today")?.level;
    sync(&mut report).context("the last sync")?;
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
