//! `qamqor-server serve --demo`: a realistic organisation with twelve weeks of history, made
//! the way a real one would be. The organisation, its departments and accounts are set up
//! through the [`Store`] (setup is not history); then every person who uses the app gets a
//! simulated phone (a real device core, see [`phone`]) that records their days and reaches
//! this server through its own listening socket: sign-in, weekly sync, pushes. Seeded
//! ([`plan::SEED`]): the same people and the same days on every run, relative to today.
//! `docs/DEMO.md` describes what it contains.

pub mod achievements;
pub mod office;
pub mod phone;
pub mod plan;
pub mod rng;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Datelike, Days, Utc};
use qamqor_core::risk::RiskLevel;
use qamqor_protocol::Role;
use uuid::Uuid;

use crate::accounts;
use crate::auth;
use crate::store::{NewUser, Store, StoreResult};
use crate::AppState;
use office::{Action, Office, Planned};
use phone::Accounts;
pub use plan::{ORG_NAME, PASSWORD};
use plan::{top_department, OrgPlan, PersonPlan, DEPARTMENTS};

/// The accounts the demo prints, to sign in to the panel and the API.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoCredentials {
    pub admin_email: String,
    /// The manager of the IT department (the largest subtree).
    pub manager_email: String,
    pub password: &'static str,
}

/// The printed credentials: the same on every run.
pub fn credentials() -> DemoCredentials {
    let plan = plan::plan();
    let manager = plan.managers.iter().find(|m| DEPARTMENTS[m.department].area == plan::Area::It).unwrap_or(&plan.managers[0]);
    DemoCredentials { admin_email: plan.admin.email.clone(), manager_email: manager.email.clone(), password: PASSWORD }
}

/// Whether a data directory holds the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoState {
    /// No demo organisation.
    Absent,
    /// Created completely (its admin account is dated: the last write).
    Ready,
    /// Started but not finished: the process stopped while it was being created.
    Interrupted,
}

/// Looks for the demo organisation and its admin. The admin is created first (they act during
/// the simulated weeks) and dated from the first simulated day last, so an activated admin marks
/// completion.
pub async fn state(store: &dyn Store) -> StoreResult<DemoState> {
    let Some(org) = store.org_by_name(ORG_NAME).await? else {
        return Ok(DemoState::Absent);
    };
    let Some(admin) = store.credentials(&credentials().admin_email).await? else {
        return Ok(DemoState::Interrupted);
    };
    let today = Utc::now().date_naive();
    Ok(match store.admin().person(org.id, admin.user_id, (today, today)).await? {
        Some(p) if p.activated_at.is_some() => DemoState::Ready,
        _ => DemoState::Interrupted,
    })
}

/// True when `dir` does not exist or has nothing in it: the only place a new demo is made.
pub fn is_empty_dir(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// What creating the demo did.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub departments: usize,
    /// Accounts: the admin, the managers and the employees.
    pub people: usize,
    /// People who use the app (the rest never signed in).
    pub phones: usize,
    /// Changes the phones pushed, and syncs they made.
    pub pushed: u64,
    pub syncs: u64,
    /// Final risk levels of the phones: low, medium, high, not enough data.
    pub levels: [usize; 4],
    /// Profession cards the admin assigned; skill scores the people gave on their phones (changes)
    /// and their managers gave.
    pub cards: usize,
    pub own_scores: u64,
    pub manager_scores: u64,
    /// Achievements the phones recorded (with an evidence photo), and the verdicts on them that
    /// reached the phones (the rest wait for review).
    pub achievements: u64,
    pub evidence: u64,
    pub verified: u64,
    pub rejected: u64,
    pub took: Duration,
}

