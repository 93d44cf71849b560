//! SQL of the sync state: the account, the pull cursor, tombstones, and the records that only
//! arrive by sync (other devices' app opens, feedback, organisation settings, rejected changes).

use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Row};

use super::dao::{from_ms, ms};
use crate::error::Result;
use crate::model::{Feedback, OrgSettings};
use qamqor_protocol::{Change, Entity, PrivacyPolicy, Role};

// ---- account ----------------------------------------------------------------------------

/// The signed-in account as stored.
#[derive(Clone)]
pub(crate) struct AccountRow {
    pub server_url: String,
    pub email: String,
    pub user_id: String,
    pub role: Role,
    pub access_token: Option<String>,
    pub access_expires_at: Option<DateTime<Utc>>,
    pub refresh_token: Option<String>,
    pub refresh_expires_at: Option<DateTime<Utc>>,
    pub signed_in_at: DateTime<Utc>,
}

pub(crate) fn account(c: &Connection) -> Result<Option<AccountRow>> {
    Ok(c.query_row(
        "SELECT server_url, email, user_id, role, access_token, access_expires_at, refresh_token,
                refresh_expires_at, signed_in_at FROM sync_account WHERE id = 1",
        [],
        |r| {
            let role: String = r.get("role")?;
            Ok(AccountRow {
                server_url: r.get("server_url")?,
                email: r.get("email")?,
                user_id: r.get("user_id")?,
                role: Role::parse(&role).unwrap_or(Role::Employee),
                access_token: r.get("access_token")?,
                access_expires_at: r.get::<_, Option<i64>>("access_expires_at")?.map(from_ms),
                refresh_token: r.get("refresh_token")?,
                refresh_expires_at: r.get::<_, Option<i64>>("refresh_expires_at")?.map(from_ms),
                signed_in_at: from_ms(r.get("signed_in_at")?),
            })
        },
    )
    .optional()?)
}

pub(crate) fn save_account(c: &Connection, a: &AccountRow) -> Result<()> {
    c.execute(
        "INSERT INTO sync_account (id, server_url, email, user_id, role, access_token, access_expires_at,
                                   refresh_token, refresh_expires_at, signed_in_at)
         VALUES (1, :url, :email, :user, :role, :at, :atx, :rt, :rtx, :since)
         ON CONFLICT (id) DO UPDATE SET
            server_url = excluded.server_url, email = excluded.email, user_id = excluded.user_id,
            role = excluded.role, access_token = excluded.access_token,
            access_expires_at = excluded.access_expires_at, refresh_token = excluded.refresh_token,
            refresh_expires_at = excluded.refresh_expires_at, signed_in_at = excluded.signed_in_at",
        named_params! {
            ":url": a.server_url, ":email": a.email, ":user": a.user_id, ":role": a.role.as_str(),
            ":at": a.access_token, ":atx": a.access_expires_at.map(ms), ":rt": a.refresh_token,
            ":rtx": a.refresh_expires_at.map(ms), ":since": ms(a.signed_in_at),
        },
    )?;
    Ok(())
}

/// Forgets the tokens (signed out) but keeps who and where, so the person signs in again easily.
pub(crate) fn clear_tokens(c: &Connection) -> Result<()> {
    c.execute(
        "UPDATE sync_account SET access_token = NULL, access_expires_at = NULL, refresh_token = NULL,
                                 refresh_expires_at = NULL WHERE id = 1",
        [],
    )?;
    Ok(())
}

// ---- tombstones -------------------------------------------------------------------------

pub(crate) fn tombstone(c: &Connection, entity: Entity, record_id: &str) -> Result<Option<String>> {
    Ok(c
        .prepare_cached("SELECT hlc FROM tombstones WHERE entity = ?1 AND record_id = ?2")?
        .query_row([entity.as_str(), record_id], |r| r.get("hlc"))
        .optional()?)
}

/// Records a deletion; an existing tombstone keeps the greater stamp.
pub(crate) fn set_tombstone(c: &Connection, entity: Entity, record_id: &str, hlc: &str) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO tombstones (entity, record_id, hlc) VALUES (?1, ?2, ?3)
         ON CONFLICT (entity, record_id) DO UPDATE SET hlc = max(hlc, excluded.hlc)",
    )?
    .execute([entity.as_str(), record_id, hlc])?;
    Ok(())
}

/// The stamp of a mutable record's current state on this device.
pub(crate) fn record_hlc(c: &Connection, entity: Entity, record_id: &str) -> Result<Option<String>> {
    let sql = match entity {
        Entity::Profile => "SELECT hlc FROM profile WHERE id = 1 AND ?1 = ?1",
        Entity::Task => "SELECT hlc FROM tasks WHERE id = ?1",
        Entity::AppOpen => "SELECT hlc FROM other_app_opens WHERE record_id = ?1",
        Entity::Feedback => "SELECT hlc FROM feedback WHERE id = ?1",
        Entity::OrgSettings => "SELECT hlc FROM org_settings WHERE id = 1 AND ?1 = ?1",
        _ => return Ok(None),
    };
    Ok(c.prepare_cached(sql)?.query_row([record_id], |r| r.get("hlc")).optional()?)
}

