//! `GET /api/v1/admin/deletion-requests`: the people who asked, from their phone's privacy
//! centre, for their account and data to be deleted. The request reaches the server through
//! sync (entity `deletion_request`, docs/SYNC_PROTOCOL.md); only admins see the list, and each
//! read is logged, since it names people.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{rfc3339, Ctx};
use crate::error::AppResult;
use crate::store::admin::DeletionRequestRecord;
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
    }
}

/// Every request of the organisation (admins only); the read is logged.
pub async fn list(state: &AppState, ctx: &Ctx) -> AppResult<DeletionRequestList> {
    ctx.require_admin("see deletion requests")?;
    let items: Vec<DeletionRequestItem> = state.store.admin().deletion_requests(ctx.org_id()).await?.into_iter().map(item).collect();
    ctx.log(state, ctx.audit("deletion_requests.read", "deletion_requests", None, json!({"count": items.len()}))).await?;
    Ok(DeletionRequestList { items })
}
