//! Push and pull over HTTP: exactly-once by change id, last-writer-wins with tombstones,
//! cursor paging, and isolation between users and organisations.

mod common;

use common::*;
use qamqor_protocol::{Change, Entity, Op, PushResponse, Role};
use serde_json::json;
use uuid::Uuid;

async fn acked(r: reqwest::Response) -> Vec<Uuid> {
    assert_eq!(r.status(), 200);
    r.json::<PushResponse>().await.unwrap().acked
}

async fn two_users_in_two_orgs(s: &TestServer) -> (String, String) {
    s.org("Acme").await;
    s.org("Other").await;
    s.user("Acme", "a@acme.kz", Role::Employee, None).await;
    s.user("Other", "z@other.kz", Role::Admin, None).await;
    (s.login("a@acme.kz").await.access_token, s.login("z@other.kz").await.access_token)
}

#[tokio::test]
async fn the_same_batch_twice_is_applied_once_and_acknowledged_twice() {
    let s = TestServer::start().await;
    let (a, _) = two_users_in_two_orgs(&s).await;
    let batch = vec![
        upsert(Entity::CheckIn, "c1", &hlc(NOW, "a1"), json!({"fatigue": 3})),
        upsert(Entity::WorkSession, "w1", &hlc(NOW + 1, "a1"), json!({"start": 1})),
        upsert(Entity::Task, "t1", &hlc(NOW + 2, "a1"), json!({"title": "report"})),
    ];
    let ids: Vec<Uuid> = batch.iter().map(|c| c.id).collect();
    assert_eq!(acked(s.push(&a, &batch).await).await, ids);
    let after_first = s.pull_personal(&a).await;
    // A lost acknowledgement: the device sends the same batch again, plus one new change and
    // an in-batch duplicate.
    let mut again = batch.clone();
    let extra = upsert(Entity::CheckIn, "c2", &hlc(NOW + 3, "a1"), json!({"fatigue": 4}));
    again.push(extra.clone());
    again.push(batch[0].clone());
    let mut expected = ids.clone();
    expected.push(extra.id);
    assert_eq!(acked(s.push(&a, &again).await).await, expected);

    let all = s.pull_personal(&a).await;
    assert_eq!(all.len(), 4, "nothing applied twice");
    assert_eq!(&all[..3], &after_first[..], "re-delivery did not touch the records or their order");
    assert_eq!(all[3], extra);
}

#[tokio::test]
async fn last_writer_wins_and_tombstones_beat_older_writes() {
    let s = TestServer::start().await;
    let (a, _) = two_users_in_two_orgs(&s).await;
    let newer = upsert(Entity::Task, "t1", &hlc(NOW + 10, "b2"), json!({"status": "done"}));
    let older = upsert(Entity::Task, "t1", &hlc(NOW + 5, "a1"), json!({"status": "todo"}));
    // Newer arrives first (from the other device), then the older, delayed write.
    acked(s.push(&a, std::slice::from_ref(&newer)).await).await;
    acked(s.push(&a, std::slice::from_ref(&older)).await).await;
    assert_eq!(s.pull_personal(&a).await, vec![newer.clone()], "an older stamp never overwrites a newer one");

    // Same stamp time, node id breaks the tie the same way everywhere (byte order).
    let tie = upsert(Entity::Task, "t1", &hlc(NOW + 10, "c3"), json!({"status": "blocked"}));
    acked(s.push(&a, std::slice::from_ref(&tie)).await).await;
    assert_eq!(s.pull_personal(&a).await, vec![tie.clone()]);

    // A delete wins over older writes, including ones that arrive after it ...
    let delete = tombstone(Entity::Task, "t1", &hlc(NOW + 20, "a1"));
    let stale = upsert(Entity::Task, "t1", &hlc(NOW + 15, "b2"), json!({"status": "todo"}));
    acked(s.push(&a, &[delete.clone(), stale]).await).await;
    let state = s.pull_personal(&a).await;
    assert_eq!(state, vec![delete.clone()]);
    assert_eq!(state[0].op, Op::Delete);
    // ... and loses to a newer write.
    let revive = upsert(Entity::Task, "t1", &hlc(NOW + 30, "b2"), json!({"status": "doing"}));
    acked(s.push(&a, std::slice::from_ref(&revive)).await).await;
    assert_eq!(s.pull_personal(&a).await, vec![revive]);
}

