//! `qamqor`: the employee's app in a terminal, as thin over the core as the phone apps. Every
//! rule lives in `qamqor-core`; this file parses arguments, calls the core and prints.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc, Weekday};
use clap::{Args, Parser, Subcommand, ValueEnum};
use qamqor_core::schedule::Schedule;
use qamqor_core::*;
use serde::Serialize;

mod render;

/// Qamqor for the terminal: record your work day, check in, see your statistics.
#[derive(Parser)]
#[command(name = "qamqor", version)]
struct Cli {
    /// Folder holding this person's database.
    #[arg(long, env = "QAMQOR_DATA_DIR", global = true, default_value = "qamqor-data")]
    data_dir: PathBuf,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show or change the profile.
    Profile {
        #[command(subcommand)]
        action: Option<ProfileCmd>,
    },
    /// Record today's check-in (a second one today replaces the first).
    Checkin(CheckinArgs),
    /// Work sessions: the timer, or entries after the fact.
    Session {
        #[command(subcommand)]
        action: SessionCmd,
    },
    /// The task list.
    Task {
        #[command(subcommand)]
        action: TaskCmd,
    },
    /// Answer the Copenhagen Burnout Inventory.
    Cbi(CbiArgs),
    /// Hours, overtime, after-hours work, tasks and check-ins: this week or a given ISO week.
    Stats {
        /// ISO week as YYYY-Www (e.g. 2026-W47); default: the overview of the last 12 weeks.
        #[arg(long)]
        week: Option<String>,
    },
    /// Your burnout risk, computed on this device: level, score and the reasons behind it.
    Risk {
        #[command(subcommand)]
        action: Option<RiskCmd>,
    },
    /// Sign in to your organisation's server (the password is read from standard input).
    Login {
        /// The server's address, e.g. https://qamqor.example.kz
        #[arg(long)]
        server: String,
        #[arg(long)]
        email: String,
        /// How this device appears in your device list.
        #[arg(long, default_value = "Qamqor terminal")]
        device_name: String,
    },
    /// Create your account from an invitation code (the password is read from standard input).
    Register {
        #[arg(long)]
        server: String,
        /// The invitation code your manager or administrator gave you.
        #[arg(long)]
        invite: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "Qamqor terminal")]
        device_name: String,
    },
    /// Send the changes waiting on this device and receive what is new.
    Sync,
    /// Sync state: account, changes waiting, last sync, last error.
    Status,
    /// Sign out (local data and unsent changes stay).
    Logout,
    /// Messages from your manager.
    Feedback,
    /// Export all of your data.
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// For JSON, a file (default: standard output); for CSV, a folder for the files.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ProfileCmd {
    /// Show the profile.
    Show,
    /// Change fields; the others keep their values.
    Set(ProfileSet),
    /// Set the profile photo from an image file (JPEG, PNG, WebP).
    Photo { file: PathBuf },
    /// Remove the profile photo.
    RemovePhoto,
}

#[derive(Args)]
struct ProfileSet {
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    department: Option<String>,
    #[arg(long)]
    position: Option<String>,
    /// Qualification level 1-8 (0 clears it).
    #[arg(long)]
    level: Option<u8>,
    /// Working days, e.g. mon,tue,wed,thu,fri.
    #[arg(long, value_delimiter = ',')]
    days: Option<Vec<Weekday>>,
    /// Start of the working day, HH:MM.
    #[arg(long)]
    start: Option<String>,
    /// End of the working day, HH:MM.
    #[arg(long)]
    end: Option<String>,
    /// IANA time zone, e.g. Asia/Almaty.
    #[arg(long)]
    tz: Option<String>,
    #[arg(long)]
    remote: Option<bool>,
    /// kk, ru or en.
    #[arg(long)]
    language: Option<String>,
}

