//! Achievements and the rating through the admin API: phones push achievements, a manager
//! verifies or rejects them within their subtree (403 outside it, 404 for another organisation's),
//! the verdict reaches the phone by pull, admins edit the catalogue (weights summing to 100 %),
//! and the rankings, the department comparison and their CSV/xlsx downloads hold the right rows.

mod common;

use common::world::{Person, World};
use common::*;
use qamqor_protocol::{AchievementPayload, Change, Entity};
use serde_json::{json, Value};
use uuid::Uuid;

/// An achievement change as a phone pushes it.
fn achievement(type_id: &str, on: &str, evidence: Option<Vec<u8>>) -> Change {
    let id = Uuid::now_v7().to_string();
    let p = AchievementPayload {
        id: id.clone(),
        type_id: type_id.into(),
        title: format!("{type_id} of {on}"),
        description: Some("with a link".into()),
        achieved_on: on.into(),
        recorded_at: NOW,
        evidence_jpeg: evidence.map(|j| qamqor_core::rating::encode_evidence(&j)),
    };
    upsert(Entity::Achievement, &id, &hlc(NOW, "a1"), serde_json::to_value(p).unwrap())
}

async fn record(w: &World, who: &Person, type_id: &str, on: &str) -> String {
    let c = achievement(type_id, on, None);
    let r = w.s.push(&who.token, std::slice::from_ref(&c)).await;
    assert_eq!(r.status(), 200);
    c.record_id
}

async fn review(w: &World, token: &str, id: &str, body: Value) -> (u16, Value) {
    w.post(token, &format!("/api/v1/admin/achievements/{id}/review"), body).await
}

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(20, 10, image::Rgb([10, 200, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn names(rows: &Value) -> Vec<(String, f64)> {
    rows.as_array().unwrap().iter().map(|p| (p["name"].as_str().unwrap().to_string(), p["total"].as_f64().unwrap())).collect()
}

#[tokio::test]
async fn a_manager_verifies_within_their_subtree_and_the_verdict_reaches_the_phone() {
    let w = World::new().await;
    let east_paper = record(&w, &w.east, "research.article", "2024-12-10").await;
    let support_talk = record(&w, &w.support, "research.conference_talk", "2024-12-11").await;
    let sales_course = record(&w, &w.sales, "professional.course", "2024-12-12").await;
    let boss_own = record(&w, &w.manager, "social.mentoring", "2024-12-12").await;

    // The manager sees their subtree's achievements (Sales, East, Almaty), not Support's.
    let (st, list) = w.get(&w.manager.token, "/api/v1/admin/achievements?status=pending").await;
    assert_eq!(st, 200, "{list}");
    let ids: Vec<&str> = list["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&east_paper.as_str()) && ids.contains(&sales_course.as_str()) && !ids.contains(&support_talk.as_str()), "{ids:?}");
    let paper = list["items"].as_array().unwrap().iter().find(|a| a["id"] == json!(east_paper)).unwrap();
    assert_eq!((paper["status"].as_str(), paper["points"].as_u64(), paper["category"].as_str()), (Some("pending"), Some(30), Some("Research")));
    let (_, all) = w.get(&w.admin.token, "/api/v1/admin/achievements").await;
    assert_eq!(all["total"], 4);

    // Verify: 200 with the verdict; the phone pulls it.
    let (st, body) = review(&w, &w.manager.token, &east_paper, json!({"status": "verified", "comment": "great paper"})).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!((body["status"].as_str(), body["points"].as_u64()), (Some("verified"), Some(30)));
    assert_eq!(body["review"]["reviewer_name"], "Person boss@acme.kz");
    let pulled = w.s.pull_personal(&w.east.token).await;
    let verdict = pulled.iter().find(|c| c.entity == Entity::AchievementReview).expect("the verdict is pulled");
    assert_eq!(verdict.record_id, east_paper);
    assert_eq!(verdict.payload["status"], "verified");
    assert_eq!(verdict.payload["points"], 30);
    assert_eq!(verdict.payload["comment"], "great paper");
    // Nobody else pulls it.
    assert!(!w.s.pull_personal(&w.sales.token).await.iter().any(|c| c.entity == Entity::AchievementReview));

    // Reject needs a comment; bad verdicts name their field; nothing changes.
    let (st, e) = review(&w, &w.manager.token, &sales_course, json!({"status": "rejected"})).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("comment")), "{e}");
    let (st, e) = review(&w, &w.manager.token, &sales_course, json!({"status": "maybe"})).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("status")), "{e}");
    let (st, e) = review(&w, &w.manager.token, &sales_course, json!({"status": "verified", "comment": "x".repeat(2001)})).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("comment")), "{e}");
    let (_, still) = w.get(&w.manager.token, &format!("/api/v1/admin/achievements/{sales_course}")).await;
    assert_eq!(still["status"], "pending");
    let (st, body) = review(&w, &w.manager.token, &sales_course, json!({"status": "rejected", "comment": "no certificate"})).await;
    assert_eq!((st, body["status"].as_str(), body["points"].as_u64()), (200, Some("rejected"), Some(0)));

    // Scope: outside the subtree 403, another organisation 404, employees 403, oneself 403.
    let (st, e) = review(&w, &w.manager.token, &support_talk, json!({"status": "verified"})).await;
    assert_eq!((st, e["code"].as_str(), e["field"].as_str()), (403, Some("forbidden"), Some("id")), "{e}");
    let (st, e) = review(&w, &w.other_admin.token, &east_paper, json!({"status": "verified"})).await;
    assert_eq!((st, e["code"].as_str()), (404, Some("achievement_not_found")), "{e}");
    let (st, _) = review(&w, &w.sales.token, &east_paper, json!({"status": "rejected", "comment": "no"})).await;
    assert_eq!(st, 403);
    let (st, e) = review(&w, &w.manager.token, &boss_own, json!({"status": "verified"})).await;
    assert_eq!(st, 403, "{e}");
    let (st, e) = review(&w, &w.admin.token, "not-an-id", json!({"status": "verified"})).await;
    assert_eq!((st, e["code"].as_str()), (404, Some("achievement_not_found")));
    // The admin reaches everyone.
    let (st, _) = review(&w, &w.admin.token, &support_talk, json!({"status": "verified"})).await;
    assert_eq!(st, 200);

    // Audited with who and what.
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?action=achievement.verify").await;
    assert_eq!(log["total"], 2);
    let entry = &log["items"][1];
    assert_eq!((entry["actor_id"].clone(), entry["target_id"].clone()), (json!(w.manager.id), json!(east_paper)));
    assert_eq!(entry["details"]["points"], 30);
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?action=achievement.reject").await;
    assert_eq!(log["total"], 1);

    // A deleted achievement is gone for reviews too.
    let r = w.s.push(&w.east.token, &[tombstone(Entity::Achievement, &east_paper, &hlc(NOW + MINUTE, "a1"))]).await;
    assert_eq!(r.status(), 200);
    let (st, e) = review(&w, &w.manager.token, &east_paper, json!({"status": "verified"})).await;
    assert_eq!((st, e["code"].as_str()), (404, Some("achievement_not_found")));
}

