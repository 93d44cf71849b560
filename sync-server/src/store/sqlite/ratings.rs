//! [`RatingStore`] on SQLite: achievements and verdicts are read from `records` (found by kind
//! through `records_by_entity`), the evidence stays inside the achievement's payload, and the
//! writes reuse [`super::write_server_in`] with the audit entry in the same transaction.

use async_trait::async_trait;
use qamqor_protocol::{Change, Entity};
use rusqlite::{params, Connection, OptionalExtension, Row};
use uuid::Uuid;

use super::admin::insert_audit;
use super::{conversion, uuid_at, write_server_in, SqliteStore};
use crate::store::admin::AuditEntry;
use crate::store::ratings::{AchievementRecord, PersonRecord, RatingStore, VerifiedRow};
use crate::store::{Millis, ServerWriteOutcome, StoreResult};

/// People whose department lies in the subtree of `?2` (everyone of the organisation when `?2`
/// is NULL), as a condition on `u.department_id`.
const IN_REACH: &str = "(?2 IS NULL OR u.department_id IN (
    WITH RECURSIVE sub(id) AS (SELECT id FROM departments WHERE id = ?2
        UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id)
    SELECT id FROM sub))";

fn select(filter: &str) -> String {
    format!(
        "SELECT a.record_id, a.user_id, u.name AS owner_name, u.department_id, dep.name AS department,
                json_extract(a.payload, '$.type_id') AS type_id, json_extract(a.payload, '$.title') AS title,
                json_extract(a.payload, '$.description') AS description,
                json_extract(a.payload, '$.achieved_on') AS achieved_on,
                json_extract(a.payload, '$.recorded_at') AS recorded_at,
                json_extract(a.payload, '$.evidence_jpeg') IS NOT NULL AS has_evidence,
                r.payload AS review
         FROM records a
         JOIN users u ON u.id = a.user_id
         LEFT JOIN departments dep ON dep.id = u.department_id
         LEFT JOIN records r ON r.user_id = a.user_id AND r.entity = '{review}' AND r.record_id = a.record_id AND r.op = 'upsert'
         WHERE a.org_id = ?1 AND a.entity = '{achievement}' AND a.op = 'upsert' AND {filter}
         ORDER BY recorded_at DESC, a.record_id DESC",
        review = Entity::AchievementReview.as_str(),
        achievement = Entity::Achievement.as_str(),
    )
}

fn record_at(r: &Row) -> rusqlite::Result<AchievementRecord> {
    let review: Option<String> = r.get("review")?;
    Ok(AchievementRecord {
        id: r.get("record_id")?,
        owner_id: uuid_at(r, "user_id")?,
        owner_name: r.get("owner_name")?,
        department_id: r
            .get::<_, Option<String>>("department_id")?
            .map(|d| d.parse().map_err(|_| conversion("department_id", "uuid")))
            .transpose()?,
        department: r.get("department")?,
        type_id: r.get::<_, Option<String>>("type_id")?.unwrap_or_default(),
        title: r.get::<_, Option<String>>("title")?.unwrap_or_default(),
        description: r.get("description")?,
        achieved_on: r.get::<_, Option<String>>("achieved_on")?.unwrap_or_default(),
        recorded_at: r.get::<_, Option<i64>>("recorded_at")?.unwrap_or_default(),
        has_evidence: r.get::<_, i64>("has_evidence")? != 0,
        review: review.map(|j| serde_json::from_str(&j).map_err(|_| conversion("review", "achievement review"))).transpose()?,
    })
}

fn achievement_in(c: &Connection, org_id: Uuid, id: &str) -> StoreResult<Option<AchievementRecord>> {
    Ok(c.prepare_cached(&select("a.record_id = ?2"))?.query_row(params![org_id.to_string(), id], record_at).optional()?)
}

#[async_trait]
impl RatingStore for SqliteStore {
    async fn achievements(&self, org_id: Uuid, within: Option<Uuid>) -> StoreResult<Vec<AchievementRecord>> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(&select(IN_REACH))?;
            let rows = stmt.query_map(params![org_id.to_string(), within.map(|w| w.to_string())], record_at)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn achievement(&self, org_id: Uuid, id: &str) -> StoreResult<Option<AchievementRecord>> {
        let id = id.to_string();
        self.read(move |c| achievement_in(c, org_id, &id)).await
    }

