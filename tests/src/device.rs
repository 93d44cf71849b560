//! [`WireDevice`]: a device reduced to what the sync protocol sees. It keeps an outbox of
//! changes and the records it holds, pushes in batches and deletes from its outbox exactly the
//! acknowledged ids, and pulls with a cursor, applying pages with last-writer-wins. It stands
//! in for a phone in protocol-level tests and load benchmarks (the device core's own sync
//! client is tested on top of the same harness).

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use qamqor_protocol::{AuthTokens, Change, Entity, Op, PullResponse, MAX_PULL_LIMIT, MAX_PUSH_CHANGES};
use serde_json::Value;
use uuid::Uuid;

use crate::api::{Api, WireError};
use crate::clock::WireClock;

/// A record's identity as a user sees it: entity and record id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordKey {
    pub entity: Entity,
    pub record_id: String,
}

impl RecordKey {
    pub fn new(entity: Entity, record_id: impl Into<String>) -> RecordKey {
        RecordKey { entity, record_id: record_id.into() }
    }

    pub fn of(change: &Change) -> RecordKey {
        RecordKey::new(change.entity, change.record_id.clone())
    }
}

impl PartialOrd for RecordKey {
    fn partial_cmp(&self, other: &RecordKey) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RecordKey {
    fn cmp(&self, other: &RecordKey) -> std::cmp::Ordering {
        (self.entity.as_str(), &self.record_id).cmp(&(other.entity.as_str(), &other.record_id))
    }
}

/// Last-writer-wins, as the server and the device core decide it: the write with the
/// byte-wise greater HLC stamp wins; equal stamps are the same write.
pub fn wins(incoming: &Change, current: &Change) -> bool {
    incoming.hlc.as_bytes() > current.hlc.as_bytes()
}

/// How a device retries a sync step that got no answer or a server failure.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts before giving up (the last error is returned).
    pub max_attempts: u32,
    /// Pause before the first retry; doubled after each failure up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Patient enough to wait out a server restart (about 20 s in all).
    fn default() -> RetryPolicy {
        RetryPolicy { max_attempts: 250, backoff: Duration::from_millis(2), max_backoff: Duration::from_millis(100) }
    }
}

impl RetryPolicy {
    /// Retry at once, at most `max_attempts` times in all (behind a fault proxy, where the
    /// server itself is up).
    pub fn immediate(max_attempts: u32) -> RetryPolicy {
        RetryPolicy { max_attempts, backoff: Duration::ZERO, max_backoff: Duration::ZERO }
    }

    fn pause(&self, failures: u32) -> Duration {
        let factor = 1u32.checked_shl(failures.saturating_sub(1).min(16)).unwrap_or(u32::MAX);
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// What a device did, for assertions and benchmark summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceStats {
    /// Push requests answered with 200.
    pub pushes: u64,
    /// Push requests that failed (no answer or an error status).
    pub push_failures: u64,
    /// Push requests that failed while the request was on its way or being answered (the
    /// connection was open: the server may have committed), as opposed to connection refused.
    pub push_interrupted: u64,
    /// Pull requests answered with 200.
    pub pulls: u64,
    pub pull_failures: u64,
    /// Changes removed from the outbox because the server acknowledged them.
    pub acked: u64,
    /// Changes received by pulls (before last-writer-wins).
    pub pulled: u64,
    /// Access-token refreshes.
    pub refreshes: u64,
}

/// A device that talks the wire protocol directly.
#[derive(Debug)]
pub struct WireDevice {
    api: Api,
    tokens: AuthTokens,
    clock: WireClock,
    outbox: Vec<Change>,
    records: BTreeMap<RecordKey, Change>,
    cursor: u64,
    acked_total: Arc<AtomicU64>,
    stats: DeviceStats,
}

impl WireDevice {
    /// A device with an open session (`tokens`) talking to `api`, with a random HLC node id.
    pub fn new(api: Api, tokens: AuthTokens) -> WireDevice {
        WireDevice {
            api,
            tokens,
            clock: WireClock::random(),
            outbox: Vec::new(),
            records: BTreeMap::new(),
            cursor: 0,
            acked_total: Arc::new(AtomicU64::new(0)),
            stats: DeviceStats::default(),
        }
    }

    /// Logs in through `api` (a new device id) and returns the device.
    pub async fn login(api: Api, email: &str, password: &str, device_name: &str) -> Result<WireDevice, WireError> {
        let tokens = api.login(email, password, device_name, Some(Uuid::now_v7())).await?;
        Ok(WireDevice::new(api, tokens))
    }

    /// The same device with another clock (a fixed node id, a skewed wall clock).
    pub fn with_clock(mut self, clock: WireClock) -> WireDevice {
        self.clock = clock;
        self
    }

