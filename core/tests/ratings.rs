//! Achievements recorded offline, their evidence photos, the verdicts and catalogue pulled from
//! the server, and the person's own rating (the same `rating::compute` the server ranks with).

use std::io::Cursor;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use qamqor_core::rating;
use qamqor_core::*;
use qamqor_protocol::{
    AchievementReviewPayload, Change, Entity, Op, RatingCataloguePayload, RatingMethod, ReviewStatus, RATING_CATALOGUE_RECORD_ID,
};
use tempfile::TempDir;
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 9, 0, 0).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

struct Device {
    _dir: TempDir,
    store: Store,
}

fn device() -> Device {
    let dir = TempDir::new().unwrap();
    let store = Store::open_with_clock(dir.path().join("qamqor.db"), Arc::new(FixedClock::new(now()))).unwrap();
    Device { _dir: dir, store }
}

fn input(type_id: &str, on: &str) -> AchievementInput {
    AchievementInput { type_id: type_id.into(), title: "  Paper on burnout  ".into(), description: None, achieved_on: day(on) }
}

fn png_with_text(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 255]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    let mut bytes = out.into_inner();
    // A tEXt chunk before IEND with a location: metadata the pipeline must drop.
    let iend = bytes.len() - 12;
    let data = b"Comment\0GPS 43.2389N 76.8897E Secret-Place";
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(data);
    let mut crc_input = b"tEXt".to_vec();
    crc_input.extend_from_slice(data);
    chunk.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    bytes.splice(iend..iend, chunk);
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn server_change(entity: Entity, record_id: &str, hlc: &str, payload: serde_json::Value) -> Change {
    Change { id: Uuid::now_v7(), entity, record_id: record_id.into(), op: Op::Upsert, hlc: hlc.into(), payload }
}

fn review(id: &str, status: ReviewStatus, points: u32, category: &str) -> serde_json::Value {
    serde_json::to_value(AchievementReviewPayload {
        achievement_id: id.into(),
        status,
        comment: Some("checked the certificate".into()),
        reviewer_name: "Айгерім".into(),
        reviewed_at: now().timestamp_millis(),
        category_id: category.into(),
        points,
    })
    .unwrap()
}

/// A stamp far ahead of the devices' own (a server write always wins).
fn stamp(n: u64) -> String {
    format!("{:016x}-1", (1_900_000_000u64 << 32) + n)
}

#[test]
fn an_achievement_is_recorded_offline_with_its_change_in_the_outbox() {
    let d = device();
    let a = d.store.record_achievement(&input("research.article", "2026-11-10"), None).unwrap();
    assert_eq!(a.title, "Paper on burnout");
    assert_eq!((a.status, a.points, a.category_id.as_str()), (AchievementStatus::Pending, 30, "research"));
    assert_eq!(a.type_name, "Article in a peer-reviewed journal");
    assert_eq!(d.store.achievements().unwrap(), vec![a.clone()]);
    let out = d.store.pending_changes(10).unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!((out[0].entity, out[0].record_id.as_str(), out[0].op), (Entity::Achievement, a.id.as_str(), Op::Upsert));
    assert_eq!(out[0].payload["type_id"], "research.article");
    assert_eq!(out[0].payload["achieved_on"], "2026-11-10");
    assert!(out[0].payload.get("evidence_jpeg").is_none());
    // Pending achievements earn nothing yet.
    assert_eq!(d.store.rating(None, None).unwrap().total, 0.0);
}

#[test]
fn evidence_goes_through_the_photo_pipeline_and_loses_its_metadata() {
    let d = device();
    let src = png_with_text(1600, 1200);
    assert!(src.windows(12).any(|w| w == b"Secret-Place"));
    let a = d.store.record_achievement(&input("professional.certification", "2026-11-12"), Some(&src)).unwrap();
    assert!(a.has_evidence);
    let jpeg = d.store.achievement_evidence(&a.id).unwrap().unwrap();
    assert_eq!(image::guess_format(&jpeg).unwrap(), image::ImageFormat::Jpeg);
    assert!(!jpeg.windows(12).any(|w| w == b"Secret-Place"));
    assert!(jpeg.len() <= rating::MAX_EVIDENCE_BYTES);
    let img = image::load_from_memory(&jpeg).unwrap();
    // At most 768 px on the longest side, proportions kept.
    assert!(img.width() <= EVIDENCE_PHOTO_SIDE && img.width() >= 300, "{}", img.width());
    assert_eq!(img.width() * 3, img.height() * 4);
    let change = &d.store.pending_changes(10).unwrap()[0];
    assert_eq!(rating::decode_evidence(change.payload["evidence_jpeg"].as_str().unwrap()).unwrap(), jpeg);
}

