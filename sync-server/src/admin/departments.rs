//! The department tree: list, create, rename, move (never below itself), archive.
//!
//! Admins manage the whole tree. Managers manage the departments strictly below their own
//! (their own department is their root: they cannot rename, move or archive it, nor create
//! top-level departments), and may only move a department to a parent in their subtree.

use std::collections::HashMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{department_in_reach, department_not_found, rfc3339, Ctx};
use crate::accounts::check_name;
use crate::error::{code, AppError, AppResult};
use crate::store::admin::{Department, DepartmentChange, DepartmentOutcome};
use crate::AppState;

/// A department as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DepartmentView {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    /// Names from the top of the tree down to this department.
    pub path: Vec<String>,
    /// How deep it lies (0: top level).
    pub depth: u32,
    /// Active people whose department this is (sub-departments not counted).
    pub people: u32,
    pub created_at: String,
    /// RFC 3339, when archived.
    pub archived_at: Option<String>,
}

/// `GET /api/v1/admin/departments` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DepartmentList {
    /// Depth-first in name order: each department right after its parent.
    pub items: Vec<DepartmentView>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DepartmentListQuery {
    /// Include archived departments (default false).
    #[serde(default)]
    pub include_archived: bool,
}

/// `POST /api/v1/admin/departments`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CreateDepartment {
    pub name: String,
    /// The parent; absent or null: top level (admins only).
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

/// `PATCH /api/v1/admin/departments/{id}`: a new name, a new parent (`null`: top level), or both.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UpdateDepartment {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub parent_id: Option<Option<Uuid>>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// The tree in depth-first name order, with paths.
pub fn tree(all: &[Department]) -> Vec<DepartmentView> {
    let by_id: HashMap<Uuid, &Department> = all.iter().map(|d| (d.id, d)).collect();
    let mut children: HashMap<Option<Uuid>, Vec<&Department>> = HashMap::new();
    for d in all {
        // A parent that is not in the list (another organisation's, which cannot happen) puts
        // the department at the top rather than losing it.
        let parent = d.parent_id.filter(|p| by_id.contains_key(p));
        children.entry(parent).or_default().push(d);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
    }
    let mut out = Vec::with_capacity(all.len());
    let mut stack: Vec<(&Department, Vec<String>)> =
        children.get(&None).map(|l| l.iter().rev().map(|d| (*d, Vec::new())).collect()).unwrap_or_default();
    while let Some((d, mut path)) = stack.pop() {
        path.push(d.name.clone());
        if let Some(kids) = children.get(&Some(d.id)) {
            for k in kids.iter().rev() {
                stack.push((k, path.clone()));
            }
        }
        out.push(DepartmentView {
            id: d.id,
            parent_id: d.parent_id,
            name: d.name.clone(),
            depth: (path.len() - 1) as u32,
            path,
            people: d.people,
            created_at: rfc3339(d.created_at),
            archived_at: d.archived_at.map(rfc3339),
        });
        // Guard against a cycle in stored data: never emit more than there is.
        if out.len() > all.len() {
            break;
        }
    }
    out
}

/// The ids of `root` and every department below it.
pub fn subtree_ids(all: &[Department], root: Uuid) -> Vec<Uuid> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() && out.len() <= all.len() {
        let parent = out[i];
        out.extend(all.iter().filter(|d| d.parent_id == Some(parent)).map(|d| d.id));
        i += 1;
    }
    out
}

/// The departments in the caller's reach.
pub async fn in_reach(state: &AppState, ctx: &Ctx) -> AppResult<Vec<Department>> {
    let all = state.store.admin().departments(ctx.org_id()).await?;
    Ok(match ctx.within {
        None => all,
        Some(root) => {
            let ids = subtree_ids(&all, root);
            all.into_iter().filter(|d| ids.contains(&d.id)).collect()
        }
    })
}

pub async fn list(state: &AppState, ctx: &Ctx, include_archived: bool) -> AppResult<DepartmentList> {
    let mut all = in_reach(state, ctx).await?;
    if !include_archived {
        all.retain(|d| d.archived_at.is_none());
    }
    let mut items = tree(&all);
    if let Some(root) = ctx.within {
        // A manager's list starts at their own department, shown at its real depth and path.
        let full = tree(&state.store.admin().departments(ctx.org_id()).await?);
        if let Some(r) = full.iter().find(|d| d.id == root) {
            for item in &mut items {
                let mut path = r.path[..r.path.len() - 1].to_vec();
                path.extend(item.path.iter().cloned());
                item.depth = (path.len() - 1) as u32;
                item.path = path;
            }
        }
    }
    Ok(DepartmentList { items })
}

fn view_of(state_tree: &[DepartmentView], d: &Department) -> DepartmentView {
    state_tree.iter().find(|v| v.id == d.id).cloned().unwrap_or_else(|| DepartmentView {
        id: d.id,
        parent_id: d.parent_id,
        name: d.name.clone(),
        path: vec![d.name.clone()],
        depth: 0,
        people: d.people,
        created_at: rfc3339(d.created_at),
        archived_at: d.archived_at.map(rfc3339),
    })
}

async fn view(state: &AppState, ctx: &Ctx, d: &Department) -> AppResult<DepartmentView> {
    let all = state.store.admin().departments(ctx.org_id()).await?;
    Ok(view_of(&tree(&all), d))
}

/// A manager may act on departments strictly below their own.
async fn check_manageable(state: &AppState, ctx: &Ctx, id: Uuid) -> AppResult<Department> {
    let d = department_in_reach(state, ctx, id, "id").await?;
    if ctx.within == Some(id) {
        return Err(AppError::forbidden("managers cannot rename, move or archive their own department: ask an admin"));
    }
    Ok(d)
}