pub(crate) fn delete_task(c: &Connection, id: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM tasks WHERE id = ?1")?.execute([id])?;
    Ok(())
}

pub(crate) fn delete_cbi(c: &Connection, id: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM cbi_responses WHERE id = ?1")?.execute([id])?;
    Ok(())
}

pub(crate) fn exists(c: &Connection, entity: Entity, id: &str) -> Result<bool> {
    let sql = match entity {
        Entity::WorkSession => "SELECT 1 FROM work_sessions WHERE id = ?1",
        Entity::CheckIn => "SELECT 1 FROM check_ins WHERE id = ?1",
        Entity::CbiResponse => "SELECT 1 FROM cbi_responses WHERE id = ?1",
        _ => return Ok(false),
    };
    Ok(c.prepare_cached(sql)?.query_row([id], |_| Ok(())).optional()?.is_some())
}

// ---- other devices' app opens -----------------------------------------------------------

pub(crate) fn save_other_app_open(
    c: &Connection,
    record_id: &str,
    day: &crate::model::AppOpenDay,
    hlc: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO other_app_opens (record_id, local_date, open_count, first_opened_at, last_opened_at, hlc)
         VALUES (:id, :date, :count, :first, :last, :hlc)
         ON CONFLICT (record_id) DO UPDATE SET local_date = excluded.local_date, open_count = excluded.open_count,
            first_opened_at = excluded.first_opened_at, last_opened_at = excluded.last_opened_at, hlc = excluded.hlc",
    )?
    .execute(named_params! {
        ":id": record_id, ":date": day.local_date.to_string(), ":count": day.open_count,
        ":first": ms(day.first_opened_at), ":last": ms(day.last_opened_at), ":hlc": hlc,
    })?;
    Ok(())
}

pub(crate) fn delete_other_app_open(c: &Connection, record_id: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM other_app_opens WHERE record_id = ?1")?.execute([record_id])?;
    Ok(())
}

// ---- feedback ---------------------------------------------------------------------------

fn feedback_row(r: &Row) -> rusqlite::Result<Feedback> {
    Ok(Feedback {
        id: r.get("id")?,
        from_name: r.get("from_name")?,
        message: r.get("message")?,
        sent_at: from_ms(r.get("sent_at")?),
        read_at: r.get::<_, Option<i64>>("read_at")?.map(from_ms),
    })
}

pub(crate) fn save_feedback(c: &Connection, f: &Feedback, hlc: &str, now: DateTime<Utc>) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO feedback (id, from_name, message, sent_at, received_at, hlc)
         VALUES (:id, :from, :message, :sent, :now, :hlc)
         ON CONFLICT (id) DO UPDATE SET from_name = excluded.from_name, message = excluded.message,
            sent_at = excluded.sent_at, hlc = excluded.hlc",
    )?
    .execute(named_params! {
        ":id": f.id, ":from": f.from_name, ":message": f.message, ":sent": ms(f.sent_at), ":now": ms(now), ":hlc": hlc,
    })?;
    Ok(())
}

pub(crate) fn delete_feedback(c: &Connection, id: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM feedback WHERE id = ?1")?.execute([id])?;
    Ok(())
}

