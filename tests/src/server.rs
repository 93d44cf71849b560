//! [`ServerProcess`]: the real sync server as a child process on a loopback port.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use qamqor_protocol::{AuthTokens, Invitation, Role};
use tokio::io::AsyncWriteExt;

use crate::api::{Api, WireError};
use crate::db::ServerDb;
use crate::device::WireDevice;
use crate::DEFAULT_PASSWORD;

/// How to start a server.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The server binary (`server_binary!()` in this package's tests and benchmarks).
    pub binary: PathBuf,
    /// The data directory; `None` for a new temporary one, removed when the process is dropped.
    pub data_dir: Option<PathBuf>,
    /// The server's log filter (`QAMQOR_LOG`). Logs go to a file beside the data directory
    /// ([`ServerProcess::logs`]).
    pub log_filter: String,
    /// More environment variables for the server.
    pub env: Vec<(String, String)>,
    /// How long to wait for `GET /healthz` to answer after a start.
    pub startup_timeout: Duration,
    /// More arguments after `serve` (`--demo`).
    pub serve_args: Vec<String>,
}

impl ServerOptions {
    pub fn new(binary: impl Into<PathBuf>) -> ServerOptions {
        ServerOptions {
            binary: binary.into(),
            data_dir: None,
            log_filter: "info".into(),
            env: Vec::new(),
            startup_timeout: Duration::from_secs(30),
            serve_args: Vec::new(),
        }
    }
}

/// A failed admin command.
#[derive(Debug)]
pub struct CliError {
    /// The exit code (2: bad input or a conflict, 1: anything else; `None`: killed).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the admin command exited with {:?}: {}", self.code, self.stderr.trim())
    }
}

impl std::error::Error for CliError {}

/// An account for [`ServerProcess::add_user`].
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub org: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
    pub password: String,
}

impl NewAccount {
    /// An account in `org` with [`DEFAULT_PASSWORD`], named after its email, no department.
    pub fn new(org: &str, email: &str, role: Role) -> NewAccount {
        NewAccount {
            org: org.into(),
            email: email.into(),
            name: format!("Person {email}"),
            role,
            department: None,
            password: DEFAULT_PASSWORD.into(),
        }
    }

    pub fn in_department(mut self, department: &str) -> NewAccount {
        self.department = Some(department.into());
        self
    }
}

/// Memory of a process from `/proc/<pid>/status`, in KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessMemory {
    /// Resident set size now (`VmRSS`).
    pub rss_kib: u64,
    /// Peak resident set size (`VmHWM`).
    pub peak_kib: u64,
}

/// CPU time (user and system) process `pid` has used, from `/proc/<pid>/stat`.
pub fn process_cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start with the state, field 3;
    // utime and stime are fields 14 and 15, in clock ticks.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let per_second = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).ok().filter(|t| *t > 0)?;
    Some(Duration::from_micros(ticks * 1_000_000 / per_second))
}

/// The sync server running as a child process on `127.0.0.1:<port>` over one data directory.
/// Dropping it kills the process (SIGKILL) and removes a temporary data directory.
pub struct ServerProcess {
    options: ServerOptions,
    /// Holds the temporary directory (data and log) when the options named none.
    _temp: Option<tempfile::TempDir>,
    data_dir: PathBuf,
    log_path: PathBuf,
    addr: SocketAddr,
    child: Option<Child>,
    api: Api,
}

impl fmt::Debug for ServerProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerProcess")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("pid", &self.pid())
            .finish()
    }
}

/// A loopback port nobody listens on right now.
fn free_port() -> anyhow::Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").context("binding a probe socket")?;
    Ok(l.local_addr()?.port())
}

impl ServerProcess {
    /// Starts `binary` on a new temporary data directory and a free port, and waits until it
    /// answers `GET /healthz`.
    pub async fn start(binary: impl Into<PathBuf>) -> anyhow::Result<ServerProcess> {
        ServerProcess::start_with(ServerOptions::new(binary)).await
    }

