//! Applying a pulled page of changes to the device database: the same last-writer-wins rule
//! as the server, tombstones that win over older writes, and the page's cursor saved in the same
//! transaction. Applying never writes to the outbox (no echo) and moves the device's clock past
//! every stamp it sees, so a later local edit wins over what it has seen, whatever the clocks.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::model::{AppOpenDay, CheckIn, Feedback, OrgSettings, ProfileInput, SessionSource, Task};
use crate::risk::{ArtifactError, Model};
use crate::storage::dao::{self, SessionRow};
use crate::storage::competencies_dao::{self, Rater};
use crate::storage::{ratings_dao, sync_dao};
use crate::store::Store;
use qamqor_protocol::{
    AchievementPayload, AchievementReviewPayload, Change, CompetencyAssignmentPayload, SkillRatingPayload, COMPETENCY_RECORD_ID, Entity, FeedbackPayload, Op, OrgSettingsPayload, RatingCataloguePayload,
    RiskModelPayload, MIN_GROUP_SIZE, ORG_SETTINGS_RECORD_ID, RATING_CATALOGUE_RECORD_ID,
};

/// The meta key of the pull cursor.
pub(crate) const CURSOR_KEY: &str = "sync_cursor";

/// What applying a page did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ApplyOutcome {
    /// Changes that changed this device's data.
    pub applied: u64,
    /// Changes already reflected here or superseded (own changes coming back, older writes).
    pub unchanged: u64,
    /// Changes that could not be applied: kept with the reason (see the sync status).
    pub rejected: u64,
    /// Changes of a record kind this version of the app does not know (a newer server's): kept
    /// aside as they came and applied once an update knows the kind ([`Store::apply_set_aside`]).
    pub set_aside: u64,
}

/// A change of a pulled page that this version of the app cannot read as a [`Change`] because
/// its record kind is newer than the app.
struct UnknownKind {
    id: String,
    entity: String,
    record_id: String,
    raw: String,
}

/// Why one change was not applied.
enum Skip {
    /// Already reflected or superseded: nothing to do.
    Unchanged,
    /// Malformed or invalid: kept aside with the reason.
    Rejected(String),
}

type Step = std::result::Result<(), Skip>;

/// Side effects to publish once the page is committed.
#[derive(Default)]
struct Effects {
    profile: Option<(crate::model::Profile, crate::schedule::Schedule)>,
    model: Option<Arc<Model>>,
}

