//! What managers and admins send to people, and who pulls it: tasks and feedback reach only
//! the person they are for, within the sender's scope; settings and risk models reach every
//! member of the organisation and nobody else; devices cannot forge any of them.

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use common::*;
use qamqor_protocol::{
    Change, Entity, FeedbackPayload, Op, OrgSettingsPayload, PrivacyPolicy, PushResponse, RiskModelPayload, Role, MIN_GROUP_SIZE,
    ORG_SETTINGS_RECORD_ID, PROTOCOL_HEADER,
};
use qamqor_risk_model::{Model, BUILTIN_ARTIFACT, BUILTIN_MODEL_VERSION};
use qamqor_server::sync::hlc_millis;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

/// A person with a device session.
struct Person {
    id: Uuid,
    name: String,
    token: String,
}

/// Acme: an admin; a manager of Sales; employees in Sales, in East (below Sales), in Almaty
/// (below East) and in Support (beside Sales). Other: one employee of another organisation.
struct World {
    s: TestServer,
    admin: Person,
    manager: Person,
    sales: Person,
    east: Person,
    almaty: Person,
    support: Person,
    outsider: Person,
}

async fn person(s: &TestServer, org: &str, email: &str, role: Role, department: Option<&str>) -> Person {
    let user = s.user(org, email, role, department).await;
    Person { id: user.id, name: user.name, token: s.login(email).await.access_token }
}

async fn world() -> World {
    let s = TestServer::start().await;
    s.org("Acme").await;
    s.org("Other").await;
    let admin = person(&s, "Acme", "admin@acme.kz", Role::Admin, None).await;
    let manager = person(&s, "Acme", "boss@acme.kz", Role::Manager, Some("Sales")).await;
    let sales = person(&s, "Acme", "sales@acme.kz", Role::Employee, Some("Sales")).await;
    let east = person(&s, "Acme", "east@acme.kz", Role::Employee, Some("East")).await;
    let almaty = person(&s, "Acme", "almaty@acme.kz", Role::Employee, Some("Almaty")).await;
    let support = person(&s, "Acme", "support@acme.kz", Role::Employee, Some("Support")).await;
    let outsider = person(&s, "Other", "z@other.kz", Role::Employee, Some("Sales")).await;
    // The API creates top-level departments only; build the tree Sales > East > Almaty.
    let db = rusqlite::Connection::open(s.db_path()).unwrap();
    let reparent = "UPDATE departments SET parent_id =
                        (SELECT p.id FROM departments p JOIN organisations o ON o.id = p.org_id WHERE o.name = 'Acme' AND p.name = ?1)
                    WHERE name = ?2 AND org_id = (SELECT id FROM organisations WHERE name = 'Acme')";
    assert_eq!(db.execute(reparent, ["Sales", "East"]).unwrap(), 1);
    assert_eq!(db.execute(reparent, ["East", "Almaty"]).unwrap(), 1);
    World { s, admin, manager, sales, east, almaty, support, outsider }
}

impl World {
    async fn send(&self, path: &str, token: &str, body: Value) -> reqwest::Response {
        self.s.post(path).bearer_auth(token).json(&body).send().await.unwrap()
    }

    async fn assign(&self, token: &str, body: Value) -> reqwest::Response {
        self.send("/api/v1/tasks", token, body).await
    }

    async fn feedback(&self, token: &str, body: Value) -> reqwest::Response {
        self.send("/api/v1/feedback", token, body).await
    }

