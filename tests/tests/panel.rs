//! Browser tests of the web panel (including a manager verifying an achievement and the ranking
//! following): the real server process with the demo organisation
//! (`serve --demo`: 200 employees whose twelve weeks came from simulated phones through the
//! sync path), driven in Debian's headless Chromium through chromedriver (WebDriver, with
//! fantoccini). Screenshots of the main pages are saved as artefacts in
//! `build/test-artifacts/panel/`.
//!
//! One server serves both journeys (the demo takes most of a minute in a debug build); each
//! journey has its own browser and profile.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context};
use calamine::{Reader, Xlsx};
use chrono::Utc;
use fantoccini::{Client, ClientBuilder, Locator};
use qamqor_e2e::{server_binary, ServerOptions, ServerProcess, WireDevice};
use qamqor_protocol::Entity;
use qamqor_server::admin::period::Period;
use serde_json::json;

const ADMIN: (&str, &str) = ("admin@qamqor-demo.example", "qamqor-demo-2026");
const MANAGER: (&str, &str) = ("zhansaya.omarova@qamqor-demo.example", "qamqor-demo-2026");

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../build/test-artifacts/panel");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_driver() -> anyhow::Result<Driver> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting /usr/bin/chromedriver (scripts/toolchains.sh installs Debian's chromium-driver)")?;
    let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if reqwest::get(format!("{}/status", driver.url)).await.is_ok_and(|r| r.status().is_success()) {
            return Ok(driver);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("chromedriver did not answer on {}", driver.url)
}

/// A headless Chromium with its own empty profile and download folder.
async fn browser(driver: &Driver, profile: &Path, downloads: &Path, language: &str) -> anyhow::Result<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", format!("--user-data-dir={}", profile.display()), format!("--lang={language}"),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
                "intl.accept_languages": language,
            },
        }),
    );
    // chromedriver is plain HTTP on loopback: no TLS stack needed.
    let http = hyper_util::client::legacy::connect::HttpConnector::new();
    Ok(ClientBuilder::new(http).capabilities(caps).connect(&driver.url).await?)
}

async fn screenshot(c: &Client, name: &str) -> anyhow::Result<()> {
    let png = c.screenshot().await?;
    std::fs::write(artifacts().join(format!("{name}.png")), png)?;
    Ok(())
}

async fn text(c: &Client, css: &str) -> anyhow::Result<String> {
    Ok(c.find(Locator::Css(css)).await.with_context(|| format!("no element {css}"))?.text().await?)
}

async fn attr(c: &Client, css: &str, name: &str) -> anyhow::Result<String> {
    c.find(Locator::Css(css)).await.with_context(|| format!("no element {css}"))?.attr(name).await?.with_context(|| format!("{css} has no {name}"))
}

/// Clicks an element that loads a new page, and waits until the new page has loaded (WebDriver's
/// click does not wait for a navigation it starts).
async fn click_to(c: &Client, css: &str) -> anyhow::Result<()> {
    c.execute("window.__qamqorOldPage = true;", vec![]).await?;
    c.find(Locator::Css(css)).await.with_context(|| format!("no element {css}"))?.click().await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let fresh = c.execute("return window.__qamqorOldPage !== true && document.readyState === 'complete';", vec![]).await?;
        if fresh.as_bool() == Some(true) {
            return Ok(());
        }
        ensure!(Instant::now() < deadline, "clicking {css} did not load a new page");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn sign_in(c: &Client, base: &str, who: (&str, &str)) -> anyhow::Result<()> {
    c.goto(&format!("{base}/panel/")).await?;
    ensure!(c.current_url().await?.path() == "/panel/login", "a visitor is sent to the sign-in page");
    c.find(Locator::Css("#email")).await?.send_keys(who.0).await?;
    c.find(Locator::Css("#password")).await?.send_keys(who.1).await?;
    click_to(c, "#sign-in").await?;
    ensure!(c.current_url().await?.path() == "/panel/", "after signing in the dashboard opens, not {}", c.current_url().await?);
    Ok(())
}

/// The rows of a table body.
async fn rows(c: &Client, table: &str) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for r in c.find_all(Locator::Css(&format!("{table} tbody tr"))).await? {
        out.push(r.text().await?);
    }
    Ok(out)
}