#[tokio::test]
async fn pushed_achievements_are_checked_and_evidence_downloads() {
    let w = World::new().await;
    let mut bad = achievement("research.article", "2025-03-01", None);
    let (st, e) = error_of(w.s.push(&w.east.token, &[bad.clone()]).await).await;
    assert_eq!((st, e.field.as_deref()), (422, Some("changes[0].payload.achieved_on")));
    bad.payload["achieved_on"] = json!("2024-12-01");
    bad.payload["evidence_jpeg"] = json!("%%%");
    let (st, e) = error_of(w.s.push(&w.east.token, &[bad]).await).await;
    assert_eq!((st, e.field.as_deref()), (422, Some("changes[0].payload.evidence_jpeg")));

    let photo = jpeg();
    let good = achievement("methodical.guide", "2024-12-01", Some(photo.clone()));
    assert_eq!(w.s.push(&w.east.token, std::slice::from_ref(&good)).await.status(), 200);
    let (_, a) = w.get(&w.manager.token, &format!("/api/v1/admin/achievements/{}", good.record_id)).await;
    assert_eq!(a["has_evidence"], true);
    let r = w.get_raw(&w.manager.token, &format!("/api/v1/admin/achievements/{}/evidence", good.record_id)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.bytes().await.unwrap().to_vec(), photo);
    let plain = record(&w, &w.east, "methodical.guide", "2024-12-02").await;
    let r = w.get_raw(&w.manager.token, &format!("/api/v1/admin/achievements/{plain}/evidence")).await;
    assert_eq!(error_of(r).await.1.code, "evidence_not_found");
    let r = w.get_raw(&w.manager.token, &format!("/api/v1/admin/achievements/{}/evidence", record(&w, &w.support, "social.volunteering", "2024-12-02").await)).await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn the_catalogue_is_edited_by_admins_and_reaches_the_phones() {
    let w = World::new().await;
    let (st, c) = w.get(&w.manager.token, "/api/v1/admin/ratings/catalogue").await;
    assert_eq!(st, 200);
    assert_eq!(c["method"], "average");
    assert_eq!(c["categories"].as_array().unwrap().len(), 5);

    // Weights that do not sum to 100 % under workload: 422 naming the field, nothing changed.
    let mut bad = c.clone();
    bad["method"] = json!("workload");
    bad["categories"][0]["weight_percent"] = json!(10);
    let (st, e) = w.put(&w.admin.token, "/api/v1/admin/ratings/catalogue", bad).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("categories.weight_percent")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("90 %"), "{e}");
    // A type removed instead of archived, an unknown method, a manager: refused too.
    let mut gone = c.clone();
    gone["types"].as_array_mut().unwrap().remove(0);
    let (st, e) = w.put(&w.admin.token, "/api/v1/admin/ratings/catalogue", gone).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("types")), "{e}");
    let mut wrong = c.clone();
    wrong["method"] = json!("median");
    let (st, e) = w.put(&w.admin.token, "/api/v1/admin/ratings/catalogue", wrong).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("method")), "{e}");
    let (st, _) = w.put(&w.manager.token, "/api/v1/admin/ratings/catalogue", c.clone()).await;
    assert_eq!(st, 403);
    assert!(!w.s.pull_all(&w.east.token).await.iter().any(|ch| ch.entity == Entity::RatingCatalogue));

    let mut good = c.clone();
    good["method"] = json!("workload");
    for (i, weight) in [50, 20, 10, 10, 10].into_iter().enumerate() {
        good["categories"][i]["weight_percent"] = json!(weight);
    }
    good["types"][0]["points"] = json!(40);
    let (st, body) = w.put(&w.admin.token, "/api/v1/admin/ratings/catalogue", good.clone()).await;
    assert_eq!(st, 200, "{body}");
    let pulled = w.s.pull_all(&w.east.token).await;
    let record = pulled.iter().find(|ch| ch.entity == Entity::RatingCatalogue).expect("every member pulls the catalogue");
    assert_eq!(record.payload["method"], "workload");
    assert_eq!(record.payload["types"][0]["points"], 40);
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?action=rating_catalogue.update").await;
    assert_eq!(log["total"], 1);
}