    async fn put_settings(&self, token: &str, body: Value) -> reqwest::Response {
        self.s
            .http
            .put(format!("{}/api/v1/settings", self.s.base))
            .header(PROTOCOL_HEADER, "1")
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn get_settings(&self, token: &str) -> reqwest::Response {
        self.s.get("/api/v1/settings").bearer_auth(token).send().await.unwrap()
    }

    async fn publish(&self, token: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.s
            .post("/api/v1/risk-models")
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }
}

fn task_body(user: &Person, title: &str) -> Value {
    json!({"user_id": user.id, "title": title})
}

async fn created(r: reqwest::Response, key: &str) -> String {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body[key].as_str().unwrap_or_else(|| panic!("no {key} in {body}")).to_string()
}

fn of(changes: &[Change], entity: Entity) -> Vec<Change> {
    changes.iter().filter(|c| c.entity == entity).cloned().collect()
}

/// The device core's `Task` (`core/src/model.rs`) as serde reads it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CoreTask {
    id: String,
    title: String,
    notes: Option<String>,
    due_date: Option<NaiveDate>,
    estimate_minutes: Option<u32>,
    status: CoreTaskStatus,
    assigned_by: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum CoreTaskStatus {
    Todo,
    InProgress,
    Done,
    Cancelled,
}

#[tokio::test]
async fn an_assigned_task_reaches_its_person_as_a_core_task_and_then_follows_last_writer_wins() {
    let w = world().await;
    let body = json!({
        "user_id": w.sales.id, "title": "  Quarterly report ", "notes": "numbers from Q3",
        "due_date": "2025-03-01", "estimate_minutes": 90
    });
    let task_id = created(w.assign(&w.manager.token, body).await, "task_id").await;

    let mine = w.s.pull_personal(&w.sales.token).await;
    let tasks = of(&mine, Entity::Task);
    assert_eq!(tasks.len(), 1, "{mine:?}");
    let task = &tasks[0];
    assert_eq!((task.record_id.as_str(), task.op), (task_id.as_str(), Op::Upsert));
    assert!(Uuid::parse_str(&task_id).unwrap().get_version_num() == 7 && task.id.get_version_num() == 7);
    assert_eq!(hlc_millis(&task.hlc), Some(NOW), "stamped from the server's clock");

    let mut keys: Vec<&str> = task.payload.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "assigned_by",
            "completed_at",
            "created_at",
            "due_date",
            "estimate_minutes",
            "id",
            "notes",
            "status",
            "title",
            "updated_at"
        ]
    );
    let core: CoreTask = serde_json::from_value(task.payload.clone()).unwrap();
    assert_eq!(core.id, task_id);
    assert_eq!(core.title, "Quarterly report");
    assert_eq!(core.notes.as_deref(), Some("numbers from Q3"));
    assert_eq!(core.due_date, NaiveDate::from_ymd_opt(2025, 3, 1));
    assert_eq!(core.estimate_minutes, Some(90));
    assert_eq!(core.status, CoreTaskStatus::Todo);
    assert_eq!(core.assigned_by.as_deref(), Some(w.manager.name.as_str()));
    assert_eq!(core.created_at.timestamp_millis(), NOW);
    assert_eq!(core.updated_at, core.created_at);
    assert!(core.completed_at.is_none());
    assert_eq!(task.payload["created_at"], "2025-01-01T00:00:00Z", "RFC 3339 in UTC");

    // Nobody else pulls it: not the manager who sent it, not a colleague, not another org.
    for other in [&w.manager, &w.east, &w.outsider] {
        assert!(of(&w.s.pull_all(&other.token).await, Entity::Task).is_empty());
    }

    // The person's device edits the task: an older stamp loses, a newer one wins.
    let stale = Change {
        id: Uuid::now_v7(),
        entity: Entity::Task,
        record_id: task_id.clone(),
        op: Op::Upsert,
        hlc: hlc(NOW - MINUTE, "a1"),
        payload: json!({"status": "cancelled"}),
    };
    let r = w.s.push(&w.sales.token, std::slice::from_ref(&stale)).await;
    assert_eq!(r.json::<PushResponse>().await.unwrap().acked, vec![stale.id], "a losing change is still acknowledged");
    assert_eq!(of(&w.s.pull_personal(&w.sales.token).await, Entity::Task), tasks, "the older write lost");

    let mut done = task.payload.clone();
    done["status"] = json!("done");
    done["completed_at"] = json!("2025-01-01T00:05:00Z");
    let newer = Change { id: Uuid::now_v7(), hlc: hlc(NOW + 5 * MINUTE, "a1"), payload: done, ..stale };
    assert_eq!(w.s.push(&w.sales.token, std::slice::from_ref(&newer)).await.status(), 200);
    let after = of(&w.s.pull_personal(&w.sales.token).await, Entity::Task);
    assert_eq!(after, vec![newer.clone()]);
    let core: CoreTask = serde_json::from_value(after[0].payload.clone()).unwrap();
    assert_eq!(core.status, CoreTaskStatus::Done);
}