    pub fn api(&self) -> &Api {
        &self.api
    }

    /// Talks to another base URL from now on (e.g. through a [`crate::FaultProxy`], or
    /// directly to the server again). Outbox, records and cursor stay.
    pub fn set_api(&mut self, api: Api) {
        self.api = api;
    }

    pub fn tokens(&self) -> &AuthTokens {
        &self.tokens
    }

    pub fn set_tokens(&mut self, tokens: AuthTokens) {
        self.tokens = tokens;
    }

    pub fn user_id(&self) -> Uuid {
        self.tokens.user_id
    }

    pub fn device_id(&self) -> Uuid {
        self.tokens.device_id
    }

    pub fn clock(&self) -> &WireClock {
        &self.clock
    }

    /// Changes not yet acknowledged, oldest first.
    pub fn outbox(&self) -> &[Change] {
        &self.outbox
    }

    /// Every record this device holds (its own writes and what it pulled), tombstones included.
    pub fn records(&self) -> &BTreeMap<RecordKey, Change> {
        &self.records
    }

    /// The records of the entities devices write, without the server-written ones
    /// (organisation settings, feedback, models).
    pub fn device_records(&self) -> BTreeMap<RecordKey, Change> {
        self.records.iter().filter(|(k, _)| !k.entity.is_server_written()).map(|(k, c)| (k.clone(), c.clone())).collect()
    }

    pub fn record(&self, entity: Entity, record_id: &str) -> Option<&Change> {
        self.records.get(&RecordKey::new(entity, record_id))
    }

    /// The pull cursor (the server sequence of the last change applied).
    pub fn cursor(&self) -> u64 {
        self.cursor
    }

    pub fn stats(&self) -> &DeviceStats {
        &self.stats
    }

    /// A counter of acknowledged changes that other tasks can watch while this device pushes.
    pub fn acked_counter(&self) -> Arc<AtomicU64> {
        self.acked_total.clone()
    }

    // ---- local writes ---------------------------------------------------------------------

    /// Writes a record locally (a new HLC stamp, a UUIDv7 change id) and queues the change.
    pub fn upsert(&mut self, entity: Entity, record_id: &str, payload: Value) -> Change {
        let change =
            Change { id: Uuid::now_v7(), entity, record_id: record_id.into(), op: Op::Upsert, hlc: self.clock.stamp(), payload };
        self.record_change(change.clone());
        change
    }

    /// Deletes a record locally (a tombstone) and queues the change.
    pub fn delete(&mut self, entity: Entity, record_id: &str) -> Change {
        let change = Change {
            id: Uuid::now_v7(),
            entity,
            record_id: record_id.into(),
            op: Op::Delete,
            hlc: self.clock.stamp(),
            payload: Value::Null,
        };
        self.record_change(change.clone());
        change
    }

    /// Applies a change made elsewhere on this device (last-writer-wins) and queues it.
    pub fn record_change(&mut self, change: Change) {
        self.clock.observe(&change.hlc);
        self.apply(change.clone());
        self.outbox.push(change);
    }

    /// Queues a change as it is, without applying it locally (for malformed or forged changes).
    pub fn enqueue_raw(&mut self, change: Change) {
        self.outbox.push(change);
    }

    fn apply(&mut self, change: Change) -> bool {
        match self.records.get(&RecordKey::of(&change)) {
            Some(current) if !wins(&change, current) => false,
            _ => {
                self.records.insert(RecordKey::of(&change), change);
                true
            }
        }
    }

    // ---- push -----------------------------------------------------------------------------

    /// Pushes the oldest `max` (at most 500) changes of the outbox in one request and removes
    /// the acknowledged ones. Returns how many were acknowledged. An acknowledgement of an id
    /// that was not sent is a protocol violation (nothing is removed).
    pub async fn push_batch(&mut self, max: usize) -> Result<usize, WireError> {
        let n = max.min(MAX_PUSH_CHANGES).min(self.outbox.len());
        if n == 0 {
            return Ok(0);
        }
        let answer = self.api.push(&self.tokens.access_token, &self.outbox[..n]).await;
        let answer = match answer {
            Ok(a) => a,
            Err(e) => {
                self.stats.push_failures += 1;
                if matches!(&e, WireError::Transport(t) if !t.is_connect()) {
                    self.stats.push_interrupted += 1;
                }
                return Err(e);
            }
        };
        self.stats.pushes += 1;
        let sent: HashSet<Uuid> = self.outbox[..n].iter().map(|c| c.id).collect();
        if let Some(stray) = answer.acked.iter().find(|id| !sent.contains(id)) {
            return Err(WireError::Protocol(format!("the server acknowledged {stray}, which was not in the push")));
        }
        let acked: HashSet<Uuid> = answer.acked.into_iter().collect();
        let before = self.outbox.len();
        self.outbox.retain(|c| !acked.contains(&c.id));
        let removed = before - self.outbox.len();
        self.stats.acked += removed as u64;
        self.acked_total.fetch_add(removed as u64, Ordering::SeqCst);
        Ok(removed)
    }

