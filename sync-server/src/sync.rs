//! The sync rules every store backend shares: what a valid change is, which of two writes to
//! one record wins, and how the server stamps the records it writes itself. Pure functions (no
//! I/O, `now` is passed in), plus the process's [`ServerHlc`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use qamqor_protocol::{
    AchievementPayload, Change, DeletionRequestPayload, Entity, SkillRatingPayload, Op, OrgSettingsPayload, PrivacyPolicy, RiskAssessmentPayload, MAX_CHANGE_PAYLOAD_BYTES, MAX_PUSH_CHANGES,
    MAX_RECORD_ID_BYTES, MIN_GROUP_SIZE, ORG_SETTINGS_RECORD_ID,
};
use serde_json::Value;

use crate::error::AppError;
use crate::extract::serde_error_field;
use crate::store::Millis;

/// Stamps further ahead of the server's clock than this are refused, as the device core
/// refuses them: a device whose clock is a day fast would otherwise win every conflict.
pub const MAX_CLOCK_DRIFT_MS: Millis = 24 * 3600 * 1000;

/// Last-writer-wins: the incoming write replaces the record's current state only when its
/// hybrid logical clock is strictly greater. HLC strings sort in clock order byte by byte,
/// and two writes never share a stamp (the node id is part of it), so every node picks the
/// same winner whatever order the writes arrive in. Deletes follow the same rule: a
/// tombstone wins over older writes and loses to newer ones.
pub fn incoming_wins(incoming_hlc: &str, current_hlc: &str) -> bool {
    incoming_hlc.as_bytes() > current_hlc.as_bytes()
}

/// The physical time of an HLC stamp `"<16 hex digits of NTP64>-<hex node id>"`, in Unix
/// milliseconds, or `None` when the stamp is not in that form.
pub fn hlc_millis(hlc: &str) -> Option<Millis> {
    let (time, node) = hlc.split_once('-')?;
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if time.len() != 16 || !hex(time) || node.is_empty() || node.len() > 32 || !hex(node) || node.starts_with('0') {
        return None;
    }
    let ntp = u64::from_str_radix(time, 16).ok()?;
    // NTP64 as uhlc uses it: seconds since the Unix epoch in the high 32 bits, fraction below.
    let secs = (ntp >> 32) as i64;
    let frac_ms = ((ntp & 0xffff_ffff) * 1000) >> 32;
    Some(secs * 1000 + frac_ms as i64)
}

/// Unix milliseconds as NTP64 (seconds in the high 32 bits). The fraction is rounded up by one
/// unit so that [`hlc_millis`] decodes exactly the same millisecond.
pub fn ntp64_of_millis(ms: Millis) -> u64 {
    let ms = ms.max(0) as u64;
    let frac = ((ms % 1000) << 32) / 1000 + 1;
    ((ms / 1000) << 32) | frac
}

/// The stamp of a server write to a record whose current stamp is `current`: `proposed` when
/// it is greater, otherwise the smallest stamp above `current` with `proposed`'s node id (one
/// NTP64 unit later, about a quarter of a nanosecond), so the server's write always wins over
/// the state it replaces, even when a device's clock runs ahead of the server's. `None` when
/// a stamp is unreadable (the stored one cannot be: every stored stamp was validated).
pub fn stamp_above(proposed: &str, current: Option<&str>) -> Option<String> {
    let current = match current {
        Some(c) if !incoming_wins(proposed, c) => c,
        _ => return Some(proposed.to_string()),
    };
    let (_, node) = proposed.split_once('-')?;
    let (time, _) = current.split_once('-')?;
    let time = u64::from_str_radix(time, 16).ok()?.checked_add(1)?;
    Some(format!("{time:016x}-{node}"))
}

/// The server's hybrid logical clock: a node id of its own and stamps from the server's clock
/// that strictly increase within the process.
///
/// The node id is random per process (128 bits, so replicas never share one), which keeps the
/// stamps of two replicas distinct without any coordination; a restart simply is a new node.
/// Whether a stamp wins over a record's current state is settled inside the write transaction
/// by [`stamp_above`], not here.
#[derive(Debug)]
pub struct ServerHlc {
    node: u128,
    last: AtomicU64,
}

impl ServerHlc {
    /// A clock with this node id (0 is not a valid node id and is replaced by 1).
    pub fn new(node: u128) -> ServerHlc {
        ServerHlc { node: node.max(1), last: AtomicU64::new(0) }
    }