impl Store {
    /// The pull cursor: the server sequence of the last applied change.
    pub fn sync_cursor(&self) -> Result<u64> {
        Ok(dao::meta_get(&self.lock().conn, CURSOR_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// Applies one pulled page as the server sent it (JSON changes) and stores `next` as the
    /// cursor, in one transaction. Changes of a record kind this app does not know yet are kept
    /// aside, not dropped and not an error, so an older app goes on syncing with a newer server;
    /// anything else that is not a change is the server's error ([`Error::Sync`] `Protocol`) and
    /// nothing of the page is kept.
    pub fn apply_pulled_page(&self, raw: &[serde_json::Value], next: u64) -> Result<ApplyOutcome> {
        let mut changes = Vec::with_capacity(raw.len());
        let mut unknown = Vec::new();
        for (i, value) in raw.iter().enumerate() {
            match serde_json::from_value::<Change>(value.clone()) {
                Ok(change) => changes.push(change),
                Err(e) => {
                    let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
                    match (text("id"), text("entity"), text("record_id")) {
                        (Some(id), Some(entity), Some(record_id)) if Entity::parse(&entity).is_none() && !id.is_empty() => {
                            unknown.push(UnknownKind { id, entity, record_id, raw: value.to_string() });
                        }
                        _ => {
                            let detail = format!("pulled change {i} is not a change: {e}");
                            return Err(Error::Sync(crate::sync::SyncError::Protocol { detail }));
                        }
                    }
                }
            }
        }
        self.apply_page(&changes, &unknown, &[], next)
    }

    /// Applies the changes kept aside for record kinds an earlier version of the app did not
    /// know and this one does (after an update): the same rules as a pull, the cursor unchanged,
    /// and each one forgotten in the same transaction (or kept as rejected with its own reason).
    /// The sync runs it before pulling, so a failure shows in the sync status, never in the way.
    pub fn apply_set_aside(&self) -> Result<ApplyOutcome> {
        let kept = sync_dao::set_aside_now_known(&self.lock().conn)?;
        if kept.is_empty() {
            return Ok(ApplyOutcome::default());
        }
        let mut ids = Vec::with_capacity(kept.len());
        let mut changes = Vec::with_capacity(kept.len());
        let mut unreadable = 0;
        for (id, raw) in kept {
            match serde_json::from_str::<Change>(&raw) {
                Ok(change) => {
                    ids.push(id);
                    changes.push(change);
                }
                // Its kind is known now, and it still is not a change: rejected, with why.
                Err(e) => {
                    sync_dao::set_rejection_reason(&self.lock().conn, &id, &format!("not a change: {e}"))?;
                    unreadable += 1;
                }
            }
        }
        let mut outcome = self.apply_page(&changes, &[], &ids, 0)?;
        outcome.rejected += unreadable;
        Ok(outcome)
    }

    /// Applies one pulled page and stores `next` as the cursor, in one transaction: either the
    /// whole page and its cursor are kept, or nothing is.
    pub fn apply_pulled(&self, changes: &[Change], next: u64) -> Result<ApplyOutcome> {
        self.apply_page(changes, &[], &[], next)
    }

    /// One transaction: `forget` (kept-aside changes being applied now) leave the kept-aside
    /// list, `changes` apply, `unknown` are kept aside, and the cursor moves to `next`.
    fn apply_page(&self, changes: &[Change], unknown: &[UnknownKind], forget: &[String], next: u64) -> Result<ApplyOutcome> {
        // The model in use, loaded before taking the database lock (loading reads the database).
        let current_model = if changes.iter().any(|c| c.entity == Entity::RiskModel) { Some(self.risk_model()?) } else { None };
        let mut model_slot = current_model.as_ref().map(|_| self.risk_model.write().unwrap_or_else(|e| e.into_inner()));
        let now = self.clock.now();
        let mut inner = self.lock();
        let mut effects = Effects::default();
        let mut outcome = ApplyOutcome::default();
        {
            let mut tx = inner.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for id in forget {
                sync_dao::forget_set_aside(&tx, id)?;
            }
            for change in changes {
                // Every stamp seen moves the clock, so later local edits order after it.
                self.hlc.observe(&change.hlc);
                let sp = tx.savepoint()?;
                let step = self.apply_one(&sp, change, now, current_model.as_deref(), &mut effects);
                match step {
                    Ok(Ok(())) => {
                        sp.commit()?;
                        outcome.applied += 1;
                    }
                    Ok(Err(Skip::Unchanged)) => {
                        sp.commit()?;
                        outcome.unchanged += 1;
                    }
                    Ok(Err(Skip::Rejected(reason))) => {
                        drop(sp);
                        sync_dao::reject(&tx, change, &reason, now)?;
                        outcome.rejected += 1;
                    }
                    // A constraint the validation did not foresee: the change is bad, not the store.
                    Err(Error::Storage(rusqlite::Error::SqliteFailure(e, msg)))
                        if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        drop(sp);
                        let reason = format!("violates a constraint: {}", msg.unwrap_or_default());
                        sync_dao::reject(&tx, change, &reason, now)?;
                        outcome.rejected += 1;
                    }
                    Err(e) => return Err(e),
                }
            }
            for u in unknown {
                sync_dao::set_aside_unknown(&tx, &u.id, &u.entity, &u.record_id, &u.raw, now)?;
                outcome.set_aside += 1;
            }
            let old: u64 = dao::meta_get(&tx, CURSOR_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0);
            dao::meta_set(&tx, CURSOR_KEY, &old.max(next).to_string())?;
            // Keep the clock's persisted floor above everything seen.
            dao::meta_set(&tx, "last_hlc", &self.hlc.stamp())?;
            tx_commit(tx)?;
        }
        if let Some((profile, schedule)) = effects.profile {
            inner.profile = profile;
            inner.schedule = schedule;
        }
        if let (Some(slot), Some(model)) = (model_slot.as_mut(), effects.model) {
            **slot = Some(model);
        }
        Ok(outcome)
    }

    fn apply_one(
        &self,
        tx: &Connection,
        c: &Change,
        now: DateTime<Utc>,
        current_model: Option<&Model>,
        effects: &mut Effects,
    ) -> Result<Step> {
        if c.op == Op::Upsert {
            if let Some(deleted) = sync_dao::tombstone(tx, c.entity, &c.record_id)? {
                if deleted >= c.hlc {
                    return Ok(Err(Skip::Unchanged));
                }
            }
        }
        match (c.entity, c.op) {
            (Entity::Profile, Op::Upsert) => {
                if !newer(tx, c)? {
                    return Ok(Err(Skip::Unchanged));
                }
                let input: ProfileInput = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                let (mut profile, schedule) = match crate::store::validate_profile(&input) {
                    Ok(v) => v,
                    Err(e) => return Ok(Err(Skip::Rejected(e.to_string()))),
                };
                profile.has_photo = dao::photo(tx)?.is_some();
                profile.updated_at = Some(now);
                dao::save_profile(tx, &profile, &c.hlc)?;
                effects.profile = Some((profile, schedule));
                Ok(Ok(()))
            }
            (Entity::Task, Op::Upsert) => {
                if !newer(tx, c)? {
                    return Ok(Err(Skip::Unchanged));
                }
                let task: Task = match payload(c) {
                    Ok(t) => t,
                    Err(skip) => return Ok(Err(skip)),
                };
                if task.id != c.record_id {
                    return Ok(Err(Skip::Rejected(format!("the payload's id {} is not the record id", task.id))));
                }
                if let Err(e) = Store::validate_task(&crate::model::TaskInput {
                    title: task.title.clone(),
                    notes: task.notes.clone(),
                    due_date: task.due_date,
                    estimate_minutes: task.estimate_minutes,
                    assigned_by: task.assigned_by.clone(),
                }) {
                    return Ok(Err(Skip::Rejected(e.to_string())));
                }
                dao::save_task(tx, &task, &c.hlc)?;
                Ok(Ok(()))
            }
            (Entity::WorkSession, Op::Upsert) => {
                let p: SessionPayload = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                let Some(ended_at) = p.ended_at else {
                    return Ok(Err(Skip::Rejected("a synced session must have ended".into())));
                };
                if ended_at <= p.started_at {
                    return Ok(Err(Skip::Rejected("the session ends before it starts".into())));
                }
                if let Some(local) = dao::session(tx, &c.record_id)? {
                    if local.ended_at.is_none() {
                        dao::end_session(tx, &c.record_id, ended_at)?;
                        return Ok(Ok(()));
                    }
                    return Ok(Err(Skip::Unchanged));
                }
                let row = SessionRow { id: c.record_id.clone(), started_at: p.started_at, ended_at: Some(ended_at), source: p.source, note: p.note };
                dao::insert_session(tx, &row, now)?;
                Ok(Ok(()))
            }
            (Entity::CheckIn, Op::Upsert) => {
                if sync_dao::exists(tx, Entity::CheckIn, &c.record_id)? {
                    return Ok(Err(Skip::Unchanged));
                }
                let ci: CheckIn = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                if ci.id != c.record_id {
                    return Ok(Err(Skip::Rejected(format!("the payload's id {} is not the record id", ci.id))));
                }
                if let Some((field, range)) = crate::model::CHECK_IN_SCALES.off_scale(ci.fatigue, ci.stress, ci.mood, ci.sleep_hours) {
                    return Ok(Err(Skip::Rejected(format!("the check-in's {field} is off its scale ({range})"))));
                }
                dao::insert_check_in(tx, &ci, &c.hlc)?;
                Ok(Ok(()))
            }
            (Entity::CbiResponse, Op::Upsert) => {
                if sync_dao::exists(tx, Entity::CbiResponse, &c.record_id)? {
                    return Ok(Err(Skip::Unchanged));
                }
                let r: crate::cbi::CbiResponse = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                if r.id != c.record_id || r.answers.len() != crate::cbi::CBI_ITEM_COUNT || r.answers.iter().flatten().any(|a| *a > 4) {
                    return Ok(Err(Skip::Rejected("not a complete questionnaire response".into())));
                }
                dao::insert_cbi(
                    tx,
                    &dao::CbiRow {
                        id: r.id,
                        answered_at: r.answered_at,
                        answers: r.answers,
                        personal: r.scores.personal,
                        work_related: r.scores.work_related,
                        client_related: r.scores.client_related,
                    },
                )?;
                Ok(Ok(()))
            }
            (Entity::AppOpen, Op::Upsert) => {
                // This device's own days are counted in app_opens already.
                if c.record_id.split_once(':').is_some_and(|(device, _)| device == self.device_id()) {
                    return Ok(Err(Skip::Unchanged));
                }
                if !newer(tx, c)? {
                    return Ok(Err(Skip::Unchanged));
                }
                let day: AppOpenDay = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                sync_dao::save_other_app_open(tx, &c.record_id, &day, &c.hlc)?;
                Ok(Ok(()))
            }
            // Each device assesses from the merged records itself; the shared copy is for the
            // organisation's figures only.
            (Entity::RiskAssessment, _) => Ok(Err(Skip::Unchanged)),
            (Entity::Feedback, Op::Upsert) => {
                if !newer(tx, c)? {
                    return Ok(Err(Skip::Unchanged));
                }
                let p: FeedbackPayload = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                let Some(sent_at) = DateTime::from_timestamp_millis(p.sent_at) else {
                    return Ok(Err(Skip::Rejected(format!("sent_at {} is not a time", p.sent_at))));
                };
                let f = Feedback { id: c.record_id.clone(), from_name: p.from_name, message: p.message, sent_at, read_at: None };
                sync_dao::save_feedback(tx, &f, &c.hlc, now)?;
                Ok(Ok(()))
            }
            (Entity::OrgSettings, Op::Upsert) => {
                if c.record_id != ORG_SETTINGS_RECORD_ID {
                    return Ok(Err(Skip::Rejected(format!("organisation settings have the record id '{ORG_SETTINGS_RECORD_ID}'"))));
                }
                if !newer(tx, c)? {
                    return Ok(Err(Skip::Unchanged));
                }
                let p: OrgSettingsPayload = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                let s = OrgSettings {
                    organisation: p.organisation,
                    privacy_policy: p.privacy_policy,
                    min_group_size: p.min_group_size.max(MIN_GROUP_SIZE),
                };
                sync_dao::save_org_settings(tx, &s, &c.hlc)?;
                Ok(Ok(()))
            }
            (Entity::RiskModel, Op::Upsert) => {
                let p: RiskModelPayload = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                let Some(current) = current_model else { return Ok(Err(Skip::Unchanged)) };
                let artifact = serde_json::to_vec(&p.artifact)?;
                let mut candidate = effects.model.as_deref().unwrap_or(current).clone();
                match candidate.try_replace(&artifact) {
                    Ok(()) => {
                        dao::save_risk_model(tx, candidate.version(), &artifact, now)?;
                        effects.model = Some(Arc::new(candidate));
                        Ok(Ok(()))
                    }
                    // This device already runs this model or a newer one.
                    Err(ArtifactError::NotNewer { .. }) => Ok(Err(Skip::Unchanged)),
                    Err(e) => Ok(Err(Skip::Rejected(format!("model {}: {e}", p.version)))),
                }
            }
            (Entity::DeletionRequest, Op::Upsert) => {
                let p: qamqor_protocol::DeletionRequestPayload = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                let Some(at) = DateTime::<Utc>::from_timestamp_millis(p.requested_at) else {
                    return Ok(Err(Skip::Rejected(format!("deletion request time {} out of range", p.requested_at))));
                };
                Ok(if sync_dao::save_deletion_request(tx, &c.record_id, at)? { Ok(()) } else { Err(Skip::Unchanged) })
            }
            (Entity::Achievement, Op::Upsert) => {
                if ratings_dao::achievement_exists(tx, &c.record_id)? {
                    return Ok(Err(Skip::Unchanged));
                }
                let p: AchievementPayload = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                if p.id != c.record_id {
                    return Ok(Err(Skip::Rejected(format!("the payload's id {} is not the record id", p.id))));
                }
                // UTC date: validation allows a day ahead, which covers every time zone.
                let today = now.date_naive();
                let achieved_on = match crate::rating::validate_achievement(&p, today) {
                    Ok(d) => d,
                    Err(e) => return Ok(Err(Skip::Rejected(e.to_string()))),
                };
                let evidence = match p.evidence_jpeg.as_deref().map(crate::rating::decode_evidence).transpose() {
                    Ok(e) => e,
                    Err(e) => return Ok(Err(Skip::Rejected(e.to_string()))),
                };
                let Some(recorded_at) = DateTime::from_timestamp_millis(p.recorded_at) else {
                    return Ok(Err(Skip::Rejected(format!("recorded_at {} is not a time", p.recorded_at))));
                };
                let row = ratings_dao::AchievementRow {
                    id: p.id,
                    type_id: p.type_id,
                    title: p.title,
                    description: p.description,
                    achieved_on,
                    recorded_at,
                    has_evidence: evidence.is_some(),
                };
                ratings_dao::insert_achievement(tx, &row, evidence.as_deref(), &c.hlc)?;
                Ok(Ok(()))
            }
            (Entity::AchievementReview, Op::Upsert) => {
                if ratings_dao::review_hlc(tx, &c.record_id)?.is_some_and(|local| c.hlc <= local) {
                    return Ok(Err(Skip::Unchanged));
                }
                let p: AchievementReviewPayload = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                if p.achievement_id != c.record_id {
                    return Ok(Err(Skip::Rejected(format!("the review of {} must have that id as its record id", p.achievement_id))));
                }
                if p.points > crate::rating::MAX_POINTS {
                    return Ok(Err(Skip::Rejected(format!("{} points is more than a type can earn", p.points))));
                }
                let Some(reviewed_at) = DateTime::from_timestamp_millis(p.reviewed_at) else {
                    return Ok(Err(Skip::Rejected(format!("reviewed_at {} is not a time", p.reviewed_at))));
                };
                let row = ratings_dao::ReviewRow {
                    achievement_id: p.achievement_id,
                    status: p.status,
                    comment: p.comment,
                    reviewer_name: p.reviewer_name,
                    reviewed_at,
                    category_id: p.category_id,
                    points: p.points,
                };
                ratings_dao::save_review(tx, &row, &c.hlc)?;
                Ok(Ok(()))
            }
            (Entity::RatingCatalogue, Op::Upsert) => {
                if c.record_id != RATING_CATALOGUE_RECORD_ID {
                    return Ok(Err(Skip::Rejected(format!("the rating catalogue has the record id '{RATING_CATALOGUE_RECORD_ID}'"))));
                }
                if ratings_dao::catalogue_hlc(tx)?.is_some_and(|local| c.hlc <= local) {
                    return Ok(Err(Skip::Unchanged));
                }
                let p: RatingCataloguePayload = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                if let Err(e) = crate::rating::validate_catalogue(&p) {
                    return Ok(Err(Skip::Rejected(e.to_string())));
                }
                ratings_dao::save_catalogue(tx, &p, &c.hlc)?;
                Ok(Ok(()))
            }
            (Entity::CompetencyAssignment, Op::Upsert) => {
                if c.record_id != COMPETENCY_RECORD_ID {
                    return Ok(Err(Skip::Rejected(format!("a competency assignment has the record id '{COMPETENCY_RECORD_ID}'"))));
                }
                if competencies_dao::assignment_hlc(tx)?.is_some_and(|local| c.hlc <= local) {
                    return Ok(Err(Skip::Unchanged));
                }
                let p: CompetencyAssignmentPayload = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                let known = crate::competency::catalogue()?.card(&p.card_id).is_some();
                if !known || !(1..=8).contains(&p.level) {
                    return Ok(Err(Skip::Rejected(format!("card {} at level {} is not in this app's catalogue", p.card_id, p.level))));
                }
                let Some(assigned_at) = DateTime::from_timestamp_millis(p.assigned_at) else {
                    return Ok(Err(Skip::Rejected(format!("assigned_at {} is not a time", p.assigned_at))));
                };
                let row = competencies_dao::AssignmentRow { card_id: p.card_id, level: p.level, assigned_by: p.assigned_by, assigned_at };
                competencies_dao::save_assignment(tx, &row, &c.hlc)?;
                Ok(Ok(()))
            }
            (Entity::SkillRating | Entity::ManagerSkillRating, Op::Upsert) => {
                let rater = if c.entity == Entity::SkillRating { Rater::Own } else { Rater::Manager };
                if competencies_dao::score_hlc(tx, rater, &c.record_id)?.is_some_and(|local| c.hlc <= local) {
                    return Ok(Err(Skip::Unchanged));
                }
                let p: SkillRatingPayload = match payload(c) {
                    Ok(p) => p,
                    Err(skip) => return Ok(Err(skip)),
                };
                if p.skill_id != c.record_id || p.score > qamqor_protocol::SKILL_SCALE_MAX {
                    return Ok(Err(Skip::Rejected(format!("a score of {} for skill {} (record {})", p.score, p.skill_id, c.record_id))));
                }
                let Some(rated_at) = DateTime::from_timestamp_millis(p.rated_at) else {
                    return Ok(Err(Skip::Rejected(format!("rated_at {} is not a time", p.rated_at))));
                };
                let row = competencies_dao::ScoreRow { skill_id: p.skill_id, score: p.score, rated_at, rated_by: p.rated_by };
                competencies_dao::save_score(tx, rater, &row, &c.hlc)?;
                Ok(Ok(()))
            }
            (Entity::Profile | Entity::OrgSettings | Entity::RiskModel | Entity::RatingCatalogue | Entity::DeletionRequest, Op::Delete) => {
                Ok(Err(Skip::Rejected(format!("a {} cannot be deleted", c.entity.as_str()))))
            }
            (entity, Op::Delete) => {
                if !newer(tx, c)? {
                    return Ok(Err(Skip::Unchanged));
                }
                sync_dao::set_tombstone(tx, entity, &c.record_id, &c.hlc)?;
                match entity {
                    Entity::Task => sync_dao::delete_task(tx, &c.record_id)?,
                    Entity::WorkSession => {
                        dao::delete_session(tx, &c.record_id)?;
                    }
                    Entity::CheckIn => dao::delete_check_in(tx, &c.record_id)?,
                    Entity::CbiResponse => sync_dao::delete_cbi(tx, &c.record_id)?,
                    Entity::AppOpen => sync_dao::delete_other_app_open(tx, &c.record_id)?,
                    Entity::Feedback => sync_dao::delete_feedback(tx, &c.record_id)?,
                    Entity::Achievement => ratings_dao::delete_achievement(tx, &c.record_id)?,
                    Entity::AchievementReview => ratings_dao::delete_review(tx, &c.record_id)?,
                    Entity::CompetencyAssignment => competencies_dao::delete_assignment(tx)?,
                    Entity::SkillRating => competencies_dao::delete_score(tx, Rater::Own, &c.record_id)?,
                    Entity::ManagerSkillRating => competencies_dao::delete_score(tx, Rater::Manager, &c.record_id)?,
                    _ => {}
                }
                Ok(Ok(()))
            }
        }
    }
}

/// True when the change is newer than the record's current state here (or the record is new).
fn newer(tx: &Connection, c: &Change) -> Result<bool> {
    Ok(sync_dao::record_hlc(tx, c.entity, &c.record_id)?.is_none_or(|local| c.hlc > local))
}

fn payload<T: DeserializeOwned>(c: &Change) -> std::result::Result<T, Skip> {
    serde_json::from_value(c.payload.clone()).map_err(|e| Skip::Rejected(format!("unreadable {} payload: {e}", c.entity.as_str())))
}

fn tx_commit(tx: Transaction) -> Result<()> {
    tx.commit()?;
    Ok(())
}

/// The payload of a work session as the core writes it.
#[derive(serde::Deserialize)]
struct SessionPayload {
    started_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    source: SessionSource,
    note: Option<String>,
}
