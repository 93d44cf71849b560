//! Accounts and sessions: input rules, login with throttling, token rotation, invitations and
//! device revocation. Handlers and the admin commands call these; storage goes through
//! [`Store`] only.

use qamqor_protocol::{
    error_code, AuthTokens, CreateInvitationRequest, Invitation, LoginRequest, RefreshRequest, RegisterRequest, Role,
};
use uuid::Uuid;

use crate::auth::{self, AuthUser, ACCESS_PREFIX, INVITATION_PREFIX, REFRESH_PREFIX};
use crate::error::{code, AppError, AppResult};
use crate::extract::ClientAddr;
use crate::store::{
    IssuedToken, Millis, NewInvitation, NewOrg, NewSession, NewUser, Org, RedeemOutcome, RefreshOutcome, Registration,
    SessionOutcome, Store, StoreError, User,
};
use crate::{sync, AppState};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 1024;
const MAX_EMAIL_BYTES: usize = 254;
const MAX_NAME_CHARS: usize = 200;

// ---- input rules ----------------------------------------------------------------------------

/// Trims and lowercases an email and checks its shape (`local@domain.tld`).
pub fn normalize_email(raw: &str) -> AppResult<String> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= MAX_EMAIL_BYTES
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        });
    if valid {
        Ok(email)
    } else {
        Err(AppError::invalid("email", "not an email address: expected name@example.com"))
    }
}

/// A password must have 10 to 1024 characters.
pub fn check_password(password: &str) -> AppResult<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid("password", format!("a password has at least {MIN_PASSWORD_CHARS} characters")));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid("password", format!("a password has at most {MAX_PASSWORD_CHARS} characters")));
    }
    Ok(())
}

/// A non-empty display name (of a person, device, organisation or department), trimmed.
pub fn check_name(field: &'static str, raw: &str) -> AppResult<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::invalid(field, "must not be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AppError::invalid(field, format!("at most {MAX_NAME_CHARS} characters, no control characters")));
    }
    Ok(name.to_string())
}

async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

async fn verify_password(password: String, phc: String) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || auth::verify_password(&password, &phc)).await.map_err(AppError::internal)
}

// ---- admin commands ---------------------------------------------------------------------------

/// `qamqor-server org create`.
/// The organisation starts with its default settings record
/// ([`sync::default_org_settings`]: aggregates only, groups of at least 5).
pub async fn create_org(store: &dyn Store, name: &str, now: Millis) -> AppResult<Org> {
    let name = check_name("name", name)?;
    let settings = sync::default_org_settings_change(&name, now).map_err(AppError::internal)?;
    store.create_org(NewOrg { name: name.clone(), settings, now }).await.map_err(|e| match e {
        StoreError::Duplicate { .. } => {
            AppError::conflict(code::ORG_EXISTS, format!("an organisation named '{name}' already exists"))
        }
        e => e.into(),
    })
}

/// What `qamqor-server user add` asks for.
pub struct AddUser {
    pub org: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
    pub password: String,
}

/// `qamqor-server user add`.
pub async fn add_user(store: &dyn Store, new: AddUser, now: Millis) -> AppResult<User> {
    let email = normalize_email(&new.email)?;
    let name = check_name("name", &new.name)?;
    let department = new.department.as_deref().map(|d| check_name("department", d)).transpose()?;
    check_password(&new.password)?;
    let Some(org) = store.org_by_name(new.org.trim()).await? else {
        return Err(AppError::not_found(code::ORG_NOT_FOUND, format!("no organisation named '{}'", new.org.trim())));
    };
    let password_hash = hash_password(new.password).await?;
    let user = NewUser { org_id: org.id, email, name, role: new.role, department, password_hash, now };
    store.create_user(user).await.map_err(|e| match e {
        StoreError::Duplicate { .. } => AppError::conflict(error_code::EMAIL_TAKEN, "an account with this email already exists"),
        e => e.into(),
    })
}

// ---- sessions -------------------------------------------------------------------------------