    /// A clock with a random node id.
    pub fn random() -> ServerHlc {
        let mut bytes = [0u8; 16];
        if getrandom::fill(&mut bytes).is_err() {
            // No system randomness: the time and process id still differ between replicas.
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
            bytes = (nanos ^ (u128::from(std::process::id()) << 96)).to_le_bytes();
        }
        ServerHlc::new(u128::from_le_bytes(bytes))
    }

    /// The node id as it appears in stamps: lowercase hex without leading zeros.
    pub fn node(&self) -> String {
        format!("{:x}", self.node)
    }

    /// A new stamp at `now`, greater than every stamp this clock issued before.
    pub fn stamp(&self, now: Millis) -> String {
        let wall = ntp64_of_millis(now);
        let next = |last: u64| wall.max(last.saturating_add(1));
        let prev = self.last.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| Some(next(last))).unwrap_or_else(|p| p);
        let time = next(prev);
        format!("{time:016x}-{}", self.node())
    }
}

/// The server process's clock (node id chosen at first use).
pub fn server_hlc() -> &'static ServerHlc {
    static HLC: OnceLock<ServerHlc> = OnceLock::new();
    HLC.get_or_init(ServerHlc::random)
}

/// The settings of a new organisation: private by default, only aggregates of at least
/// [`qamqor_protocol::MIN_GROUP_SIZE`] people.
pub fn default_org_settings(organisation: &str) -> OrgSettingsPayload {
    OrgSettingsPayload {
        organisation: organisation.to_string(),
        privacy_policy: PrivacyPolicy::Aggregate,
        min_group_size: MIN_GROUP_SIZE,
    }
}

/// A new upsert the server writes: a fresh UUIDv7 id and a stamp of [`server_hlc`] at `now`
/// (raised by the store if the record's current stamp is not smaller).
pub fn server_change(entity: Entity, record_id: &str, payload: Value, now: Millis) -> Change {
    Change {
        id: uuid::Uuid::now_v7(),
        entity,
        record_id: record_id.to_string(),
        op: Op::Upsert,
        hlc: server_hlc().stamp(now),
        payload,
    }
}

/// The first settings record of the organisation named `organisation`.
pub fn default_org_settings_change(organisation: &str, now: Millis) -> Result<Change, serde_json::Error> {
    let payload = serde_json::to_value(default_org_settings(organisation))?;
    Ok(server_change(Entity::OrgSettings, ORG_SETTINGS_RECORD_ID, payload, now))
}

/// Checks a push batch before anything is stored; the first problem names its field.
pub fn validate_push(changes: &[Change], now: Millis) -> Result<(), AppError> {
    if changes.len() > MAX_PUSH_CHANGES {
        return Err(AppError::unprocessable(
            qamqor_protocol::error_code::TOO_MANY_CHANGES,
            format!("a push carries at most {MAX_PUSH_CHANGES} changes, this one has {}: send smaller batches", changes.len()),
        )
        .with_field("changes"));
    }
    changes.iter().enumerate().try_for_each(|(i, c)| {
        validate_change(c, now).map_err(|(field, msg)| AppError::invalid(format!("changes[{i}].{field}"), msg))
    })
}

fn validate_change(c: &Change, now: Millis) -> Result<(), (String, String)> {
    let err = |field: &str, msg: String| Err((field.to_string(), msg));
    if c.entity.is_server_written() {
        return err(
            "entity",
            format!("{} records are written by the server only: a device pulls them and never pushes them", c.entity.as_str()),
        );
    }
    if c.id.get_version_num() != 7 {
        return err("id", "a change id must be a UUIDv7".into());
    }
    if c.record_id.trim().is_empty() {
        return err("record_id", "the record id is empty".into());
    }
    if c.record_id.len() > MAX_RECORD_ID_BYTES || c.record_id.chars().any(char::is_control) {
        return err("record_id", format!("a record id has at most {MAX_RECORD_ID_BYTES} bytes and no control characters"));
    }
    let Some(at) = hlc_millis(&c.hlc) else {
        return err("hlc", "not a hybrid logical clock stamp: expected 16 lowercase hex digits, '-', the hex node id".into());
    };
    if at > now + MAX_CLOCK_DRIFT_MS {
        return err("hlc", "the stamp is more than a day ahead of the server's clock: check the device's date and time".into());
    }
    match c.op {
        Op::Upsert if !c.payload.is_object() => return err("payload", "an upsert carries the record as a JSON object".into()),
        Op::Delete if !c.payload.is_null() => return err("payload", "a delete carries a null payload".into()),
        _ => {}
    }
    let size = serde_json::to_vec(&c.payload).map_or(usize::MAX, |v| v.len());
    if size > MAX_CHANGE_PAYLOAD_BYTES {
        return err("payload", format!("the payload has {size} bytes, at most {MAX_CHANGE_PAYLOAD_BYTES} are accepted"));
    }
    if c.entity == Entity::RiskAssessment && c.op == Op::Upsert {
        validate_risk_assessment(&c.record_id, &c.payload)?;
    }
    if c.entity == Entity::Achievement && c.op == Op::Upsert {
        validate_achievement(&c.record_id, &c.payload, now)?;
    }
    if c.entity == Entity::SkillRating && c.op == Op::Upsert {
        validate_skill_rating(&c.record_id, &c.payload)?;
    }
    if c.entity == Entity::DeletionRequest {
        validate_deletion_request(c, now)?;
    }
    Ok(())
}