/// All feedback, newest first.
pub(crate) fn feedback(c: &Connection) -> Result<Vec<Feedback>> {
    let mut stmt =
        c.prepare_cached("SELECT id, from_name, message, sent_at, read_at FROM feedback ORDER BY sent_at DESC, id DESC")?;
    let rows = stmt.query_map([], feedback_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks a message read; false when there is no such message.
pub(crate) fn mark_feedback_read(c: &Connection, id: &str, at: DateTime<Utc>) -> Result<bool> {
    Ok(c.execute("UPDATE feedback SET read_at = COALESCE(read_at, ?2) WHERE id = ?1", rusqlite::params![id, ms(at)])? > 0)
}

// ---- deletion requests ------------------------------------------------------------------

/// The earliest deletion request (the one that counts), with whether its change still waits in
/// the outbox.
pub(crate) fn deletion_request(c: &Connection) -> Result<Option<(String, DateTime<Utc>, bool)>> {
    Ok(c.prepare_cached(
        "SELECT d.id, d.requested_at,
                EXISTS (SELECT 1 FROM outbox o WHERE o.entity = ?1 AND o.record_id = d.id) AS waiting
         FROM deletion_requests d ORDER BY d.requested_at, d.id LIMIT 1",
    )?
    .query_row([Entity::DeletionRequest.as_str()], |r| Ok((r.get("id")?, from_ms(r.get("requested_at")?), r.get("waiting")?)))
    .optional()?)
}

/// Keeps a request (made here or pulled); false when it was already here.
pub(crate) fn save_deletion_request(c: &Connection, id: &str, requested_at: DateTime<Utc>) -> Result<bool> {
    Ok(c.prepare_cached("INSERT OR IGNORE INTO deletion_requests (id, requested_at) VALUES (?1, ?2)")?
        .execute(rusqlite::params![id, ms(requested_at)])?
        > 0)
}

// ---- organisation settings --------------------------------------------------------------

pub(crate) fn org_settings(c: &Connection) -> Result<Option<OrgSettings>> {
    Ok(c.query_row("SELECT organisation, privacy_policy, min_group_size FROM org_settings WHERE id = 1", [], |r| {
        let policy: String = r.get("privacy_policy")?;
        Ok(OrgSettings {
            organisation: r.get("organisation")?,
            privacy_policy: PrivacyPolicy::parse(&policy).unwrap_or(PrivacyPolicy::Aggregate),
            min_group_size: r.get("min_group_size")?,
        })
    })
    .optional()?)
}

pub(crate) fn save_org_settings(c: &Connection, s: &OrgSettings, hlc: &str) -> Result<()> {
    c.execute(
        "INSERT INTO org_settings (id, organisation, privacy_policy, min_group_size, hlc) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET organisation = excluded.organisation,
            privacy_policy = excluded.privacy_policy, min_group_size = excluded.min_group_size, hlc = excluded.hlc",
        rusqlite::params![s.organisation, s.privacy_policy.as_str(), s.min_group_size, hlc],
    )?;
    Ok(())
}

// ---- rejected changes -------------------------------------------------------------------

pub(crate) fn reject(c: &Connection, change: &Change, reason: &str, now: DateTime<Utc>) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO sync_rejected (change_id, entity, record_id, reason, change_json, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (change_id) DO UPDATE SET reason = excluded.reason, received_at = excluded.received_at",
    )?
    .execute(rusqlite::params![
        change.id.to_string(),
        change.entity.as_str(),
        change.record_id,
        reason,
        serde_json::to_string(change)?,
        ms(now)
    ])?;
    Ok(())
}

/// Keeps aside a pulled change of a record kind this version of the app does not know (a newer
/// server's): raw, as the server sent it, to be applied once an update knows the kind.
pub(crate) fn set_aside_unknown(c: &Connection, change_id: &str, entity: &str, record_id: &str, raw: &str, now: DateTime<Utc>) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO sync_rejected (change_id, entity, record_id, reason, change_json, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (change_id) DO UPDATE SET reason = excluded.reason, change_json = excluded.change_json,
            received_at = excluded.received_at",
    )?
    .execute(rusqlite::params![change_id, entity, record_id, format!("{UNKNOWN_KIND} '{entity}'"), raw, ms(now)])?;
    Ok(())
}

/// The start of the reason kept with a change of a record kind the app did not know.
pub(crate) const UNKNOWN_KIND: &str = "unknown record kind";

/// Changes kept aside for a record kind that this version of the app knows: (change id, raw change).
pub(crate) fn set_aside_now_known(c: &Connection) -> Result<Vec<(String, String)>> {
    // In the order they were kept (rowid survives the upsert), which is the server's order.
    let mut stmt = c.prepare_cached("SELECT change_id, entity, change_json FROM sync_rejected WHERE reason GLOB ?1 ORDER BY rowid")?;
    let rows = stmt.query_map([unknown_kind_pattern()], |r| {
        Ok((r.get::<_, String>("change_id")?, r.get::<_, String>("entity")?, r.get::<_, String>("change_json")?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, entity, raw) = row?;
        if Entity::parse(&entity).is_some() {
            out.push((id, raw));
        }
    }
    Ok(out)
}

/// Forgets a change kept aside for an unknown kind (once it is applied, or rejected for another
/// reason, which replaced the unknown-kind reason).
pub(crate) fn forget_set_aside(c: &Connection, change_id: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM sync_rejected WHERE change_id = ?1 AND reason GLOB ?2")?
        .execute(rusqlite::params![change_id, unknown_kind_pattern()])?;
    Ok(())
}

/// Replaces the reason a change is kept with (a kept-aside change found unreadable).
pub(crate) fn set_rejection_reason(c: &Connection, change_id: &str, reason: &str) -> Result<()> {
    c.prepare_cached("UPDATE sync_rejected SET reason = ?2 WHERE change_id = ?1")?.execute(rusqlite::params![change_id, reason])?;
    Ok(())
}

/// The reasons of changes kept aside for an unknown kind (GLOB: case-sensitive, unlike LIKE).
fn unknown_kind_pattern() -> String {
    format!("{UNKNOWN_KIND} *")
}

pub(crate) fn rejected_count(c: &Connection) -> Result<u64> {
    // Changes kept aside for a newer record kind are waiting for an update, not rejected.
    let n = c.query_row("SELECT COUNT(*) AS n FROM sync_rejected WHERE reason NOT GLOB ?1", [unknown_kind_pattern()], |r| r.get::<_, i64>("n"))?;
    Ok(n as u64)
}

/// Drops waiting changes of a record that a newer change of the same record supersedes
/// (records whose intermediate states do not matter).
pub(crate) fn drop_pending(c: &Connection, entity: Entity, record_id: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM outbox WHERE entity = ?1 AND record_id = ?2")?.execute([entity.as_str(), record_id])?;
    Ok(())
}
