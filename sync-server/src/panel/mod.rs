//! The web panel for managers and admins, served by the server under `/panel/`: server-rendered
//! HTML (maud), no script but a print button, charts drawn here as SVG, in Kazakh, Russian and
//! English. Every page calls the same admin services as the JSON API (`crate::admin`), so the
//! scope, the audit log and the validation are the API's: a manager who opens another
//! department's page gets the same 403 as through the API.
//!
//! **Sessions.** Signing in opens an ordinary device session ("Web panel") with the account's
//! email and password (`accounts::login`: throttling, deactivation). The access and refresh
//! tokens live in two `HttpOnly`, `SameSite=Strict` session cookies; an expired access token is
//! refreshed on the next request. Signing out ends the device session; deactivating a person
//! signs their panel out like their phones. Employees are refused (their place is the app).
//!
//! **Forms** post back to the panel (`application/x-www-form-urlencoded`). A cross-site post is
//! refused (`Sec-Fetch-Site`/`Origin`), on top of the `SameSite=Strict` cookies. After a change
//! the page redirects (post/redirect/get) with a `done` message; a refused change renders the
//! error page with the status, the reason and the field, and changes nothing.

pub mod charts;
pub mod i18n;
mod layout;
mod pages;

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, HOST, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use qamqor_protocol::{AuthTokens, RefreshRequest, Role};
use serde::de::DeserializeOwned;

use crate::admin::Ctx;
use crate::auth::{self, AuthUser};
use crate::error::AppError;
use crate::extract::ClientAddr;
use crate::AppState;

pub use i18n::Lang;

/// The access token's cookie.
pub const ACCESS_COOKIE: &str = "qamqor_at";
/// The refresh token's cookie.
pub const REFRESH_COOKIE: &str = "qamqor_rt";
/// The chosen language's cookie.
pub const LANG_COOKIE: &str = "qamqor_lang";

/// The panel's routes (state-aware: the session middleware reads the store).
pub fn router(state: AppState) -> Router<AppState> {
    let signed_in = Router::new()
        .route("/panel/", get(pages::dashboard::page))
        .route("/panel/people", get(pages::people::list).post(pages::people::create))
        .route("/panel/people/invite", post(pages::people::invite))
        .route("/panel/people/{id}", get(pages::person::page).post(pages::person::update))
        .route("/panel/people/{id}/deactivate", post(pages::person::deactivate))
        .route("/panel/people/{id}/reactivate", post(pages::person::reactivate))
        .route("/panel/people/{id}/feedback", post(pages::person::feedback))
        .route("/panel/departments", get(pages::departments::list).post(pages::departments::create))
        .route("/panel/departments/{id}", get(pages::departments::page).post(pages::departments::update))
        .route("/panel/departments/{id}/archive", post(pages::departments::archive))
        .route("/panel/activity", get(pages::activity::page))
        .route("/panel/indicators", get(pages::indicators::page))
        .route("/panel/risk", get(pages::risk::page))
        .route("/panel/ratings", get(pages::ratings::page))
        .route("/panel/achievements", get(pages::ratings::achievements))
        .route("/panel/achievements/{id}/review", post(pages::ratings::review))
        .route("/panel/achievements/{id}/evidence", get(pages::ratings::evidence))
        .route("/panel/competencies", get(pages::competencies::page))
        .route("/panel/audit", get(pages::audit::page))
        .route("/panel/settings", get(pages::settings::page))
        .route("/panel/settings/targets", post(pages::settings::targets))
        .route("/panel/settings/privacy", post(pages::settings::privacy))
        .route("/panel/deletions", get(pages::deletions::page))
        .route("/panel/deletions/{id}/carry-out", post(pages::deletions::carry_out))
        .route("/panel/logout", post(pages::login::logout))
        .route_layer(middleware::from_fn_with_state(state, session));
    Router::new()
        .route("/", get(|| async { redirect("/panel/") }))
        .route("/panel", get(|| async { redirect("/panel/") }))
        .route("/panel/login", get(pages::login::form).post(pages::login::submit))
        .route("/panel/lang", get(set_lang))
        .route("/panel/static/panel.css", get(css))
        .merge(signed_in)
        .layer(middleware::from_fn(same_origin_posts))
}

/// A page's caller: their scope (the admin API's [`Ctx`]), their language and the address of
/// the page, from the session middleware.
#[derive(Debug, Clone)]
pub struct Page {
    pub ctx: Ctx,
    pub lang: Lang,
    /// Path and query of the request (the language switch comes back here).
    pub here: String,
}