/// A deletion request is a fact the person cannot take back from a phone (an admin handles it):
/// an upsert of a [`DeletionRequestPayload`] with a plausible time, never a delete.
fn validate_deletion_request(c: &Change, now: Millis) -> Result<(), (String, String)> {
    if c.op == Op::Delete {
        return Err(("op".into(), "a deletion request cannot be withdrawn from a device: ask the organisation's admin".into()));
    }
    let p: DeletionRequestPayload = serde_path_to_error::deserialize(&c.payload).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        (format!("payload.{}", serde_error_field(&path, &message)), message)
    })?;
    if p.requested_at <= 0 || p.requested_at > now + MAX_CLOCK_DRIFT_MS {
        return Err(("payload.requested_at".into(), "the request time must be a Unix time in milliseconds, not in the future".into()));
    }
    Ok(())
}

/// A pushed achievement must be an [`AchievementPayload`] with its record id, checked by the
/// same rules the phone applies before it writes one (`qamqor_core::rating`).
fn validate_achievement(record_id: &str, payload: &Value, now: Millis) -> Result<(), (String, String)> {
    let p: AchievementPayload = serde_path_to_error::deserialize(payload).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        (format!("payload.{}", serde_error_field(&path, &message)), message)
    })?;
    if p.id != record_id {
        return Err(("payload.id".into(), "an achievement's id is its record id".into()));
    }
    let today = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(now).unwrap_or_default().date_naive();
    match qamqor_core::rating::validate_achievement(&p, today) {
        Ok(_) => Ok(()),
        Err(qamqor_core::Error::Invalid { field, message, .. }) => Err((format!("payload.{field}"), message)),
        Err(other) => Err(("payload".into(), other.to_string())),
    }
}

/// A person's own skill score must be a [`SkillRatingPayload`] for a skill of the professional
/// standards catalogue, its record id, on the 0-4 scale, without a rater's name.
fn validate_skill_rating(record_id: &str, payload: &Value) -> Result<(), (String, String)> {
    let p: SkillRatingPayload = serde_path_to_error::deserialize(payload).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        (format!("payload.{}", serde_error_field(&path, &message)), message)
    })?;
    if p.skill_id != record_id {
        return Err(("payload.skill_id".into(), "a skill score's record id is the skill id".into()));
    }
    let known = qamqor_core::competency::catalogue().map_err(|e| ("payload.skill_id".to_string(), e.to_string()))?.skill(&p.skill_id).is_some();
    if !known {
        return Err(("payload.skill_id".into(), format!("'{}' is not a skill of the professional standards catalogue", p.skill_id)));
    }
    if let Err(qamqor_core::Error::Invalid { message, .. }) = qamqor_core::competency::validate_score("score", p.score) {
        return Err(("payload.score".into(), message));
    }
    if p.rated_by.is_some() {
        return Err(("payload.rated_by".into(), "a person's own score has no rater's name".into()));
    }
    Ok(())
}

/// The risk levels a shared assessment may carry.
pub const RISK_LEVELS: [&str; 3] = ["low", "medium", "high"];
/// Longest model version or factor key in a shared assessment.
const MAX_RISK_NAME_CHARS: usize = 64;