#[tokio::test]
async fn a_device_cannot_reuse_the_id_of_a_change_the_server_wrote() {
    let w = world().await;
    created(w.assign(&w.manager.token, task_body(&w.sales, "Call the client")).await, "task_id").await;
    let task = of(&w.s.pull_personal(&w.sales.token).await, Entity::Task).remove(0);
    let forged = Change { hlc: hlc(NOW + MINUTE, "a1"), payload: json!({"status": "done"}), ..task.clone() };
    let (status, body) = error_of(w.s.push(&w.sales.token, &[forged]).await).await;
    assert_eq!((status, body.code.as_str(), body.field.as_deref()), (409, "change_id_conflict", Some("changes[0].id")));
    assert_eq!(of(&w.s.pull_personal(&w.sales.token).await, Entity::Task), vec![task]);
}

#[tokio::test]
async fn tasks_and_feedback_stay_within_the_senders_scope() {
    let w = world().await;
    // A manager reaches their department and everything below it.
    for p in [&w.sales, &w.east, &w.almaty] {
        created(w.assign(&w.manager.token, task_body(p, "Plan the week")).await, "task_id").await;
        created(w.feedback(&w.manager.token, json!({"user_id": p.id, "message": "Well done"})).await, "feedback_id").await;
    }
    // Not a department beside theirs, nor the admin (no department).
    for p in [&w.support, &w.admin] {
        let (status, body) = error_of(w.assign(&w.manager.token, task_body(p, "Plan the week")).await).await;
        assert_eq!((status, body.code.as_str(), body.field.as_deref()), (403, "forbidden", Some("user_id")));
        let (status, _) = error_of(w.feedback(&w.manager.token, json!({"user_id": p.id, "message": "Hi"})).await).await;
        assert_eq!(status, 403);
    }
    // An admin reaches anyone in the organisation, themselves included.
    for p in [&w.support, &w.manager, &w.admin] {
        created(w.assign(&w.admin.token, task_body(p, "Fill in the survey")).await, "task_id").await;
    }
    created(w.feedback(&w.admin.token, json!({"user_id": w.support.id, "message": "Thanks"})).await, "feedback_id").await;
    // Employees send nothing, to anyone.
    for p in [&w.sales, &w.east] {
        let (status, body) = error_of(w.assign(&w.sales.token, task_body(p, "x")).await).await;
        assert_eq!((status, body.code.as_str()), (403, "forbidden"));
        let (status, _) = error_of(w.feedback(&w.sales.token, json!({"user_id": p.id, "message": "x"})).await).await;
        assert_eq!(status, 403);
    }
    // Another organisation's person and an unknown id look the same: not found.
    for id in [w.outsider.id, Uuid::now_v7()] {
        for token in [&w.admin.token, &w.manager.token] {
            let (status, body) = error_of(w.assign(token, json!({"user_id": id, "title": "x"})).await).await;
            assert_eq!((status, body.code.as_str(), body.field.as_deref()), (404, "user_not_found", Some("user_id")));
            let (status, body) = error_of(w.feedback(token, json!({"user_id": id, "message": "x"})).await).await;
            assert_eq!((status, body.code.as_str()), (404, "user_not_found"));
        }
    }
    // Without a session, nothing.
    for path in ["/api/v1/tasks", "/api/v1/feedback"] {
        let r = w.s.post(path).json(&json!({"user_id": w.sales.id, "title": "x", "message": "x"})).send().await.unwrap();
        let (status, body) = error_of(r).await;
        assert_eq!((status, body.code.as_str()), (401, "unauthorized"));
    }

    // Like every API route, these speak the protocol version first.
    let url = format!("{}/api/v1/tasks", w.s.base);
    let r = w.s.http.post(url).bearer_auth(&w.admin.token).json(&task_body(&w.sales, "x")).send().await.unwrap();
    assert_eq!(error_of(r).await.1.code, "protocol_version_missing");
    let url = format!("{}/api/v1/settings", w.s.base);
    let r = w.s.http.get(url).header(PROTOCOL_HEADER, "2").bearer_auth(&w.admin.token).send().await.unwrap();
    assert_eq!(error_of(r).await.0, 426);

    // Each person got exactly what was sent to them.
    let count = |changes: &[Change], e| of(changes, e).len();
    for (p, tasks, feedback) in
        [(&w.sales, 1, 1), (&w.east, 1, 1), (&w.almaty, 1, 1), (&w.support, 1, 1), (&w.manager, 1, 0), (&w.admin, 1, 0)]
    {
        let mine = w.s.pull_personal(&p.token).await;
        assert_eq!((count(&mine, Entity::Task), count(&mine, Entity::Feedback)), (tasks, feedback), "{}", p.name);
    }
    assert!(w.s.pull_personal(&w.outsider.token).await.is_empty());
}

