//! The harness itself against the real server binary: start, health, admin commands, SIGKILL
//! and restart on the same port and data, graceful SIGTERM, invitations, provisioned accounts.

use qamqor_e2e::{server_binary, NewAccount, Provisioner, ServerProcess, WireDevice, DEFAULT_PASSWORD};
use qamqor_protocol::{Entity, RegisterRequest, Role};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn a_killed_server_restarts_on_the_same_port_with_every_acknowledged_change() {
    let mut server = ServerProcess::start(server_binary!()).await.unwrap();
    assert!(server.api().healthz().await);
    server.create_org("Acme").await.unwrap();
    server.add_user(&NewAccount::new("Acme", "aigerim@acme.kz", Role::Employee)).await.unwrap();
    let mut phone = server.device("aigerim@acme.kz", "phone").await.unwrap();
    let written: Vec<_> =
        (0..3).map(|i| phone.upsert(Entity::Task, &format!("t{i}"), json!({"title": format!("task {i}")}))).collect();
    assert_eq!(phone.push_all().await.unwrap(), 3);

    let addr = server.addr();
    let pid = server.pid().unwrap();
    server.kill_hard().unwrap();
    assert!(!server.is_running());
    assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists(), "the process is gone");
    assert!(!server.api().healthz().await, "nothing answers on the port");
    let offline = phone.pull_all(100).await.unwrap_err();
    assert!(offline.is_retryable(), "{offline}");

    server.restart().await.unwrap();
    assert_eq!(server.addr(), addr);
    assert_ne!(server.pid(), Some(pid));
    // The session, the account and the changes were committed before the kill.
    phone.pull_all(100).await.unwrap();
    let held: Vec<_> = phone.device_records().into_values().collect();
    assert_eq!(held, written);
    let mut laptop = server.device("aigerim@acme.kz", "laptop").await.unwrap();
    laptop.pull_all(100).await.unwrap();
    assert_eq!(laptop.device_records(), phone.device_records());
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly_and_memory_is_readable() {
    let mut server = ServerProcess::start(server_binary!()).await.unwrap();
    let memory = server.memory().unwrap();
    assert!(memory.peak_kib >= memory.rss_kib && memory.rss_kib > 0, "{memory:?}");
    let status = server.stop(Duration::from_secs(10)).await.unwrap();
    assert!(status.success(), "{status}: {}", server.logs());
    assert!(!server.api().healthz().await);
}

#[tokio::test]
async fn admin_commands_refuse_bad_input_with_exit_code_2() {
    let server = ServerProcess::start(server_binary!()).await.unwrap();
    server.create_org("Acme").await.unwrap();
    let taken = server.create_org("Acme").await.unwrap_err();
    assert_eq!(taken.code, Some(2), "{taken}");
    assert!(taken.stderr.contains("already exists"), "{taken}");

    let mut short = NewAccount::new("Acme", "a@acme.kz", Role::Admin);
    short.password = "short".into();
    let e = server.add_user(&short).await.unwrap_err();
    assert_eq!(e.code, Some(2), "{e}");
    assert!(e.stderr.contains("password"), "{e}");
    let e = server.add_user(&NewAccount::new("Nowhere", "a@acme.kz", Role::Admin)).await.unwrap_err();
    assert_eq!(e.code, Some(2), "{e}");

    server.add_user(&NewAccount::new("Acme", "a@acme.kz", Role::Admin).in_department("HQ")).await.unwrap();
    let e = server.add_user(&NewAccount::new("Acme", "A@Acme.kz", Role::Employee)).await.unwrap_err();
    assert_eq!(e.code, Some(2), "the email is taken whatever its case: {e}");
    let tokens = server.login("a@acme.kz", DEFAULT_PASSWORD, "phone").await.unwrap();
    assert_eq!(tokens.role, Role::Admin);
}

#[tokio::test]
async fn an_invitation_registers_a_new_employee_who_then_syncs() {
    let server = ServerProcess::start(server_binary!()).await.unwrap();
    server.create_org("Acme").await.unwrap();
    server.add_user(&NewAccount::new("Acme", "boss@acme.kz", Role::Admin)).await.unwrap();
    let boss = server.login("boss@acme.kz", DEFAULT_PASSWORD, "laptop").await.unwrap();
    let invitation = server.invite(&boss.access_token, "new@acme.kz", Role::Employee, Some("Sales")).await.unwrap();
    assert_eq!(invitation.department.as_deref(), Some("Sales"));

    let register = RegisterRequest {
        code: invitation.code.clone(),
        email: "new@acme.kz".into(),
        name: "Dana".into(),
        password: DEFAULT_PASSWORD.into(),
        device_name: "phone".into(),
        device_id: None,
    };
    let tokens = server.api().register(&register).await.unwrap();
    assert_eq!(tokens.role, Role::Employee);
    let again = server.api().register(&register).await.unwrap_err();
    assert_eq!((again.status(), again.code()), (Some(410), Some("invitation_used")));

    let mut phone = WireDevice::new(server.api(), tokens);
    phone.upsert(Entity::CheckIn, "c1", json!({"fatigue": 3}));
    phone.push_all().await.unwrap();
    let employee = phone.tokens().access_token.clone();
    let refused = server.invite(&employee, "x@acme.kz", Role::Employee, None).await.unwrap_err();
    assert_eq!((refused.status(), refused.code()), (Some(403), Some("forbidden")));
}

#[tokio::test]
async fn provisioned_accounts_sync_and_log_in_like_any_other() {
    let server = ServerProcess::start(server_binary!()).await.unwrap();
    server.create_org("Acme").await.unwrap();
    let provisioner = Provisioner::open(server.data_dir()).await.unwrap();
    let org = provisioner.org_id("Acme").await.unwrap();
    let sessions = provisioner.employee(org, "bulk@acme.kz", 2).await.unwrap();
    let mut a = WireDevice::new(server.api(), sessions[0].clone());
    let mut b = WireDevice::new(server.api(), sessions[1].clone());
    a.upsert(Entity::Task, "t1", json!({"title": "from a"}));
    a.push_all().await.unwrap();
    b.pull_all(100).await.unwrap();
    assert_eq!(b.device_records(), a.device_records());
    let login = server.login("bulk@acme.kz", DEFAULT_PASSWORD, "third").await.unwrap();
    assert_eq!(login.user_id, a.user_id());
    assert_eq!(server.db().unwrap().changes_held(a.user_id()).unwrap(), 1);
}