    async fn achievement_evidence(&self, org_id: Uuid, id: &str) -> StoreResult<Option<Option<String>>> {
        let id = id.to_string();
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT json_extract(payload, '$.evidence_jpeg') AS evidence FROM records
                 WHERE org_id = ?1 AND entity = ?2 AND record_id = ?3 AND op = 'upsert'",
            )?
            .query_row(params![org_id.to_string(), Entity::Achievement.as_str(), id], |r| r.get("evidence"))
            .optional()?)
        })
        .await
    }

    async fn write_person_record(
        &self,
        org_id: Uuid,
        owner: Uuid,
        author: Uuid,
        change: Change,
        audit: AuditEntry,
        now: Millis,
    ) -> StoreResult<ServerWriteOutcome> {
        self.write(move |tx| {
            let outcome = write_server_in(tx, &org_id.to_string(), Some(&owner.to_string()), Some(&author.to_string()), &change, false, now)?;
            if matches!(outcome, ServerWriteOutcome::Written(_)) {
                insert_audit(tx, &audit)?;
            }
            Ok(outcome)
        })
        .await
    }

    async fn set_rating_catalogue(&self, org_id: Uuid, author: Uuid, change: Change, audit: AuditEntry, now: Millis) -> StoreResult<ServerWriteOutcome> {
        self.write(move |tx| {
            let outcome = write_server_in(tx, &org_id.to_string(), None, Some(&author.to_string()), &change, false, now)?;
            insert_audit(tx, &audit)?;
            Ok(outcome)
        })
        .await
    }

    async fn verified(&self, org_id: Uuid, within: Option<Uuid>) -> StoreResult<Vec<VerifiedRow>> {
        self.read(move |c| {
            let sql = format!(
                "SELECT r.user_id, json_extract(r.payload, '$.category_id') AS category_id,
                        json_extract(r.payload, '$.points') AS points, json_extract(a.payload, '$.achieved_on') AS achieved_on
                 FROM records r
                 JOIN records a ON a.user_id = r.user_id AND a.entity = '{achievement}' AND a.record_id = r.record_id AND a.op = 'upsert'
                 JOIN users u ON u.id = r.user_id
                 WHERE r.org_id = ?1 AND r.entity = '{review}' AND r.op = 'upsert'
                   AND json_extract(r.payload, '$.status') = 'verified' AND {IN_REACH}",
                achievement = Entity::Achievement.as_str(),
                review = Entity::AchievementReview.as_str(),
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![org_id.to_string(), within.map(|w| w.to_string())], |r| {
                Ok(VerifiedRow {
                    user_id: uuid_at(r, "user_id")?,
                    category_id: r.get::<_, Option<String>>("category_id")?.unwrap_or_default(),
                    points: r.get::<_, Option<i64>>("points")?.unwrap_or_default().clamp(0, i64::from(u32::MAX)) as u32,
                    achieved_on: r.get::<_, Option<String>>("achieved_on")?.unwrap_or_default(),
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn records_of(&self, org_id: Uuid, within: Option<Uuid>, user: Option<Uuid>, entities: Vec<Entity>) -> StoreResult<Vec<PersonRecord>> {
        self.read(move |c| {
            let sql = format!(
                "SELECT r.user_id, r.entity, r.record_id, r.payload FROM records r JOIN users u ON u.id = r.user_id
                 WHERE r.org_id = ?1 AND r.entity = ?3 AND r.op = 'upsert' AND (?4 IS NULL OR r.user_id = ?4) AND {IN_REACH}"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let mut out = Vec::new();
            for entity in entities {
                let rows = stmt.query_map(
                    params![org_id.to_string(), within.map(|w| w.to_string()), entity.as_str(), user.map(|u| u.to_string())],
                    |r| {
                        let payload: String = r.get("payload")?;
                        Ok(PersonRecord {
                            user_id: uuid_at(r, "user_id")?,
                            entity,
                            record_id: r.get("record_id")?,
                            payload: serde_json::from_str(&payload).map_err(|_| conversion("payload", "JSON"))?,
                        })
                    },
                )?;
                out.extend(rows.collect::<Result<Vec<_>, _>>()?);
            }
            Ok(out)
        })
        .await
    }
}
