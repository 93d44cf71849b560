//! Credentials: opaque tokens stored only as their SHA-256, Argon2id password hashes, and the
//! [`AuthUser`] extractor that turns a bearer token into who is calling.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use qamqor_protocol::{error_code, Role};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::AppError;
use crate::AppState;

/// Prefix of access tokens (lets secret scanners and people tell the kinds apart).
pub const ACCESS_PREFIX: &str = "qat_";
/// Prefix of refresh tokens.
pub const REFRESH_PREFIX: &str = "qrt_";
/// Prefix of invitation codes.
pub const INVITATION_PREFIX: &str = "qic_";

/// Random bytes in every token and code.
const SECRET_BYTES: usize = 32;
/// Length of the base64url text of [`SECRET_BYTES`].
const SECRET_TEXT_LEN: usize = 43;

/// A new random secret with the given prefix, and the hash the store keeps of it.
pub fn new_secret(prefix: &str) -> Result<(String, [u8; 32]), getrandom::Error> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes)?;
    let secret = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash_secret(&secret);
    Ok((secret, hash))
}

/// The SHA-256 of a presented secret, as the store keeps it. Secrets carry 256 random bits, so
/// a fast hash is enough: there is nothing to brute-force, only a leaked table to make useless.
pub fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Whether `s` has the shape of a secret with this prefix (checked before any lookup).
pub fn is_well_formed(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == SECRET_TEXT_LEN && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Argon2id with the OWASP parameters: 19 MiB of memory, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (salt and parameters included). CPU-heavy: call it on
/// a blocking thread.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness for a salt: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Ok(argon2().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("hashing: {e}"))?.to_string())
}

/// Checks a password against a stored PHC string. CPU-heavy: call it on a blocking thread.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash to check passwords against when the account does not exist, so that a login for an
/// unknown email takes as long as one with a wrong password (no account enumeration by timing).
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password that never matches").unwrap_or_default())
}

/// The caller of an authenticated request: from a valid, unexpired access token of a device
/// that is not revoked.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthUser {
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub role: Role,
    pub device_id: Uuid,
    pub department: Option<String>,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<AuthUser, AppError> {
        let Some(header) = parts.headers.get(AUTHORIZATION) else {
            return Err(AppError::unauthorized("send the access token as 'Authorization: Bearer <token>'"));
        };
        let token = header.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).unwrap_or_default();
        authenticate(state, token).await
    }
}

/// Who an access token belongs to: 401 when it is malformed, unknown, revoked or expired
/// (`token_expired`). The bearer header and the web panel's session cookie both end here.
pub async fn authenticate(state: &AppState, token: &str) -> Result<AuthUser, AppError> {
    if !is_well_formed(token, ACCESS_PREFIX) {
        return Err(AppError::unauthorized("the access token is not valid"));
    }
    let Some(ctx) = state.store.authenticate(hash_secret(token)).await? else {
        return Err(AppError::unauthorized("the access token is not valid"));
    };
    if ctx.expires_at <= state.clock.now_millis() {
        return Err(AppError::unauthorized_with(error_code::TOKEN_EXPIRED, "the access token has expired: refresh it"));
    }
    Ok(AuthUser {
        user_id: ctx.user_id,
        org_id: ctx.org_id,
        role: ctx.role,
        device_id: ctx.device_id,
        department: ctx.department,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_random_and_stored_hashed() {
        let (a, ha) = new_secret(ACCESS_PREFIX).unwrap();
        let (b, _) = new_secret(ACCESS_PREFIX).unwrap();
        assert_ne!(a, b);
        assert!(is_well_formed(&a, ACCESS_PREFIX));
        assert!(!is_well_formed(&a, REFRESH_PREFIX));
        assert!(!is_well_formed(&a[..a.len() - 1], ACCESS_PREFIX));
        assert!(!is_well_formed("qat_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", ACCESS_PREFIX));
        assert_eq!(hash_secret(&a), ha);
        assert_ne!(&ha[..], a.as_bytes());
    }

    #[test]
    fn passwords_hash_with_argon2id_owasp_parameters() {
        let phc = hash_password("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("correct horse battery", &phc));
        assert!(!verify_password("correct horse batterz", &phc));
        assert!(!verify_password("anything", "not a phc string"));
        assert!(!verify_password("anything", decoy_hash()));
    }
}