async fn wait_for_download(dir: &Path, ext: &str) -> anyhow::Result<PathBuf> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Some(f) = std::fs::read_dir(dir)?.filter_map(Result::ok).map(|e| e.path()).find(|p| p.extension().is_some_and(|e| e == ext)) {
            return Ok(f);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("no .{ext} file was downloaded into {}", dir.display())
}

async fn admin_journey(driver: &Driver, base: &str, scratch: &Path) -> anyhow::Result<Vec<String>> {
    let downloads = scratch.join("admin-downloads");
    std::fs::create_dir_all(&downloads)?;
    let c = browser(driver, &scratch.join("admin-profile"), &downloads, "en-US").await?;

    // A wrong password is refused on the sign-in page, in the browser's language.
    c.goto(&format!("{base}/panel/login")).await?;
    c.find(Locator::Css("#email")).await?.send_keys(ADMIN.0).await?;
    c.find(Locator::Css("#password")).await?.send_keys("not the password").await?;
    click_to(&c, "#sign-in").await?;
    ensure!(text(&c, "#login-error").await? == "Wrong email or password.", "wrong password message");

    sign_in(&c, base, ADMIN).await?;
    let total: u64 = text(&c, "#people-total").await?.parse()?;
    ensure!(total >= 200, "the admin sees the whole demo organisation, got {total}");
    screenshot(&c, "dashboard").await?;

    // People: search by name, then filter by role; every row matches.
    c.goto(&format!("{base}/panel/people?per_page=200")).await?;
    let everyone: u64 = attr(&c, "#people-count", "data-total").await?.parse()?;
    ensure!(everyone == total, "the list's total {everyone} is the dashboard's {total}");
    let first_name = c.find(Locator::Css("#people tbody tr td a")).await?.text().await?;
    let surname = first_name.split_whitespace().last().context("a name")?.to_string();
    c.goto(&format!("{base}/panel/people")).await?;
    c.find(Locator::Css("#q")).await?.send_keys(&surname).await?;
    click_to(&c, "#apply").await?;
    let found = rows(&c, "#people").await?;
    ensure!(!found.is_empty() && found.iter().all(|r| r.contains(&surname)), "search for {surname}: {found:?}");
    ensure!((found.len() as u64) < everyone, "the search narrows the list");
    c.goto(&format!("{base}/panel/people")).await?;
    c.find(Locator::Css("#role option[value=manager]")).await?.click().await?;
    click_to(&c, "#apply").await?;
    let managers = rows(&c, "#people").await?;
    ensure!(!managers.is_empty() && managers.iter().all(|r| r.contains("Manager")), "role filter: {managers:?}");
    ensure!(c.current_url().await?.query().unwrap_or_default().contains("role=manager"), "the filter is in the address (shareable)");
    c.goto(&format!("{base}/panel/people?activity=never")).await?;
    let never: u64 = attr(&c, "#people-count", "data-total").await?.parse()?;
    ensure!(never < everyone, "'never activated' is a subset: {never} of {everyone}");
    c.goto(&format!("{base}/panel/people")).await?;
    screenshot(&c, "people").await?;

    // The people table as Excel: a real download holding every person.
    c.find(Locator::Css("a.export[data-format=xlsx]")).await?.click().await?;
    let file = wait_for_download(&downloads, "xlsx").await?;
    let mut book: Xlsx<_> = calamine::open_workbook(&file)?;
    let sheet = book.worksheet_range_at(0).context("a sheet")??;
    ensure!(sheet.height() as u64 == everyone + 1, "{} rows for {everyone} people and a header", sheet.height());
    let header: Vec<String> = sheet.rows().next().context("header")?.iter().map(|c| c.to_string()).collect();
    ensure!(header.contains(&"email".to_string()), "header {header:?}");

    // A person's page.
    c.goto(&format!("{base}/panel/people")).await?;
    click_to(&c, "#people tbody tr td a").await?;
    ensure!(text(&c, "#person-name").await? == first_name, "the person's page opens");
    screenshot(&c, "person").await?;

    // Weekly indicators: the last complete week by default, then one week back.
    let today = Utc::now().with_timezone(&chrono_tz::Asia::Almaty).date_naive();
    let last = Period::last_complete_week(today);
    c.goto(&format!("{base}/panel/indicators")).await?;
    ensure!(attr(&c, "#current-week", "data-week").await? == last.label(), "default week");
    let departments = rows(&c, "#indicators").await?;
    ensure!(departments.len() >= 10, "a row per department: {}", departments.len());
    screenshot(&c, "indicators").await?;
    click_to(&c, "#previous-week").await?;
    ensure!(attr(&c, "#current-week", "data-week").await? == last.previous().label(), "one week back");
    ensure!(c.find(Locator::Css("#next-week")).await.is_ok(), "and a way forward again");
    c.goto(&format!("{base}/panel/indicators?week=2019-W01")).await?;
    ensure!(c.find(Locator::Css("#not-enough-data")).await.is_ok(), "a week before any data says so");

    // Language: Russian, Kazakh, back to English; the choice sticks across pages.
    c.goto(&format!("{base}/panel/people")).await?;
    click_to(&c, "a[data-lang=ru]").await?;
    ensure!(attr(&c, "html", "lang").await? == "ru", "Russian page");
    ensure!(text(&c, "nav.main a.current").await? == "Сотрудники", "Russian navigation");
    c.goto(&format!("{base}/panel/indicators")).await?;
    ensure!(text(&c, "h1").await?.starts_with("Недельные показатели"), "Russian sticks");
    click_to(&c, "a[data-lang=kk]").await?;
    ensure!(attr(&c, "html", "lang").await? == "kk", "Kazakh page");
    ensure!(text(&c, "h1").await?.starts_with("Апталық көрсеткіштер"), "Kazakh title, still on the indicators");
    screenshot(&c, "indicators-kk").await?;
    c.goto(&format!("{base}/panel/risk")).await?;
    screenshot(&c, "risk-kk").await?;
    click_to(&c, "a[data-lang=en]").await?;
    ensure!(attr(&c, "html", "lang").await? == "en", "English again");

    // The other pages render, and the audit log holds the export made above.
    for (path, name) in [("risk", "risk"), ("departments", "departments"), ("activity", "activity"), ("settings", "settings"), ("deletions", "deletions")] {
        c.goto(&format!("{base}/panel/{path}")).await?;
        ensure!(c.find(Locator::Css("section.error")).await.is_err(), "{path} renders without an error");
        screenshot(&c, name).await?;
    }
    // The demo's one deletion request waits, with the action that needs a ticked confirmation.
    let requests = rows(&c, "#deletions").await?;
    ensure!(requests.len() == 1, "one request in the demo: {requests:?}");
    ensure!(c.find(Locator::Css("#deletions input[name=confirm][required]")).await.is_ok(), "carrying it out needs the confirmation");
    c.goto(&format!("{base}/panel/audit?action=export")).await?;
    let exports = rows(&c, "#audit").await?;
    ensure!(exports.iter().any(|r| r.contains("people")), "the download is in the audit log: {exports:?}");
    screenshot(&c, "audit").await?;

    // The departments the admin sees, for the manager's journey.
    c.goto(&format!("{base}/panel/departments")).await?;
    let mut ids = Vec::new();
    for r in c.find_all(Locator::Css("#departments tbody tr")).await? {
        ids.extend(r.attr("data-department").await?);
    }
    click_to(&c, "#sign-out").await?;
    ensure!(c.current_url().await?.path() == "/panel/login", "signed out");
    c.goto(&format!("{base}/panel/people")).await?;
    ensure!(c.current_url().await?.path() == "/panel/login", "the session is over after signing out");
    c.close().await?;
    Ok(ids)
}

