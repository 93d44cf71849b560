//! The department tree through the store: departments found or created under a parent, and
//! people moved into them, never across organisations.

mod common;

use common::*;
use qamqor_protocol::Role;
use qamqor_server::store::{Store, StoreError};
use uuid::Uuid;

#[tokio::test]
async fn departments_are_found_or_created_under_their_parent() {
    let s = TestServer::start().await;
    let acme = s.org("Acme").await;
    let it = s.store.ensure_department(acme.id, None, "IT", NOW).await.unwrap();
    assert_eq!((it.parent_id, it.name.as_str(), it.org_id), (None, "IT", acme.id));
    let dev = s.store.ensure_department(acme.id, Some(it.id), "Development", NOW).await.unwrap();
    let backend = s.store.ensure_department(acme.id, Some(dev.id), "Backend", NOW).await.unwrap();
    assert_eq!(backend.parent_id, Some(dev.id));
    // Asking again finds the same one; the same name elsewhere in the tree is another department.
    assert_eq!(s.store.ensure_department(acme.id, Some(it.id), "Development", NOW).await.unwrap(), dev);
    let sales = s.store.ensure_department(acme.id, None, "Sales", NOW).await.unwrap();
    let sales_dev = s.store.ensure_department(acme.id, Some(sales.id), "Development", NOW).await.unwrap();
    assert_ne!(sales_dev.id, dev.id);
    // A top-level department made here is the one accounts name.
    let user = s.user("Acme", "a@acme.kz", Role::Employee, Some("IT")).await;
    assert_eq!(s.store.member(user.id).await.unwrap().unwrap().department_id, Some(it.id));
    assert!(s.store.department_within(backend.id, it.id).await.unwrap());
    assert!(!s.store.department_within(sales_dev.id, it.id).await.unwrap());

    // A parent from another organisation is refused.
    let other = s.org("Other").await;
    let err = s.store.ensure_department(other.id, Some(it.id), "Stolen", NOW).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
}

#[tokio::test]
async fn people_move_within_their_organisation_only() {
    let s = TestServer::start().await;
    let acme = s.org("Acme").await;
    let other = s.org("Other").await;
    let it = s.store.ensure_department(acme.id, None, "IT", NOW).await.unwrap();
    let dev = s.store.ensure_department(acme.id, Some(it.id), "Development", NOW).await.unwrap();
    let theirs = s.store.ensure_department(other.id, None, "IT", NOW).await.unwrap();
    let user = s.user("Acme", "a@acme.kz", Role::Employee, None).await;

    assert!(s.store.set_user_department(user.id, Some(dev.id)).await.unwrap());
    let member = s.store.member(user.id).await.unwrap().unwrap();
    assert_eq!(member.department_id, Some(dev.id));
    assert!(s.store.department_within(dev.id, it.id).await.unwrap(), "within IT's subtree");

    let err = s.store.set_user_department(user.id, Some(theirs.id)).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    let err = s.store.set_user_department(user.id, Some(Uuid::now_v7())).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(s.store.member(user.id).await.unwrap().unwrap().department_id, Some(dev.id), "unchanged");

    assert!(s.store.set_user_department(user.id, None).await.unwrap());
    assert_eq!(s.store.member(user.id).await.unwrap().unwrap().department_id, None);
    assert!(!s.store.set_user_department(Uuid::now_v7(), Some(dev.id)).await.unwrap(), "no such account");
}