impl Page {
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn is_admin(&self) -> bool {
        self.ctx.is_admin()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Page, Failure> {
        parts.extensions.get::<Page>().cloned().ok_or_else(|| Failure(AppError::unauthorized("not signed in")))
    }
}

/// The language of a request: the cookie, else the browser's preference, else Kazakh.
pub fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    let jar = CookieJar::from_headers(headers);
    jar.get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or_else(|| headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language))
        .unwrap_or(Lang::Kk)
}

/// A refused request of the panel, rendered as an HTML error page in the caller's language by
/// the session middleware (or plainly, outside a session).
#[derive(Debug)]
pub struct Failure(pub AppError);

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        Failure(e)
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(e: crate::store::StoreError) -> Failure {
        Failure(e.into())
    }
}

/// What the error page shows, carried from a handler to the middleware.
#[derive(Debug, Clone)]
struct FailureInfo {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<String>,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let (message, field) = self.0.message();
        let info = FailureInfo { status, code: self.0.code(), message: message.to_string(), field: field.map(str::to_string) };
        // 5xx: logged once by AppError, as the API does.
        if status.is_server_error() {
            drop(self.0.into_response());
        }
        let mut r = layout::bare_error(Lang::En, &info).into_response();
        *r.status_mut() = status;
        r.extensions_mut().insert(info);
        r
    }
}

pub type PageResult = Result<Response, Failure>;

/// A 303 to a panel address.
pub fn redirect(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(LOCATION, v);
    }
    r
}

/// A local panel address from a `next` parameter, so a link cannot send anyone elsewhere.
pub fn local_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/panel") && !n.contains("//") && !n.contains('\\') => n.to_string(),
        _ => "/panel/".to_string(),
    }
}

fn session_cookie(name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value)).path("/").http_only(true).same_site(SameSite::Strict).build()
}

/// The cookies of a new session.
pub fn set_session(r: &mut Response, tokens: &AuthTokens) {
    for c in [session_cookie(ACCESS_COOKIE, tokens.access_token.clone()), session_cookie(REFRESH_COOKIE, tokens.refresh_token.clone())] {
        if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
            r.headers_mut().append(SET_COOKIE, v);
        }
    }
}

/// Removes the session's cookies.
pub fn clear_session(r: &mut Response) {
    for name in [ACCESS_COOKIE, REFRESH_COOKIE] {
        let mut c = session_cookie(name, String::new());
        c.make_removal();
        if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
            r.headers_mut().append(SET_COOKIE, v);
        }
    }
}

/// Who the cookies belong to, refreshing an expired access token; `None` when not signed in.
async fn resolve(state: &AppState, jar: &CookieJar) -> Result<Option<(AuthUser, Option<AuthTokens>)>, AppError> {
    if let Some(at) = jar.get(ACCESS_COOKIE) {
        match auth::authenticate(state, at.value()).await {
            Ok(user) => return Ok(Some((user, None))),
            Err(e) if e.status() == StatusCode::UNAUTHORIZED => {}
            Err(e) => return Err(e),
        }
    }
    let Some(rt) = jar.get(REFRESH_COOKIE) else {
        return Ok(None);
    };
    match crate::accounts::refresh(state, RefreshRequest { refresh_token: rt.value().to_string() }).await {
        Ok(tokens) => {
            let user = auth::authenticate(state, &tokens.access_token).await?;
            Ok(Some((user, Some(tokens))))
        }
        Err(e) if e.status() == StatusCode::UNAUTHORIZED => Ok(None),
        Err(e) => Err(e),
    }
}

/// The session middleware of the signed-in pages: the caller, their scope and language into
/// the request; a visitor without a session to the sign-in page; an employee refused; a
/// handler's [`Failure`] rendered as the error page in the caller's language.
async fn session(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let here = req.uri().path_and_query().map_or_else(|| req.uri().path().to_string(), |pq| pq.as_str().to_string());
    let jar = CookieJar::from_headers(req.headers());
    let (mut parts, body) = req.into_parts();
    let addr = match ClientAddr::from_request_parts(&mut parts, &state).await {
        Ok(a) => a,
        Err(e) => return layout::error_page(lang, None, &info_of(e)),
    };
    let (user, renewed) = match resolve(&state, &jar).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            let mut r = if parts.method == axum::http::Method::GET {
                redirect(&format!("/panel/login?next={}", urlencode(&here)))
            } else {
                layout::error_page(lang, None, &info_of(AppError::unauthorized(lang.t("error-signed-out"))))
            };
            if jar.get(ACCESS_COOKIE).is_some() || jar.get(REFRESH_COOKIE).is_some() {
                clear_session(&mut r);
            }
            return r;
        }
        Err(e) => return layout::error_page(lang, None, &info_of(e)),
    };
    if user.role == Role::Employee {
        let mut r = layout::error_page(lang, None, &info_of(AppError::forbidden(lang.t("error-employee"))));
        clear_session(&mut r);
        return r;
    }
    let ctx = match Ctx::of(&state, user, addr).await {
        Ok(c) => c,
        Err(e) => return layout::error_page(lang, None, &info_of(e)),
    };
    let page = Page { ctx, lang, here };
    parts.extensions.insert(page.clone());
    let mut r = next.run(Request::from_parts(parts, body)).await;
    if let Some(info) = r.extensions().get::<FailureInfo>().cloned() {
        r = layout::error_page(lang, Some(&page), &info);
    }
    if let Some(tokens) = renewed {
        set_session(&mut r, &tokens);
    }
    r
}

