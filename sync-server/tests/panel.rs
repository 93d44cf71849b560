//! The web panel over HTTP (the browser tests in `tests/tests/panel.rs` drive it in Chromium):
//! sessions in cookies, scope on every kind of page (403 outside a manager's subtree, 404 for
//! another organisation), employees refused, bad form input refused with the field and nothing
//! changed, cross-site posts refused, changes audited and synced, downloads, languages.

mod common;

use common::world::World;
use common::*;
use qamqor_protocol::Entity;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;

/// A browser-like client of the panel: no redirects followed, cookies kept by hand.
struct Panel {
    base: String,
    http: reqwest::Client,
    cookies: Vec<(String, String)>,
}

struct Page {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    body: String,
}

impl Page {
    fn has(&self, needle: &str) -> bool {
        self.body.contains(needle)
    }
}

impl Panel {
    fn new(w: &World) -> Panel {
        Panel { base: w.s.base.clone(), http: reqwest::Client::builder().redirect(Policy::none()).build().unwrap(), cookies: vec![] }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn read(&mut self, r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        let location = r.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_string());
        let set_cookies: Vec<String> = r.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
        for c in &set_cookies {
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !v.is_empty() {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
        Page { status, location, set_cookies, body: r.text().await.unwrap() }
    }

    async fn get(&mut self, path: &str) -> Page {
        let r = self.http.get(format!("{}{path}", self.base)).header(COOKIE, self.cookie_header()).send().await.unwrap();
        self.read(r).await
    }

    async fn get_bytes(&mut self, path: &str) -> (u16, String, Vec<u8>) {
        let r = self.http.get(format!("{}{path}", self.base)).header(COOKIE, self.cookie_header()).send().await.unwrap();
        let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        (r.status().as_u16(), ct, r.bytes().await.unwrap().to_vec())
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .unwrap();
        self.read(r).await
    }

    async fn sign_in(w: &World, email: &str) -> Panel {
        let mut p = Panel::new(w);
        let page = p.post("/panel/login", &[("email", email), ("password", PASSWORD), ("next", "/panel/people")]).await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(page.location.as_deref(), Some("/panel/people"));
        p
    }
}

#[tokio::test]
async fn visitors_sign_in_with_their_account_and_the_session_lives_in_strict_http_only_cookies() {
    let w = World::new().await;
    let mut p = Panel::new(&w);
    let page = p.get("/panel/people?q=a").await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/panel/login?next=%2Fpanel%2Fpeople%3Fq%3Da"));
    let page = p.get("/panel/login?next=%2Fpanel%2Fpeople").await;
    assert!(page.has("name=\"password\"") && page.has("value=\"/panel/people\""));

    let page = p.post("/panel/login", &[("email", "admin@acme.kz"), ("password", "wrong password!"), ("next", "/panel/people")]).await;
    assert_eq!(page.status, 401);
    assert!(page.has("id=\"login-error\""));
    assert!(page.set_cookies.is_empty(), "no session for a wrong password");

    let page = p.post("/panel/login", &[("email", "admin@acme.kz"), ("password", PASSWORD), ("next", "https://evil.example/")]).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/panel/"), "never sent to another site");
    assert_eq!(page.set_cookies.len(), 2);
    for c in &page.set_cookies {
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Path=/"), "{c}");
    }
    let page = p.get("/panel/people").await;
    assert_eq!(page.status, 200);
    assert!(page.has("sales@acme.kz") && page.has("support@acme.kz") && !page.has("z@other.kz"), "the admin's organisation only");

    // Signing out ends the device session: the old cookies no longer open anything.
    let old = p.cookies.clone();
    let page = p.post("/panel/logout", &[]).await;
    assert_eq!((page.status, page.location.as_deref()), (303, Some("/panel/login")));
    p.cookies = old;
    let page = p.get("/panel/people").await;
    assert_eq!(page.status, 303, "signed out for good");
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_without_signing_the_person_out() {
    let w = World::new().await;
    let mut p = Panel::sign_in(&w, "admin@acme.kz").await;
    w.s.clock.advance(20 * MINUTE);
    let page = p.get("/panel/people").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.set_cookies.len(), 2, "a new pair in the cookies");
    let page = p.get("/panel/departments").await;
    assert_eq!(page.status, 200);
    assert!(page.set_cookies.is_empty(), "the new access token is used as is");
}

#[tokio::test]
async fn employees_are_refused_and_their_session_closed() {
    let w = World::new().await;
    let mut p = Panel::new(&w);
    let page = p.post("/panel/login", &[("email", "sales@acme.kz"), ("password", PASSWORD)]).await;
    assert_eq!(page.status, 403);
    assert!(page.set_cookies.is_empty());
    assert!(page.has("id=\"login-error\""));
    // Even with a session made elsewhere (the phone's token in a cookie), no page opens.
    p.cookies = vec![("qamqor_at".into(), w.sales.token.clone())];
    let page = p.get("/panel/people").await;
    assert_eq!(page.status, 403);
    assert!(page.has("data-status=\"403\""));
}

#[tokio::test]
async fn a_manager_reaches_their_subtree_only_on_every_kind_of_page() {
    let w = World::new().await;
    let mut p = Panel::sign_in(&w, "boss@acme.kz").await;
    let (support_dept, sales_dept) = (w.dept("Support"), w.dept("Sales"));
    // Inside: Sales and below.
    for path in [
        "/panel/".to_string(),
        format!("/panel/people/{}", w.almaty.id),
        format!("/panel/departments/{}", w.dept("East")),
        format!("/panel/people?department_id={sales_dept}"),
        "/panel/activity".into(),
        "/panel/indicators".into(),
        "/panel/risk".into(),
        "/panel/audit".into(),
        "/panel/settings".into(),
    ] {
        let page = p.get(&path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
    }
    let people = p.get("/panel/people").await;
    assert!(people.has("almaty@acme.kz") && !people.has("support@acme.kz"), "the list is the subtree");
    // Outside the subtree: 403 on reads, writes and downloads; another organisation: 404.
    for path in [
        format!("/panel/people/{}", w.support.id),
        format!("/panel/departments/{support_dept}"),
        format!("/panel/people?department_id={support_dept}"),
        format!("/panel/people/{}?format=xlsx", w.support.id),
    ] {
        let page = p.get(&path).await;
        assert_eq!(page.status, 403, "{path}");
        assert!(page.has("data-status=\"403\"") && !page.has("support@acme.kz"), "{path}");
    }
    let page = p.get(&format!("/panel/people/{}", w.outsider.id)).await;
    assert_eq!(page.status, 404);
    for (path, form) in [
        (format!("/panel/people/{}/feedback", w.support.id), vec![("message", "hi")]),
        (format!("/panel/people/{}", w.support.id), vec![("department", sales_dept.to_string().leak() as &str)]),
        (format!("/panel/departments/{support_dept}"), vec![("name", "Mine now")]),
        (format!("/panel/departments/{support_dept}/archive"), vec![]),
    ] {
        let page = p.post(&path, &form).await;
        assert_eq!(page.status, 403, "{path}: {}", page.body);
    }
    // Admin-only actions.
    for (path, form) in [
        ("/panel/settings/privacy", vec![("privacy_policy", "individual"), ("min_group_size", "5")]),
        ("/panel/settings/targets", vec![("check_ins", "50")]),
        ("/panel/people", vec![("name", "New"), ("email", "new@acme.kz")]),
        (&*format!("/panel/people/{}/deactivate", w.sales.id).leak(), vec![]),
    ] {
        let page = p.post(path, &form).await;
        assert_eq!(page.status, 403, "{path}: {}", page.body);
    }
    // Nothing changed.
    let (_, support) = w.get(&w.admin.token, &format!("/api/v1/admin/people/{}", w.support.id)).await;
    assert_eq!(support["department_id"], serde_json::json!(support_dept));
    let (_, sales) = w.get(&w.admin.token, &format!("/api/v1/admin/people/{}", w.sales.id)).await;
    assert_eq!(sales["status"], "active");
    assert!(w.s.pull_personal(&w.support.token).await.iter().all(|c| c.entity != Entity::Feedback), "no feedback reached Support");
    let (_, settings) = w.get(&w.admin.token, "/api/v1/settings").await;
    assert_eq!(settings["privacy_policy"], "aggregate");
}

#[tokio::test]
async fn bad_form_input_is_refused_with_the_field_and_changes_nothing() {
    let w = World::new().await;
    let mut p = Panel::sign_in(&w, "admin@acme.kz").await;
    let (_, before) = w.get(&w.admin.token, "/api/v1/admin/indicators/targets").await;
    for (path, form, field) in [
        ("/panel/settings/targets", vec![("check_ins", "150")], "check_ins"),
        ("/panel/settings/targets", vec![("check_ins", "lots")], "check_ins"),
        ("/panel/settings/privacy", vec![("privacy_policy", "aggregate"), ("min_group_size", "1")], "min_group_size"),
        ("/panel/settings/privacy", vec![("privacy_policy", "everyone"), ("min_group_size", "5")], "privacy_policy"),
        (&*format!("/panel/people/{}", w.sales.id).leak(), vec![("role", "king")], "role"),
        (&*format!("/panel/people/{}", w.sales.id).leak(), vec![("department", "not-a-uuid")], "department"),
        ("/panel/departments", vec![("name", "   ")], "name"),
        ("/panel/people", vec![("name", "X"), ("email", "not an email")], "email"),
    ] {
        let page = p.post(path, &form).await;
        assert_eq!(page.status, 422, "{path} {form:?}: {}", page.body);
        assert!(page.has(&format!("<code>{field}</code>")), "{path} names {field}: {}", page.body);
    }
    for (path, field) in [
        ("/panel/people?page=0", "page"),
        ("/panel/people?role=king", "role"),
        ("/panel/indicators?week=2026-W99", "week"),
        ("/panel/activity?month=13", "month"),
        ("/panel/people?format=pdf", "format"),
    ] {
        let page = p.get(path).await;
        assert_eq!(page.status, 422, "{path}: {}", page.body);
        assert!(page.has(&format!("<code>{field}</code>")), "{path} names {field}");
    }
    let page = p.get("/panel/people/not-a-uuid").await;
    assert_eq!(page.status, 404);
    let (_, after) = w.get(&w.admin.token, "/api/v1/admin/indicators/targets").await;
    assert_eq!(before, after, "targets unchanged");
    let (_, sales) = w.get(&w.admin.token, &format!("/api/v1/admin/people/{}", w.sales.id)).await;
    assert_eq!(sales["role"], "employee");
}

#[tokio::test]
async fn forms_posted_from_another_site_are_refused() {
    let w = World::new().await;
    let p = Panel::sign_in(&w, "admin@acme.kz").await;
    for (header, value) in [("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")] {
        let r = p
            .http
            .post(format!("{}/panel/people/{}/deactivate", p.base, w.sales.id))
            .header(COOKIE, p.cookie_header())
            .header(header, value)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{header}: {value}");
    }
    let (_, sales) = w.get(&w.admin.token, &format!("/api/v1/admin/people/{}", w.sales.id)).await;
    assert_eq!(sales["status"], "active");
}

#[tokio::test]
async fn panel_actions_are_audited_and_reach_the_phones() {
    let w = World::new().await;
    let mut p = Panel::sign_in(&w, "boss@acme.kz").await;
    let page = p.post(&format!("/panel/people/{}/feedback", w.almaty.id), &[("message", "Рахмет за отчёт!")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location.unwrap(), format!("/panel/people/{}?done=feedback-sent", w.almaty.id));
    let feedback: Vec<_> = w.s.pull_personal(&w.almaty.token).await.into_iter().filter(|c| c.entity == Entity::Feedback).collect();
    assert_eq!(feedback.len(), 1);
    assert_eq!(feedback[0].payload["message"], "Рахмет за отчёт!");

    // A manager's invitation brings a new employee into their own department.
    let page = p.post("/panel/people/invite", &[("email", "new.hire@acme.kz")]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let code = page.body.split("id=\"invitation-code\">").nth(1).and_then(|r| r.split('<').next()).unwrap().to_string();
    let r = w
        .s
        .post("/api/v1/auth/register")
        .json(&serde_json::json!({"code": code, "email": "new.hire@acme.kz", "name": "Жаңа қызметкер", "password": PASSWORD, "device_name": "phone"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let (_, hires) = w.get(&w.admin.token, "/api/v1/admin/people?q=Жаңа").await;
    assert_eq!(hires["items"][0]["department"], "Sales");
    let page = p.post("/panel/people/invite", &[("email", "not an email")]).await;
    assert_eq!(page.status, 422);

    let mut admin = Panel::sign_in(&w, "admin@acme.kz").await;
    let page = admin.post(&format!("/panel/people/{}/deactivate", w.sales.id), &[]).await;
    assert_eq!(page.status, 303);
    let page = admin.get(&format!("/panel/people/{}?done=deactivated", w.sales.id)).await;
    assert!(page.has("id=\"reactivate\""));
    assert_eq!(w.s.try_login("sales@acme.kz", PASSWORD, None).await.status(), 403, "deactivated");
    let page = admin.post("/panel/settings/privacy", &[("privacy_policy", "individual"), ("min_group_size", "7")]).await;
    assert_eq!(page.status, 303);
    let (_, settings) = w.get(&w.admin.token, "/api/v1/settings").await;
    assert_eq!((settings["privacy_policy"].as_str(), settings["min_group_size"].as_u64()), (Some("individual"), Some(7)));

    let (_, audit) = w.get(&w.admin.token, "/api/v1/admin/audit?per_page=200").await;
    let actions: Vec<(&str, &str)> =
        audit["items"].as_array().unwrap().iter().map(|e| (e["action"].as_str().unwrap(), e["actor_name"].as_str().unwrap())).collect();
    for action in ["feedback.send", "invitation.create", "person.deactivate", "settings.update"] {
        assert!(actions.iter().any(|(a, _)| *a == action), "{action} in {actions:?}");
    }
    assert!(audit["items"].as_array().unwrap().iter().all(|e| e["client_addr"].as_str().is_some_and(|a| a.starts_with("127."))), "from where");
}

#[tokio::test]
async fn every_table_downloads_from_the_panel_and_the_download_is_logged() {
    let w = World::new().await;
    let mut p = Panel::sign_in(&w, "admin@acme.kz").await;
    let (st, ct, bytes) = p.get_bytes("/panel/people?format=xlsx").await;
    assert_eq!(st, 200);
    assert!(ct.starts_with("application/vnd.openxmlformats"), "{ct}");
    let rows = xlsx_rows(&bytes);
    assert_eq!(rows.len(), 1 + 6, "a header and Acme's six people: {rows:?}");
    assert!(rows.iter().any(|r| r.contains(&"almaty@acme.kz".to_string())));
    let (_, _, bytes) = p.get_bytes("/panel/people?format=xlsx&q=almaty").await;
    assert_eq!(xlsx_rows(&bytes).len(), 2, "the download keeps the filter");
    for path in ["/panel/activity?format=csv", "/panel/indicators?format=csv", "/panel/risk?format=csv", "/panel/audit?format=csv"] {
        let (st, ct, bytes) = p.get_bytes(path).await;
        assert_eq!(st, 200, "{path}");
        assert!(ct.starts_with("text/csv"), "{path}: {ct}");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{path}: UTF-8 with a BOM");
    }
    let (st, _, bytes) = p.get_bytes("/panel/audit?format=xlsx&action=export").await;
    assert_eq!(st, 200);
    assert!(xlsx_rows(&bytes).len() >= 7, "each download above is in the log");
}

#[tokio::test]
async fn the_language_is_the_choice_then_the_browser_s_then_kazakh() {
    let w = World::new().await;
    let mut p = Panel::new(&w);
    let page = p.get("/panel/login").await;
    assert!(page.has("<html lang=\"kk\"") && page.has("Qamqor жүйесіне кіру"), "Kazakh by default");
    let r = p.http.get(format!("{}/panel/login", p.base)).header("accept-language", "ru-RU,ru;q=0.9,en;q=0.5").send().await.unwrap();
    let page = p.read(r).await;
    assert!(page.has("<html lang=\"ru\"") && page.has("Вход в Qamqor"));
    let page = p.get("/panel/lang?set=en&next=%2Fpanel%2Flogin").await;
    assert_eq!((page.status, page.location.as_deref()), (303, Some("/panel/login")));
    assert!(page.set_cookies[0].starts_with("qamqor_lang=en"));
    let page = p.get("/panel/login").await;
    assert!(page.has("<html lang=\"en\"") && page.has("Sign in to Qamqor"));
    let page = p.get("/panel/lang?set=kk&next=https%3A%2F%2Fevil.example").await;
    assert_eq!(page.location.as_deref(), Some("/panel/"), "never sent to another site");
    // Signed in, every page is in the chosen language.
    let mut admin = Panel::sign_in(&w, "admin@acme.kz").await;
    admin.cookies.push(("qamqor_lang".into(), "ru".into()));
    for (path, title) in [("/panel/people", "Сотрудники"), ("/panel/indicators", "Недельные показатели"), ("/panel/settings", "Настройки")] {
        let page = admin.get(path).await;
        assert!(page.has("<html lang=\"ru\"") && page.has(title), "{path}");
    }
}

/// An achievement as a phone pushes it.
async fn push_achievement(w: &World, token: &str, type_id: &str, title: &str) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let p = qamqor_protocol::AchievementPayload {
        id: id.clone(),
        type_id: type_id.into(),
        title: title.into(),
        description: None,
        achieved_on: "2024-12-10".into(),
        recorded_at: NOW,
        evidence_jpeg: None,
    };
    let r = w.s.push(token, &[upsert(Entity::Achievement, &id, &hlc(NOW, "a1"), serde_json::to_value(p).unwrap())]).await;
    assert_eq!(r.status(), 200);
    id
}

#[tokio::test]
async fn a_manager_verifies_achievements_in_the_panel_and_the_ranking_follows() {
    let w = World::new().await;
    let paper = push_achievement(&w, &w.almaty.token, "research.article", "Мақала: Алматы").await;
    let course = push_achievement(&w, &w.east.token, "professional.course", "Курс").await;
    let theirs = push_achievement(&w, &w.support.token, "professional.course", "Support's course").await;
    let mut p = Panel::sign_in(&w, "boss@acme.kz").await;

    let page = p.get("/panel/achievements?status=pending").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has(&paper) && page.has(&course) && !page.has(&theirs), "the manager's subtree only");
    assert!(page.has("Рецензияланатын журналдағы мақала") && !page.has("Article in a peer-reviewed journal"), "the default types in the page's language");
    let ranking = p.get("/panel/ratings").await;
    assert!(ranking.has("data-total=\"0\""), "nothing verified yet");
    assert!(ranking.has("<th>Ғылыми</th>") && !ranking.has("<th>Research</th>"), "the default categories in the page's language");

    // Rejecting needs a reason; outside the subtree is refused; nothing changes either way.
    let page = p.post(&format!("/panel/achievements/{course}/review"), &[("status", "rejected")]).await;
    assert_eq!(page.status, 422);
    assert!(page.has("<code>comment</code>"));
    let page = p.post(&format!("/panel/achievements/{theirs}/review"), &[("status", "verified")]).await;
    assert_eq!(page.status, 403);
    let page = p.post("/panel/achievements/no-such-id/review", &[("status", "verified")]).await;
    assert_eq!(page.status, 404);

    let page = p.post(&format!("/panel/achievements/{paper}/review"), &[("status", "verified"), ("next", "/panel/achievements?status=pending")]).await;
    assert_eq!((page.status, page.location.as_deref()), (303, Some("/panel/achievements?status=pending&done=achievement-verified")));
    let page = p.post(&format!("/panel/achievements/{course}/review"), &[("status", "rejected"), ("comment", "No certificate")]).await;
    assert_eq!(page.status, 303);
    let page = p.get("/panel/achievements").await;
    assert!(page.has("data-status=\"verified\"") && page.has("data-status=\"rejected\"") && page.has("No certificate"));

    // The ranking: Almaty first with a positive rating, in the panel and in its download.
    let ranking = p.get("/panel/ratings").await;
    let first = ranking.body.split("<tbody>").nth(1).unwrap().split("</tr>").next().unwrap().to_string();
    assert!(first.contains(&w.almaty.id.to_string()) && !first.contains("data-total=\"0\""), "{first}");
    let (st, _, bytes) = p.get_bytes("/panel/ratings?format=xlsx").await;
    assert_eq!(st, 200);
    let rows = xlsx_rows(&bytes);
    let (_, almaty) = w.get(&w.admin.token, &format!("/api/v1/admin/people/{}", w.almaty.id)).await;
    assert_eq!((rows[1][0].as_str(), rows[1][2].as_str()), ("1", almaty["name"].as_str().unwrap()), "{rows:?}");
    assert!(rows[1][4].parse::<f64>().unwrap() > 0.0, "{rows:?}");
    let (st, _, bytes) = p.get_bytes("/panel/ratings?format=csv&view=departments").await;
    assert_eq!(st, 200);
    assert!(String::from_utf8_lossy(&bytes).contains("average_rating"));
    // The verdict reaches the phone.
    assert!(w.s.pull_personal(&w.almaty.token).await.iter().any(|c| c.entity == Entity::AchievementReview));

    // Competencies: an admin assigns a card through the API; the panel shows the person's
    // profile and the department's coverage with the gap.
    let (st, body) = w.put(&w.admin.token, &format!("/api/v1/admin/people/{}/competency", w.east.id), serde_json::json!({"occupation_code": "2511-1-005", "level": 5})).await;
    assert_eq!(st, 200, "{body}");
    let page = p.get(&format!("/panel/people/{}", w.east.id)).await;
    assert!(page.has("id=\"competency-functions\"") && page.has("IT-дизайнер"), "{}", page.body);
    let page = p.get(&format!("/panel/competencies?department_id={}", w.dept("Sales"))).await;
    assert_eq!(page.status, 200);
    assert!(page.has("class=\"gap\""), "nobody rated yet: every function is a gap");
    let page = p.get(&format!("/panel/competencies?department_id={}", w.dept("Support"))).await;
    assert_eq!(page.status, 403);
}

#[tokio::test]
async fn an_admin_carries_out_a_deletion_request_from_the_panel_only_when_confirmed() {
    let w = World::new().await;
    let id = uuid::Uuid::now_v7().to_string();
    let request = upsert(Entity::DeletionRequest, &id, &hlc(NOW - 1000, "a1"), serde_json::json!({"requested_at": NOW - 1000}));
    assert_eq!(w.s.push(&w.sales.token, &[request]).await.status(), 200);

    let mut manager = Panel::sign_in(&w, "boss@acme.kz").await;
    assert_eq!(manager.get("/panel/deletions").await.status, 403, "admins only");
    assert!(!manager.get("/panel/settings").await.has("/panel/deletions"), "no link for managers");
    assert_eq!(manager.post(&format!("/panel/deletions/{id}/carry-out"), &[("confirm", "yes")]).await.status, 403);

    let mut p = Panel::sign_in(&w, "admin@acme.kz").await;
    assert!(p.get("/panel/settings").await.has("href=\"/panel/deletions\""));
    let list = p.get("/panel/deletions").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.has("sales@acme.kz") && list.has(&format!("/panel/deletions/{id}/carry-out")), "{}", list.body);

    // Without the confirmation: refused, naming the box, and nothing erased.
    let refused = p.post(&format!("/panel/deletions/{id}/carry-out"), &[]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.has("<code>confirm</code>"));
    assert_eq!(w.s.try_login("sales@acme.kz", PASSWORD, None).await.status(), 200, "still signs in");
    assert_eq!(p.post("/panel/deletions/nope/carry-out", &[("confirm", "yes")]).await.status, 404);

    let done = p.post(&format!("/panel/deletions/{id}/carry-out"), &[("confirm", "yes")]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let after = p.get(done.location.as_deref().unwrap()).await;
    assert!(!after.has("sales@acme.kz"), "the email is erased: {}", after.body);
    assert!(!after.has(&format!("/panel/deletions/{id}/carry-out")), "nothing left to carry out");
    assert_eq!(w.s.try_login("sales@acme.kz", PASSWORD, None).await.status(), 401);
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?action=deletion_request.carry_out").await;
    assert_eq!(log["total"], 1, "{log}");
}