#[tokio::test]
async fn bad_task_and_feedback_input_names_the_field_and_changes_nothing() {
    let w = world().await;
    let id = w.sales.id;
    let cases = [
        (json!({"user_id": id, "title": "   "}), 422, "title"),
        (json!({"user_id": id, "title": "x".repeat(201)}), 422, "title"),
        (json!({"user_id": id, "title": "a\u{0}b"}), 422, "title"),
        (json!({"user_id": id}), 422, "title"),
        (json!({"user_id": id, "title": 7}), 422, "title"),
        (json!({"user_id": id, "title": "x", "notes": "n".repeat(2001)}), 422, "notes"),
        (json!({"user_id": id, "title": "x", "due_date": "2025-02-30"}), 422, "due_date"),
        (json!({"user_id": id, "title": "x", "due_date": "01.03.2025"}), 422, "due_date"),
        (json!({"user_id": id, "title": "x", "due_date": "1999-12-31"}), 422, "due_date"),
        (json!({"user_id": id, "title": "x", "due_date": "2101-01-01"}), 422, "due_date"),
        (json!({"user_id": id, "title": "x", "estimate_minutes": 0}), 422, "estimate_minutes"),
        (json!({"user_id": id, "title": "x", "estimate_minutes": -5}), 422, "estimate_minutes"),
        (json!({"user_id": id, "title": "x", "estimate_minutes": 31 * 24 * 60 + 1}), 422, "estimate_minutes"),
        (json!({"user_id": "nobody", "title": "x"}), 422, "user_id"),
        (json!({"title": "x"}), 422, "user_id"),
    ];
    for (body, status, field) in cases {
        let (got, err) = error_of(w.assign(&w.manager.token, body.clone()).await).await;
        assert_eq!((got, err.code.as_str(), err.field.as_deref()), (status, "invalid_field", Some(field)), "{body}");
        assert!(!err.message.is_empty());
    }
    for (body, field) in [
        (json!({"user_id": id, "message": " \n "}), "message"),
        (json!({"user_id": id, "message": "m".repeat(2001)}), "message"),
        (json!({"user_id": id}), "message"),
        (json!({"message": "hello"}), "user_id"),
    ] {
        let (got, err) = error_of(w.feedback(&w.manager.token, body.clone()).await).await;
        assert_eq!((got, err.code.as_str(), err.field.as_deref()), (422, "invalid_field", Some(field)), "{body}");
    }
    let r =
        w.s.post("/api/v1/tasks").bearer_auth(&w.manager.token).header("content-type", "application/json").body("{").send().await;
    assert_eq!(error_of(r.unwrap()).await.1.code, "malformed_json");
    let r = w.s.post("/api/v1/feedback").bearer_auth(&w.manager.token).body("hello").send().await;
    assert_eq!(error_of(r.unwrap()).await.0, 415);

    assert!(w.s.pull_personal(&w.sales.token).await.is_empty(), "no rejected request wrote anything");
    // The limits themselves are accepted.
    let edge = json!({"user_id": id, "title": "ж".repeat(200), "notes": "n".repeat(2000), "due_date": "2100-12-31",
                      "estimate_minutes": 31 * 24 * 60});
    created(w.assign(&w.manager.token, edge).await, "task_id").await;
    created(w.feedback(&w.manager.token, json!({"user_id": id, "message": "m".repeat(2000)})).await, "feedback_id").await;
    assert_eq!(w.s.pull_personal(&w.sales.token).await.len(), 2);
}

