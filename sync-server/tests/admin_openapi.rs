//! The OpenAPI document is generated from the handlers, parses, lists every admin route with
//! its methods, and describes the error shape; the people table downloads as CSV and xlsx.

mod common;

use common::world::World;
use common::*;
use serde_json::Value;

/// Every route of the admin API, with its methods.
const ROUTES: [(&str, &[&str]); 25] = [
    ("/api/v1/admin/audit", &["get"]),
    ("/api/v1/admin/departments", &["get", "post"]),
    ("/api/v1/admin/departments/{id}", &["patch"]),
    ("/api/v1/admin/departments/{id}/archive", &["post"]),
    ("/api/v1/admin/people", &["get", "post"]),
    ("/api/v1/admin/people/{id}", &["get", "patch"]),
    ("/api/v1/admin/people/{id}/deactivate", &["post"]),
    ("/api/v1/admin/people/{id}/reactivate", &["post"]),
    ("/api/v1/admin/activity", &["get"]),
    ("/api/v1/admin/activity/people/{id}", &["get"]),
    ("/api/v1/admin/activity/departments/{id}", &["get"]),
    ("/api/v1/admin/indicators", &["get"]),
    ("/api/v1/admin/indicators/targets", &["get", "put"]),
    ("/api/v1/admin/ratings/catalogue", &["get", "put"]),
    ("/api/v1/admin/achievements", &["get"]),
    ("/api/v1/admin/achievements/{id}", &["get"]),
    ("/api/v1/admin/achievements/{id}/review", &["post"]),
    ("/api/v1/admin/achievements/{id}/evidence", &["get"]),
    ("/api/v1/admin/ratings", &["get"]),
    ("/api/v1/admin/ratings/departments", &["get"]),
    ("/api/v1/admin/people/{id}/competency", &["get", "put"]),
    ("/api/v1/admin/people/{id}/skills/{skill_id}", &["put"]),
    ("/api/v1/admin/competencies/coverage", &["get"]),
    ("/api/v1/admin/deletion-requests", &["get"]),
    ("/api/v1/admin/deletion-requests/{id}/carry-out", &["post"]),
];

#[tokio::test]
async fn the_openapi_document_lists_every_admin_route_and_the_error_shape() {
    let s = TestServer::start().await;
    let r = s.http.get(format!("{}/api/openapi.json", s.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "Qamqor admin API");
    let paths = doc["paths"].as_object().unwrap();
    let mut expected: Vec<(&str, &[&str])> = ROUTES.to_vec();
    expected.push(("/api/v1/admin/risk", &["get"]));
    for (path, methods) in &expected {
        let item = paths.get(*path).unwrap_or_else(|| panic!("{path} is not in the document"));
        for m in *methods {
            let op = &item[*m];
            assert!(op.is_object(), "{m} {path} is not in the document");
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("401"), "{m} {path} documents no 401");
            assert_eq!(responses["401"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody");
            assert_eq!(op["security"][0]["bearer"], serde_json::json!([]), "{m} {path}");
        }
    }
    assert_eq!(paths.len(), expected.len(), "a route is documented that the test does not know: {:?}", paths.keys());
    let error = &doc["components"]["schemas"]["ErrorBody"];
    let required: Vec<&str> = error["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(required, ["code", "message"]);
    assert!(error["properties"]["field"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    for schema in ["PeoplePage", "PersonView", "WeeklyIndicators", "RiskOverview", "ActivityTable", "AuditPage", "Targets", "RatingCatalogue", "AchievementPage", "PeopleRatings", "DepartmentComparison"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} is not described");
    }
}

#[tokio::test]
async fn the_people_table_downloads_as_csv_and_xlsx() {
    let w = World::new().await;
    let t = &w.admin.token;
    let r = w.get_raw(t, "/api/v1/admin/people?format=csv&sort=name").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(r.headers()["content-disposition"], "attachment; filename=\"people.csv\"");
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "a UTF-8 byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(&reader.headers().unwrap()[1], "name");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    assert_eq!((&rows[0][2], &rows[0][3], &rows[0][5]), ("admin@acme.kz", "admin", "active"));

    // More than a page: the export carries every matching person.
    let r = w.get_raw(t, "/api/v1/admin/people?format=xlsx&per_page=2").await;
    assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let sheet = xlsx_rows(&r.bytes().await.unwrap());
    assert_eq!(sheet.len(), 7);
    assert_eq!(sheet[0][..4], ["id", "name", "email", "role"]);
    let emails: Vec<&str> = sheet[1..].iter().map(|r| r[2].as_str()).collect();
    assert!(emails.contains(&"almaty@acme.kz") && !emails.contains(&"z@other.kz"));
    // A manager's export holds their subtree only.
    let r = w.get_raw(&w.manager.token, "/api/v1/admin/people?format=xlsx").await;
    assert_eq!(xlsx_rows(&r.bytes().await.unwrap()).len(), 5);
    // Each export is logged.
    let (_, log) = w.get(t, "/api/v1/admin/audit?action=export").await;
    assert_eq!(log["total"], 3);
}
