//! Text rendering for people; `--json` bypasses all of this.

use qamqor_core::*;

fn hm(minutes: i64) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

pub fn profile(p: &Profile) -> String {
    if p.updated_at.is_none() {
        return "Profile not set yet: qamqor profile set --name \"...\"".into();
    }
    let days: Vec<String> = p.schedule.working_days.iter().map(|d| d.to_string()).collect();
    format!(
        "{}\n  department: {}\n  position:   {}\n  level:      {}\n  schedule:   {} {}-{} ({})\n  remote:     {}\n  language:   {}\n  photo:      {}",
        p.name,
        p.department,
        p.position,
        p.qualification_level.map(|l| l.to_string()).unwrap_or_else(|| "-".into()),
        days.join(","),
        clock(p.schedule.start_minute),
        clock(p.schedule.end_minute),
        p.schedule.time_zone,
        if p.remote_work { "yes" } else { "no" },
        p.language.code(),
        if p.has_photo { "yes" } else { "no" },
    )
}

pub fn session(s: &WorkSession) -> String {
    let end = s.ended_at.map(|e| e.to_rfc3339()).unwrap_or_else(|| "running".into());
    let mut line = format!("{}  {} -> {}  {}", s.id, s.started_at.to_rfc3339(), end, hm(s.minutes));
    if s.after_hours_minutes > 0 {
        line += &format!(", after hours {}", hm(s.after_hours_minutes));
    }
    if s.weekend_minutes > 0 {
        line += &format!(", weekend {}", hm(s.weekend_minutes));
    }
    if let Some(n) = &s.note {
        line += &format!("  ({n})");
    }
    line
}

pub fn task(t: &Task) -> String {
    let due = t.due_date.map(|d| format!(" due {d}")).unwrap_or_default();
    format!("{}  [{}] {}{}", t.id, t.status.as_str(), t.title, due)
}

pub fn check_in(c: &CheckIn) -> String {
    format!(
        "Check-in for {}: fatigue {}/10, stress {}/5, mood {}/5, slept {}h",
        c.local_date, c.fatigue, c.stress, c.mood, c.sleep_hours
    )
}

pub fn cbi(r: &CbiResponse) -> String {
    let s = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "not scored".into());
    format!(
        "Copenhagen Burnout Inventory: personal {}, work-related {}, client-related {} (0-100; 50 or more reads as high)",
        s(r.scores.personal),
        s(r.scores.work_related),
        s(r.scores.client_related)
    )
}

pub fn week(w: &WeekStats) -> String {
    let avg = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "-".into());
    format!(
        "Week {}-W{:02} ({} to {})\n  worked {} of {} scheduled, overtime {}, after hours {}, weekend {}\n  days worked {}, tasks done {}, overdue {}, app used on {} days\n  check-ins {}: fatigue {}, stress {}, mood {}, sleep {}",
        w.iso_year, w.iso_week, w.start_date, w.end_date,
        hm(w.worked_minutes), hm(w.scheduled_minutes), hm(w.overtime_minutes), hm(w.after_hours_minutes), hm(w.weekend_minutes),
        w.days_worked, w.tasks_completed, w.tasks_overdue, w.app_open_days,
        w.check_ins.count, avg(w.check_ins.fatigue), avg(w.check_ins.stress), avg(w.check_ins.mood), avg(w.check_ins.sleep_hours),
    )
}

pub fn overview(o: &StatsOverview) -> String {
    let mut out = week(&o.this_week);
    out += &format!("\n  check-in streak {} days (longest {})\n\nLast 7 days:", o.check_in_streak, o.longest_check_in_streak);
    for d in &o.last_7_days {
        let ci = d.check_in.as_ref().map(|c| format!(" fatigue {}", c.fatigue)).unwrap_or_default();
        out += &format!("\n  {}  worked {:>6}  overtime {:>5}  after hours {:>5}{}", d.date, hm(d.worked_minutes), hm(d.overtime_minutes), hm(d.after_hours_minutes), ci);
    }
    out += "\n\nLast 12 weeks (hours worked):";
    for w in &o.last_12_weeks {
        out += &format!("\n  {}-W{:02}  {:>7}  {}", w.iso_year, w.iso_week, hm(w.worked_minutes), "#".repeat((w.worked_minutes / 120) as usize));
    }
    out
}
