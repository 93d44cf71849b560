//! The rating computed one way in one place, end to end: real core phones record achievements
//! offline and sync them to the real server process; a manager verifies them through the admin
//! API and changes the organisation's method; every phone's own rating equals the total the
//! server ranks it with, category by category, under both methods.

use std::sync::Arc;

use chrono::{Days, Utc};
use qamqor_core::{AchievementInput, AchievementStatus, CancelToken, FixedClock, NoProgress, Store, Syncer};
use qamqor_e2e::{server_binary, NewAccount, ServerProcess, DEFAULT_PASSWORD};
use qamqor_protocol::Role;
use serde_json::{json, Value};
use tempfile::TempDir;

struct Phone {
    _dir: TempDir,
    store: Arc<Store>,
    sync: Syncer,
    user_id: String,
}

impl Phone {
    fn sign_in(url: &str, email: &str) -> Phone {
        let dir = TempDir::new().unwrap();
        let store = Arc::new(Store::open_with_clock(dir.path().join("phone.db"), Arc::new(FixedClock::new(Utc::now()))).unwrap());
        let sync = Syncer::new(store.clone());
        let account = sync.login(url, email, DEFAULT_PASSWORD, "phone").unwrap();
        Phone { _dir: dir, store, sync, user_id: account.user_id }
    }

    fn sync(&self) {
        let report = self.sync.sync(&NoProgress, &CancelToken::new()).unwrap();
        assert_eq!(report.applied.rejected, 0);
    }

    fn record(&self, type_id: &str, days_ago: u64) -> String {
        let on = Utc::now().date_naive() - Days::new(days_ago);
        let input = AchievementInput { type_id: type_id.into(), title: type_id.into(), description: None, achieved_on: on };
        self.store.record_achievement(&input, None).unwrap().id
    }
}

#[test]
fn every_phone_shows_the_rating_the_server_ranks_it_with() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let server = rt.block_on(ServerProcess::start(server_binary!())).unwrap();
    rt.block_on(server.create_org("Acme")).unwrap();
    rt.block_on(server.add_user(&NewAccount::new("Acme", "boss@acme.kz", Role::Manager).in_department("Sales"))).unwrap();
    rt.block_on(server.add_user(&NewAccount::new("Acme", "root@acme.kz", Role::Admin))).unwrap();
    for email in ["a@acme.kz", "b@acme.kz", "c@acme.kz"] {
        rt.block_on(server.add_user(&NewAccount::new("Acme", email, Role::Employee).in_department("Sales"))).unwrap();
    }
    let phones: Vec<Phone> = ["a@acme.kz", "b@acme.kz", "c@acme.kz"].iter().map(|e| Phone::sign_in(&server.base_url(), e)).collect();

    // Offline: each phone records what it achieved.
    let plan: [&[(&str, u64)]; 3] = [
        &[("research.article", 10), ("social.mentoring", 40), ("methodical.guide", 3)],
        &[("research.monograph", 5), ("professional.certification", 7)],
        &[("organisational.event", 2), ("professional.course", 1), ("research.conference_talk", 90)],
    ];
    let mut recorded = Vec::new();
    for (phone, items) in phones.iter().zip(plan) {
        for (type_id, days_ago) in items {
            recorded.push(phone.record(type_id, *days_ago));
        }
        phone.sync();
    }

    let api = server.api();
    let token = |email: &str| rt.block_on(server.login(email, DEFAULT_PASSWORD, "laptop")).unwrap().access_token;
    let (boss, root) = (token("boss@acme.kz"), token("root@acme.kz"));
    let call = |method: reqwest::Method, path: &str, token: &str, body: Option<Value>| -> Value {
        let mut r = api.request(method, path).bearer_auth(token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        rt.block_on(api.send(r)).unwrap()
    };
    // The manager verifies all but the last, which is rejected.
    for (i, id) in recorded.iter().enumerate() {
        let body = if i + 1 == recorded.len() { json!({"status": "rejected", "comment": "no programme"}) } else { json!({"status": "verified"}) };
        call(reqwest::Method::POST, &format!("/api/v1/admin/achievements/{id}/review"), &boss, Some(body));
    }

    let compare = |method: &str| {
        let ranking = call(reqwest::Method::GET, "/api/v1/admin/ratings", &boss, None);
        assert_eq!(ranking["method"], method);
        for phone in &phones {
            phone.sync();
            let mine = phone.store.rating(None, None).unwrap();
            let row = ranking["people"].as_array().unwrap().iter().find(|p| p["person_id"] == json!(phone.user_id)).unwrap();
            assert_eq!(row["total"].as_f64(), Some(mine.total), "{method}: {row}");
            assert_eq!(row["points"].as_u64(), Some(mine.points));
            for (server_cat, phone_cat) in row["categories"].as_array().unwrap().iter().zip(&mine.categories) {
                assert_eq!(server_cat["category_id"].as_str(), Some(phone_cat.category_id.as_str()));
                assert_eq!(server_cat["contribution"].as_f64(), Some(phone_cat.contribution));
            }
        }
    };
    compare("average");
    let rejected = phones[2].store.achievements().unwrap().into_iter().find(|a| a.status == AchievementStatus::Rejected).unwrap();
    assert_eq!(rejected.review.unwrap().comment.as_deref(), Some("no programme"));

    // The admin switches to workload weights; the phones pull the catalogue and agree again.
    let mut catalogue = call(reqwest::Method::GET, "/api/v1/admin/ratings/catalogue", &root, None);
    catalogue["method"] = json!("workload");
    for (i, w) in [35.5, 24.5, 15.0, 15.0, 10.0].into_iter().enumerate() {
        catalogue["categories"][i]["weight_percent"] = json!(w);
    }
    call(reqwest::Method::PUT, "/api/v1/admin/ratings/catalogue", &root, Some(catalogue));
    compare("workload");
}