#[test]
fn bad_input_is_refused_with_its_field_and_nothing_is_written() {
    let d = device();
    let cases: Vec<(AchievementInput, Option<Vec<u8>>, &str, InvalidReason)> = vec![
        (input("research.telepathy", "2026-11-10"), None, "type_id", InvalidReason::Unknown),
        (input("research.article", "2026-11-17"), None, "achieved_on", InvalidReason::InFuture),
        (input("research.article", "1999-12-31"), None, "achieved_on", InvalidReason::OutOfRange),
        (AchievementInput { title: " ".into(), ..input("research.article", "2026-11-10") }, None, "title", InvalidReason::Empty),
        (input("research.article", "2026-11-10"), Some(b"%PDF-1.7 not a photo".to_vec()), "evidence", InvalidReason::NotAnImage),
        (input("research.article", "2026-11-10"), Some(Vec::new()), "evidence", InvalidReason::Empty),
    ];
    for (i, evidence, field, reason) in cases {
        match d.store.record_achievement(&i, evidence.as_deref()) {
            Err(Error::Invalid { field: f, reason: r, .. }) => assert_eq!((f.as_str(), r), (field, reason), "{i:?}"),
            other => panic!("{i:?}: expected invalid {field}, got {other:?}"),
        }
    }
    assert!(d.store.achievements().unwrap().is_empty());
    assert_eq!(d.store.pending_change_count().unwrap(), 0);
}

#[test]
fn a_verdict_syncs_back_and_counts_in_the_rating() {
    let d = device();
    let paper = d.store.record_achievement(&input("research.article", "2026-11-10"), None).unwrap();
    let talk = d.store.record_achievement(&input("research.conference_talk", "2026-10-01"), None).unwrap();
    let course = d.store.record_achievement(&input("professional.course", "2026-11-11"), None).unwrap();
    let page = vec![
        server_change(Entity::AchievementReview, &paper.id, &stamp(1), review(&paper.id, ReviewStatus::Verified, 30, "research")),
        server_change(Entity::AchievementReview, &talk.id, &stamp(2), review(&talk.id, ReviewStatus::Verified, 15, "research")),
        server_change(Entity::AchievementReview, &course.id, &stamp(3), review(&course.id, ReviewStatus::Rejected, 0, "professional")),
    ];
    let outcome = d.store.apply_pulled(&page, 3).unwrap();
    assert_eq!((outcome.applied, outcome.rejected), (3, 0));
    let paper = d.store.achievement(&paper.id).unwrap();
    assert_eq!((paper.status, paper.points), (AchievementStatus::Verified, 30));
    assert_eq!(paper.review.as_ref().unwrap().comment.as_deref(), Some("checked the certificate"));
    assert_eq!(d.store.achievement(&course.id).unwrap().status, AchievementStatus::Rejected);
    // Average of five categories: (30 + 15) / 5.
    let r = d.store.rating(None, None).unwrap();
    assert_eq!((r.method, r.total, r.points), (RatingMethod::Average, 9.0, 45));
    assert_eq!((r.categories[0].category_id.as_str(), r.categories[0].points, r.categories[0].achievements), ("research", 45, 2));
    // A period counts the achievements of its days only.
    assert_eq!(d.store.rating(Some(day("2026-11-01")), None).unwrap().points, 30);
    assert!(matches!(d.store.rating(Some(day("2026-11-02")), Some(day("2026-11-01"))), Err(Error::Invalid { .. })));
    // A reviewed achievement stays: its verdict stands (and the apps are told so up front).
    assert!(!paper.can_delete());
    assert!(d.store.achievements().unwrap().iter().filter(|a| a.review.is_none()).all(|a| a.can_delete()));
    assert!(matches!(
        d.store.delete_achievement(&paper.id),
        Err(Error::Conflict { kind: ConflictKind::AchievementReviewed, .. })
    ));
    // Applying nothing new does nothing; an older verdict loses.
    let older = server_change(Entity::AchievementReview, &paper.id, &stamp(0), review(&paper.id, ReviewStatus::Rejected, 0, "research"));
    assert_eq!(d.store.apply_pulled(&[older], 4).unwrap().unchanged, 1);
    assert_eq!(d.store.achievement(&paper.id).unwrap().status, AchievementStatus::Verified);
}

#[test]
fn a_pending_achievement_can_be_deleted_and_the_tombstone_is_sent() {
    let d = device();
    let a = d.store.record_achievement(&input("social.mentoring", "2026-11-10"), None).unwrap();
    d.store.delete_achievement(&a.id).unwrap();
    assert!(d.store.achievements().unwrap().is_empty());
    let out = d.store.pending_changes(10).unwrap();
    assert_eq!((out[1].entity, out[1].op), (Entity::Achievement, Op::Delete));
    assert!(matches!(d.store.delete_achievement(&a.id), Err(Error::NotFound { .. })));
}

