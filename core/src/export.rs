//! The privacy centre's export: all of the person's data as JSON or as CSV files.

use crate::error::{Error, Result};
use crate::store::Export;

/// One exported CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    pub name: String,
    pub content: String,
}

/// The export as one pretty-printed JSON document.
pub fn to_json(export: &Export) -> Result<String> {
    Ok(serde_json::to_string_pretty(export)?)
}

fn csv_file(name: &str, header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<ExportFile> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Corrupt(format!("writing {name}: {e}"));
    w.write_record(header).map_err(err)?;
    for row in rows {
        w.write_record(&row).map_err(err)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Corrupt(format!("writing {name}: {e}")))?;
    Ok(ExportFile { name: name.to_string(), content: String::from_utf8_lossy(&bytes).into_owned() })
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The export as CSV files, one per kind of record, with a header row each.
pub fn to_csv(export: &Export) -> Result<Vec<ExportFile>> {
    let p = &export.profile;
    let days: Vec<String> = p.schedule.working_days.iter().map(|d| d.to_string()).collect();
    Ok(vec![
        csv_file(
            "profile.csv",
            &["name", "department", "position", "qualification_level", "working_days", "start_minute", "end_minute", "time_zone", "remote_work", "language", "has_photo"],
            std::iter::once(vec![
                p.name.clone(),
                p.department.clone(),
                p.position.clone(),
                opt(&p.qualification_level),
                days.join(" "),
                p.schedule.start_minute.to_string(),
                p.schedule.end_minute.to_string(),
                p.schedule.time_zone.clone(),
                p.remote_work.to_string(),
                p.language.code().to_string(),
                p.has_photo.to_string(),
            ]),
        )?,
        csv_file(
            "work_sessions.csv",
            &["id", "started_at", "ended_at", "source", "minutes", "after_hours_minutes", "weekend_minutes", "note"],
            export.work_sessions.iter().map(|s| {
                vec![
                    s.id.clone(),
                    s.started_at.to_rfc3339(),
                    opt(&s.ended_at.map(|t| t.to_rfc3339())),
                    format!("{:?}", s.source).to_lowercase(),
                    s.minutes.to_string(),
                    s.after_hours_minutes.to_string(),
                    s.weekend_minutes.to_string(),
                    opt(&s.note),
                ]
            }),
        )?,
        csv_file(
            "tasks.csv",
            &["id", "title", "status", "due_date", "estimate_minutes", "assigned_by", "created_at", "completed_at", "notes"],
            export.tasks.iter().map(|t| {
                vec![
                    t.id.clone(),
                    t.title.clone(),
                    t.status.as_str().to_string(),
                    opt(&t.due_date),
                    opt(&t.estimate_minutes),
                    opt(&t.assigned_by),
                    t.created_at.to_rfc3339(),
                    opt(&t.completed_at.map(|c| c.to_rfc3339())),
                    opt(&t.notes),
                ]
            }),
        )?,
        csv_file(
            "check_ins.csv",
            &["id", "local_date", "fatigue", "stress", "mood", "sleep_hours", "recorded_at", "replaced", "note"],
            export.check_ins.iter().map(|c| {
                vec![
                    c.id.clone(),
                    c.local_date.to_string(),
                    c.fatigue.to_string(),
                    c.stress.to_string(),
                    c.mood.to_string(),
                    c.sleep_hours.to_string(),
                    c.recorded_at.to_rfc3339(),
                    c.replaced.to_string(),
                    opt(&c.note),
                ]
            }),
        )?,
        csv_file(
            "cbi_responses.csv",
            &["id", "answered_at", "personal", "work_related", "client_related", "answers"],
            export.cbi_responses.iter().map(|r| {
                let answers: Vec<String> = r.answers.iter().map(opt).collect();
                vec![
                    r.id.clone(),
                    r.answered_at.to_rfc3339(),
                    opt(&r.scores.personal),
                    opt(&r.scores.work_related),
                    opt(&r.scores.client_related),
                    answers.join(" "),
                ]
            }),
        )?,
        csv_file(
            "app_opens.csv",
            &["local_date", "open_count", "first_opened_at", "last_opened_at"],
            export.app_opens.iter().map(|d| {
                vec![d.local_date.to_string(), d.open_count.to_string(), d.first_opened_at.to_rfc3339(), d.last_opened_at.to_rfc3339()]
            }),
        )?,
    ])
}