/// A parent for a new or moved department: in the organisation, in reach, active.
async fn check_parent(state: &AppState, ctx: &Ctx, parent: Option<Uuid>) -> AppResult<()> {
    match parent {
        None if !ctx.is_admin() => {
            Err(AppError::forbidden("managers create and move departments within their own department only").with_field("parent_id"))
        }
        None => Ok(()),
        Some(p) => department_in_reach(state, ctx, p, "parent_id").await.map(|_| ()),
    }
}

fn outcome(o: DepartmentOutcome) -> AppResult<Department> {
    match o {
        DepartmentOutcome::Done(d) => Ok(d),
        DepartmentOutcome::NotFound => Err(department_not_found("id")),
        DepartmentOutcome::NameTaken => Err(AppError::conflict(
            code::DEPARTMENT_EXISTS,
            "a department of the same parent already has this name",
        )
        .with_field("name")),
        DepartmentOutcome::ParentNotFound => Err(department_not_found("parent_id")),
        DepartmentOutcome::ParentArchived => Err(AppError::invalid_with(
            code::DEPARTMENT_ARCHIVED,
            "parent_id",
            "the parent department is archived",
        )),
        DepartmentOutcome::Cycle => Err(AppError::invalid_with(
            code::DEPARTMENT_CYCLE,
            "parent_id",
            "a department cannot move below itself or one of its own sub-departments",
        )),
        DepartmentOutcome::HasPeople => Err(AppError::conflict(
            code::DEPARTMENT_NOT_EMPTY,
            "people still belong to this department: move or deactivate them first",
        )),
        DepartmentOutcome::HasChildren => Err(AppError::conflict(
            code::DEPARTMENT_NOT_EMPTY,
            "this department has active sub-departments: archive or move them first",
        )),
        DepartmentOutcome::Archived => Err(AppError::conflict(code::DEPARTMENT_ARCHIVED, "this department is archived")),
    }
}

pub async fn create(state: &AppState, ctx: &Ctx, req: CreateDepartment) -> AppResult<DepartmentView> {
    let name = check_name("name", &req.name)?;
    check_parent(state, ctx, req.parent_id).await?;
    let audit = ctx.audit("department.create", "department", None, json!({"name": name, "parent_id": req.parent_id}));
    let d = outcome(state.store.admin().create_department(ctx.org_id(), req.parent_id, name, audit).await?)?;
    view(state, ctx, &d).await
}

pub async fn update(state: &AppState, ctx: &Ctx, id: Uuid, req: UpdateDepartment) -> AppResult<DepartmentView> {
    let name = req.name.as_deref().map(|n| check_name("name", n)).transpose()?;
    if name.is_none() && req.parent_id.is_none() {
        return Err(AppError::invalid("name", "send a new name, a new parent_id, or both"));
    }
    let current = check_manageable(state, ctx, id).await?;
    if let Some(parent) = req.parent_id {
        check_parent(state, ctx, parent).await?;
    }
    let mut details = json!({});
    if let Some(n) = &name {
        details["name"] = json!({"from": current.name, "to": n});
    }
    if let Some(p) = req.parent_id {
        details["parent_id"] = json!({"from": current.parent_id, "to": p});
    }
    let action = match (&name, req.parent_id) {
        (Some(_), Some(_)) => "department.rename_move",
        (None, Some(_)) => "department.move",
        _ => "department.rename",
    };
    let audit = ctx.audit(action, "department", Some(id.to_string()), details);
    let change = DepartmentChange { name, parent_id: req.parent_id };
    let d = outcome(state.store.admin().change_department(ctx.org_id(), id, change, audit).await?)?;
    view(state, ctx, &d).await
}

pub async fn archive(state: &AppState, ctx: &Ctx, id: Uuid) -> AppResult<DepartmentView> {
    let current = check_manageable(state, ctx, id).await?;
    let audit = ctx.audit("department.archive", "department", Some(id.to_string()), json!({"name": current.name}));
    let d = outcome(state.store.admin().archive_department(ctx.org_id(), id, audit).await?)?;
    view(state, ctx, &d).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dept(id: u128, parent: Option<u128>, name: &str) -> Department {
        Department {
            id: Uuid::from_u128(id),
            parent_id: parent.map(Uuid::from_u128),
            name: name.into(),
            created_at: 0,
            archived_at: None,
            people: 0,
        }
    }

    #[test]
    fn the_tree_is_depth_first_with_paths() {
        let all = [dept(1, None, "Sales"), dept(2, Some(1), "East"), dept(3, Some(2), "Almaty"), dept(4, None, "Audit")];
        let t = tree(&all);
        let names: Vec<_> = t.iter().map(|d| (d.path.join(" / "), d.depth)).collect();
        assert_eq!(
            names,
            vec![
                ("Audit".to_string(), 0),
                ("Sales".to_string(), 0),
                ("Sales / East".to_string(), 1),
                ("Sales / East / Almaty".to_string(), 2)
            ]
        );
        assert_eq!(subtree_ids(&all, Uuid::from_u128(2)), vec![Uuid::from_u128(2), Uuid::from_u128(3)]);
    }

    #[test]
    fn an_absent_parent_differs_from_null() {
        let absent: UpdateDepartment = serde_json::from_str(r#"{"name": "x"}"#).unwrap();
        assert_eq!(absent.parent_id, None);
        let null: UpdateDepartment = serde_json::from_str(r#"{"parent_id": null}"#).unwrap();
        assert_eq!(null.parent_id, Some(None));
    }
}
