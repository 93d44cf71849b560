//! Sign-in and sign-out.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;
use qamqor_protocol::{LoginRequest, Role};
use serde::Deserialize;

use crate::error::{code, AppError};
use crate::extract::ClientAddr;
use crate::panel::layout::document;
use crate::panel::{clear_session, lang_of, local_next, redirect, set_session, Form, Lang, Page, Query};
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn form_page(lang: Lang, next: &str, email: &str, error: Option<String>, status: StatusCode) -> Response {
    let body = html! {
        section.login {
            h1 { (lang.t("sign-in-title")) }
            p { (lang.t("sign-in-intro")) }
            @if let Some(e) = &error {
                p.error-inline role="alert" id="login-error" { (e) }
            }
            form method="post" action="/panel/login" {
                input type="hidden" name="next" value=(next);
                label { (lang.t("email")) input type="email" name="email" id="email" autocomplete="username" required value=(email); }
                label { (lang.t("password")) input type="password" name="password" id="password" autocomplete="current-password" required; }
                button type="submit" id="sign-in" { (lang.t("sign-in")) }
            }
        }
    };
    let mut r = document(lang, None, None, &lang.t("sign-in-title"), body).into_response();
    *r.status_mut() = status;
    r
}

/// `GET /panel/login`.
pub async fn form(headers: HeaderMap, Query(q): Query<LoginQuery>) -> Response {
    form_page(lang_of(&headers), &local_next(q.next.as_deref()), "", None, StatusCode::OK)
}

fn explain(lang: Lang, e: &AppError) -> String {
    match (e.status().as_u16(), e.code()) {
        (401, _) => lang.t("login-wrong"),
        (403, code::ACCOUNT_DEACTIVATED) => lang.t("login-deactivated"),
        (429, _) => lang.t("error-throttled"),
        _ => e.message().0.to_string(),
    }
}

/// `POST /panel/login`: a device session named "Web panel", in two cookies.
pub async fn submit(State(state): State<AppState>, headers: HeaderMap, addr: ClientAddr, Form(f): Form<LoginForm>) -> Response {
    let lang = lang_of(&headers);
    let next = local_next(f.next.as_deref());
    let agent = headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let device_name = format!("Web panel{}", if agent.contains("Chrome") { " (Chrome)" } else if agent.contains("Firefox") { " (Firefox)" } else { "" });
    let req = LoginRequest { email: f.email.clone(), password: f.password, device_name, device_id: None };
    match crate::accounts::login(&state, req, addr).await {
        Ok(tokens) if tokens.role == Role::Employee => {
            // The session just opened is closed again: employees use the app.
            let _ = state.store.revoke_device(tokens.device_id, state.clock.now_millis()).await;
            form_page(lang, &next, &f.email, Some(lang.t("error-employee")), StatusCode::FORBIDDEN)
        }
        Ok(tokens) => {
            let mut r = redirect(&next);
            set_session(&mut r, &tokens);
            r
        }
        Err(e) => form_page(lang, &next, &f.email, Some(explain(lang, &e)), e.status()),
    }
}

/// `POST /panel/logout`: ends the panel's device session.
pub async fn logout(State(state): State<AppState>, p: Page) -> Response {
    let _ = crate::accounts::logout(&state, &p.ctx.caller).await;
    let mut r = redirect("/panel/login");
    clear_session(&mut r);
    r
}

