//! An organisation for the admin API tests, built through the API itself.
//!
//! Acme: an admin; a manager of Sales; employees in Sales, in East (below Sales), in Almaty
//! (below East) and in Support (beside Sales). Other: an admin and an employee.

use qamqor_protocol::{Role, PROTOCOL_HEADER};
use serde_json::{json, Value};
use uuid::Uuid;

use super::TestServer;

/// A person with a device session.
pub struct Person {
    pub id: Uuid,
    pub email: String,
    pub token: String,
}

pub struct World {
    pub s: TestServer,
    pub admin: Person,
    pub manager: Person,
    pub sales: Person,
    pub east: Person,
    pub almaty: Person,
    pub support: Person,
    pub other_admin: Person,
    pub outsider: Person,
    /// Department ids by name (Acme's).
    pub departments: std::collections::HashMap<String, Uuid>,
}

pub async fn person(s: &TestServer, org: &str, email: &str, role: Role, department: Option<&str>) -> Person {
    let user = s.user(org, email, role, department).await;
    Person { id: user.id, email: email.into(), token: s.login(email).await.access_token }
}

/// Status and JSON body (JSON `null` when the body is not JSON).
pub async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

impl World {
    pub async fn new() -> World {
        let s = TestServer::start().await;
        s.org("Acme").await;
        s.org("Other").await;
        let admin = person(&s, "Acme", "admin@acme.kz", Role::Admin, None).await;
        let manager = person(&s, "Acme", "boss@acme.kz", Role::Manager, Some("Sales")).await;
        let sales = person(&s, "Acme", "sales@acme.kz", Role::Employee, Some("Sales")).await;
        let east = person(&s, "Acme", "east@acme.kz", Role::Employee, Some("East")).await;
        let almaty = person(&s, "Acme", "almaty@acme.kz", Role::Employee, Some("Almaty")).await;
        let support = person(&s, "Acme", "support@acme.kz", Role::Employee, Some("Support")).await;
        let other_admin = person(&s, "Other", "root@other.kz", Role::Admin, Some("Sales")).await;
        let outsider = person(&s, "Other", "z@other.kz", Role::Employee, Some("Sales")).await;
        let mut w = World {
            s,
            admin,
            manager,
            sales,
            east,
            almaty,
            support,
            other_admin,
            outsider,
            departments: Default::default(),
        };
        w.refresh_departments().await;
        // Sales > East > Almaty, through the API.
        let (sales, east, almaty) = (w.dept("Sales"), w.dept("East"), w.dept("Almaty"));
        let token = w.admin.token.clone();
        let (st, body) = w.patch(&token, &format!("/api/v1/admin/departments/{east}"), json!({"parent_id": sales})).await;
        assert_eq!(st, 200, "{body}");
        let (st, body) = w.patch(&token, &format!("/api/v1/admin/departments/{almaty}"), json!({"parent_id": east})).await;
        assert_eq!(st, 200, "{body}");
        w
    }

    pub async fn refresh_departments(&mut self) {
        let (st, body) = self.get(&self.admin.token.clone(), "/api/v1/admin/departments?include_archived=true").await;
        assert_eq!(st, 200, "{body}");
        self.departments = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["name"].as_str().unwrap().to_string(), d["id"].as_str().unwrap().parse().unwrap()))
            .collect();
    }

    pub fn dept(&self, name: &str) -> Uuid {
        self.departments[name]
    }

    pub async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        json_of(self.s.get(path).bearer_auth(token).send().await.unwrap()).await
    }

    pub async fn get_raw(&self, token: &str, path: &str) -> reqwest::Response {
        self.s.get(path).bearer_auth(token).send().await.unwrap()
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        json_of(self.s.post(path).bearer_auth(token).json(&body).send().await.unwrap()).await
    }

    pub async fn patch(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .s
            .http
            .patch(format!("{}{path}", self.s.base))
            .header(PROTOCOL_HEADER, "1")
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        json_of(r).await
    }

    pub async fn put(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .s
            .http
            .put(format!("{}{path}", self.s.base))
            .header(PROTOCOL_HEADER, "1")
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        json_of(r).await
    }

    /// Sets the organisation's privacy policy (Acme's, as its admin).
    pub async fn policy(&self, policy: &str, k: u32) {
        let (st, body) =
            self.put(&self.admin.token, "/api/v1/settings", json!({"privacy_policy": policy, "min_group_size": k})).await;
        assert_eq!(st, 200, "{body}");
    }
}