/// A fresh token pair: what the client gets, and what the store keeps.
struct IssuedPair {
    access: String,
    refresh: String,
    access_stored: IssuedToken,
    refresh_stored: IssuedToken,
}

fn issue_pair(state: &AppState, now: Millis) -> AppResult<IssuedPair> {
    let (access, access_hash) = auth::new_secret(ACCESS_PREFIX).map_err(AppError::internal)?;
    let (refresh, refresh_hash) = auth::new_secret(REFRESH_PREFIX).map_err(AppError::internal)?;
    Ok(IssuedPair {
        access,
        refresh,
        access_stored: IssuedToken { hash: access_hash, expires_at: now + state.settings.access_ttl_ms },
        refresh_stored: IssuedToken { hash: refresh_hash, expires_at: now + state.settings.refresh_ttl_ms },
    })
}

fn tokens(state: &AppState, pair: IssuedPair, user_id: Uuid, device_id: Uuid, role: Role) -> AuthTokens {
    AuthTokens {
        access_token: pair.access,
        access_expires_in: (state.settings.access_ttl_ms / 1000) as u64,
        refresh_token: pair.refresh,
        refresh_expires_in: (state.settings.refresh_ttl_ms / 1000) as u64,
        user_id,
        device_id,
        role,
    }
}

/// The failure-counter keys of a login attempt.
fn throttle_keys(email: &str, addr: &ClientAddr) -> [String; 2] {
    let addr = addr.0.map_or_else(|| "unknown".to_string(), |a| a.to_string());
    [format!("account:{email}"), format!("address:{addr}")]
}

/// 429 with the seconds until the oldest counted failure leaves the window, when a limit is hit.
async fn check_throttle(state: &AppState, keys: &[String], limits: &[u32], now: Millis) -> AppResult<()> {
    let window = state.settings.login_window_ms;
    let counted = state.store.login_failures(keys, now - window).await?;
    let wait_ms = counted
        .iter()
        .zip(limits)
        .filter(|(w, limit)| w.count >= **limit)
        .map(|(w, _)| w.oldest.unwrap_or(now) + window - now)
        .max();
    match wait_ms {
        Some(ms) => Err(AppError::too_many_attempts(((ms.max(1) + 999) / 1000) as u64)),
        None => Ok(()),
    }
}

fn deactivated() -> AppError {
    AppError::new_forbidden(code::ACCOUNT_DEACTIVATED, "this account was deactivated: ask your organisation's admin")
}

fn device_taken() -> AppError {
    AppError::conflict(error_code::DEVICE_ID_TAKEN, "this device id is registered to another account: send a new one")
        .with_field("device_id")
}

/// `POST /auth/login`.
pub async fn login(state: &AppState, req: LoginRequest, addr: ClientAddr) -> AppResult<AuthTokens> {
    let email = normalize_email(&req.email)?;
    let device_name = check_name("device_name", &req.device_name)?;
    if req.password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid("password", format!("a password has at most {MAX_PASSWORD_CHARS} characters")));
    }
    let now = state.clock.now_millis();
    let keys = throttle_keys(&email, &addr);
    let s = &state.settings;
    check_throttle(state, &keys, &[s.max_failures_per_account, s.max_failures_per_address], now).await?;

    let credentials = state.store.credentials(&email).await?;
    let phc = credentials.as_ref().map_or_else(|| auth::decoy_hash().to_string(), |c| c.password_hash.clone());
    let verified = verify_password(req.password, phc).await?;
    let Some(credentials) = credentials.filter(|_| verified) else {
        state.store.record_login_failure(&keys, now, now - s.login_window_ms).await?;
        return Err(AppError::unauthorized("wrong email or password"));
    };
    state.store.clear_login_failures(&keys[0]).await?;
    if credentials.deactivated {
        // Only said after the password matched, so it reveals nothing to a guesser.
        return Err(deactivated());
    }

    let device_id = req.device_id.unwrap_or_else(Uuid::now_v7);
    let pair = issue_pair(state, now)?;
    let session = NewSession { device_id, device_name, access: pair.access_stored, refresh: pair.refresh_stored, now };
    match state.store.open_session(credentials.user_id, session).await? {
        SessionOutcome::Opened => Ok(tokens(state, pair, credentials.user_id, device_id, credentials.role)),
        SessionOutcome::DeviceTaken => Err(device_taken()),
    }
}

