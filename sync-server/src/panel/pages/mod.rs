//! One module per page of the panel. Each handler reads its query or form, calls the admin
//! service the JSON API calls, and renders the result (or the same table as a download).

pub mod activity;
pub mod audit;
pub mod competencies;
pub mod dashboard;
pub mod deletions;
pub mod departments;
pub mod indicators;
pub mod login;
pub mod people;
pub mod person;
pub mod ratings;
pub mod risk;
pub mod settings;

use axum::response::Response;

use super::{Failure, Page};
use crate::export::{Format, Table};
use crate::AppState;

/// A table as a download, logged as an export like the API's.
pub async fn download(state: &AppState, p: &Page, format: Format, table: Table) -> Result<Response, Failure> {
    Ok(p.ctx.export(state, &table, format, Some("panel")).await?)
}