#[tokio::test]
async fn feedback_reaches_only_the_person_it_is_for() {
    let w = world().await;
    let feedback_id = created(
        w.feedback(&w.manager.token, json!({"user_id": w.east.id, "message": "  Great demo today!  "})).await,
        "feedback_id",
    )
    .await;
    let mine = w.s.pull_personal(&w.east.token).await;
    assert_eq!(mine.len(), 1);
    let f = &mine[0];
    assert_eq!((f.entity, f.record_id.as_str(), f.op), (Entity::Feedback, feedback_id.as_str(), Op::Upsert));
    let payload: FeedbackPayload = serde_json::from_value(f.payload.clone()).unwrap();
    assert_eq!(payload, FeedbackPayload { from_name: w.manager.name.clone(), message: "Great demo today!".into(), sent_at: NOW });
    for other in [&w.manager, &w.sales, &w.almaty, &w.admin, &w.outsider] {
        assert!(of(&w.s.pull_all(&other.token).await, Entity::Feedback).is_empty(), "{}", other.name);
    }
}

#[tokio::test]
async fn devices_cannot_push_what_only_the_server_writes() {
    let w = world().await;
    let check_in = upsert(Entity::CheckIn, "c1", &hlc(NOW, "a1"), json!({"fatigue": 3}));
    for (entity, record_id) in
        [(Entity::Feedback, "f1"), (Entity::OrgSettings, ORG_SETTINGS_RECORD_ID), (Entity::RiskModel, "9.9.9")]
    {
        for op in [Op::Upsert, Op::Delete] {
            let forged = match op {
                Op::Upsert => upsert(entity, record_id, &hlc(NOW, "a1"), json!({"message": "I am your manager"})),
                Op::Delete => tombstone(entity, record_id, &hlc(NOW, "a1")),
            };
            let (status, body) = error_of(w.s.push(&w.sales.token, &[check_in.clone(), forged]).await).await;
            assert_eq!((status, body.code.as_str(), body.field.as_deref()), (422, "invalid_field", Some("changes[1].entity")));
            assert!(body.message.contains("server"), "{}", body.message);
        }
    }
    assert!(w.s.pull_personal(&w.sales.token).await.is_empty(), "nothing of a refused batch is stored");
    let settings = of(&w.s.pull_all(&w.sales.token).await, Entity::OrgSettings);
    assert_eq!(settings.len(), 1);
    assert_eq!(settings[0].payload["privacy_policy"], "aggregate", "the settings are untouched");
}

#[tokio::test]
async fn shared_risk_assessments_are_validated_field_by_field() {
    let w = world().await;
    let good = json!({"local_date": "2025-01-01", "level": "medium", "score": 0.42, "model_version": "1.0.0",
                      "factors": [{"key": "overtime", "contribution": 0.12}]});
    let with = |patch: Value| {
        let mut p = good.clone();
        for (k, v) in patch.as_object().unwrap() {
            p[k] = v.clone();
        }
        upsert(Entity::RiskAssessment, "2025-01-01", &hlc(NOW, "a1"), p)
    };
    let cases = [
        (with(json!({"level": "extreme"})), "changes[1].payload.level"),
        (with(json!({"level": 3})), "changes[1].payload.level"),
        (with(json!({"score": 1.5})), "changes[1].payload.score"),
        (with(json!({"score": -0.1})), "changes[1].payload.score"),
        (with(json!({"model_version": ""})), "changes[1].payload.model_version"),
        (with(json!({"local_date": "2025-01-02"})), "changes[1].payload.local_date"),
        (with(json!({"local_date": "yesterday"})), "changes[1].payload.local_date"),
        (with(json!({"factors": [{"key": "overtime"}]})), "changes[1].payload.factors[0].contribution"),
        (
            upsert(Entity::RiskAssessment, "2025-01-01", &hlc(NOW, "a1"), json!({"local_date": "2025-01-01"})),
            "changes[1].payload.model_version",
        ),
    ];
    let first = upsert(
        Entity::RiskAssessment,
        "2024-12-31",
        &hlc(NOW, "a1"),
        json!({"local_date": "2024-12-31", "model_version": "1.0.0"}),
    );
    for (bad, field) in cases {
        let (status, body) = error_of(w.s.push(&w.sales.token, &[first.clone(), bad]).await).await;
        assert_eq!((status, body.code.as_str(), body.field.as_deref()), (422, "invalid_field", Some(field)), "{}", body.message);
    }
    assert!(w.s.pull_personal(&w.sales.token).await.is_empty());

    // Valid ones, with or without a level (not enough data), go through and reach only their owner's devices.
    let no_level = upsert(
        Entity::RiskAssessment,
        "2025-01-02",
        &hlc(NOW, "a1"),
        json!({"local_date": "2025-01-02", "level": null, "score": null, "model_version": "1.0.0"}),
    );
    let batch = [first.clone(), with(json!({})), no_level];
    assert_eq!(w.s.push(&w.sales.token, &batch).await.status(), 200);
    let second_device = w.s.login("sales@acme.kz").await.access_token;
    assert_eq!(w.s.pull_personal(&second_device).await, batch.to_vec());
    assert!(of(&w.s.pull_all(&w.manager.token).await, Entity::RiskAssessment).is_empty());
}