#[tokio::test]
async fn rankings_and_the_department_comparison_use_the_cores_formula_and_export() {
    let w = World::new().await;
    let verify = |id: String| {
        let w = &w;
        async move {
            let (st, body) = review(w, &w.admin.token, &id, json!({"status": "verified"})).await;
            assert_eq!(st, 200, "{body}");
        }
    };
    verify(record(&w, &w.east, "research.article", "2024-12-10").await).await; // research 30
    verify(record(&w, &w.east, "social.mentoring", "2024-06-01").await).await; // social 15
    verify(record(&w, &w.almaty, "research.monograph", "2024-12-11").await).await; // research 50
    verify(record(&w, &w.support, "professional.course", "2024-12-12").await).await; // professional 10
    record(&w, &w.sales, "research.patent", "2024-12-12").await; // pending: counts nothing

    // Average of five categories: Almaty 50/5 = 10, East 45/5 = 9, Support 2.
    let (st, r) = w.get(&w.admin.token, "/api/v1/admin/ratings").await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["method"], "average");
    let people = names(&r["people"]);
    assert_eq!(&people[..3], &[("Person almaty@acme.kz".into(), 10.0), ("Person east@acme.kz".into(), 9.0), ("Person support@acme.kz".into(), 2.0)]);
    assert_eq!(r["people"][0]["rank"], 1);
    assert_eq!(r["people"][1]["categories"][0]["points"], 30);
    assert_eq!(r["people"][1]["categories"][3]["points"], 15);
    // Everyone else shares the last place with 0.
    let zero_ranks: Vec<u64> = r["people"].as_array().unwrap()[3..].iter().map(|p| p["rank"].as_u64().unwrap()).collect();
    assert!(zero_ranks.iter().all(|&k| k == 4), "{zero_ranks:?}");
    // A period counts its days only: East loses the June mentoring.
    let (_, dec) = w.get(&w.admin.token, "/api/v1/admin/ratings?from=2024-12-01&to=2024-12-31").await;
    assert_eq!(dec["people"][1]["total"], 6.0);
    let (st, e) = w.get(&w.admin.token, "/api/v1/admin/ratings?from=2024-12-31&to=2024-12-01").await;
    assert_eq!((st, e["field"].as_str()), (422, Some("to")));

    // The manager ranks their subtree only; a department outside it is 403, another org's 404.
    let (_, mine) = w.get(&w.manager.token, "/api/v1/admin/ratings").await;
    assert!(!names(&mine["people"]).iter().any(|(n, _)| n.contains("support")));
    let (st, _) = w.get(&w.manager.token, &format!("/api/v1/admin/ratings?department_id={}", w.dept("Support"))).await;
    assert_eq!(st, 403);
    let (st, e) = w.get(&w.other_admin.token, &format!("/api/v1/admin/ratings?department_id={}", w.dept("East"))).await;
    assert_eq!((st, e["code"].as_str()), (404, Some("department_not_found")));
    let (st, _) = w.get(&w.east.token, "/api/v1/admin/ratings").await;
    assert_eq!(st, 403);

    // Departments over their subtrees: East = East + Almaty, mean (9 + 10) / 2.
    let (st, d) = w.get(&w.admin.token, "/api/v1/admin/ratings/departments").await;
    assert_eq!(st, 200, "{d}");
    let east = d["departments"].as_array().unwrap().iter().find(|x| x["department"] == "East").unwrap();
    assert_eq!((east["people"].as_u64(), east["average"].as_f64(), east["best"].as_f64()), (Some(2), Some(9.5), Some(10.0)));
    assert_eq!(east["categories"][0]["average_points"], 40.0);
    assert_eq!(d["departments"][0]["department"], "Almaty");
    assert_eq!(d["departments"][0]["rank"], 1);

    // The organisation switches to workload weights: the same verdicts, a new ranking.
    let (_, mut c) = w.get(&w.admin.token, "/api/v1/admin/ratings/catalogue").await;
    c["method"] = json!("workload");
    for (i, weight) in [10, 70, 10, 5, 5].into_iter().enumerate() {
        c["categories"][i]["weight_percent"] = json!(weight);
    }
    let (st, _) = w.put(&w.admin.token, "/api/v1/admin/ratings/catalogue", c).await;
    assert_eq!(st, 200);
    let (_, r) = w.get(&w.admin.token, "/api/v1/admin/ratings").await;
    // Support 0.7 * 10 = 7; Almaty 0.1 * 50 = 5; East 0.1 * 30 + 0.05 * 15 = 3.75.
    assert_eq!(&names(&r["people"])[..3], &[("Person support@acme.kz".into(), 7.0), ("Person almaty@acme.kz".into(), 5.0), ("Person east@acme.kz".into(), 3.75)]);
    assert_eq!(r["categories"][1]["weight_percent"], 70.0);

    // Exports: CSV and xlsx hold the same rows, logged as exports.
    let csv = w.get_raw(&w.admin.token, "/api/v1/admin/ratings?format=csv").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("ratings.csv"));
    let text = String::from_utf8(csv.bytes().await.unwrap()[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("rank,department_rank,name,department,rating,points,Research (points)"), "{}", lines[0]);
    assert!(lines[1].starts_with("1,1,Person support@acme.kz,Support,7,10,0,10"), "{}", lines[1]);
    let xlsx = w.get_raw(&w.admin.token, "/api/v1/admin/ratings/departments?format=xlsx").await;
    assert_eq!(xlsx.status(), 200);
    let rows = xlsx_rows(&xlsx.bytes().await.unwrap());
    assert_eq!(rows[0][..5], ["rank", "department", "people", "average_rating", "best_rating"]);
    assert_eq!(rows.last().unwrap()[1], "Total");
    assert!(rows.iter().any(|r| r[1] == "East" && r[2] == "2"), "{rows:?}");
    let achievements = w.get_raw(&w.manager.token, "/api/v1/admin/achievements?format=csv&status=verified").await;
    let text = String::from_utf8(achievements.bytes().await.unwrap()[3..].to_vec()).unwrap();
    assert_eq!(text.lines().count(), 1 + 3, "{text}");
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?action=export").await;
    assert_eq!(log["total"], 3);
}