#[tokio::test]
async fn pull_pages_follow_the_cursor_in_server_order() {
    let s = TestServer::start().await;
    let (a, _) = two_users_in_two_orgs(&s).await;
    let changes: Vec<Change> =
        (0..25).map(|i| upsert(Entity::CheckIn, &format!("c{i:02}"), &hlc(NOW + i, "a1"), json!({"fatigue": i % 10}))).collect();
    acked(s.push(&a, &changes).await).await;

    let (mut since, mut seen, mut pages) = (0, Vec::new(), 0);
    loop {
        let page = s.pull(&a, since, 10).await;
        pages += 1;
        assert!(page.next > since || page.changes.is_empty());
        seen.extend(page.changes);
        since = page.next;
        if !page.has_more {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(personal(seen), changes, "every change once, in push order");
    let empty = s.pull(&a, since, 10).await;
    assert!(empty.changes.is_empty() && !empty.has_more);
    assert_eq!(empty.next, since, "an empty page keeps the cursor");

    // A record changed again moves to the end of the order, once.
    let update = upsert(Entity::CheckIn, "c03", &hlc(NOW + 100, "a1"), json!({"fatigue": 9}));
    acked(s.push(&a, std::slice::from_ref(&update)).await).await;
    assert_eq!(s.pull(&a, since, 10).await.changes, vec![update]);
}

#[tokio::test]
async fn a_second_device_of_the_same_user_pulls_the_first_ones_changes() {
    let s = TestServer::start().await;
    s.org("Acme").await;
    s.user("Acme", "a@acme.kz", Role::Employee, None).await;
    let phone = s.login("a@acme.kz").await;
    let tablet = s.login("a@acme.kz").await;
    let c = upsert(Entity::Profile, "profile", &hlc(NOW, "a1"), json!({"name": "Aigerim"}));
    acked(s.push(&phone.access_token, std::slice::from_ref(&c)).await).await;
    assert_eq!(s.pull_personal(&tablet.access_token).await, vec![c]);
}

#[tokio::test]
async fn another_organisation_can_neither_read_nor_overwrite() {
    let s = TestServer::start().await;
    let (a, z) = two_users_in_two_orgs(&s).await;
    let mine = upsert(Entity::Profile, "profile", &hlc(NOW, "a1"), json!({"name": "Aigerim"}));
    acked(s.push(&a, std::slice::from_ref(&mine)).await).await;

    // Z sees nothing of A's.
    assert!(s.pull_personal(&z).await.is_empty());
    // Z writing the same record id, even with a newer stamp, writes Z's own record only.
    let theirs = upsert(Entity::Profile, "profile", &hlc(NOW + 50, "f9"), json!({"name": "Mallory"}));
    acked(s.push(&z, std::slice::from_ref(&theirs)).await).await;
    assert_eq!(s.pull_personal(&a).await, vec![mine.clone()]);
    assert_eq!(s.pull_personal(&z).await, vec![theirs]);

    // Z replaying A's change id with other content is refused and changes nothing.
    let forged = Change { payload: json!({"name": "Mallory"}), hlc: hlc(NOW + 60, "f9"), ..mine.clone() };
    let (status, body) = error_of(s.push(&z, &[forged]).await).await;
    assert_eq!((status, body.code.as_str(), body.field.as_deref()), (409, "change_id_conflict", Some("changes[0].id")));
    // Even replaying it verbatim does not make it Z's.
    let (status, _) = error_of(s.push(&z, std::slice::from_ref(&mine)).await).await;
    assert_eq!(status, 409);
    assert_eq!(s.pull_personal(&a).await, vec![mine]);
    assert_eq!(s.pull_personal(&z).await.len(), 1);
}

#[tokio::test]
async fn a_conflicting_change_rejects_the_whole_batch() {
    let s = TestServer::start().await;
    let (a, _) = two_users_in_two_orgs(&s).await;
    let first = upsert(Entity::Task, "t1", &hlc(NOW, "a1"), json!({"title": "one"}));
    acked(s.push(&a, std::slice::from_ref(&first)).await).await;
    let fresh = upsert(Entity::Task, "t2", &hlc(NOW + 1, "a1"), json!({"title": "two"}));
    let reused = Change { record_id: "t3".into(), ..first.clone() };
    let (status, body) = error_of(s.push(&a, &[fresh.clone(), reused]).await).await;
    assert_eq!((status, body.field.as_deref()), (409, Some("changes[1].id")));
    assert_eq!(s.pull_personal(&a).await, vec![first.clone()], "the valid change of a rejected batch is not stored either");

    // Same id twice within one batch with different content.
    let twin = Change { payload: json!({"title": "other"}), ..fresh.clone() };
    let (status, body) = error_of(s.push(&a, &[fresh, twin]).await).await;
    assert_eq!((status, body.field.as_deref()), (409, Some("changes[1].id")));
    assert_eq!(s.pull_personal(&a).await, vec![first]);
}
