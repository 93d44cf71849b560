//! `GET /api/openapi.json`: the OpenAPI 3.1 description of the admin API, generated from the
//! handlers' annotations (utoipa) by the same router that serves them
//! ([`crate::admin::routes::router`]), with the error shape every endpoint answers with.

use std::sync::OnceLock;

use axum::response::IntoResponse;
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi;
use utoipa::{Modify, OpenApi as _, ToSchema};

/// The body of every error answer (`qamqor_protocol::ErrorBody`): a stable machine-readable
/// `code`, a `message` for people, and the offending request `field` when there is one.
#[derive(ToSchema)]
#[schema(as = ErrorBody, example = json!({"code": "invalid_field", "message": "must be 1 to 200, got 500", "field": "per_page"}))]
#[allow(dead_code)]
pub struct ErrorBodyDoc {
    /// `unauthorized`, `forbidden`, `invalid_field`, `user_not_found`, `department_cycle`...
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, api: &mut OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some(
                "An access token from POST /api/v1/auth/login. Every /api/v1 request also sends the header `Qamqor-Protocol: 1`.",
            )).build()),
        );
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Qamqor admin API",
        description = "What managers and admins use: departments, people, activity statistics, weekly indicators, the risk overview, the audit log, and their CSV/Excel exports. Scope is enforced on the server: admins reach their organisation, managers their department subtree, employees nothing. See docs/ADMIN_API.md."
    ),
    components(schemas(ErrorBodyDoc)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// The whole document.
pub fn spec() -> &'static OpenApi {
    static SPEC: OnceLock<OpenApi> = OnceLock::new();
    SPEC.get_or_init(|| {
        let (_, paths) = crate::admin::routes::router().split_for_parts();
        let mut api = ApiDoc::openapi();
        api.merge(paths);
        api
    })
}

pub async fn openapi_json() -> impl IntoResponse {
    Json(spec())
}