#[tokio::test]
async fn organisation_settings_are_private_by_default_and_reach_every_member() {
    let w = world().await;
    let acme_default = OrgSettingsPayload {
        organisation: "Acme".into(),
        privacy_policy: PrivacyPolicy::Aggregate,
        min_group_size: MIN_GROUP_SIZE,
    };
    // A new member's very first pull carries the settings.
    for p in [&w.sales, &w.manager, &w.admin] {
        let first = w.s.pull(&p.token, 0, 1).await;
        assert_eq!(first.changes.len(), 1);
        assert_eq!((first.changes[0].entity, first.changes[0].record_id.as_str()), (Entity::OrgSettings, ORG_SETTINGS_RECORD_ID));
        let payload: OrgSettingsPayload = serde_json::from_value(first.changes[0].payload.clone()).unwrap();
        assert_eq!(payload, acme_default);
        let got: OrgSettingsPayload = w.get_settings(&p.token).await.json().await.unwrap();
        assert_eq!(got, acme_default);
    }
    let other: OrgSettingsPayload = w.get_settings(&w.outsider.token).await.json().await.unwrap();
    assert_eq!(other.organisation, "Other");
    assert_eq!(error_of(w.s.get("/api/v1/settings").send().await.unwrap()).await.0, 401);

    // The employee's device syncs something, then the admin changes the settings.
    let check_in = upsert(Entity::CheckIn, "c1", &hlc(NOW, "a1"), json!({"fatigue": 2}));
    assert_eq!(w.s.push(&w.sales.token, std::slice::from_ref(&check_in)).await.status(), 200);
    let before = w.s.pull_all(&w.sales.token).await;
    assert_eq!(before.iter().map(|c| c.entity).collect::<Vec<_>>(), [Entity::OrgSettings, Entity::CheckIn]);
    let cursor = w.s.pull(&w.sales.token, 0, 1000).await.next;

    // Only admins change them, and only to valid values; refusals change nothing.
    for token in [&w.manager.token, &w.sales.token] {
        let (status, body) =
            error_of(w.put_settings(token, json!({"privacy_policy": "individual", "min_group_size": 5})).await).await;
        assert_eq!((status, body.code.as_str()), (403, "forbidden"));
    }
    for (body, field) in [
        (json!({"privacy_policy": "individual", "min_group_size": 4}), "min_group_size"),
        (json!({"privacy_policy": "individual", "min_group_size": 1001}), "min_group_size"),
        (json!({"privacy_policy": "individual", "min_group_size": -1}), "min_group_size"),
        (json!({"privacy_policy": "everyone", "min_group_size": 5}), "privacy_policy"),
        (json!({"min_group_size": 5}), "privacy_policy"),
    ] {
        let (status, err) = error_of(w.put_settings(&w.admin.token, body.clone()).await).await;
        assert_eq!((status, err.code.as_str(), err.field.as_deref()), (422, "invalid_field", Some(field)), "{body}");
    }
    assert!(w.s.pull(&w.sales.token, cursor, 1000).await.changes.is_empty(), "nothing new after refusals");

    let r = w.put_settings(&w.admin.token, json!({"privacy_policy": "individual", "min_group_size": 7})).await;
    assert_eq!(r.status(), 200);
    let updated: OrgSettingsPayload = r.json().await.unwrap();
    let expected = OrgSettingsPayload { privacy_policy: PrivacyPolicy::Individual, min_group_size: 7, ..acme_default };
    assert_eq!(updated, expected);
    let got: OrgSettingsPayload = w.get_settings(&w.sales.token).await.json().await.unwrap();
    assert_eq!(got, expected);

    // Every member pulls the change from their cursor; the record moved to the end, once.
    let new_page = w.s.pull(&w.sales.token, cursor, 1000).await;
    assert_eq!(new_page.changes.len(), 1);
    let after = w.s.pull_all(&w.sales.token).await;
    assert_eq!(after.iter().map(|c| c.entity).collect::<Vec<_>>(), [Entity::CheckIn, Entity::OrgSettings]);
    assert_eq!(after[1], new_page.changes[0]);
    assert!(after[1].hlc > before[0].hlc, "the new state wins over the old on every device");
    assert_ne!(after[1].id, before[0].id);
    for p in [&w.manager, &w.almaty, &w.admin] {
        let theirs = of(&w.s.pull_all(&p.token).await, Entity::OrgSettings);
        assert_eq!(theirs, vec![after[1].clone()], "{}", p.name);
    }
    // The other organisation is untouched and never sees Acme's.
    let outsider = of(&w.s.pull_all(&w.outsider.token).await, Entity::OrgSettings);
    assert_eq!(outsider.len(), 1);
    assert_eq!(outsider[0].payload["organisation"], "Other");
    assert_eq!(outsider[0].payload["privacy_policy"], "aggregate");
}