/// `POST /auth/refresh`: spends the refresh token for a new pair.
pub async fn refresh(state: &AppState, req: RefreshRequest) -> AppResult<AuthTokens> {
    let presented = req.refresh_token.trim();
    if !auth::is_well_formed(presented, REFRESH_PREFIX) {
        return Err(AppError::unauthorized("the refresh token is not valid"));
    }
    let now = state.clock.now_millis();
    let pair = issue_pair(state, now)?;
    match state
        .store
        .rotate_refresh(auth::hash_secret(presented), pair.access_stored, pair.refresh_stored, now, state.settings.refresh_reuse_grace_ms)
        .await?
    {
        RefreshOutcome::Rotated { user_id, device_id, role } => Ok(tokens(state, pair, user_id, device_id, role)),
        RefreshOutcome::Reused => Err(AppError::unauthorized_with(
            error_code::REFRESH_TOKEN_REUSED,
            "this refresh token was already used: the device's session is revoked, log in again",
        )),
        RefreshOutcome::Expired => {
            Err(AppError::unauthorized_with(error_code::TOKEN_EXPIRED, "the refresh token has expired: log in again"))
        }
        RefreshOutcome::Unknown => Err(AppError::unauthorized("the refresh token is not valid")),
    }
}

/// `POST /auth/logout`: ends the calling device's session.
pub async fn logout(state: &AppState, user: &AuthUser) -> AppResult<()> {
    state.store.revoke_device(user.device_id, state.clock.now_millis()).await?;
    Ok(())
}

/// `DELETE /devices/{id}`: one's own devices; an admin, any device in their organisation.
/// Anything else is "not found", so device ids of other people are never confirmed.
pub async fn revoke_device(state: &AppState, user: &AuthUser, device_id: &str) -> AppResult<()> {
    let not_found = || AppError::not_found(error_code::DEVICE_NOT_FOUND, "no such device among those you may manage");
    let Ok(device_id) = device_id.parse::<Uuid>() else {
        return Err(not_found());
    };
    let Some(device) = state.store.device(device_id).await? else {
        return Err(not_found());
    };
    let allowed = device.org_id == user.org_id && (device.user_id == user.user_id || user.role == Role::Admin);
    if !allowed {
        return Err(not_found());
    }
    state.store.revoke_device(device_id, state.clock.now_millis()).await?;
    Ok(())
}

// ---- invitations ------------------------------------------------------------------------------

/// `POST /invitations`: admins invite anyone into their organisation; managers invite
/// employees into their own department.
pub async fn create_invitation(state: &AppState, user: &AuthUser, req: CreateInvitationRequest) -> AppResult<Invitation> {
    let email = normalize_email(&req.email)?;
    let department = req.department.as_deref().map(|d| check_name("department", d)).transpose()?;
    let department = match user.role {
        Role::Employee => return Err(AppError::forbidden("only admins and managers can invite")),
        Role::Admin => department,
        Role::Manager => {
            if req.role != Role::Employee {
                return Err(AppError::forbidden("managers can invite employees only").with_field("role"));
            }
            if department.is_some() && department != user.department {
                return Err(AppError::forbidden("managers can invite into their own department only").with_field("department"));
            }
            user.department.clone()
        }
    };
    let now = state.clock.now_millis();
    let (code, code_hash) = auth::new_secret(INVITATION_PREFIX).map_err(AppError::internal)?;
    let expires_at = now + state.settings.invitation_ttl_ms;
    let invitation = NewInvitation {
        code_hash,
        org_id: user.org_id,
        email: email.clone(),
        role: req.role,
        department: department.clone(),
        created_by: user.user_id,
        now,
        expires_at,
    };
    state.store.create_invitation(invitation).await?;
    Ok(Invitation { code, email, role: req.role, department, expires_at })
}