fn info_of(e: AppError) -> FailureInfo {
    let status = e.status();
    let (message, field) = e.message();
    FailureInfo { status, code: e.code(), message: message.to_string(), field: field.map(str::to_string) }
}

/// Refuses a form posted from another site (`Sec-Fetch-Site`, else `Origin` against `Host`).
async fn same_origin_posts(req: Request, next: Next) -> Response {
    if req.method() == axum::http::Method::POST {
        let h = req.headers();
        let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross = match site {
            Some(s) => !matches!(s, "same-origin" | "none"),
            None => match (h.get("origin").and_then(|v| v.to_str().ok()), h.get(HOST).and_then(|v| v.to_str().ok())) {
                (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
                _ => false,
            },
        };
        if cross {
            let lang = lang_of(req.headers());
            return layout::error_page(lang, None, &info_of(AppError::forbidden(lang.t("error-cross-site"))));
        }
    }
    next.run(req).await
}

/// `GET /panel/lang?set=kk&next=/panel/people`: remembers the language, back to the page.
async fn set_lang(axum::extract::RawQuery(q): axum::extract::RawQuery) -> Response {
    #[derive(serde::Deserialize)]
    struct Q {
        set: Option<String>,
        next: Option<String>,
    }
    let q: Q = parse_form(q.as_deref().unwrap_or_default()).unwrap_or(Q { set: None, next: None });
    let mut r = redirect(&local_next(q.next.as_deref()));
    if let Some(lang) = q.set.as_deref().and_then(Lang::parse) {
        let c = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(SET_COOKIE, v);
        }
    }
    r
}

async fn css() -> Response {
    let mut r = Body::from(include_str!("panel.css")).into_response();
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    r.headers_mut().insert("cache-control", HeaderValue::from_static("public, max-age=3600"));
    r
}

/// A query string or form body, with empty fields treated as absent (an HTML form sends
/// every input, filled or not); a wrong value is 422 naming the field.
pub fn parse_form<T: DeserializeOwned>(raw: &str) -> Result<T, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
        .map_err(|_| AppError::bad_request(qamqor_protocol::error_code::INVALID_FIELD, "the form could not be read"))?;
    let kept: Vec<(String, String)> = pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect();
    let encoded = serde_urlencoded::to_string(&kept).unwrap_or_default();
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let field = if field == "." { "form".to_string() } else { field };
        AppError::invalid(field, e.inner().to_string())
    })
}

/// A form body or query string of a panel page ([`parse_form`]).
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequest<S> for Form<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Form<T>, Failure> {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|_| Failure(AppError::body_too_large()))?;
        let text = std::str::from_utf8(&bytes).map_err(|_| Failure(AppError::invalid("form", "not UTF-8")))?;
        parse_form(text).map(Form).map_err(Failure)
    }
}

/// The query string of a panel page ([`parse_form`]).
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Query<T>, Failure> {
        parse_form(parts.uri.query().unwrap_or_default()).map(Query).map_err(Failure)
    }
}


/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_addresses_stay_in_the_panel() {
        assert_eq!(local_next(Some("/panel/people?q=a")), "/panel/people?q=a");
        assert_eq!(local_next(Some("https://evil.example/")), "/panel/");
        assert_eq!(local_next(Some("/panel//evil.example")), "/panel/");
        assert_eq!(local_next(Some("//evil.example")), "/panel/");
        assert_eq!(local_next(None), "/panel/");
    }

    #[test]
    fn empty_form_fields_are_absent_and_bad_ones_are_named() {
        #[derive(serde::Deserialize, Debug)]
        struct F {
            department_id: Option<uuid::Uuid>,
            page: Option<u32>,
        }
        let f: F = parse_form("department_id=&page=2").unwrap();
        assert!(f.department_id.is_none());
        assert_eq!(f.page, Some(2));
        let e = parse_form::<F>("page=two").unwrap_err();
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.message().1, Some("page"));
    }
}