#[derive(Args)]
struct CheckinArgs {
    /// Fatigue 0 (none) to 10 (exhausted).
    #[arg(long)]
    fatigue: u8,
    /// Stress 1 (calm) to 5 (very stressed).
    #[arg(long)]
    stress: u8,
    /// Mood 1 (very bad) to 5 (very good).
    #[arg(long)]
    mood: u8,
    /// Hours slept last night.
    #[arg(long)]
    sleep: f64,
    #[arg(long)]
    note: Option<String>,
}

#[derive(Subcommand)]
enum SessionCmd {
    /// Start the timer now.
    Start {
        #[arg(long)]
        note: Option<String>,
    },
    /// Stop the timer now, or at an earlier time (--at).
    Stop {
        #[arg(long)]
        at: Option<String>,
    },
    /// Add a past session: times as YYYY-MM-DDTHH:MM in your time zone, or RFC 3339.
    Add {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// List sessions of a range of days (default: the last 7 days).
    List {
        #[arg(long)]
        from: Option<NaiveDate>,
        #[arg(long)]
        to: Option<NaiveDate>,
    },
    /// Delete a session entered by mistake.
    Delete { id: String },
}

#[derive(Subcommand)]
enum TaskCmd {
    /// Add a task.
    Add {
        title: String,
        #[arg(long)]
        due: Option<NaiveDate>,
        /// Estimate in minutes.
        #[arg(long)]
        estimate: Option<u32>,
        #[arg(long)]
        notes: Option<String>,
        #[arg(long)]
        assigned_by: Option<String>,
    },
    /// Mark a task in progress.
    Start { id: String },
    /// Mark a task done.
    Done { id: String },
    /// Cancel a task.
    Cancel { id: String },
    /// List tasks.
    List {
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
    },
}

#[derive(Subcommand)]
enum RiskCmd {
    /// Assess now (the default).
    Show,
    /// Past daily assessments, newest first.
    History {
        #[arg(long, default_value_t = 30)]
        limit: u32,
    },
    /// Install a newer risk-model artifact (it is validated first).
    InstallModel { file: PathBuf },
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    Todo,
    InProgress,
    Done,
    Cancelled,
}

#[derive(Args)]
struct CbiArgs {
    /// 19 answers, comma-separated, each 0 (never / very low degree) to 4 (always / very high
    /// degree), or '-' to skip an item.
    #[arg(long, conflicts_with = "file")]
    answers: Option<String>,
    /// A file with the 19 answers, comma- or line-separated.
    #[arg(long)]
    file: Option<PathBuf>,
    /// Print the questions instead, in this language (kk, ru, en).
    #[arg(long, conflicts_with_all = ["answers", "file"])]
    items: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Json,
    Csv,
}

/// Failures of this front-end's own parsing, reported like the core's.
fn bad(field: &str, message: impl Into<String>) -> Error {
    Error::invalid(field, InvalidReason::BadFormat, message)
}

fn parse_hhmm(field: &str, s: &str) -> Result<u16> {
    let t = chrono::NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| bad(field, format!("'{s}' is not a time HH:MM")))?;
    use chrono::Timelike;
    Ok((t.hour() * 60 + t.minute()) as u16)
}

/// A time given as YYYY-MM-DDTHH:MM in the person's zone, or as RFC 3339.
fn parse_time(schedule: &Schedule, field: &str, s: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .map(|local| schedule.to_utc(local))
        .map_err(|_| bad(field, format!("'{s}' is not a time like 2026-11-23T09:30 or RFC 3339")))
}

fn parse_language(s: &str) -> Result<Language> {
    Language::parse(s).ok_or_else(|| bad("language", format!("'{s}' is not one of kk, ru, en")))
}

fn parse_week(s: &str) -> Result<(i32, u32)> {
    let (y, w) = s.split_once("-W").ok_or_else(|| bad("week", format!("'{s}' is not an ISO week like 2026-W47")))?;
    let y = y.parse().map_err(|_| bad("week", format!("'{y}' is not a year")))?;
    let w = w.parse().map_err(|_| bad("week", format!("'{w}' is not a week number")))?;
    Ok((y, w))
}

