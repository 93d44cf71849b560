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

fn factor_words(f: &risk::RiskFactor) -> String {
    use risk::FactorKind as K;
    let v = f.value;
    let what = match f.kind {
        K::Fatigue => format!("fatigue {v:.1}/10 (7-day average)"),
        K::WorkHours => format!("{v:.1} hours worked per working day"),
        K::QualificationLevel => format!("qualification level {v:.0}"),
        K::RemoteWork => (if v > 0.5 { "remote work" } else { "office work" }).to_string(),
        K::AfterHoursWork => format!("{v:.0} minutes a week after working hours"),
        K::LongWeeks => format!("a {v:.0}-hour week"),
        K::NoRecovery => format!("{v:.0} days in a row without a day off"),
        K::WeekendWork => format!("{v:.0} days off worked in four weeks"),
        K::OverdueTasks => format!("{:.0}% of open tasks overdue", v * 100.0),
        K::BurnoutQuestionnaire => format!("burnout questionnaire score {v:.0}/100"),
        K::ShortSleep => format!("{v:.1} hours of sleep a night"),
        K::Stress => format!("stress {v:.1}/5"),
    };
    let dir = if f.contribution >= 0.0 { "raises" } else { "lowers" };
    format!("{what}: {dir} the risk by {:.2}", f.contribution.abs())
}

pub fn risk(a: &risk::RiskAssessment) -> String {
    let mut out = match (a.score, a.level) {
        (Some(score), Some(level)) => format!("Burnout risk: {} (score {score:.2} of 1)", level.as_str()),
        _ => "Not enough data yet for a risk assessment.".to_string(),
    };
    // Factors that move the score by less than half a hundredth would print as 0.00: say nothing.
    let shown: Vec<&risk::RiskFactor> = a.factors.iter().filter(|f| f.contribution.abs() >= 0.005).collect();
    if !shown.is_empty() {
        out += "\nWhy:";
        for f in shown {
            out += &format!("\n  - {}", factor_words(f));
        }
    }
    if let Some(t) = &a.trend {
        let word = match t.direction {
            risk::TrendDirection::Rising => "rising",
            risk::TrendDirection::Stable => "stable",
            risk::TrendDirection::Falling => "falling",
        };
        out += &format!("\nTrend against your previous weeks: {word} ({:+.2})", t.change);
    }
    for m in &a.missing {
        out += &format!("\n{}", match m {
            risk::MissingData::CheckIns => "Tip: a daily check-in (at least 3 in two weeks) is what the assessment relies on most.",
            risk::MissingData::WorkSessions => "Tip: log your work sessions so hours and overtime count.",
            risk::MissingData::QualificationLevel => "Tip: add your qualification level to your profile.",
            risk::MissingData::Questionnaire => "Tip: the burnout questionnaire (qamqor cbi --items en) adds a validated measure.",
        });
    }
    out += &format!("\nData: {} days of history, {} check-ins in 14 days; model {}.", a.coverage.days_of_history, a.coverage.check_ins_last_14_days, a.model_version);
    out += "\nThis is a screening signal for a conversation, not a diagnosis.";
    out
}

pub fn risk_history(h: &[RiskHistoryEntry]) -> String {
    if h.is_empty() {
        return "No assessments yet: run qamqor risk.".into();
    }
    h.iter()
        .map(|e| match (e.score, e.level) {
            (Some(s), Some(l)) => format!("{}  {:<6} {s:.2}  (model {})", e.local_date, l.as_str(), e.model_version),
            _ => format!("{}  not enough data  (model {})", e.local_date, e.model_version),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn sync_status(s: &SyncStatus) -> String {
    let mut lines = Vec::new();
    match (&s.account, s.signed_in) {
        (Some(a), true) => lines.push(format!("Signed in as {} at {}", a.email, a.server_url)),
        (Some(a), false) => lines.push(format!("Signed out (was {} at {})", a.email, a.server_url)),
        (None, _) => lines.push("Not signed in: everything stays on this device.".to_string()),
    }
    lines.push(format!("Changes waiting to be sent: {}", s.pending_changes));
    lines.push(match s.last_success_at {
        Some(t) => format!("Last sync: {}", t.format("%Y-%m-%d %H:%M UTC")),
        None => "Last sync: never".to_string(),
    });
    if let Some(e) = &s.last_error {
        lines.push(format!("Last attempt failed: {e}"));
    }
    if s.rejected_changes > 0 {
        lines.push(format!("Received changes that could not be applied: {}", s.rejected_changes));
    }
    lines.join("\n")
}