    /// Starts a server as `options` say, and waits until it answers `GET /healthz`.
    pub async fn start_with(options: ServerOptions) -> anyhow::Result<ServerProcess> {
        let (temp, data_dir, log_path) = match &options.data_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                let log = dir.with_extension("log");
                (None, dir.clone(), log)
            }
            None => {
                let temp = tempfile::Builder::new().prefix("qamqor-e2e-").tempdir()?;
                let data = temp.path().join("data");
                let log = temp.path().join("server.log");
                (Some(temp), data, log)
            }
        };
        // Another process may take the probed port before the server binds it: try a few.
        let mut last_error = None;
        for _ in 0..5 {
            let addr = SocketAddr::from(([127, 0, 0, 1], free_port()?));
            let mut server = ServerProcess {
                options: options.clone(),
                _temp: None,
                data_dir: data_dir.clone(),
                log_path: log_path.clone(),
                addr,
                child: None,
                api: Api::new(format!("http://{addr}")),
            };
            match server.spawn_and_wait().await {
                Ok(()) => {
                    server._temp = temp;
                    return Ok(server);
                }
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow::anyhow!("the server did not start")))
    }

    fn log_file(&self) -> anyhow::Result<File> {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log_path)
            .with_context(|| format!("opening {}", self.log_path.display()))
    }

    /// Spawns the server on this data directory and port and waits for its health check.
    async fn spawn_and_wait(&mut self) -> anyhow::Result<()> {
        let log = self.log_file()?;
        let mut cmd = Command::new(&self.options.binary);
        cmd.arg("--data-dir")
            .arg(&self.data_dir)
            .arg("serve")
            .arg("--listen")
            .arg(self.addr.to_string())
            .args(&self.options.serve_args)
            .env("QAMQOR_LOG", &self.options.log_filter)
            .envs(self.options.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let child = cmd.spawn().with_context(|| format!("starting {}", self.options.binary.display()))?;
        self.child = Some(child);
        let deadline = Instant::now() + self.options.startup_timeout;
        loop {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                self.child = None;
                bail!("the server exited during start-up with {status}; its log:\n{}", self.logs());
            }
            if self.api.healthz().await {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.kill_hard()?;
                bail!("the server did not answer /healthz within {:?}; its log:\n{}", self.options.startup_timeout, self.logs());
            }
            // Polling a readiness check: the server answers as soon as it listens.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// `127.0.0.1:<port>`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The API of this server (direct, no proxy).
    pub fn api(&self) -> Api {
        self.api.clone()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The server's SQLite database file.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join(qamqor_server::store::sqlite::DB_FILE)
    }

    /// A connection to the server's database, to check what it holds.
    pub fn db(&self) -> anyhow::Result<ServerDb> {
        ServerDb::open(&self.db_path())
    }

    /// Everything the server processes wrote to their standard output and error so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Whether the process is alive (reaps it when it has exited).
    pub fn is_running(&mut self) -> bool {
        match self.child.as_mut().map(Child::try_wait) {
            Some(Ok(None)) => true,
            Some(_) => {
                self.child = None;
                false
            }
            None => false,
        }
    }

    /// Memory of the running process.
    pub fn memory(&self) -> Option<ProcessMemory> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        let field =
            |name: &str| status.lines().find_map(|l| l.strip_prefix(name)?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok());
        Some(ProcessMemory { rss_kib: field("VmRSS:")?, peak_kib: field("VmHWM:")? })
    }

    /// The number of threads of the running process now.
    pub fn threads(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        status.lines().find_map(|l| l.strip_prefix("Threads:")?.trim().parse().ok())
    }

    /// CPU time (user and system) the running process has used so far.
    pub fn cpu_time(&self) -> Option<Duration> {
        process_cpu_time(self.pid()?)
    }

    /// Kills the process with SIGKILL (no chance to finish anything) and reaps it.
    pub fn kill_hard(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            // `Child::kill` is SIGKILL on Unix; an already exited child is fine.
            let _ = child.kill();
            child.wait().context("reaping the killed server")?;
        }
        Ok(())
    }

    /// Stops the process with SIGTERM (graceful: in-flight requests finish) and waits for it to
    /// exit, at most `timeout` (then SIGKILL and an error).
    pub async fn stop(&mut self, timeout: Duration) -> anyhow::Result<ExitStatus> {
        let Some(mut child) = self.child.take() else { bail!("the server is not running") };
        let pid = libc::pid_t::try_from(child.id()).context("pid out of range")?;
        // SAFETY: kill(2) with a pid this process spawned and has not reaped yet.
        if unsafe { libc::kill(pid, libc::SIGTERM) } != 0 {
            bail!("SIGTERM failed: {}", std::io::Error::last_os_error());
        }
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                bail!("the server did not stop within {timeout:?} of SIGTERM");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Starts the server again on the same data directory and port (killing it first with
    /// SIGKILL if it still runs) and waits for its health check. The port is taken again at
    /// once (the server binds with `SO_REUSEADDR`); a few attempts cover a slow release.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.kill_hard()?;
        let mut last_error = None;
        for attempt in 0..10 {
            match self.spawn_and_wait().await {
                Ok(()) => return Ok(()),
                Err(e) => last_error = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(20 * (attempt + 1))).await;
        }
        Err(last_error.unwrap_or_else(|| anyhow::anyhow!("the server did not restart")))
    }

    // ---- administration ---------------------------------------------------------------------

    /// Runs an admin command of the server binary on this data directory (the server may be
    /// running: SQLite serialises the writes), with `stdin` as its standard input.
    pub async fn cli(&self, args: &[&str], stdin: Option<&str>) -> Result<String, CliError> {
        let failed = |stderr: String| CliError { code: None, stdout: String::new(), stderr };
        let mut child = tokio::process::Command::new(&self.options.binary)
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| failed(format!("cannot start {}: {e}", self.options.binary.display())))?;
        if let Some(mut input) = child.stdin.take() {
            if let Some(text) = stdin {
                input.write_all(text.as_bytes()).await.map_err(|e| failed(format!("writing stdin: {e}")))?;
            }
            drop(input);
        }
        let out = child.wait_with_output().await.map_err(|e| failed(format!("waiting: {e}")))?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.success() {
            Ok(stdout)
        } else {
            Err(CliError { code: out.status.code(), stdout, stderr })
        }
    }

    /// `org create --name NAME`.
    pub async fn create_org(&self, name: &str) -> Result<(), CliError> {
        self.cli(&["org", "create", "--name", name], None).await.map(drop)
    }

    /// `user add ...` with the password on standard input.
    pub async fn add_user(&self, account: &NewAccount) -> Result<(), CliError> {
        let mut args = vec!["user", "add", "--org", &account.org, "--email", &account.email, "--name", &account.name];
        args.extend(["--role", account.role.as_str()]);
        if let Some(d) = &account.department {
            args.extend(["--department", d]);
        }
        self.cli(&args, Some(&format!("{}\n", account.password))).await.map(drop)
    }

    /// Logs in directly (not through a proxy) as a new device.
    pub async fn login(&self, email: &str, password: &str, device_name: &str) -> Result<AuthTokens, WireError> {
        self.api.login(email, password, device_name, Some(uuid::Uuid::now_v7())).await
    }

    /// A new device of the account `email` with [`DEFAULT_PASSWORD`], logged in directly.
    pub async fn device(&self, email: &str, device_name: &str) -> Result<WireDevice, WireError> {
        WireDevice::login(self.api(), email, DEFAULT_PASSWORD, device_name).await
    }

    /// Issues an invitation as the holder of `access_token` (an admin or a manager).
    pub async fn invite(
        &self,
        access_token: &str,
        email: &str,
        role: Role,
        department: Option<&str>,
    ) -> Result<Invitation, WireError> {
        self.api.create_invitation(access_token, email, role, department).await
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.kill_hard();
    }
}
