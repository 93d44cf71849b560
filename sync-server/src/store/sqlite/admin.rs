//! [`AdminStore`] on SQLite: the audit log, the department tree, people, and the reads behind
//! the activity statistics, weekly indicators and risk overview (from the derived tables that
//! [`super::aggregates`] keeps current).

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::NaiveDate;
use qamqor_protocol::Role;
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, Transaction};
use serde_json::Value;
use uuid::Uuid;

use super::{aggregates, conversion, delete_device_tokens, role_at, uuid_at, SqliteStore};
use crate::aggregates::ScheduleRow;
use crate::store::admin::{
    search_key, ActivityFilter, AdminStore, AuditEntry, AuditFilter, AuditRecord, CarriedOut, DaySums, DeletionOutcome, DeletionRequestRecord, Department, DepartmentChange,
    DepartmentOutcome, NewPerson, Page, PeopleFilter, PeopleSort, PeriodQuery, Person, PersonChange, PersonFacts,
    PersonOutcome, RiskMark, StatusFilter, SyncKind,
};
use crate::store::{Millis, StoreError, StoreResult};

/// The ids of a department and every department below it, as a CTE named `sub` over the
/// parameter `?1`. UNION (not UNION ALL) stops even on a cycle.
const SUBTREE: &str = "WITH RECURSIVE sub(id) AS (
    SELECT id FROM departments WHERE id = ?1
    UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id)";

/// A statement's text and its positional arguments, built together.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<SqlValue>,
}

impl Sql {
    /// Adds an argument and returns its placeholder.
    fn arg(&mut self, v: impl Into<SqlValue>) -> String {
        self.args.push(v.into());
        format!("?{}", self.args.len())
    }
}

fn opt_uuid_at(r: &Row, col: &str) -> rusqlite::Result<Option<Uuid>> {
    r.get::<_, Option<String>>(col)?.map(|s| s.parse().map_err(|_| conversion(col, "uuid"))).transpose()
}

fn date_at(r: &Row, col: &str) -> rusqlite::Result<NaiveDate> {
    r.get::<_, String>(col)?.parse().map_err(|_| conversion(col, "date"))
}

pub(super) fn insert_audit(tx: &Transaction, e: &AuditEntry) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO audit_log (org_id, at, actor_id, actor_name, actor_role, action, target_type, target_id, details, client_addr)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        e.org_id.to_string(),
        e.at,
        e.actor_id.to_string(),
        e.actor_name,
        e.actor_role.as_str(),
        e.action,
        e.target_type,
        e.target_id,
        e.details.to_string(),
        e.client_addr
    ])?;
    Ok(())
}

// ---- departments --------------------------------------------------------------------------

const DEPARTMENT_COLUMNS: &str = "id, parent_id, name, created_at, archived_at,
    (SELECT COUNT(*) FROM users u WHERE u.department_id = departments.id AND u.deactivated_at IS NULL) AS people";

fn department_at(r: &Row) -> rusqlite::Result<Department> {
    Ok(Department {
        id: uuid_at(r, "id")?,
        parent_id: opt_uuid_at(r, "parent_id")?,
        name: r.get("name")?,
        created_at: r.get("created_at")?,
        archived_at: r.get("archived_at")?,
        people: r.get("people")?,
    })
}

fn department_in(c: &Connection, org_id: Uuid, id: Uuid) -> StoreResult<Option<Department>> {
    Ok(c.prepare_cached(&format!("SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE id = ?1 AND org_id = ?2"))?
        .query_row(params![id.to_string(), org_id.to_string()], department_at)
        .optional()?)
}

fn sibling_named(tx: &Transaction, org_id: Uuid, parent: Option<Uuid>, name: &str, except: Option<Uuid>) -> StoreResult<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT 1 FROM departments WHERE org_id = ?1 AND COALESCE(parent_id, '') = ?2 AND name = ?3 AND id != ?4",
        )?
        .exists(params![
            org_id.to_string(),
            parent.map(|p| p.to_string()).unwrap_or_default(),
            name,
            except.map(|e| e.to_string()).unwrap_or_default()
        ])?)
}

/// Whether `department` is `ancestor` or lies below it.
fn within(c: &Connection, department: Uuid, ancestor: Uuid) -> StoreResult<bool> {
    Ok(c.prepare_cached(&format!("{SUBTREE} SELECT 1 FROM sub WHERE id = ?2"))?
        .exists(params![ancestor.to_string(), department.to_string()])?)
}

/// Checks a parent to be: in the organisation and active.
fn check_parent(tx: &Transaction, org_id: Uuid, parent: Option<Uuid>) -> StoreResult<Option<DepartmentOutcome>> {
    let Some(parent) = parent else { return Ok(None) };
    Ok(match department_in(tx, org_id, parent)? {
        None => Some(DepartmentOutcome::ParentNotFound),
        Some(p) if p.archived_at.is_some() => Some(DepartmentOutcome::ParentArchived),
        Some(_) => None,
    })
}

// ---- people -------------------------------------------------------------------------------

const PERSON_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.department_id, d.name AS department, u.created_at,
    u.activated_at, u.last_seen_at, u.deactivated_at, u.password_hash = '' AS invited,
    r.day AS risk_day, r.level AS risk_level, r.score AS risk_score";