/// Creates the demo organisation in the server's store and fills it with history through the
/// server at `server_url` (which must already be serving `state`). `now` is the demo's today.
pub async fn create(state: AppState, server_url: String, now: DateTime<Utc>) -> anyhow::Result<DemoSummary> {
    let started = Instant::now();
    let store = state.store.clone();
    let plan = Arc::new(plan::plan());
    let now_ms = now.timestamp_millis();
    let org = accounts::create_org(store.as_ref(), ORG_NAME, now_ms)
        .await
        .map_err(|e| anyhow::anyhow!("creating the organisation: {}", e.message().0))?;

    let mut departments: Vec<Uuid> = Vec::with_capacity(DEPARTMENTS.len());
    for def in DEPARTMENTS {
        let parent = def.parent.map(|p| departments[p]);
        departments.push(store.ensure_department(org.id, parent, def.name, now_ms).await?.id);
    }

    // One Argon2id hash for every demo account: they share the password, and hashing two
    // hundred times would only make the demo slow.
    let password_hash = tokio::task::spawn_blocking(|| auth::hash_password(PASSWORD)).await??;
    let account = |p: &PersonPlan, department: Option<String>| NewUser {
        org_id: org.id,
        email: p.email.clone(),
        name: p.name.clone(),
        role: p.role,
        department,
        password_hash: password_hash.clone(),
        now: now_ms,
    };
    // The admin first: they assign the profession cards and review during the weeks.
    let admin_department = Some(DEPARTMENTS[plan.admin.department].name.to_string());
    let admin = store.create_user(account(&plan.admin, admin_department)).await.context("creating the admin")?.id;
    let mut ids = HashMap::with_capacity(plan.managers.len() + plan.employees.len());
    for p in plan.managers.iter().chain(&plan.employees) {
        let user = store.create_user(account(p, None)).await.with_context(|| format!("creating {}", p.email))?;
        store.set_user_department(user.id, Some(departments[p.department])).await?;
        ids.insert(p.email.clone(), user.id);
    }
    let (first_day, last_day) = simulated_days(now);
    // Who reviews and scores whom: the manager of the person's top-level department, or the admin.
    let accounts: HashMap<String, Accounts> = plan
        .managers
        .iter()
        .chain(&plan.employees)
        .map(|p| {
            let manager = (p.role == Role::Employee).then(|| plan.managers.iter().find(|m| m.department == top_department(p.department))).flatten();
            let reviewer = manager.unwrap_or(&plan.admin);
            let accounts = Accounts {
                me: ids[&p.email],
                admin,
                reviewer: manager.map_or(admin, |m| ids[&m.email]),
                reviewer_language: reviewer.language,
            };
            (p.email.clone(), accounts)
        })
        .collect();
    let office = Arc::new(Office { state: state.clone(), runtime: tokio::runtime::Handle::current() });
    // People who never sign in get their card too (they never see it).
    let mut cards = 0;
    for p in plan.employees.iter().filter(|p| !p.activated()) {
        if let (Some(card_id), Some(at)) = (p.card, phone::assignment_time(p, first_day)) {
            office.act(&Planned { at, by: admin, person: ids[&p.email], action: Action::Assign { card_id } }).await?;
            cards += 1;
        }
    }

    tracing::info!(phones = plan.phones().count(), weeks = plan::WEEKS, "demo: simulating the phones and syncing them");
    // Owned by this future, so the phones' databases go even when it is dropped half-way
    // (the server was stopped).
    let dir = tempfile::Builder::new().prefix("qamqor-demo-phones-").tempdir().context("creating a directory for the phones")?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let simulated = plan.clone();
    let phones_dir = dir.path().to_path_buf();
    let ctx_office = office.clone();
    // Plain threads: the phones' sync clients block, which is not allowed on the runtime's.
    std::thread::Builder::new()
        .name("demo-phones".into())
        .spawn(move || {
            let ctx = phone::PhoneContext { server_url: &server_url, first_day, last_day, end: now, dir: &phones_dir, office: &ctx_office };
            let _ = tx.send(simulate_all(&simulated, &accounts, &ctx));
        })
        .context("starting the phones")?;
    let reports = rx.await.context("the phones stopped")??;
    drop(dir);

    // The phones signed in today on the server's clock, though their people joined weeks ago on
    // the simulated one: date each account from the person's first simulated sign-in (created a
    // week before it, when the admin invited them), so the statistics of past weeks count them.
    // People without a phone keep today's date and stay "never activated".
    for r in &reports {
        if let Some(id) = ids.get(&r.email) {
            store.set_account_dates(*id, r.first_sign_in - 7 * 86_400_000, Some(r.first_sign_in)).await?;
        }
    }

    // The admin last: set up the organisation a week before the history, in the panel since its
    // first morning. Dating them marks the demo as complete.
    let admin_since = phone::local(first_day, 8 * 60 + 30).timestamp_millis();
    store.set_account_dates(admin, admin_since - 7 * 86_400_000, Some(admin_since)).await?;

    let mut levels = [0; 4];
    for r in &reports {
        levels[match r.level {
            Some(RiskLevel::Low) => 0,
            Some(RiskLevel::Medium) => 1,
            Some(RiskLevel::High) => 2,
            None => 3,
        }] += 1;
    }
    Ok(DemoSummary {
        departments: DEPARTMENTS.len(),
        people: 1 + plan.managers.len() + plan.employees.len(),
        phones: reports.len(),
        pushed: reports.iter().map(|r| r.pushed).sum(),
        syncs: reports.iter().map(|r| u64::from(r.syncs)).sum(),
        levels,
        cards: cards + reports.iter().filter(|r| r.card).count(),
        own_scores: reports.iter().map(|r| u64::from(r.own_scores)).sum(),
        manager_scores: reports.iter().map(|r| u64::from(r.manager_scores)).sum(),
        achievements: reports.iter().map(|r| u64::from(r.achievements)).sum(),
        evidence: reports.iter().map(|r| u64::from(r.evidence)).sum(),
        verified: reports.iter().map(|r| u64::from(r.verified)).sum(),
        rejected: reports.iter().map(|r| u64::from(r.rejected)).sum(),
        took: started.elapsed(),
    })
}

