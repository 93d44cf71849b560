//! The SQLite store commits concurrent writes together: a burst of writes from many tasks all
//! land, a failing write in the same group is rolled back alone, and everything survives
//! reopening the database.

use std::sync::Arc;

use qamqor_server::accounts;
use qamqor_server::store::sqlite::SqliteStore;
use qamqor_server::store::Store;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_writes_lands_and_a_failing_one_is_rolled_back_alone() {
    let dir = tempfile::TempDir::new().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_dir(dir.path()).unwrap());
    // 200 organisations at once, one name twice: its second creation fails on the unique name.
    let mut tasks = Vec::new();
    for i in 0..200 {
        let store = store.clone();
        let name = if i == 199 { "org 7".to_string() } else { format!("org {i}") };
        tasks.push(tokio::spawn(async move { accounts::create_org(store.as_ref(), &name, 1_000).await.map(|o| o.name) }));
    }
    let mut failed = Vec::new();
    for t in tasks {
        if let Err(e) = t.await.unwrap() {
            failed.push(format!("{e:?}"));
        }
    }
    assert_eq!(failed.len(), 1, "exactly the duplicate fails: {failed:?}");
    for i in 0..199 {
        assert!(store.org_by_name(&format!("org {i}")).await.unwrap().is_some(), "org {i} was committed");
    }
    drop(store);
    let reopened = SqliteStore::open_dir(dir.path()).unwrap();
    for i in 0..199 {
        assert!(reopened.org_by_name(&format!("org {i}")).await.unwrap().is_some(), "org {i} is durable");
    }
}