/// A shared risk assessment must be a [`RiskAssessmentPayload`] for the day its record id
/// names, with a known level and a score in [0, 1].
fn validate_risk_assessment(record_id: &str, payload: &Value) -> Result<(), (String, String)> {
    let p: RiskAssessmentPayload = serde_path_to_error::deserialize(payload).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        (format!("payload.{}", serde_error_field(&path, &message)), message)
    })?;
    let err = |field: &str, msg: String| Err((format!("payload.{field}"), msg));
    if !is_iso_date(&p.local_date) {
        return err("local_date", format!("'{}' is not a date: expected YYYY-MM-DD", p.local_date));
    }
    if p.local_date != record_id {
        return err("local_date", format!("the assessment of {} must have that date as its record id", p.local_date));
    }
    if let Some(level) = p.level.as_deref().filter(|l| !RISK_LEVELS.contains(l)) {
        return err("level", format!("'{level}' is not a risk level: expected low, medium, high or null"));
    }
    if let Some(score) = p.score.filter(|s| !(0.0..=1.0).contains(s)) {
        return err("score", format!("the score is {score}, it must be between 0 and 1 (or null)"));
    }
    if p.model_version.trim().is_empty() || p.model_version.chars().count() > MAX_RISK_NAME_CHARS {
        return err("model_version", format!("the model version is 1 to {MAX_RISK_NAME_CHARS} characters"));
    }
    for (i, f) in p.factors.iter().flatten().enumerate() {
        if f.key.trim().is_empty() || f.key.chars().count() > MAX_RISK_NAME_CHARS {
            return err(&format!("factors[{i}].key"), format!("a factor key is 1 to {MAX_RISK_NAME_CHARS} characters"));
        }
        if !f.contribution.is_finite() {
            return err(&format!("factors[{i}].contribution"), "a contribution is a finite number".into());
        }
    }
    Ok(())
}