    /// Pushes the whole outbox in batches of 500; stops at the first failure.
    pub async fn push_all(&mut self) -> Result<usize, WireError> {
        let mut total = 0;
        while !self.outbox.is_empty() {
            let n = self.push_batch(MAX_PUSH_CHANGES).await?;
            if n == 0 {
                return Err(WireError::Protocol("a push was answered without acknowledging anything".into()));
            }
            total += n;
        }
        Ok(total)
    }

    /// Pushes the whole outbox in batches of at most `batch` changes, retrying failed requests
    /// under `policy` (and refreshing an expired access token), until the outbox is empty.
    pub async fn push_all_retrying(&mut self, batch: usize, policy: &RetryPolicy) -> Result<usize, WireError> {
        let mut total = 0;
        let mut failures = 0;
        while !self.outbox.is_empty() {
            match self.push_batch(batch).await {
                Ok(0) => return Err(WireError::Protocol("a push was answered without acknowledging anything".into())),
                Ok(n) => {
                    total += n;
                    failures = 0;
                }
                Err(e) => self.after_failure(e, &mut failures, policy).await?,
            }
        }
        Ok(total)
    }

    /// Decides whether to try again after `e`: sleeps the backoff, refreshes an expired
    /// token, or returns the error when it is final or the attempts are used up.
    async fn after_failure(&mut self, e: WireError, failures: &mut u32, policy: &RetryPolicy) -> Result<(), WireError> {
        *failures += 1;
        if *failures >= policy.max_attempts {
            return Err(e);
        }
        if e.code() == Some(qamqor_protocol::error_code::TOKEN_EXPIRED) {
            return self.refresh().await;
        }
        if !e.is_retryable() {
            return Err(e);
        }
        let pause = policy.pause(*failures);
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        Ok(())
    }

    /// Exchanges the refresh token for a new pair.
    pub async fn refresh(&mut self) -> Result<(), WireError> {
        self.tokens = self.api.refresh(&self.tokens.refresh_token).await?;
        self.stats.refreshes += 1;
        Ok(())
    }

    // ---- pull -----------------------------------------------------------------------------

    /// Pulls one page after the cursor, applies it (last-writer-wins, the clock moves past
    /// every stamp) and moves the cursor, as one step. Returns the page.
    pub async fn pull_page(&mut self, limit: u32) -> Result<PullResponse, WireError> {
        let page = match self.api.pull(&self.tokens.access_token, self.cursor, limit.clamp(1, MAX_PULL_LIMIT)).await {
            Ok(p) => p,
            Err(e) => {
                self.stats.pull_failures += 1;
                return Err(e);
            }
        };
        self.stats.pulls += 1;
        if page.next < self.cursor || (page.changes.is_empty() && page.next != self.cursor) {
            return Err(WireError::Protocol(format!(
                "the cursor moved from {} to {} with {} changes",
                self.cursor,
                page.next,
                page.changes.len()
            )));
        }
        self.stats.pulled += page.changes.len() as u64;
        for c in &page.changes {
            self.clock.observe(&c.hlc);
            self.apply(c.clone());
        }
        self.cursor = page.next;
        Ok(page)
    }

    /// Pulls pages of `limit` until the server has nothing more. Returns the changes received.
    pub async fn pull_all(&mut self, limit: u32) -> Result<usize, WireError> {
        let mut n = 0;
        loop {
            let page = self.pull_page(limit).await?;
            n += page.changes.len();
            if !page.has_more {
                return Ok(n);
            }
        }
    }

    /// [`WireDevice::pull_all`], retrying failed requests under `policy`.
    pub async fn pull_all_retrying(&mut self, limit: u32, policy: &RetryPolicy) -> Result<usize, WireError> {
        let mut n = 0;
        let mut failures = 0;
        loop {
            match self.pull_page(limit).await {
                Ok(page) => {
                    failures = 0;
                    n += page.changes.len();
                    if !page.has_more {
                        return Ok(n);
                    }
                }
                Err(e) => self.after_failure(e, &mut failures, policy).await?,
            }
        }
    }

    /// A full sync: push everything, then pull everything, retrying under `policy`.
    pub async fn sync_retrying(&mut self, policy: &RetryPolicy) -> Result<(), WireError> {
        self.push_all_retrying(MAX_PUSH_CHANGES, policy).await?;
        self.pull_all_retrying(MAX_PULL_LIMIT, policy).await?;
        Ok(())
    }
}