fn parse_answers(text: &str) -> Result<Vec<Option<u8>>> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .enumerate()
        .map(|(i, s)| match s {
            "-" => Ok(None),
            v => v.parse::<u8>().map(Some).map_err(|_| {
                Error::invalid(format!("answers[{}]", i + 1), InvalidReason::BadFormat, format!("'{v}' is not 0-4 or '-'"))
            }),
        })
        .collect()
}

/// What a command produced: printed as text, or as JSON with --json.
enum Output {
    Profile(Profile),
    Session(WorkSession),
    Sessions(Vec<WorkSession>),
    Task(Task),
    Tasks(Vec<Task>),
    CheckIn(CheckIn),
    Cbi(CbiResponse),
    CbiItems(Vec<CbiItem>),
    Overview(StatsOverview),
    Risk(Box<risk::RiskAssessment>),
    RiskHistory(Vec<RiskHistoryEntry>),
    Week(WeekStats),
    Text(String),
    /// Already-built JSON with its text rendering.
    Value(serde_json::Value, String),
    /// Already a finished document (the JSON export): printed as is.
    Document(String),
    Deleted(String),
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

impl Output {
    fn print(&self, as_json: bool) {
        let text = match (self, as_json) {
            (Output::Profile(p), true) => json(p),
            (Output::Profile(p), false) => render::profile(p),
            (Output::Session(s), true) => json(s),
            (Output::Session(s), false) => render::session(s),
            (Output::Sessions(v), true) => json(v),
            (Output::Sessions(v), false) => v.iter().map(render::session).collect::<Vec<_>>().join("\n"),
            (Output::Task(t), true) => json(t),
            (Output::Task(t), false) => render::task(t),
            (Output::Tasks(v), true) => json(v),
            (Output::Tasks(v), false) if v.is_empty() => "No tasks.".to_string(),
            (Output::Tasks(v), false) => v.iter().map(render::task).collect::<Vec<_>>().join("\n"),
            (Output::CheckIn(c), true) => json(c),
            (Output::CheckIn(c), false) => render::check_in(c),
            (Output::Cbi(r), true) => json(r),
            (Output::Cbi(r), false) => render::cbi(r),
            (Output::CbiItems(v), true) => json(v),
            (Output::CbiItems(v), false) => v.iter().map(|i| format!("{:>2}. {}", i.number, i.text)).collect::<Vec<_>>().join("\n"),
            (Output::Overview(o), true) => json(o),
            (Output::Overview(o), false) => render::overview(o),
            (Output::Risk(a), true) => json(a),
            (Output::Risk(a), false) => render::risk(a),
            (Output::RiskHistory(h), true) => json(h),
            (Output::RiskHistory(h), false) => render::risk_history(h),
            (Output::Week(w), true) => json(w),
            (Output::Week(w), false) => render::week(w),
            (Output::Text(t), true) => json(&serde_json::json!({ "message": t })),
            (Output::Text(t), false) => t.clone(),
            (Output::Value(v, _), true) => json(v),
            (Output::Value(_, t), false) => t.clone(),
            (Output::Document(d), _) => d.clone(),
            (Output::Deleted(id), true) => json(&serde_json::json!({ "deleted": id })),
            (Output::Deleted(id), false) => format!("Deleted {id}."),
        };
        println!("{text}");
    }
}

fn open_store(data_dir: &PathBuf) -> anyhow::Result<Store> {
    std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create the data folder {}", data_dir.display()))?;
    let path = data_dir.join("qamqor.db");
    // QAMQOR_NOW pins the clock (RFC 3339): reproducible demos and tests.
    let store = match std::env::var("QAMQOR_NOW") {
        Ok(now) => {
            let at = DateTime::parse_from_rfc3339(&now).context("QAMQOR_NOW must be an RFC 3339 time")?;
            Store::open_with_clock(&path, Arc::new(FixedClock::new(at.with_timezone(&Utc))))?
        }
        Err(_) => Store::open(&path)?,
    };
    Ok(store)
}

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| bad("password", format!("cannot read standard input: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(Error::invalid("password", InvalidReason::Empty, "give the password on standard input"));
    }
    Ok(password)
}

fn account_output(a: Account, verb: &str) -> Output {
    let text = format!("{verb} {} ({}) at {}.", a.email, a.role.as_str(), a.server_url);
    Output::Value(
        serde_json::json!({"server_url": a.server_url, "email": a.email, "user_id": a.user_id, "role": a.role, "signed_in_at": a.signed_in_at}),
        text,
    )
}

/// Progress on standard error, so standard output stays the result.
struct PrintProgress;

impl SyncObserver for PrintProgress {
    fn on_progress(&self, p: &SyncProgress) {
        match p.phase {
            SyncPhase::WaitingToRetry => {
                eprintln!("retrying in {:.1} s: {}", p.retry_in_ms as f64 / 1000.0, p.last_error.as_deref().unwrap_or(""))
            }
            SyncPhase::Pushing => eprintln!("sending: {} of {}", p.pushed, p.to_push),
            SyncPhase::Pulling => eprintln!("receiving: {}", p.pulled),
        }
    }
}

fn run(cli: &Cli, store: &Arc<Store>) -> Result<Output> {
    let schedule = Schedule::new(&store.profile().schedule)?;
    let out = match &cli.command {
        Command::Profile { action: None | Some(ProfileCmd::Show) } => Output::Profile(store.profile()),
        Command::Profile { action: Some(ProfileCmd::Set(s)) } => {
            let mut input = ProfileInput::from(&store.profile());
            if let Some(v) = &s.name { input.name = v.clone() }
            if let Some(v) = &s.department { input.department = v.clone() }
            if let Some(v) = &s.position { input.position = v.clone() }
            if let Some(v) = s.level { input.qualification_level = (v != 0).then_some(v) }
            if let Some(v) = &s.days { input.schedule.working_days = v.clone() }
            if let Some(v) = &s.start { input.schedule.start_minute = parse_hhmm("start", v)? }
            if let Some(v) = &s.end { input.schedule.end_minute = parse_hhmm("end", v)? }
            if let Some(v) = &s.tz { input.schedule.time_zone = v.clone() }
            if let Some(v) = s.remote { input.remote_work = v }
            if let Some(v) = &s.language { input.language = parse_language(v)? }
            Output::Profile(store.update_profile(&input)?)
        }
        Command::Profile { action: Some(ProfileCmd::Photo { file }) } => {
            let bytes = std::fs::read(file).map_err(|e| bad("photo", format!("cannot read {}: {e}", file.display())))?;
            Output::Profile(store.set_profile_photo(&bytes)?)
        }
        Command::Profile { action: Some(ProfileCmd::RemovePhoto) } => Output::Profile(store.remove_profile_photo()?),
        Command::Checkin(a) => Output::CheckIn(store.record_check_in(&CheckInInput {
            fatigue: a.fatigue,
            stress: a.stress,
            mood: a.mood,
            sleep_hours: a.sleep,
            note: a.note.clone(),
        })?),
        Command::Session { action } => match action {
            SessionCmd::Start { note } => Output::Session(store.start_timer(note.as_deref())?),
            SessionCmd::Stop { at } => {
                let at = at.as_deref().map(|s| parse_time(&schedule, "at", s)).transpose()?;
                Output::Session(store.stop_timer(at)?)
            }
            SessionCmd::Add { from, to, note } => Output::Session(store.add_session(
                parse_time(&schedule, "from", from)?,
                parse_time(&schedule, "to", to)?,
                note.as_deref(),
            )?),
            SessionCmd::List { from, to } => {
                let to = to.unwrap_or_else(|| store.today());
                let from = from.unwrap_or(to - chrono::Days::new(6));
                Output::Sessions(store.sessions(from, to)?)
            }
            SessionCmd::Delete { id } => {
                store.delete_session(id)?;
                Output::Deleted(id.clone())
            }
        },
        Command::Task { action } => match action {
            TaskCmd::Add { title, due, estimate, notes, assigned_by } => Output::Task(store.add_task(&TaskInput {
                title: title.clone(),
                notes: notes.clone(),
                due_date: *due,
                estimate_minutes: *estimate,
                assigned_by: assigned_by.clone(),
            })?),
            TaskCmd::Start { id } => Output::Task(store.set_task_status(id, TaskStatus::InProgress)?),
            TaskCmd::Done { id } => Output::Task(store.set_task_status(id, TaskStatus::Done)?),
            TaskCmd::Cancel { id } => Output::Task(store.set_task_status(id, TaskStatus::Cancelled)?),
            TaskCmd::List { status } => Output::Tasks(store.tasks(status.map(|s| match s {
                StatusArg::Todo => TaskStatus::Todo,
                StatusArg::InProgress => TaskStatus::InProgress,
                StatusArg::Done => TaskStatus::Done,
                StatusArg::Cancelled => TaskStatus::Cancelled,
            }))?),
        },
        Command::Cbi(a) => {
            if let Some(lang) = &a.items {
                Output::CbiItems(cbi_items(parse_language(lang)?))
            } else {
                let text = match (&a.answers, &a.file) {
                    (Some(t), _) => t.clone(),
                    (None, Some(f)) => std::fs::read_to_string(f).map_err(|e| bad("file", format!("cannot read {}: {e}", f.display())))?,
                    (None, None) => return Err(Error::invalid("answers", InvalidReason::Empty, "give --answers, --file or --items")),
                };
                Output::Cbi(store.record_cbi(&parse_answers(&text)?)?)
            }
        }
        Command::Stats { week: None } => Output::Overview(store.stats_overview()?),
        Command::Stats { week: Some(w) } => {
            let (y, n) = parse_week(w)?;
            Output::Week(store.week_stats(y, n)?)
        }
        Command::Risk { action: None | Some(RiskCmd::Show) } => Output::Risk(Box::new(store.assess_risk()?)),
        Command::Risk { action: Some(RiskCmd::History { limit }) } => Output::RiskHistory(store.risk_history(*limit)?),
        Command::Risk { action: Some(RiskCmd::InstallModel { file }) } => {
            let bytes = std::fs::read(file).map_err(|e| bad("file", format!("cannot read {}: {e}", file.display())))?;
            Output::Text(format!("Risk model {} installed.", store.install_risk_model(&bytes)?))
        }
        Command::Login { server, email, device_name } => {
            let password = read_password()?;
            account_output(Syncer::new(store.clone()).login(server, email, &password, device_name)?, "Signed in as")
        }
        Command::Register { server, invite, email, name, device_name } => {
            let password = read_password()?;
            account_output(Syncer::new(store.clone()).register(server, invite, email, name, &password, device_name)?, "Registered")
        }
        Command::Sync => {
            let observer: &dyn SyncObserver = if cli.json { &NoProgress } else { &PrintProgress };
            let r = Syncer::new(store.clone()).sync(observer, &CancelToken::new())?;
            let text = format!(
                "Synced: sent {}, received {} ({} new here, {} already here, {} could not be applied).",
                r.pushed, r.pulled, r.applied.applied, r.applied.unchanged, r.applied.rejected
            );
            Output::Value(
                serde_json::json!({"pushed": r.pushed, "pulled": r.pulled, "applied": r.applied.applied,
                    "unchanged": r.applied.unchanged, "rejected": r.applied.rejected, "cursor": r.cursor}),
                text,
            )
        }
        Command::Status => {
            let s = Syncer::new(store.clone()).status()?;
            let text = render::sync_status(&s);
            Output::Value(
                serde_json::json!({
                    "signed_in": s.signed_in,
                    "server_url": s.account.as_ref().map(|a| &a.server_url),
                    "email": s.account.as_ref().map(|a| &a.email),
                    "pending_changes": s.pending_changes,
                    "last_success_at": s.last_success_at,
                    "last_attempt_at": s.last_attempt_at,
                    "last_error_code": s.last_error_code,
                    "last_error": s.last_error,
                    "rejected_changes": s.rejected_changes,
                    "cursor": s.cursor,
                }),
                text,
            )
        }
        Command::Logout => {
            Syncer::new(store.clone()).logout()?;
            Output::Text("Signed out. Your data and unsent changes stay on this device.".into())
        }
        Command::Feedback => {
            let messages = store.feedback()?;
            let text = if messages.is_empty() {
                "No messages.".to_string()
            } else {
                messages.iter().map(|m| format!("{}  {}: {}", m.sent_at.format("%Y-%m-%d %H:%M"), m.from_name, m.message)).collect::<Vec<_>>().join("\n")
            };
            Output::Value(serde_json::to_value(&messages)?, text)
        }
        Command::Export { format, out } => {
            let export = store.export()?;
            match (format, out) {
                (ExportFormat::Json, None) => Output::Document(export::to_json(&export)?),
                (ExportFormat::Json, Some(path)) => {
                    std::fs::write(path, export::to_json(&export)?).map_err(|e| bad("out", format!("cannot write {}: {e}", path.display())))?;
                    Output::Text(format!("Exported to {}", path.display()))
                }
                (ExportFormat::Csv, None) => {
                    return Err(Error::invalid("out", InvalidReason::Empty, "CSV export writes several files: give --out FOLDER"))
                }
                (ExportFormat::Csv, Some(dir)) => {
                    std::fs::create_dir_all(dir).map_err(|e| bad("out", format!("cannot create {}: {e}", dir.display())))?;
                    let files = export::to_csv(&export)?;
                    for f in &files {
                        std::fs::write(dir.join(&f.name), &f.content)
                            .map_err(|e| bad("out", format!("cannot write {}: {e}", f.name)))?;
                    }
                    Output::Text(format!("Exported {} files to {}", files.len(), dir.display()))
                }
            }
        }
    };
    // Every successful use counts towards "days the app was opened", as on the phone; a
    // rejected command writes nothing at all.
    store.record_app_open()?;
    Ok(out)
}

/// Exit codes: 2 invalid input, 3 not found, 4 conflict, 5 sync failed (network, server),
/// 6 not signed in (sign in again), 1 anything else.
fn report(err: &Error, as_json: bool) -> ExitCode {
    let (code, field, exit) = match err {
        Error::Invalid { field, reason, .. } => (reason.code(), Some(field.as_str()), 2),
        Error::NotFound { .. } => ("not_found", None, 3),
        Error::Conflict { .. } => ("conflict", None, 4),
        Error::Sync(e) => {
            let field = match e {
                SyncError::Server { field, .. } => field.as_deref(),
                _ => None,
            };
            let exit = match e {
                SyncError::NotSignedIn | SyncError::SessionEnded { .. } | SyncError::WrongCredentials => 6,
                _ => 5,
            };
            return finish(&e.code(), field, exit, err, as_json);
        }
        _ => ("storage", None, 1),
    };
    finish(code, field, exit, err, as_json)
}

fn finish(code: &str, field: Option<&str>, exit: u8, err: &Error, as_json: bool) -> ExitCode {
    if as_json {
        eprintln!("{}", serde_json::json!({ "error": code, "field": field, "message": err.to_string() }));
    } else {
        eprintln!("error: {err}");
    }
    ExitCode::from(exit)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let store = match open_store(&cli.data_dir) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(1);
        }
    };
    match run(&cli, &store) {
        Ok(out) => {
            out.print(cli.json);
            ExitCode::SUCCESS
        }
        Err(e) => report(&e, cli.json),
    }
}