/// Joins each person's latest risk level shared on the days between the two placeholders.
fn person_from(from: &str, to: &str) -> String {
    format!(
        "FROM users u LEFT JOIN departments d ON d.id = u.department_id
         LEFT JOIN person_risk r ON r.user_id = u.id AND r.day =
             (SELECT MAX(day) FROM person_risk WHERE user_id = u.id AND day BETWEEN {from} AND {to} AND level IS NOT NULL)"
    )
}

fn person_at(r: &Row) -> rusqlite::Result<Person> {
    let risk = match r.get::<_, Option<String>>("risk_level")? {
        Some(level) => Some(RiskMark { day: date_at(r, "risk_day")?, level, score: r.get("risk_score")?, factors: None }),
        None => None,
    };
    Ok(Person {
        id: uuid_at(r, "id")?,
        email: r.get("email")?,
        name: r.get("name")?,
        role: role_at(r, "role")?,
        department_id: opt_uuid_at(r, "department_id")?,
        department: r.get("department")?,
        created_at: r.get("created_at")?,
        activated_at: r.get("activated_at")?,
        last_seen_at: r.get("last_seen_at")?,
        deactivated_at: r.get("deactivated_at")?,
        invited: r.get("invited")?,
        risk,
    })
}

fn person_in(c: &Connection, org_id: Uuid, id: Uuid, window: (NaiveDate, NaiveDate)) -> StoreResult<Option<Person>> {
    let sql = format!("SELECT {PERSON_COLUMNS} {} WHERE u.id = ?1 AND u.org_id = ?2", person_from("?3", "?4"));
    Ok(c.prepare_cached(&sql)?
        .query_row(params![id.to_string(), org_id.to_string(), window.0.to_string(), window.1.to_string()], person_at)
        .optional()?)
}

/// Whether the person's deletion request was carried out (their account is kept only as a row).
fn erased(c: &Connection, id: Uuid) -> StoreResult<bool> {
    Ok(c.prepare_cached("SELECT 1 FROM deletions WHERE user_id = ?1")?.exists(params![id.to_string()])?)
}

/// Whether the organisation keeps an active admin other than `except`.
fn other_active_admin(tx: &Transaction, org_id: Uuid, except: Uuid) -> StoreResult<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT 1 FROM users WHERE org_id = ?1 AND role = 'admin' AND deactivated_at IS NULL AND password_hash != '' AND id != ?2",
        )?
        .exists(params![org_id.to_string(), except.to_string()])?)
}

fn risk_window(window: (NaiveDate, NaiveDate)) -> (String, String) {
    (window.0.to_string(), window.1.to_string())
}

#[async_trait]
impl AdminStore for SqliteStore {
    async fn record_audit(&self, entry: AuditEntry) -> StoreResult<()> {
        self.write(move |tx| insert_audit(tx, &entry)).await
    }

    async fn audit_log(&self, f: AuditFilter) -> StoreResult<Page<AuditRecord>> {
        self.read(move |c| {
            let mut q = Sql::default();
            let org = q.arg(f.org_id.to_string());
            let mut cond = format!("a.org_id = {org}");
            if let Some(root) = f.within {
                let root = q.arg(root.to_string());
                cond += &format!(
                    " AND a.actor_id IN (SELECT u.id FROM users u WHERE u.department_id IN (
                        WITH RECURSIVE sub(id) AS (SELECT id FROM departments WHERE id = {root}
                            UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id)
                        SELECT id FROM sub))"
                );
            }
            if let Some(from) = f.from {
                cond += &format!(" AND a.at >= {}", q.arg(from));
            }
            if let Some(to) = f.to {
                cond += &format!(" AND a.at < {}", q.arg(to));
            }
            if let Some(actor) = f.actor_id {
                cond += &format!(" AND a.actor_id = {}", q.arg(actor.to_string()));
            }
            if let Some(action) = &f.action {
                cond += &format!(" AND a.action = {}", q.arg(action.clone()));
            }
            let total: i64 = c
                .prepare(&format!("SELECT COUNT(*) FROM audit_log a WHERE {cond}"))?
                .query_row(params_from_iter(q.args.iter()), |r| r.get(0))?;
            let limit = q.arg(i64::from(f.limit));
            let offset = q.arg(i64::try_from(f.offset).unwrap_or(i64::MAX));
            q.text = format!(
                "SELECT a.id, a.org_id, a.at, a.actor_id, a.actor_name, a.actor_role, a.action, a.target_type, a.target_id,
                        a.details, a.client_addr
                 FROM audit_log a WHERE {cond} ORDER BY a.at DESC, a.id DESC LIMIT {limit} OFFSET {offset}"
            );
            let items = c
                .prepare(&q.text)?
                .query_map(params_from_iter(q.args.iter()), |r| {
                    Ok(AuditRecord {
                        id: r.get("id")?,
                        entry: AuditEntry {
                            org_id: uuid_at(r, "org_id")?,
                            actor_id: uuid_at(r, "actor_id")?,
                            actor_name: r.get("actor_name")?,
                            actor_role: role_at(r, "actor_role")?,
                            action: r.get("action")?,
                            target_type: r.get("target_type")?,
                            target_id: r.get("target_id")?,
                            details: serde_json::from_str(&r.get::<_, String>("details")?)
                                .map_err(|_| conversion("details", "JSON"))?,
                            client_addr: r.get("client_addr")?,
                            at: r.get("at")?,
                        },
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, total: total as u64 })
        })
        .await
    }

