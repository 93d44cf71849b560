//! End-to-end test support for Qamqor: the real sync server in its own process on a real
//! socket, devices that speak the wire protocol directly, and a fault-injecting HTTP proxy.
//!
//! - [`ServerProcess`]: starts the `qamqor-server-e2e` binary (the same program as
//!   `qamqor-server`, built by this package) on a temporary data directory and a free loopback
//!   port, waits for `GET /healthz`, and can be killed with SIGKILL, stopped with SIGTERM and
//!   restarted on the same directory and port. Its admin helpers run the binary's `org create`
//!   and `user add` commands (password on stdin). It is killed when dropped.
//! - [`Api`]: the HTTP API with the `Qamqor-Protocol: 1` header and typed errors ([`WireError`]).
//! - [`WireDevice`]: a protocol-level device: an outbox of [`Change`](qamqor_protocol::Change)s
//!   with UUIDv7 ids and valid HLC stamps ([`WireClock`]), push in batches of at most 500 that
//!   removes only the acknowledged ids, cursor pull applied with last-writer-wins.
//! - [`FaultProxy`]: an in-process HTTP/1.1 proxy on its own thread and runtime that drops
//!   requests, loses or cuts responses, duplicates and delays requests, from a seeded RNG.
//! - [`Provisioner`]: accounts and device sessions written straight into the server's store
//!   (no Argon2 per account), for tests and benchmarks that need hundreds of them.
//! - [`ServerDb`]: reads what the server holds (and moves token expiry into the past).
//! - [`workload`]: realistic payloads and a day of an employee's changes.
//!
//! Integration tests of this package get the server binary with [`server_binary!`]:
//!
//! ```no_run
//! use qamqor_e2e::{NewAccount, ServerProcess, WireDevice};
//! use qamqor_protocol::{Entity, Role};
//!
//! # async fn demo(binary: &str) -> anyhow::Result<()> {
//! // In an integration test or benchmark of this package: `binary` is `server_binary!()`.
//! let server = ServerProcess::start(binary).await?;
//! server.create_org("Acme").await?;
//! server.add_user(&NewAccount::new("Acme", "a@acme.kz", Role::Employee)).await?;
//! let mut phone = WireDevice::login(server.api(), "a@acme.kz", qamqor_e2e::DEFAULT_PASSWORD, "phone").await?;
//! phone.upsert(Entity::Task, "t1", serde_json::json!({"title": "Report"}));
//! phone.push_all().await?;
//! phone.pull_all(500).await?;
//! # Ok(()) }
//! ```

pub mod api;
pub mod clock;
pub mod db;
pub mod device;
pub mod provision;
pub mod proxy;
pub mod server;
pub mod workload;

pub use api::{Api, WireError};
pub use clock::WireClock;
pub use db::ServerDb;
pub use device::{DeviceStats, RecordKey, RetryPolicy, WireDevice};
pub use provision::Provisioner;
pub use proxy::{FaultConfig, FaultProxy, FaultStats};
pub use server::{CliError, NewAccount, ProcessMemory, ServerOptions, ServerProcess};

/// The password the helpers give accounts unless told otherwise (10+ characters).
pub const DEFAULT_PASSWORD: &str = "correct horse battery staple";

/// The path of the `qamqor-server-e2e` binary, for integration tests and benchmarks of this
/// package (Cargo builds it with them and sets `CARGO_BIN_EXE_qamqor-server-e2e`).
#[macro_export]
macro_rules! server_binary {
    () => {
        env!("CARGO_BIN_EXE_qamqor-server-e2e")
    };
}