/// `POST /auth/register`: creates the invited account and logs its first device in. Failed
/// attempts (bad, used or expired codes) count against the caller's address like failed
/// logins, so codes cannot be guessed and the password hashing cannot be abused for free.
pub async fn register(state: &AppState, req: RegisterRequest, addr: ClientAddr) -> AppResult<AuthTokens> {
    let email = normalize_email(&req.email)?;
    let name = check_name("name", &req.name)?;
    let device_name = check_name("device_name", &req.device_name)?;
    check_password(&req.password)?;
    let now = state.clock.now_millis();
    let address_key = [throttle_keys(&email, &addr)[1].clone()];
    check_throttle(state, &address_key, &[state.settings.max_failures_per_address], now).await?;
    let code = req.code.trim();
    let outcome = if auth::is_well_formed(code, INVITATION_PREFIX) {
        let password_hash = hash_password(req.password).await?;
        let device_id = req.device_id.unwrap_or_else(Uuid::now_v7);
        let pair = issue_pair(state, now)?;
        let session = NewSession { device_id, device_name, access: pair.access_stored, refresh: pair.refresh_stored, now };
        let registration = Registration { code_hash: auth::hash_secret(code), email, name, password_hash, session };
        (state.store.redeem_invitation(registration).await?, Some((pair, device_id)))
    } else {
        (RedeemOutcome::NotFound, None)
    };
    let failed = |e: AppError| async {
        state.store.record_login_failure(&address_key, now, now - state.settings.login_window_ms).await?;
        Err(e)
    };
    match outcome {
        (RedeemOutcome::Registered(user), Some((pair, device_id))) => Ok(tokens(state, pair, user.id, device_id, user.role)),
        (RedeemOutcome::Registered(_), None) => Err(AppError::internal(anyhow::anyhow!("registered without a session"))),
        (RedeemOutcome::NotFound, _) => {
            failed(AppError::not_found(error_code::INVITATION_NOT_FOUND, "no such invitation code").with_field("code")).await
        }
        (RedeemOutcome::Used, _) => {
            failed(AppError::gone(error_code::INVITATION_USED, "this invitation was already used").with_field("code")).await
        }
        (RedeemOutcome::Expired, _) => {
            failed(
                AppError::gone(error_code::INVITATION_EXPIRED, "this invitation has expired: ask for a new one")
                    .with_field("code"),
            )
            .await
        }
        (RedeemOutcome::EmailMismatch, _) => {
            failed(AppError::invalid("email", "this invitation was issued for another email address")).await
        }
        (RedeemOutcome::EmailTaken, _) => {
            Err(AppError::conflict(error_code::EMAIL_TAKEN, "an account with this email already exists").with_field("email"))
        }
        (RedeemOutcome::DeviceTaken, _) => Err(device_taken()),
        (RedeemOutcome::Deactivated, _) => Err(deactivated()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(normalize_email("  Aigerim@Example.KZ ").unwrap(), "aigerim@example.kz");
        for bad in ["", "a", "a@b", "@b.kz", "a@@b.kz", "a b@c.kz", "a@.kz", "a@b.", "a@b..kz"] {
            assert_eq!(normalize_email(bad).unwrap_err().code(), "invalid_field", "{bad}");
        }
    }

    #[test]
    fn password_and_name_bounds() {
        assert!(check_password("123456789").is_err());
        assert!(check_password("1234567890").is_ok());
        assert!(check_password(&"ж".repeat(MAX_PASSWORD_CHARS)).is_ok());
        assert!(check_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)).is_err());
        assert_eq!(check_name("name", "  Aigerim ").unwrap(), "Aigerim");
        assert!(check_name("name", "   ").is_err());
        assert!(check_name("name", "a\u{0}b").is_err());
    }
}