    async fn departments(&self, org_id: Uuid) -> StoreResult<Vec<Department>> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                &format!("SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE org_id = ?1 ORDER BY name, id"),
            )?
            .query_map(params![org_id.to_string()], department_at)?
            .collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn create_department(
        &self,
        org_id: Uuid,
        parent_id: Option<Uuid>,
        name: String,
        mut audit: AuditEntry,
    ) -> StoreResult<DepartmentOutcome> {
        self.write(move |tx| {
            if let Some(refused) = check_parent(tx, org_id, parent_id)? {
                return Ok(refused);
            }
            if sibling_named(tx, org_id, parent_id, &name, None)? {
                return Ok(DepartmentOutcome::NameTaken);
            }
            let id = Uuid::now_v7();
            tx.prepare_cached("INSERT INTO departments (id, org_id, parent_id, name, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
                .execute(params![id.to_string(), org_id.to_string(), parent_id.map(|p| p.to_string()), name, audit.at])?;
            audit.target_id = Some(id.to_string());
            insert_audit(tx, &audit)?;
            let created = department_in(tx, org_id, id)?.ok_or(StoreError::NotFound { what: "department just created" })?;
            Ok(DepartmentOutcome::Done(created))
        })
        .await
    }

    async fn change_department(
        &self,
        org_id: Uuid,
        id: Uuid,
        change: DepartmentChange,
        audit: AuditEntry,
    ) -> StoreResult<DepartmentOutcome> {
        self.write(move |tx| {
            let Some(current) = department_in(tx, org_id, id)? else {
                return Ok(DepartmentOutcome::NotFound);
            };
            if current.archived_at.is_some() {
                return Ok(DepartmentOutcome::Archived);
            }
            let parent = change.parent_id.unwrap_or(current.parent_id);
            if change.parent_id.is_some() {
                if let Some(refused) = check_parent(tx, org_id, parent)? {
                    return Ok(refused);
                }
                if let Some(p) = parent {
                    if within(tx, p, id)? {
                        return Ok(DepartmentOutcome::Cycle);
                    }
                }
            }
            let name = change.name.unwrap_or(current.name);
            if sibling_named(tx, org_id, parent, &name, Some(id))? {
                return Ok(DepartmentOutcome::NameTaken);
            }
            tx.prepare_cached("UPDATE departments SET name = ?2, parent_id = ?3 WHERE id = ?1")?.execute(params![
                id.to_string(),
                name,
                parent.map(|p| p.to_string())
            ])?;
            insert_audit(tx, &audit)?;
            let changed = department_in(tx, org_id, id)?.ok_or(StoreError::NotFound { what: "department just changed" })?;
            Ok(DepartmentOutcome::Done(changed))
        })
        .await
    }

    async fn archive_department(&self, org_id: Uuid, id: Uuid, audit: AuditEntry) -> StoreResult<DepartmentOutcome> {
        self.write(move |tx| {
            let Some(current) = department_in(tx, org_id, id)? else {
                return Ok(DepartmentOutcome::NotFound);
            };
            if current.archived_at.is_some() {
                return Ok(DepartmentOutcome::Archived);
            }
            let id_text = id.to_string();
            if tx
                .prepare_cached("SELECT 1 FROM users WHERE department_id = ?1 AND deactivated_at IS NULL")?
                .exists(params![id_text])?
            {
                return Ok(DepartmentOutcome::HasPeople);
            }
            if tx
                .prepare_cached("SELECT 1 FROM departments WHERE parent_id = ?1 AND archived_at IS NULL")?
                .exists(params![id_text])?
            {
                return Ok(DepartmentOutcome::HasChildren);
            }
            tx.prepare_cached("UPDATE departments SET archived_at = ?2 WHERE id = ?1")?.execute(params![id_text, audit.at])?;
            insert_audit(tx, &audit)?;
            let archived = department_in(tx, org_id, id)?.ok_or(StoreError::NotFound { what: "department just archived" })?;
            Ok(DepartmentOutcome::Done(archived))
        })
        .await
    }

    async fn people(&self, f: PeopleFilter) -> StoreResult<Page<Person>> {
        self.read(move |c| {
            let mut q = Sql::default();
            let (risk_from, risk_to) = risk_window(f.risk_window);
            let (rf, rt) = (q.arg(risk_from), q.arg(risk_to));
            let from = person_from(&rf, &rt);
            let mut cond = format!("u.org_id = {}", q.arg(f.org_id.to_string()));
            let subtree = |root: &str| {
                format!(
                    "u.department_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM departments WHERE id = {root}
                        UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) SELECT id FROM sub)"
                )
            };
            if let Some(root) = f.within {
                cond += &format!(" AND {}", subtree(&q.arg(root.to_string())));
            }
            match f.department {
                Some((dept, true)) => cond += &format!(" AND {}", subtree(&q.arg(dept.to_string()))),
                Some((dept, false)) => cond += &format!(" AND u.department_id = {}", q.arg(dept.to_string())),
                None => {}
            }
            if let Some(search) = &f.search {
                let escaped = search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                let p = q.arg(format!("%{escaped}%"));
                cond += &format!(" AND (u.search_name LIKE {p} ESCAPE '\\' OR u.email LIKE {p} ESCAPE '\\')");
            }
            if let Some(role) = f.role {
                cond += &format!(" AND u.role = {}", q.arg(role.as_str().to_string()));
            }
            if let Some(level) = &f.risk_level {
                cond += &format!(" AND r.level = {}", q.arg(level.clone()));
            }
            match f.activity {
                Some(ActivityFilter::SeenSince(t)) => cond += &format!(" AND u.last_seen_at >= {}", q.arg(t)),
                Some(ActivityFilter::NotSeenSince(t)) => {
                    cond += &format!(" AND u.activated_at IS NOT NULL AND COALESCE(u.last_seen_at, 0) < {}", q.arg(t))
                }
                Some(ActivityFilter::NeverActivated) => cond += " AND u.activated_at IS NULL",
                None => {}
            }
            match f.status {
                StatusFilter::Active => cond += " AND u.deactivated_at IS NULL",
                StatusFilter::Deactivated => cond += " AND u.deactivated_at IS NOT NULL",
                StatusFilter::All => {}
            }
            let total: i64 = c
                .prepare(&format!("SELECT COUNT(*) {from} WHERE {cond}"))?
                .query_row(params_from_iter(q.args.iter()), |r| r.get(0))?;
            let dir = if f.descending { "DESC" } else { "ASC" };
            let order = match f.sort {
                PeopleSort::Name => format!("u.search_name {dir}, u.id {dir}"),
                PeopleSort::LastSeen => format!("u.last_seen_at IS NULL, u.last_seen_at {dir}, u.search_name, u.id"),
                PeopleSort::Department => format!("d.name IS NULL, d.name {dir}, u.search_name, u.id"),
            };
            let limit = q.arg(i64::from(f.limit));
            let offset = q.arg(i64::try_from(f.offset).unwrap_or(i64::MAX));
            let sql = format!("SELECT {PERSON_COLUMNS} {from} WHERE {cond} ORDER BY {order} LIMIT {limit} OFFSET {offset}");
            let items = c.prepare(&sql)?.query_map(params_from_iter(q.args.iter()), person_at)?.collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, total: total as u64 })
        })
        .await
    }

    async fn person(&self, org_id: Uuid, id: Uuid, window: (NaiveDate, NaiveDate)) -> StoreResult<Option<Person>> {
        self.read(move |c| person_in(c, org_id, id, window)).await
    }

    async fn create_person(&self, p: NewPerson, mut audit: AuditEntry) -> StoreResult<PersonOutcome> {
        self.write(move |tx| {
            if tx.prepare_cached("SELECT 1 FROM users WHERE email = ?1")?.exists(params![p.email])? {
                return Ok(PersonOutcome::EmailTaken);
            }
            if let Some(dept) = p.department_id {
                match department_in(tx, p.org_id, dept)? {
                    None => return Ok(PersonOutcome::DepartmentNotFound),
                    Some(d) if d.archived_at.is_some() => return Ok(PersonOutcome::DepartmentArchived),
                    Some(_) => {}
                }
            }
            let id = Uuid::now_v7();
            let (org, dept) = (p.org_id.to_string(), p.department_id.map(|d| d.to_string()));
            // No password until the person registers with the invitation: nobody can sign in.
            tx.prepare_cached(
                "INSERT INTO users (id, org_id, department_id, email, name, search_name, role, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '', ?8)",
            )?
            .execute(params![id.to_string(), org, dept, p.email, p.name, search_key(&p.name), p.role.as_str(), p.now])?;
            tx.prepare_cached(
                "INSERT INTO invitations (code_hash, org_id, email, role, department_id, created_by, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                &p.invitation_hash[..],
                org,
                p.email,
                p.role.as_str(),
                dept,
                audit.actor_id.to_string(),
                p.now,
                p.invitation_expires_at
            ])?;
            audit.target_id = Some(id.to_string());
            insert_audit(tx, &audit)?;
            let today = NaiveDate::MIN;
            let person = person_in(tx, p.org_id, id, (today, today))?.ok_or(StoreError::NotFound { what: "person just created" })?;
            Ok(PersonOutcome::Done(Box::new(person)))
        })
        .await
    }

    async fn change_person(&self, org_id: Uuid, id: Uuid, change: PersonChange, audit: AuditEntry) -> StoreResult<PersonOutcome> {
        self.write(move |tx| {
            let none = (NaiveDate::MIN, NaiveDate::MIN);
            let Some(current) = person_in(tx, org_id, id, none)? else {
                return Ok(PersonOutcome::NotFound);
            };
            if erased(tx, id)? {
                return Ok(PersonOutcome::Erased);
            }
            if let Some(Some(dept)) = change.department_id {
                match department_in(tx, org_id, dept)? {
                    None => return Ok(PersonOutcome::DepartmentNotFound),
                    Some(d) if d.archived_at.is_some() => return Ok(PersonOutcome::DepartmentArchived),
                    Some(_) => {}
                }
            }
            let role = change.role.unwrap_or(current.role);
            if current.role == Role::Admin && role != Role::Admin && !other_active_admin(tx, org_id, id)? {
                return Ok(PersonOutcome::LastAdmin);
            }
            let dept = change.department_id.unwrap_or(current.department_id);
            tx.prepare_cached("UPDATE users SET role = ?2, department_id = ?3 WHERE id = ?1")?.execute(params![
                id.to_string(),
                role.as_str(),
                dept.map(|d| d.to_string())
            ])?;
            insert_audit(tx, &audit)?;
            let changed = person_in(tx, org_id, id, none)?.ok_or(StoreError::NotFound { what: "person just changed" })?;
            Ok(PersonOutcome::Done(Box::new(changed)))
        })
        .await
    }

    async fn set_person_active(&self, org_id: Uuid, id: Uuid, active: bool, audit: AuditEntry) -> StoreResult<PersonOutcome> {
        self.write(move |tx| {
            let none = (NaiveDate::MIN, NaiveDate::MIN);
            let Some(current) = person_in(tx, org_id, id, none)? else {
                return Ok(PersonOutcome::NotFound);
            };
            if erased(tx, id)? {
                return Ok(PersonOutcome::Erased);
            }
            let id_text = id.to_string();
            if active {
                tx.prepare_cached("UPDATE users SET deactivated_at = NULL WHERE id = ?1")?.execute(params![id_text])?;
            } else {
                if current.role == Role::Admin && !other_active_admin(tx, org_id, id)? {
                    return Ok(PersonOutcome::LastAdmin);
                }
                tx.prepare_cached("UPDATE users SET deactivated_at = COALESCE(deactivated_at, ?2) WHERE id = ?1")?
                    .execute(params![id_text, audit.at])?;
                // Every device is signed out: tokens gone, devices revoked.
                let devices = tx
                    .prepare_cached("SELECT id FROM devices WHERE user_id = ?1")?
                    .query_map(params![id_text], |r| r.get::<_, String>("id"))?
                    .collect::<Result<Vec<_>, _>>()?;
                for device in devices {
                    delete_device_tokens(tx, &device)?;
                }
                tx.prepare_cached("UPDATE devices SET revoked_at = COALESCE(revoked_at, ?2) WHERE user_id = ?1")?
                    .execute(params![id_text, audit.at])?;
                // Invitations not yet redeemed stop working too.
                tx.prepare_cached(
                    "UPDATE invitations SET expires_at = MIN(expires_at, ?3) WHERE org_id = ?1 AND email = ?2 AND used_at IS NULL",
                )?
                .execute(params![org_id.to_string(), current.email, audit.at])?;
            }
            insert_audit(tx, &audit)?;
            let changed = person_in(tx, org_id, id, none)?.ok_or(StoreError::NotFound { what: "person just changed" })?;
            Ok(PersonOutcome::Done(Box::new(changed)))
        })
        .await
    }

    async fn log_sync(&self, org_id: Uuid, user_id: Uuid, device_id: Uuid, kind: SyncKind, at: Millis) -> StoreResult<()> {
        self.write(move |tx| {
            aggregates::log_sync(tx, &org_id.to_string(), &user_id.to_string(), &device_id.to_string(), kind, at)
        })
        .await
    }

    async fn period_facts(&self, query: PeriodQuery) -> StoreResult<Vec<PersonFacts>> {
        self.read(move |c| {
            // One read transaction: every statement sees the same snapshot.
            let tx = c.unchecked_transaction()?;
            let org = query.org_id.to_string();
            let (from, to) = (query.from.to_string(), query.to.to_string());
            let mut people = people_in_reach(&tx, &org, query.within)?;
            let index: HashMap<Uuid, usize> = people.iter().enumerate().map(|(i, p)| (p.user_id, i)).collect();
            let at = |id: String| id.parse::<Uuid>().ok().and_then(|u| index.get(&u).copied());

            let mut stmt = tx.prepare_cached(
                "SELECT user_id, SUM(worked_minutes) AS worked, SUM(overtime_minutes) AS overtime,
                        SUM(after_hours_minutes) AS after_hours, SUM(weekend_minutes) AS weekend,
                        SUM(worked_minutes > 0 AND scheduled_minutes > 0) AS session_days,
                        SUM(check_in AND scheduled_minutes > 0) AS check_in_working_days,
                        SUM(check_in) AS check_in_days, SUM(app_open) AS app_open_days
                 FROM person_days WHERE org_id = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY user_id",
            )?;
            let mut rows = stmt.query(params![org, from, to])?;
            while let Some(r) = rows.next()? {
                if let Some(i) = at(r.get("user_id")?) {
                    people[i].days = DaySums {
                        worked_minutes: r.get("worked")?,
                        overtime_minutes: r.get("overtime")?,
                        after_hours_minutes: r.get("after_hours")?,
                        weekend_minutes: r.get("weekend")?,
                        session_working_days: r.get("session_days")?,
                        check_in_working_days: r.get("check_in_working_days")?,
                        check_in_days: r.get("check_in_days")?,
                        app_open_days: r.get("app_open_days")?,
                    };
                }
            }
            drop(rows);
            drop(stmt);

            if query.with_syncs_and_tasks {
                let mut stmt = tx.prepare_cached(
                    "SELECT user_id, COUNT(DISTINCT day) AS days, SUM(pushes + pulls) AS syncs
                     FROM sync_days WHERE org_id = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY user_id",
                )?;
                let mut rows = stmt.query(params![org, from, to])?;
                while let Some(r) = rows.next()? {
                    if let Some(i) = at(r.get("user_id")?) {
                        people[i].sync_days = r.get("days")?;
                        people[i].syncs = r.get("syncs")?;
                    }
                }
                drop(rows);
                drop(stmt);
                let mut stmt = tx.prepare_cached(
                    "SELECT user_id, COUNT(*) AS n FROM person_tasks
                     WHERE org_id = ?1 AND completed_day BETWEEN ?2 AND ?3 GROUP BY user_id",
                )?;
                let mut rows = stmt.query(params![org, from, to])?;
                while let Some(r) = rows.next()? {
                    if let Some(i) = at(r.get("user_id")?) {
                        people[i].tasks_completed = r.get("n")?;
                    }
                }
                drop(rows);
                drop(stmt);
                let mut stmt = tx.prepare_cached(
                    "SELECT user_id, COUNT(*) AS n FROM person_tasks
                     WHERE org_id = ?1 AND overdue_from <= ?2 AND (overdue_until IS NULL OR overdue_until >= ?2)
                     GROUP BY user_id",
                )?;
                let mut rows = stmt.query(params![org, to])?;
                while let Some(r) = rows.next()? {
                    if let Some(i) = at(r.get("user_id")?) {
                        people[i].tasks_overdue = r.get("n")?;
                    }
                }
            }
            if let Some(window) = query.risk_window {
                for (id, mark) in latest_risk(&tx, &org, query.within, window, false)? {
                    if let Some(&i) = index.get(&id) {
                        people[i].risk = Some(mark);
                    }
                }
            }
            Ok(people)
        })
        .await
    }

    async fn week_facts(
        &self,
        org_id: Uuid,
        within: Option<Uuid>,
        weeks: Vec<NaiveDate>,
        risk_weeks_before: u32,
    ) -> StoreResult<Vec<Vec<PersonFacts>>> {
        self.read(move |c| {
            let (Some(&first), Some(&last)) = (weeks.iter().min(), weeks.iter().max()) else {
                return Ok(Vec::new());
            };
            let tx = c.unchecked_transaction()?;
            let org = org_id.to_string();
            let people = people_in_reach(&tx, &org, within)?;
            let index: HashMap<String, usize> = people.iter().enumerate().map(|(i, p)| (p.user_id.to_string(), i)).collect();
            let back = chrono::Days::new(7 * u64::from(risk_weeks_before));
            let mut out = vec![people; weeks.len()];
            let mut stmt = tx.prepare_cached(
                "SELECT week, user_id, worked_minutes, overtime_minutes, after_hours_minutes, weekend_minutes,
                        session_working_days, check_in_working_days, check_in_days, app_open_days,
                        risk_day, risk_level, risk_score
                 FROM person_weeks WHERE org_id = ?1 AND week BETWEEN ?2 AND ?3",
            )?;
            let mut rows = stmt.query(params![org, (first - back).to_string(), last.to_string()])?;
            while let Some(r) = rows.next()? {
                let Some(&i) = index.get(r.get_ref("user_id")?.as_str().map_err(|_| conversion("user_id", "text"))?) else { continue };
                let week = date_at(r, "week")?;
                let risk = match r.get::<_, Option<String>>("risk_level")? {
                    Some(level) => Some(RiskMark { day: date_at(r, "risk_day")?, level, score: r.get("risk_score")?, factors: None }),
                    None => None,
                };
                for (k, w) in weeks.iter().enumerate() {
                    let p = &mut out[k][i];
                    if week == *w {
                        p.days = DaySums {
                            worked_minutes: r.get("worked_minutes")?,
                            overtime_minutes: r.get("overtime_minutes")?,
                            after_hours_minutes: r.get("after_hours_minutes")?,
                            weekend_minutes: r.get("weekend_minutes")?,
                            session_working_days: r.get("session_working_days")?,
                            check_in_working_days: r.get("check_in_working_days")?,
                            check_in_days: r.get("check_in_days")?,
                            app_open_days: r.get("app_open_days")?,
                        };
                    }
                    let in_window = week <= *w && week >= *w - back;
                    if let Some(mark) = risk.as_ref().filter(|m| in_window && p.risk.as_ref().is_none_or(|old| old.day < m.day)) {
                        p.risk = Some(mark.clone());
                    }
                }
            }
            Ok(out)
        })
        .await
    }

    async fn risk_marks(
        &self,
        org_id: Uuid,
        within: Option<Uuid>,
        window: (NaiveDate, NaiveDate),
    ) -> StoreResult<Vec<(Uuid, RiskMark)>> {
        self.read(move |c| latest_risk(c, &org_id.to_string(), within, window, true)).await
    }

    async fn indicator_targets(&self, org_id: Uuid) -> StoreResult<Option<Value>> {
        self.read(move |c| {
            let text = c
                .prepare_cached("SELECT targets FROM indicator_targets WHERE org_id = ?1")?
                .query_row(params![org_id.to_string()], |r| r.get::<_, String>("targets"))
                .optional()?;
            text.map(|t| serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("indicator targets: {e}")))).transpose()
        })
        .await
    }

    async fn set_indicator_targets(&self, org_id: Uuid, targets: Value, audit: AuditEntry) -> StoreResult<()> {
        self.write(move |tx| {
            tx.prepare_cached(
                "INSERT INTO indicator_targets (org_id, targets, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (org_id) DO UPDATE SET targets = excluded.targets, updated_at = excluded.updated_at,
                     updated_by = excluded.updated_by",
            )?
            .execute(params![org_id.to_string(), targets.to_string(), audit.at, audit.actor_id.to_string()])?;
            insert_audit(tx, &audit)
        })
        .await
    }

    async fn deletion_requests(&self, org_id: Uuid) -> StoreResult<Vec<DeletionRequestRecord>> {
        self.read(move |c| {
            let org = org_id.to_string();
            let mut all = waiting_deletion_requests(c, &org, None)?;
            // Carried out: the request's record is erased with the rest; this is what is left.
            let mut stmt = c.prepare_cached(&format!("{CARRIED_OUT} WHERE d.org_id = ?1"))?;
            let done = stmt.query_map(params![org], carried_out_at)?;
            all.extend(done.collect::<rusqlite::Result<Vec<_>>>()?);
            all.sort_by(|a, b| b.received_at.cmp(&a.received_at).then_with(|| a.id.cmp(&b.id)));
            Ok(all)
        })
        .await
    }

    async fn carry_out_deletion(&self, org_id: Uuid, request_id: String, mut audit: AuditEntry) -> StoreResult<DeletionOutcome> {
        self.write(move |tx| {
            let org = org_id.to_string();
            let done = |tx: &Transaction| -> StoreResult<DeletionOutcome> {
                let all = tx
                    .prepare_cached(&format!("{CARRIED_OUT} WHERE d.org_id = ?1 AND d.request_id = ?2"))?
                    .query_row(params![org, request_id], carried_out_at)
                    .optional()?;
                Ok(all.map_or(DeletionOutcome::NotFound, DeletionOutcome::Done))
            };
            // Carried out before: the same answer, nothing changes.
            if let DeletionOutcome::Done(earlier) = done(tx)? {
                return Ok(DeletionOutcome::Done(earlier));
            }
            let Some(request) = waiting_deletion_requests(tx, &org, Some(&request_id))?.into_iter().next() else {
                return Ok(DeletionOutcome::NotFound);
            };
            let person = request.user_id;
            if person == audit.actor_id {
                return Ok(DeletionOutcome::OwnRequest);
            }
            let id = person.to_string();
            let mut erased = 0u64;
            // Signed out everywhere, then the devices themselves (their names are the person's).
            let devices = tx
                .prepare_cached("SELECT id FROM devices WHERE user_id = ?1")?
                .query_map(params![id], |r| r.get::<_, String>("id"))?
                .collect::<Result<Vec<_>, _>>()?;
            for device in &devices {
                delete_device_tokens(tx, device)?;
            }
            // Children before parents (foreign keys are on).
            for table in [
                "sync_days",
                "changes",
                "records",
                "server_changes",
                "person_schedules",
                "person_sessions",
                "person_days",
                "person_weeks",
                "person_tasks",
                "person_risk",
                "devices",
            ] {
                erased += tx.execute(&format!("DELETE FROM {table} WHERE user_id = ?1"), params![id])? as u64;
            }
            let erased_email = format!("erased-{id}@erased.invalid");
            erased += tx
                .prepare_cached("DELETE FROM invitations WHERE org_id = ?1 AND email = ?2 AND used_by IS NULL")?
                .execute(params![org, request.email])? as u64;
            // The invitation they redeemed stays (who invited whom), without their address.
            tx.prepare_cached("UPDATE invitations SET email = ?2 WHERE used_by = ?1")?.execute(params![id, erased_email])?;
            // Sign-in throttling is kept per address (`account:<email>`, see accounts.rs).
            tx.prepare_cached("DELETE FROM login_failures WHERE key = ?1")?.execute(params![format!("account:{}", request.email)])?;
            // The audit log keeps what was done, not who the person was: their name as an actor,
            // and their name and email in entries about them (by id, or by address: invitations).
            tx.prepare_cached("UPDATE audit_log SET actor_name = ?2 WHERE actor_id = ?1")?.execute(params![id, ERASED_NAME])?;
            tx.prepare_cached(
                "UPDATE audit_log SET details = json_remove(details, '$.name', '$.email')
                 WHERE org_id = ?1 AND json_valid(details) AND (target_id = ?2 OR json_extract(details, '$.email') = ?3)",
            )?
            .execute(params![org, id, request.email])?;
            // The account stays (the audit log and others' records point at it), anonymised,
            // signed out and unable to sign in: no name, no email, no password.
            tx.prepare_cached(
                "UPDATE users SET name = ?2, search_name = '', email = ?3, password_hash = '', department_id = NULL,
                    deactivated_at = COALESCE(deactivated_at, ?4) WHERE id = ?1",
            )?
            .execute(params![id, ERASED_NAME, erased_email, audit.at])?;
            tx.prepare_cached(
                "INSERT INTO deletions (request_id, org_id, user_id, requested_at, received_at, carried_out_at, carried_out_by, erased)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                request_id,
                org,
                id,
                request.requested_at,
                request.received_at,
                audit.at,
                audit.actor_id.to_string(),
                erased as i64
            ])?;
            if let Value::Object(details) = &mut audit.details {
                details.insert("user_id".into(), Value::String(id.clone()));
                details.insert("erased".into(), Value::from(erased));
            }
            insert_audit(tx, &audit)?;
            done(tx)
        })
        .await
    }
}