async fn manager_journey(driver: &Driver, server: &ServerProcess, scratch: &Path, all_departments: &[String]) -> anyhow::Result<()> {
    let base = &server.base_url();
    let downloads = scratch.join("manager-downloads");
    std::fs::create_dir_all(&downloads)?;
    let c = browser(driver, &scratch.join("manager-profile"), &downloads, "ru-RU").await?;
    sign_in(&c, base, MANAGER).await?;
    ensure!(attr(&c, "html", "lang").await? == "ru", "the browser's language (Russian) is the panel's");
    let mine: u64 = text(&c, "#people-total").await?.parse()?;
    ensure!(mine > 0 && mine < 200, "a manager sees their department's people only: {mine}");

    c.goto(&format!("{base}/panel/departments")).await?;
    let mut own = Vec::new();
    for r in c.find_all(Locator::Css("#departments tbody tr")).await? {
        own.extend(r.attr("data-department").await?);
    }
    ensure!(!own.is_empty() && own.len() < all_departments.len(), "the manager's subtree: {} of {}", own.len(), all_departments.len());
    let other = all_departments.iter().find(|d| !own.contains(d)).context("a department outside the subtree")?;

    // Another department's page, by address: refused, nothing shown.
    c.goto(&format!("{base}/panel/departments/{other}")).await?;
    ensure!(attr(&c, "section.error", "data-status").await? == "403", "another department is forbidden");
    ensure!(c.find(Locator::Css("#department-people")).await.is_err(), "no data of it on the page");
    screenshot(&c, "manager-forbidden").await?;
    // Their own department opens.
    c.goto(&format!("{base}/panel/departments/{}", own[0])).await?;
    ensure!(c.find(Locator::Css("#department-people")).await.is_ok(), "their own department opens");
    // Filtering the people list on another department is refused too.
    c.goto(&format!("{base}/panel/people?department_id={other}")).await?;
    ensure!(attr(&c, "section.error", "data-status").await? == "403", "filtering on another department is forbidden");
    // An achievement one of the manager's people recorded on their phone: verifying it in the
    // panel raises that person's rating.
    let api = server.api();
    let manager = api.login(MANAGER.0, MANAGER.1, "manager's laptop", None).await?;
    let people: serde_json::Value = api
        .send(api.request(reqwest::Method::GET, "/api/v1/admin/people?role=employee&activity=active&per_page=1").bearer_auth(&manager.access_token))
        .await?;
    let person = &people["items"][0];
    let (person_id, email) = (person["id"].as_str().context("a person")?.to_string(), person["email"].as_str().context("email")?.to_string());
    let mut phone = WireDevice::login(api.clone(), &email, MANAGER.1, "phone").await?;
    let id = uuid::Uuid::now_v7().to_string();
    let today = Utc::now().date_naive().to_string();
    phone.upsert(
        Entity::Achievement,
        &id,
        json!({"id": id, "type_id": "research.article", "title": "Мақала: цифрлық денсаулық", "achieved_on": today, "recorded_at": Utc::now().timestamp_millis()}),
    );
    phone.push_all().await?;
    c.goto(&format!("{base}/panel/ratings")).await?;
    let before: f64 = attr(&c, &format!("#ranking tr[data-person='{person_id}']"), "data-total").await?.parse()?;
    c.goto(&format!("{base}/panel/achievements?status=pending")).await?;
    screenshot(&c, "achievements").await?;
    click_to(&c, &format!("tr[data-achievement='{id}'] button.verify")).await?;
    ensure!(c.find(Locator::Css("p.done")).await.is_ok(), "the verdict is confirmed");
    c.goto(&format!("{base}/panel/ratings")).await?;
    let after: f64 = attr(&c, &format!("#ranking tr[data-person='{person_id}']"), "data-total").await?.parse()?;
    ensure!(after > before, "the verified article raises the rating: {before} -> {after}");
    screenshot(&c, "ratings").await?;
    c.goto(&format!("{base}/panel/competencies")).await?;
    ensure!(c.find(Locator::Css("section.error")).await.is_err(), "competencies render");
    screenshot(&c, "competencies").await?;

    // Settings are read-only for managers.
    c.goto(&format!("{base}/panel/settings")).await?;
    ensure!(c.find(Locator::Css("#targets button")).await.is_err(), "no save button for a manager");
    screenshot(&c, "manager-dashboard").await?;
    c.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_panel_in_a_real_browser_over_the_demo_organisation() -> anyhow::Result<()> {
    let mut options = ServerOptions::new(server_binary!());
    options.serve_args = vec!["--demo".into()];
    options.log_filter = "warn".into();
    let server = ServerProcess::start_with(options).await?;
    // The server answers while the demo's phones sync through it; wait for the demo's summary.
    let deadline = Instant::now() + Duration::from_secs(600);
    while !server.logs().contains("demo admin:") {
        ensure!(Instant::now() < deadline, "the demo did not finish; log:\n{}", server.logs());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let base = server.base_url();
    let scratch = tempfile::tempdir()?;
    let driver = start_driver().await?;
    let departments = admin_journey(&driver, &base, scratch.path()).await.context("the admin's journey")?;
    manager_journey(&driver, &server, scratch.path(), &departments).await.context("the manager's journey")?;
    Ok(())
}