/// The first simulated day (the Monday twelve weeks before this week's) and the last (yesterday).
fn simulated_days(now: DateTime<Utc>) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let today = now.with_timezone(&chrono_tz::Asia::Almaty).date_naive();
    let this_monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    (this_monday - Days::new(7 * u64::from(plan::WEEKS)), today - Days::new(1))
}

/// Runs every phone, a few at a time; stops at the first failure and returns it.
fn simulate_all(plan: &OrgPlan, accounts: &HashMap<String, Accounts>, ctx: &phone::PhoneContext) -> anyhow::Result<Vec<phone::PhoneReport>> {
    let phones: Vec<&PersonPlan> = plan.phones().collect();
    // Phones wait on the server (its commits reach the disk before it answers) about as long
    // as they compute: two per core keep the cores busy. More only add switching (measured).
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4) * 2;
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let reports = Mutex::new(Vec::with_capacity(phones.len()));
    let first_error = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= phones.len() || failed.load(Ordering::Relaxed) {
                    break;
                }
                let p = phones[i];
                // Managers get their work from the admin.
                let assigner = if p.role == Role::Manager { plan.admin.name.as_str() } else { plan.assigner_of(p.department) };
                match phone::simulate(p, assigner, &accounts[&p.email], ctx).with_context(|| format!("the phone of {}", p.email)) {
                    Ok(report) => {
                        let mut reports = reports.lock().unwrap_or_else(|e| e.into_inner());
                        reports.push(report);
                        if reports.len() % 50 == 0 {
                            tracing::info!(done = reports.len(), of = phones.len(), "demo: phones synced");
                        }
                    }
                    Err(e) => {
                        failed.store(true, Ordering::Relaxed);
                        first_error.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
                    }
                }
            });
        }
    });
    if let Some(e) = first_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    Ok(reports.into_inner().unwrap_or_else(|e| e.into_inner()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_accounts_are_the_same_every_run() {
        let c = credentials();
        assert_eq!(c, credentials());
        assert_eq!(c.admin_email, format!("admin@{}", plan::EMAIL_DOMAIN));
        assert!(c.manager_email.ends_with(plan::EMAIL_DOMAIN));
        assert!(PASSWORD.chars().count() >= accounts::MIN_PASSWORD_CHARS);
    }

    #[test]
    fn only_a_missing_or_empty_directory_is_empty() {
        let dir = tempfile::TempDir::new().unwrap();
        assert!(is_empty_dir(dir.path()));
        assert!(is_empty_dir(&dir.path().join("missing")));
        std::fs::write(dir.path().join("x"), b"").unwrap();
        assert!(!is_empty_dir(dir.path()));
        assert!(!is_empty_dir(&dir.path().join("x")), "a file is not an empty directory");
    }
}