/// Whether `s` is a calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use qamqor_protocol::Entity;
    use serde_json::json;
    use uuid::Uuid;

    /// 2024-01-01T00:00:00Z
    const NOW: Millis = 1_704_067_200_000;

    fn stamp(ms: Millis, node: &str) -> String {
        let secs = (ms / 1000) as u64;
        let frac = (((ms % 1000) as u64) << 32) / 1000 + 1;
        format!("{:016x}-{node}", (secs << 32) | frac)
    }

    fn change(hlc: &str, op: Op, payload: serde_json::Value) -> Change {
        Change { id: Uuid::now_v7(), entity: Entity::Task, record_id: "t1".into(), op, hlc: hlc.into(), payload }
    }

    #[test]
    fn stamps_decode_to_their_time_and_order_as_bytes() {
        let a = stamp(NOW, "1f");
        assert_eq!(hlc_millis(&a), Some(NOW));
        let b = stamp(NOW + 1, "1");
        assert!(incoming_wins(&b, &a) && !incoming_wins(&a, &b) && !incoming_wins(&a, &a));
        for bad in
            ["", "x", "00000000000000zz-1", "0000000000000001-", "0000000000000001-01", "0000000000000001-A", "000000000000001-1"]
        {
            assert_eq!(hlc_millis(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_invalid_change_names_its_field() {
        let ok = stamp(NOW, "a");
        let cases = [
            (change(&ok, Op::Upsert, json!([1])), "changes[0].payload"),
            (change(&ok, Op::Delete, json!({})), "changes[0].payload"),
            (change("nope", Op::Upsert, json!({})), "changes[0].hlc"),
            (change(&stamp(NOW + 2 * MAX_CLOCK_DRIFT_MS, "a"), Op::Upsert, json!({})), "changes[0].hlc"),
            (Change { record_id: " ".into(), ..change(&ok, Op::Upsert, json!({})) }, "changes[0].record_id"),
            (Change { id: Uuid::nil(), ..change(&ok, Op::Upsert, json!({})) }, "changes[0].id"),
            (change(&ok, Op::Upsert, json!({"big": "x".repeat(MAX_CHANGE_PAYLOAD_BYTES)})), "changes[0].payload"),
        ];
        for (c, field) in cases {
            let e = validate_push(&[c], NOW).unwrap_err();
            assert_eq!(e.status().as_u16(), 422);
            assert!(format!("{e:?}").contains(field), "{field}: {e:?}");
        }
        assert!(validate_push(&[change(&ok, Op::Upsert, json!({})), change(&ok, Op::Delete, json!(null))], NOW).is_ok());
        let many: Vec<_> = (0..=MAX_PUSH_CHANGES).map(|_| change(&ok, Op::Upsert, json!({}))).collect();
        assert_eq!(validate_push(&many, NOW).unwrap_err().code(), "too_many_changes");
    }

    fn field_of(e: AppError) -> String {
        e.message().1.unwrap_or_default().to_string()
    }

    #[test]
    fn server_written_entities_are_refused_from_devices() {
        let ok = stamp(NOW, "a");
        for entity in qamqor_protocol::ALL_ENTITIES {
            let c = Change { entity, ..change(&ok, Op::Delete, json!(null)) };
            let result = validate_push(&[change(&ok, Op::Upsert, json!({})), c], NOW);
            // A deletion request cannot be withdrawn from a device either (its own test below).
            assert_eq!(result.is_err(), entity.is_server_written() || entity == Entity::DeletionRequest, "{entity:?}");
            if let Err(e) = result {
                let field = if entity == Entity::DeletionRequest { "changes[1].op" } else { "changes[1].entity" };
                assert_eq!(field_of(e), field);
            }
        }
    }

    #[test]
    fn deletion_requests_carry_a_plausible_time_and_are_never_withdrawn() {
        let ok = stamp(NOW, "a");
        let request = |payload| Change { entity: Entity::DeletionRequest, ..change(&ok, Op::Upsert, payload) };
        assert!(validate_push(&[request(json!({ "requested_at": NOW - 1000 }))], NOW).is_ok());
        for (payload, field) in [
            (json!({}), "changes[0].payload.requested_at"),
            (json!({ "requested_at": "yesterday" }), "changes[0].payload.requested_at"),
            (json!({ "requested_at": 0 }), "changes[0].payload.requested_at"),
            (json!({ "requested_at": NOW + 2 * 86_400_000 }), "changes[0].payload.requested_at"),
        ] {
            let e = validate_push(&[request(payload.clone())], NOW).expect_err(&payload.to_string());
            assert_eq!(field_of(e), field, "{payload}");
        }
    }

    #[test]
    fn risk_assessments_are_checked_against_their_payload_type() {
        let ok = stamp(NOW, "a");
        let assessment = |payload: serde_json::Value| Change {
            entity: Entity::RiskAssessment,
            record_id: "2025-03-04".into(),
            ..change(&ok, Op::Upsert, payload)
        };
        let good = json!({"local_date": "2025-03-04", "level": "high", "score": 1.0, "model_version": "1.0.0",
                          "factors": [{"key": "fatigue", "contribution": -0.2}]});
        assert!(validate_push(&[assessment(good.clone())], NOW).is_ok());
        let with = |k: &str, v: serde_json::Value| {
            let mut p = good.clone();
            p[k] = v;
            assessment(p)
        };
        for (c, field) in [
            (with("level", json!("severe")), "changes[0].payload.level"),
            (with("score", json!(1.01)), "changes[0].payload.score"),
            (with("score", json!("0.5")), "changes[0].payload.score"),
            (with("local_date", json!("2025-03-05")), "changes[0].payload.local_date"),
            (with("local_date", json!("2025-02-30")), "changes[0].payload.local_date"),
            (with("model_version", json!(" ")), "changes[0].payload.model_version"),
            (with("factors", json!([{"key": "", "contribution": 0.1}])), "changes[0].payload.factors[0].key"),
            (assessment(json!({"level": "low"})), "changes[0].payload.local_date"),
        ] {
            assert_eq!(field_of(validate_push(&[c], NOW).unwrap_err()), field);
        }
        let tombstone = Change { entity: Entity::RiskAssessment, ..change(&ok, Op::Delete, json!(null)) };
        assert!(validate_push(&[tombstone], NOW).is_ok(), "a shared assessment can be withdrawn");
    }

    #[test]
    fn server_stamps_decode_to_the_server_clock_and_always_increase() {
        let clock = ServerHlc::new(0xab);
        let a = clock.stamp(NOW);
        assert!(a.ends_with("-ab"));
        assert_eq!(hlc_millis(&a), Some(NOW));
        let b = clock.stamp(NOW);
        let c = clock.stamp(NOW - 60_000);
        assert!(b > a && c > b, "{a} < {b} < {c}, even when the clock goes back");
        assert!(clock.stamp(NOW + 1) > c);
        assert_eq!(ServerHlc::new(0).node(), "1", "0 is not a node id");
        let random = ServerHlc::random();
        assert!(hlc_millis(&random.stamp(NOW)).is_some(), "a random node id is a valid one");
        assert_ne!(random.node(), ServerHlc::random().node());
    }

    #[test]
    fn a_server_write_goes_just_above_a_current_stamp_that_is_not_older() {
        let server = stamp(NOW, "5e");
        assert_eq!(stamp_above(&server, None).as_deref(), Some(server.as_str()));
        let older = stamp(NOW - 1, "f");
        assert_eq!(stamp_above(&server, Some(&older)).as_deref(), Some(server.as_str()));
        // A device an hour ahead (within the accepted drift) or the same stamp: just above it.
        for current in [stamp(NOW + 3_600_000, "1"), server.clone()] {
            let s = stamp_above(&server, Some(&current)).unwrap();
            assert!(incoming_wins(&s, &current), "{s} > {current}");
            assert!(s.ends_with("-5e"), "the server's node id: {s}");
            assert_eq!(hlc_millis(&s), hlc_millis(&current), "one NTP64 unit later, the same millisecond");
        }
        assert_eq!(stamp_above(&server, Some("garbage")), None);
    }
}