/// A carried-out deletion with what is left of the person (filtered by the caller).
const CARRIED_OUT: &str = "SELECT d.request_id, d.user_id, u.name, u.email, u.department_id, d.requested_at, d.received_at,
        d.carried_out_at, d.carried_out_by, d.erased
     FROM deletions d JOIN users u ON u.id = d.user_id";

fn carried_out_at(r: &rusqlite::Row) -> rusqlite::Result<DeletionRequestRecord> {
    Ok(DeletionRequestRecord {
        id: r.get("request_id")?,
        user_id: uuid_at(r, "user_id")?,
        name: r.get("name")?,
        email: r.get("email")?,
        department_id: opt_uuid_at(r, "department_id")?,
        requested_at: r.get("requested_at")?,
        received_at: r.get("received_at")?,
        carried_out: Some(CarriedOut {
            at: r.get("carried_out_at")?,
            by: uuid_at(r, "carried_out_by")?,
            erased: r.get::<_, i64>("erased")? as u64,
        }),
    })
}

/// The name an erased account keeps.
pub const ERASED_NAME: &str = "Erased account";

/// Requests not yet carried out (`only`: the one with that id), newest received first.
fn waiting_deletion_requests(c: &Connection, org: &str, only: Option<&str>) -> StoreResult<Vec<DeletionRequestRecord>> {
    // Stored like every synced fact: the record's current state and the change that wrote it.
    let mut stmt = c.prepare_cached(
        "SELECT r.record_id, r.payload, u.id, u.name, u.email, u.department_id, ch.received_at
         FROM records r JOIN users u ON u.id = r.user_id JOIN changes ch ON ch.id = r.change_id
         WHERE r.org_id = ?1 AND r.entity = ?2 AND r.op = 'upsert' AND (?3 IS NULL OR r.record_id = ?3)
         ORDER BY ch.received_at DESC, r.record_id",
    )?;
    let rows = stmt.query_map(params![org, qamqor_protocol::Entity::DeletionRequest.as_str(), only], |r| {
        let payload: String = r.get("payload")?;
        let p: qamqor_protocol::DeletionRequestPayload = serde_json::from_str(&payload).map_err(|_| conversion("payload", "deletion request"))?;
        Ok(DeletionRequestRecord {
            id: r.get("record_id")?,
            user_id: uuid_at(r, "id")?,
            name: r.get("name")?,
            email: r.get("email")?,
            department_id: opt_uuid_at(r, "department_id")?,
            requested_at: p.requested_at,
            received_at: r.get("received_at")?,
            carried_out: None,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every person in reach, with their schedule and nothing counted yet.
fn people_in_reach(c: &Connection, org: &str, within: Option<Uuid>) -> StoreResult<Vec<PersonFacts>> {
    let base = "SELECT u.id, u.name, u.role, u.department_id, u.created_at, u.activated_at, u.deactivated_at,
                       s.working_days, s.start_minute, s.end_minute, s.time_zone
                FROM users u LEFT JOIN person_schedules s ON s.user_id = u.id";
    let (sql, args): (String, Vec<String>) = match within {
        Some(root) => (
            format!("{SUBTREE} {base} WHERE u.org_id = ?2 AND u.department_id IN (SELECT id FROM sub)"),
            vec![root.to_string(), org.to_string()],
        ),
        None => (format!("{base} WHERE u.org_id = ?1"), vec![org.to_string()]),
    };
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        let schedule = match r.get::<_, Option<u8>>("working_days")? {
            Some(working_days) => ScheduleRow {
                working_days,
                start_minute: r.get("start_minute")?,
                end_minute: r.get("end_minute")?,
                time_zone: r.get("time_zone")?,
            },
            None => ScheduleRow::default_row(),
        };
        Ok(PersonFacts {
            user_id: uuid_at(r, "id")?,
            name: r.get("name")?,
            role: role_at(r, "role")?,
            department_id: opt_uuid_at(r, "department_id")?,
            created_at: r.get("created_at")?,
            activated_at: r.get("activated_at")?,
            deactivated_at: r.get("deactivated_at")?,
            schedule,
            days: DaySums::default(),
            sync_days: 0,
            syncs: 0,
            tasks_completed: 0,
            tasks_overdue: 0,
            risk: None,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The latest risk level each person in reach shared on the local days of `window`.
fn latest_risk(
    c: &Connection,
    org: &str,
    within: Option<Uuid>,
    window: (NaiveDate, NaiveDate),
    with_factors: bool,
) -> StoreResult<Vec<(Uuid, RiskMark)>> {
    let (from, to) = risk_window(window);
    let join = "FROM users u JOIN person_risk r ON r.user_id = u.id AND r.day =
                    (SELECT MAX(day) FROM person_risk WHERE user_id = u.id AND day BETWEEN ?3 AND ?4 AND level IS NOT NULL)";
    let factors = if with_factors { "r.factors" } else { "NULL AS factors" };
    let sql = match within {
        Some(_) => format!(
            "{SUBTREE} SELECT u.id, r.day, r.level, r.score, {factors} {join}
             WHERE u.org_id = ?2 AND u.department_id IN (SELECT id FROM sub)"
        ),
        None => format!("SELECT u.id, r.day, r.level, r.score, {factors} {join} WHERE u.org_id = ?2 AND ?1 IS NULL"),
    };
    let root = within.map(|w| w.to_string());
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![root, org, from, to], |r| {
        let factors = match r.get::<_, Option<String>>("factors")? {
            Some(text) => Some(serde_json::from_str(&text).map_err(|_| conversion("factors", "JSON"))?),
            None => None,
        };
        Ok((
            uuid_at(r, "id")?,
            RiskMark { day: date_at(r, "day")?, level: r.get("level")?, score: r.get("score")?, factors },
        ))
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
