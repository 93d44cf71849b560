//! `GET /api/v1/admin/deletion-requests`: the people who asked, from their phone's privacy
//! centre, for their account and data to be deleted. The request reaches the server through
//! sync (entity `deletion_request`, docs/SYNC_PROTOCOL.md); only admins see the list, and each
//! read is logged, since it names people.
//!
//! `POST /api/v1/admin/deletion-requests/{id}/carry-out`: an admin carries a request out. The
//! person's devices are signed out and forgotten; their records, change log, statistics and
//! open invitations are erased; the account is kept only as an anonymised, deactivated row so
//! the audit log's references stay valid. Carrying out the same request again changes nothing.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{rfc3339, Ctx};
use crate::error::{code, AppError, AppResult};
use crate::store::admin::{DeletionOutcome, DeletionRequestRecord};
use crate::AppState;

/// One person's request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeletionRequestItem {
    /// The request's id (as the phone made it).
    pub id: String,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub department_id: Option<Uuid>,
    /// When the person asked, on their phone (RFC 3339).
    pub requested_at: String,
    /// When the server received it (RFC 3339).
    pub received_at: String,
    /// `waiting`, or `carried_out` (then the name and email are the erased account's).
    pub status: DeletionStatus,
    /// When an admin carried it out (RFC 3339).
    pub carried_out_at: Option<String>,
    /// The admin who carried it out.
    pub carried_out_by: Option<Uuid>,
    /// How many stored rows of the person's were erased.
    pub erased: Option<u64>,
}

/// Where a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeletionStatus {
    Waiting,
    CarriedOut,
}

/// The organisation's deletion requests, newest received first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeletionRequestList {
    pub items: Vec<DeletionRequestItem>,
}

fn item(r: DeletionRequestRecord) -> DeletionRequestItem {
    DeletionRequestItem {
        id: r.id,
        user_id: r.user_id,
        name: r.name,
        email: r.email,
        department_id: r.department_id,
        requested_at: rfc3339(r.requested_at),
        received_at: rfc3339(r.received_at),
        status: if r.carried_out.is_some() { DeletionStatus::CarriedOut } else { DeletionStatus::Waiting },
        carried_out_at: r.carried_out.as_ref().map(|c| rfc3339(c.at)),
        carried_out_by: r.carried_out.as_ref().map(|c| c.by),
        erased: r.carried_out.as_ref().map(|c| c.erased),
    }
}

/// Every request of the organisation (admins only); the read is logged.
pub async fn list(state: &AppState, ctx: &Ctx) -> AppResult<DeletionRequestList> {
    ctx.require_admin("see deletion requests")?;
    let items: Vec<DeletionRequestItem> = state.store.admin().deletion_requests(ctx.org_id()).await?.into_iter().map(item).collect();
    ctx.log(state, ctx.audit("deletion_requests.read", "deletion_requests", None, json!({"count": items.len()}))).await?;
    Ok(DeletionRequestList { items })
}

/// Carries out one request (admins only): erases the person's data and anonymises the account,
/// in one transaction, logged. The same request again answers as before and changes nothing.
pub async fn carry_out(state: &AppState, ctx: &Ctx, id: &str) -> AppResult<DeletionRequestItem> {
    ctx.require_admin("carry out deletion requests")?;
    let audit = ctx.audit("deletion_request.carry_out", "deletion_request", Some(id.to_string()), json!({}));
    match state.store.admin().carry_out_deletion(ctx.org_id(), id.to_string(), audit).await? {
        DeletionOutcome::Done(r) => Ok(item(r)),
        DeletionOutcome::NotFound => Err(AppError::not_found(code::DELETION_REQUEST_NOT_FOUND, "no such deletion request in this organisation")),
        DeletionOutcome::OwnRequest => Err(AppError::forbidden("you cannot carry out your own deletion request: ask another admin")),
    }
}