#[test]
fn another_device_receives_the_achievement_with_its_evidence() {
    let (a, b) = (device(), device());
    let rec = a.store.record_achievement(&input("methodical.guide", "2026-11-10"), Some(&png_with_text(300, 200))).unwrap();
    let page = a.store.pending_changes(10).unwrap();
    assert_eq!(b.store.apply_pulled(&page, 1).unwrap().applied, 1);
    assert_eq!(b.store.achievements().unwrap(), vec![rec.clone()]);
    assert_eq!(b.store.achievement_evidence(&rec.id).unwrap(), a.store.achievement_evidence(&rec.id).unwrap());
    // The same change again is a no-op; a deletion from the first device removes it.
    assert_eq!(b.store.apply_pulled(&page, 1).unwrap().unchanged, 1);
    a.store.delete_achievement(&rec.id).unwrap();
    let delete: Vec<Change> = a.store.pending_changes(10).unwrap().into_iter().filter(|c| c.op == Op::Delete).collect();
    b.store.apply_pulled(&delete, 2).unwrap();
    assert!(b.store.achievements().unwrap().is_empty());
    // ...and the late upsert does not resurrect it.
    assert_eq!(b.store.apply_pulled(&page, 3).unwrap().unchanged, 1);
    assert!(b.store.achievements().unwrap().is_empty());
}

#[test]
fn the_organisations_catalogue_and_method_arrive_by_pull() {
    let d = device();
    let paper = d.store.record_achievement(&input("research.article", "2026-11-10"), None).unwrap();
    d.store
        .apply_pulled(&[server_change(Entity::AchievementReview, &paper.id, &stamp(1), review(&paper.id, ReviewStatus::Verified, 30, "research"))], 1)
        .unwrap();
    let mut c: RatingCataloguePayload = rating::default_catalogue();
    c.method = RatingMethod::Workload;
    for (cat, w) in c.categories.iter_mut().zip([50.0, 20.0, 10.0, 10.0, 10.0]) {
        cat.weight_percent = w;
    }
    c.types[0].archived = true;
    let change = server_change(Entity::RatingCatalogue, RATING_CATALOGUE_RECORD_ID, &stamp(2), serde_json::to_value(&c).unwrap());
    assert_eq!(d.store.apply_pulled(&[change], 2).unwrap().applied, 1);
    assert_eq!(d.store.rating_catalogue().unwrap(), c);
    let r = d.store.rating(None, None).unwrap();
    assert_eq!((r.method, r.total), (RatingMethod::Workload, 15.0));
    assert_eq!(r.categories[0].weight_percent, Some(50.0));
    // The retired type cannot be recorded any more.
    match d.store.record_achievement(&input("research.article", "2026-11-12"), None) {
        Err(Error::Invalid { field, reason: InvalidReason::Unsupported, .. }) => assert_eq!(field, "type_id"),
        other => panic!("{other:?}"),
    }
    // A catalogue whose weights do not sum to 100 % is kept aside, the current one stays.
    let mut bad = c.clone();
    bad.categories[0].weight_percent = 90.0;
    let change = server_change(Entity::RatingCatalogue, RATING_CATALOGUE_RECORD_ID, &stamp(3), serde_json::to_value(&bad).unwrap());
    assert_eq!(d.store.apply_pulled(&[change], 3).unwrap().rejected, 1);
    assert_eq!(d.store.rating_catalogue().unwrap(), c);
}

#[test]
fn default_categories_keep_their_key_until_the_organisation_renames_them() {
    let mut c = rating::default_catalogue();
    let keys: Vec<_> = c.categories.iter().map(|cat| rating::default_category_key(&cat.id, &cat.name)).collect();
    assert_eq!(keys, [Some("research"), Some("professional"), Some("methodical"), Some("social"), Some("organisational")]);
    c.categories[0].name = "Ғылыми жұмыс".into();
    assert_eq!(rating::default_category_key(&c.categories[0].id, &c.categories[0].name), None, "renamed: the organisation's own words are shown");
    assert_eq!(rating::default_category_key("sport", "Sport"), None, "added by the organisation");
    let t = &c.types[0];
    assert_eq!(rating::default_type_key(&t.id, &t.name).as_deref(), Some("research_article"));
    assert_eq!(rating::default_type_key(&t.id, "Мақала"), None, "renamed");
    assert!(c.types.iter().all(|t| rating::default_type_key(&t.id, &t.name).is_some_and(|k| !k.contains('.'))));
}