#[tokio::test]
async fn a_published_risk_model_reaches_every_member_of_the_organisation_only() {
    let w = world().await;
    let r = w.publish(&w.admin.token, BUILTIN_ARTIFACT).await;
    assert_eq!(created(r, "version").await, BUILTIN_MODEL_VERSION);

    let mut seen = Vec::new();
    for p in [&w.sales, &w.almaty, &w.manager, &w.admin] {
        let models = of(&w.s.pull_all(&p.token).await, Entity::RiskModel);
        assert_eq!(models.len(), 1, "{}", p.name);
        seen.push(models[0].clone());
    }
    assert!(seen.windows(2).all(|p| p[0] == p[1]), "one record for all");
    let model = &seen[0];
    assert_eq!(model.record_id, BUILTIN_MODEL_VERSION);
    let payload: RiskModelPayload = serde_json::from_value(model.payload.clone()).unwrap();
    assert_eq!(payload.version, BUILTIN_MODEL_VERSION);
    // What a device receives validates exactly as what was published (checksum included).
    let installed = Model::from_artifact(&serde_json::to_vec(&payload.artifact).unwrap()).unwrap();
    assert_eq!(installed.version(), BUILTIN_MODEL_VERSION);
    assert!(of(&w.s.pull_all(&w.outsider.token).await, Entity::RiskModel).is_empty());

    // A version is published once.
    let (status, body) = error_of(w.publish(&w.admin.token, BUILTIN_ARTIFACT).await).await;
    assert_eq!((status, body.code.as_str()), (409, "model_version_exists"));
    // Only admins publish.
    for token in [&w.manager.token, &w.sales.token] {
        assert_eq!(error_of(w.publish(token, BUILTIN_ARTIFACT).await).await.0, 403);
    }
    // A tampered artifact is refused with the reason.
    let mut tampered: Value = serde_json::from_str(BUILTIN_ARTIFACT).unwrap();
    tampered["model_version"] = json!("1.0.1");
    let (status, body) = error_of(w.publish(&w.admin.token, serde_json::to_vec(&tampered).unwrap()).await).await;
    assert_eq!((status, body.code.as_str()), (422, "invalid_artifact"));
    assert!(body.message.contains("checksum"), "{}", body.message);
    let (status, body) = error_of(w.publish(&w.admin.token, r#"{"format": "something else"}"#).await).await;
    assert_eq!((status, body.code.as_str()), (422, "invalid_artifact"));
    let (status, body) = error_of(w.publish(&w.admin.token, "{not json").await).await;
    assert_eq!((status, body.code.as_str()), (400, "malformed_json"));
    // Bodies beyond the model limit are refused before they are read in full.
    let huge = format!("{{\"pad\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    assert_eq!(error_of(w.publish(&w.admin.token, huge).await).await.1.code, "body_too_large");
    let models = of(&w.s.pull_all(&w.sales.token).await, Entity::RiskModel);
    assert_eq!(models, vec![model.clone()], "refused uploads changed nothing");
}
