//! The `qamqor-server` command line: the sync server and its administration commands. The
//! binary (`src/main.rs`) only calls [`run`], so the end-to-end tests can build the same program.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use qamqor_protocol::Role;
use crate::accounts::{self, AddUser};
use crate::demo;
use crate::error::AppError;
use crate::store::sqlite::SqliteStore;
use crate::store::Store;
use crate::{AppState, Clock, Settings, SystemClock};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "qamqor-server", version, about = "Qamqor sync server and its administration commands")]
struct Cli {
    /// Directory of the server's database.
    #[arg(long, global = true, env = "QAMQOR_DATA_DIR", default_value = "qamqor-data")]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server.
    Serve(ServeArgs),
    /// Manage organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "QAMQOR_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Log format.
    #[arg(long, env = "QAMQOR_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Take client addresses from X-Forwarded-For (only behind a reverse proxy that sets it).
    #[arg(long, env = "QAMQOR_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
    /// On an empty data directory, first create a demo organisation with twelve weeks of
    /// history (docs/DEMO.md); on one an earlier --demo made, just serve it again.
    #[arg(long)]
    demo: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organisation.
    Create {
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from the first line of standard input.
    Add {
        /// Organisation name.
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Department name (created on first use).
        #[arg(long)]
        department: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Manager,
    Employee,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Manager => Role::Manager,
            RoleArg::Employee => Role::Employee,
        }
    }
}

fn init_logs(format: LogFormat) {
    let filter = EnvFilter::try_from_env("QAMQOR_LOG").unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled, so a signal that arrives right after "listening" is not lost.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutting down: finishing in-flight requests");
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing in-flight requests");
    })
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

fn report(e: AppError) -> ExitCode {
    let (message, field) = e.message();
    match field {
        Some(field) => eprintln!("error: {field}: {message}"),
        None => eprintln!("error: {message}"),
    }
    if e.status().is_client_error() {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}

/// The address to reach a server listening on `addr` from this machine.
fn local_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// `serve`; with `--demo` on an empty data directory, the demo organisation first (on one an
/// earlier `--demo` made, that one is served).
async fn serve(data_dir: &Path, args: ServeArgs) -> ExitCode {
    // Decided before the database file is created in it.
    let fresh = args.demo && demo::is_empty_dir(data_dir);
    // The socket first: a busy port must not leave a database behind in an empty directory,
    // which would then no longer take a demo.
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let store = match open_store(data_dir) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if args.demo && !fresh {
        match demo::state(store.as_ref()).await {
            Ok(demo::DemoState::Ready) => {}
            Ok(demo::DemoState::Interrupted) => {
                eprintln!(
                    "error: the demo in {} was interrupted while it was being created: delete the directory and run again",
                    data_dir.display()
                );
                return ExitCode::from(2);
            }
            Ok(demo::DemoState::Absent) => {
                eprintln!(
                    "error: --demo creates its organisation in an empty data directory, and {} holds other data: \
                     choose another --data-dir (or serve this one without --demo)",
                    data_dir.display()
                );
                return ExitCode::from(2);
            }
            Err(e) => {
                eprintln!("error: cannot read the database in {}: {e}", data_dir.display());
                return ExitCode::FAILURE;
            }
        }
    }
    init_logs(args.log_format);
    let settings = Settings { trust_forwarded_for: args.trust_forwarded_for, ..Settings::default() };
    let state = AppState { store: store.clone(), clock: Arc::new(SystemClock), settings: Arc::new(settings) };
    let shutdown = match shutdown_signal() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot install the signal handlers: {e}");
            return ExitCode::FAILURE;
        }
    };
    let bound = listener.local_addr().unwrap_or(args.listen);
    let addr = bound.to_string();
    tracing::info!(%addr, data_dir = %data_dir.display(), "qamqor-server listening");
    let mut server = tokio::spawn(crate::serve(listener, state.clone(), shutdown));
    let finished = |r: Result<std::io::Result<()>, tokio::task::JoinError>| match r {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "server failed");
            ExitCode::FAILURE
        }
        Err(e) => {
            tracing::error!(error = %e, "server task failed");
            ExitCode::FAILURE
        }
    };
    if args.demo {
        let url = local_url(bound);
        if fresh {
            // The phones sync through the socket that is already serving.
            let created = tokio::select! {
                created = demo::create(state, url.clone(), chrono::Utc::now()) => created,
                r = &mut server => {
                    tracing::warn!(data_dir = %data_dir.display(), "demo: stopped before it was complete; delete the directory to start again");
                    return finished(r);
                }
            };
            match created {
                Ok(s) => tracing::info!(
                    departments = s.departments,
                    people = s.people,
                    phones = s.phones,
                    pushed = s.pushed,
                    syncs = s.syncs,
                    low = s.levels[0],
                    medium = s.levels[1],
                    high = s.levels[2],
                    not_enough_data = s.levels[3],
                    cards = s.cards,
                    own_scores = s.own_scores,
                    manager_scores = s.manager_scores,
                    achievements = s.achievements,
                    evidence = s.evidence,
                    verified = s.verified,
                    rejected = s.rejected,
                    seconds = s.took.as_secs_f64(),
                    "demo: created"
                ),
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "demo: creation failed");
                    eprintln!("error: the demo could not be created: {e:#}");
                    server.abort();
                    return ExitCode::FAILURE;
                }
            }
        }
        let c = demo::credentials();
        println!("demo admin: {} {}", c.admin_email, c.password);
        println!("demo manager: {} {}", c.manager_email, c.password);
        println!("panel: {url}/");
        let _ = std::io::Write::flush(&mut std::io::stdout());
    }
    finished(server.await)
}

/// Parses the process arguments and runs the command, on its own tokio runtime.
pub fn run() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run_async(Cli::parse()))
}

/// Opens (creating if needed) the database of the data directory, or says why not.
fn open_store(data_dir: &Path) -> Result<Arc<SqliteStore>, ExitCode> {
    SqliteStore::open_dir(data_dir).map(Arc::new).map_err(|e| {
        eprintln!("error: cannot open the database in {}: {e}", data_dir.display());
        ExitCode::FAILURE
    })
}

async fn run_async(cli: Cli) -> ExitCode {
    let now = SystemClock.now_millis();
    match cli.command {
        // `serve` opens the database itself, once it has its socket.
        Command::Serve(args) => serve(&cli.data_dir, args).await,
        Command::Org(OrgCommand::Create { name }) => {
            let store = match open_store(&cli.data_dir) {
                Ok(s) => s,
                Err(code) => return code,
            };
            match accounts::create_org(store.as_ref() as &dyn Store, &name, now).await {
                Ok(org) => {
                    println!("created organisation '{}' ({})", org.name, org.id);
                    ExitCode::SUCCESS
                }
                Err(e) => report(e),
            }
        }
        Command::User(UserCommand::Add { org, email, name, role, department }) => {
            let store = match open_store(&cli.data_dir) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let password = match read_password() {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("error: cannot read the password from standard input: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let new = AddUser { org, email, name, role: role.into(), department, password };
            match accounts::add_user(store.as_ref() as &dyn Store, new, now).await {
                Ok(user) => {
                    println!("created {} account {} ({})", user.role.as_str(), user.email, user.id);
                    ExitCode::SUCCESS
                }
                Err(e) => report(e),
            }
        }
    }
}
