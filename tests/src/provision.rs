//! [`Provisioner`]: accounts and device sessions written straight into the server's store.
//!
//! Creating an account through the API or the CLI hashes its password with Argon2id (about
//! 50 ms of CPU each, more in debug builds), and every login verifies one. Tests that need
//! hundreds of accounts and benchmarks that need a thousand devices create them here instead,
//! through the server's own [`Store`] (the same transactions the server runs, in this
//! process): every account shares one real Argon2id hash of [`DEFAULT_PASSWORD`] (so it can
//! also log in through the API), and each device gets a session with freshly minted tokens,
//! stored as their SHA-256 like the server's own. The server may be running meanwhile: SQLite
//! serialises the writers of the two processes.

use std::path::Path;

use anyhow::{anyhow, Context};
use qamqor_protocol::{AuthTokens, Role};
use qamqor_server::auth::{new_secret, ACCESS_PREFIX, REFRESH_PREFIX};
use qamqor_server::store::sqlite::SqliteStore;
use qamqor_server::store::{IssuedToken, NewSession, NewUser, SessionOutcome, Store};
use qamqor_server::Settings;
use uuid::Uuid;

use crate::clock::now_millis;
use crate::DEFAULT_PASSWORD;

/// Writes accounts and sessions into a server's data directory.
pub struct Provisioner {
    store: SqliteStore,
    password_hash: String,
    settings: Settings,
}

impl Provisioner {
    /// Opens the store of `data_dir` (the server's, running or not) and hashes
    /// [`DEFAULT_PASSWORD`] once.
    pub async fn open(data_dir: &Path) -> anyhow::Result<Provisioner> {
        let store = SqliteStore::open_dir(data_dir).map_err(|e| anyhow!("opening the store in {}: {e}", data_dir.display()))?;
        let password_hash = tokio::task::spawn_blocking(|| qamqor_server::auth::hash_password(DEFAULT_PASSWORD)).await??;
        Ok(Provisioner { store, password_hash, settings: Settings::default() })
    }

    /// The id of an organisation (create it with [`crate::ServerProcess::create_org`]).
    pub async fn org_id(&self, org: &str) -> anyhow::Result<Uuid> {
        let found = self.store.org_by_name(org).await.map_err(|e| anyhow!("looking up '{org}': {e}"))?;
        Ok(found.with_context(|| format!("no organisation named '{org}'"))?.id)
    }

    /// Creates an account with [`DEFAULT_PASSWORD`]; returns its id.
    pub async fn user(&self, org_id: Uuid, email: &str, role: Role, department: Option<&str>) -> anyhow::Result<Uuid> {
        let user = NewUser {
            org_id,
            email: email.to_lowercase(),
            name: format!("Person {email}"),
            role,
            department: department.map(str::to_string),
            password_hash: self.password_hash.clone(),
            now: now_millis(),
        };
        Ok(self.store.create_user(user).await.map_err(|e| anyhow!("creating {email}: {e}"))?.id)
    }

    /// Opens a session for a new device of the account, as a login would.
    pub async fn session(&self, user_id: Uuid, role: Role, device_name: &str) -> anyhow::Result<AuthTokens> {
        let now = now_millis();
        let (access, access_hash) = new_secret(ACCESS_PREFIX).map_err(|e| anyhow!("randomness: {e}"))?;
        let (refresh, refresh_hash) = new_secret(REFRESH_PREFIX).map_err(|e| anyhow!("randomness: {e}"))?;
        let device_id = Uuid::now_v7();
        let session = NewSession {
            device_id,
            device_name: device_name.into(),
            access: IssuedToken { hash: access_hash, expires_at: now + self.settings.access_ttl_ms },
            refresh: IssuedToken { hash: refresh_hash, expires_at: now + self.settings.refresh_ttl_ms },
            now,
        };
        match self.store.open_session(user_id, session).await.map_err(|e| anyhow!("opening a session: {e}"))? {
            SessionOutcome::Opened => Ok(AuthTokens {
                access_token: access,
                access_expires_in: (self.settings.access_ttl_ms / 1000) as u64,
                refresh_token: refresh,
                refresh_expires_in: (self.settings.refresh_ttl_ms / 1000) as u64,
                user_id,
                device_id,
                role,
            }),
            SessionOutcome::DeviceTaken => Err(anyhow!("device id {device_id} is taken")),
        }
    }

    /// An employee with `devices` device sessions.
    pub async fn employee(&self, org_id: Uuid, email: &str, devices: usize) -> anyhow::Result<Vec<AuthTokens>> {
        let user_id = self.user(org_id, email, Role::Employee, None).await?;
        let mut sessions = Vec::with_capacity(devices);
        for i in 0..devices {
            sessions.push(self.session(user_id, Role::Employee, &format!("device {i} of {email}")).await?);
        }
        Ok(sessions)
    }
}
