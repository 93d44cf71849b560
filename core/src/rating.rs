//! The rating of source document 001, computed one way in one place: the phone shows a person
//! their own rating with this module, and the server ranks people and departments with the same
//! functions. Pure: data in, data out, no I/O, no clock. `docs/RATINGS.md` is the reference.
//!
//! - A **category score** is the sum of the points of the person's verified achievements in the
//!   category (the points fixed by the review, not the catalogue's current ones).
//! - `average`: the rating is the plain mean of the active categories' scores,
//!   `R = (S_1 + ... + S_N) / N`.
//! - `workload`: each score is weighted by the share of the workload its category takes,
//!   `R = sum(w_c / 100 * S_c)`, the active categories' weights summing to 100 %.
//!
//! Archived categories and categories the catalogue does not know are left out. Ratings and
//! contributions are rounded to two decimals, so every device and the server show the same
//! numbers.

use chrono::NaiveDate;
use qamqor_protocol::AchievementPayload;
pub use qamqor_protocol::{AchievementCategory, AchievementType, RatingCataloguePayload, RatingMethod};
use serde::Serialize;

use crate::error::{Error, InvalidReason, Result};

/// Most categories in a catalogue.
pub const MAX_CATEGORIES: usize = 20;
/// Most achievement types in a catalogue.
pub const MAX_TYPES: usize = 500;
/// Most points one achievement type can earn.
pub const MAX_POINTS: u32 = 1000;
/// Longest category or type id, in characters.
pub const MAX_ID_CHARS: usize = 64;
/// Longest category or type name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// How far the workload weights may be from 100 % in total (rounding of decimals).
pub const WEIGHT_TOLERANCE: f64 = 0.01;
/// Largest evidence JPEG, in bytes: in base64 it stays well inside one change's payload limit.
pub const MAX_EVIDENCE_BYTES: usize = 40 * 1024;
/// Longest achievement title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest achievement description or review comment, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;

/// The catalogue an organisation starts with: the five areas after document 001 (research,
/// professional, methodical, social, organisational), equal weights, the plain average.
pub fn default_catalogue() -> RatingCataloguePayload {
    let cat = |id: &str, name: &str| AchievementCategory { id: id.into(), name: name.into(), weight_percent: 20.0, archived: false };
    let ty = |id: &str, category: &str, name: &str, points: u32| AchievementType {
        id: id.into(),
        category_id: category.into(),
        name: name.into(),
        points,
        archived: false,
    };
    RatingCataloguePayload {
        method: RatingMethod::Average,
        categories: vec![
            cat("research", "Research"),
            cat("professional", "Professional"),
            cat("methodical", "Methodical"),
            cat("social", "Social"),
            cat("organisational", "Organisational"),
        ],
        types: vec![
            ty("research.article", "research", "Article in a peer-reviewed journal", 30),
            ty("research.conference_talk", "research", "Conference talk", 15),
            ty("research.monograph", "research", "Monograph", 50),
            ty("research.patent", "research", "Patent or registered software", 40),
            ty("professional.certification", "professional", "Professional certification", 25),
            ty("professional.course", "professional", "Completed training course", 10),
            ty("professional.project", "professional", "Delivered project or release", 20),
            ty("professional.award", "professional", "Professional award or competition prize", 30),
            ty("methodical.guide", "methodical", "Guide, manual or documentation", 20),
            ty("methodical.new_method", "methodical", "New method or tool introduced", 25),
            ty("methodical.training_given", "methodical", "Training or workshop given", 15),
            ty("social.mentoring", "social", "Mentoring a colleague", 15),
            ty("social.public_event", "social", "Public or community event", 10),
            ty("social.volunteering", "social", "Volunteering", 10),
            ty("organisational.event", "organisational", "Organised an event", 15),
            ty("organisational.committee", "organisational", "Committee or working-group work", 10),
            ty("organisational.process", "organisational", "Improved a process of the organisation", 20),
        ],
    }
}

fn valid_id(field: &str, id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.chars().count() <= MAX_ID_CHARS
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            InvalidReason::BadFormat,
            format!("'{id}' is not an id: 1 to {MAX_ID_CHARS} of a-z, 0-9, '.', '_', '-'"),
        ))
    }
}

fn valid_name(field: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid(field, InvalidReason::Empty, "must not be empty"));
    }
    let n = name.chars().count();
    if n > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(Error::invalid(field, InvalidReason::TooLong, format!("{n} characters; at most {MAX_NAME_CHARS}, no control characters")));
    }
    Ok(())
}

/// Checks a catalogue: ids well formed and unique, every type in a known category, points 1 to
/// [`MAX_POINTS`], weights 0 to 100, at least one active category, and under `workload` the
/// active categories' weights summing to 100 %. The error names the field (`categories[2].id`).
pub fn validate_catalogue(c: &RatingCataloguePayload) -> Result<()> {
    if c.categories.is_empty() || c.categories.len() > MAX_CATEGORIES {
        return Err(Error::invalid("categories", InvalidReason::OutOfRange, format!("1 to {MAX_CATEGORIES} categories, got {}", c.categories.len())));
    }
    if c.types.len() > MAX_TYPES {
        return Err(Error::invalid("types", InvalidReason::OutOfRange, format!("at most {MAX_TYPES} types, got {}", c.types.len())));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, cat) in c.categories.iter().enumerate() {
        valid_id(&format!("categories[{i}].id"), &cat.id)?;
        if !seen.insert(cat.id.as_str()) {
            return Err(Error::invalid(format!("categories[{i}].id"), InvalidReason::BadFormat, format!("'{}' is used twice", cat.id)));
        }
        valid_name(&format!("categories[{i}].name"), &cat.name)?;
        if !cat.weight_percent.is_finite() || !(0.0..=100.0).contains(&cat.weight_percent) {
            return Err(Error::invalid(
                format!("categories[{i}].weight_percent"),
                InvalidReason::OutOfRange,
                format!("must be 0 to 100 %, got {}", cat.weight_percent),
            ));
        }
    }
    if c.categories.iter().all(|cat| cat.archived) {
        return Err(Error::invalid("categories", InvalidReason::Empty, "at least one category must be active"));
    }
    if c.method == RatingMethod::Workload {
        let sum: f64 = c.categories.iter().filter(|cat| !cat.archived).map(|cat| cat.weight_percent).sum();
        if (sum - 100.0).abs() > WEIGHT_TOLERANCE {
            return Err(Error::invalid(
                "categories.weight_percent",
                InvalidReason::OutOfRange,
                format!("the weights of the active categories sum to {} %; under the workload method they must sum to 100 %", round2(sum)),
            ));
        }
    }
    let mut types = std::collections::HashSet::new();
    for (i, t) in c.types.iter().enumerate() {
        valid_id(&format!("types[{i}].id"), &t.id)?;
        if !types.insert(t.id.as_str()) {
            return Err(Error::invalid(format!("types[{i}].id"), InvalidReason::BadFormat, format!("'{}' is used twice", t.id)));
        }
        if !seen.contains(t.category_id.as_str()) {
            return Err(Error::invalid(
                format!("types[{i}].category_id"),
                InvalidReason::Unknown,
                format!("'{}' is not a category of this catalogue", t.category_id),
            ));
        }
        valid_name(&format!("types[{i}].name"), &t.name)?;
        if !(1..=MAX_POINTS).contains(&t.points) {
            return Err(Error::invalid(format!("types[{i}].points"), InvalidReason::OutOfRange, format!("must be 1 to {MAX_POINTS}, got {}", t.points)));
        }
    }
    Ok(())
}

/// Checks a replacement of the catalogue `old` by `new`: besides [`validate_catalogue`], no
/// category or type may disappear (achievements and reviews refer to them): retire them with
/// `archived` instead.
pub fn validate_catalogue_change(old: &RatingCataloguePayload, new: &RatingCataloguePayload) -> Result<()> {
    validate_catalogue(new)?;
    if let Some(gone) = old.categories.iter().find(|o| !new.categories.iter().any(|n| n.id == o.id)) {
        return Err(Error::invalid(
            "categories",
            InvalidReason::Unsupported,
            format!("the category '{}' is missing: categories are never removed, set \"archived\": true instead", gone.id),
        ));
    }
    if let Some(gone) = old.types.iter().find(|o| !new.types.iter().any(|n| n.id == o.id)) {
        return Err(Error::invalid(
            "types",
            InvalidReason::Unsupported,
            format!("the type '{}' is missing: types are never removed, set \"archived\": true instead", gone.id),
        ));
    }
    Ok(())
}

/// The key of a category the organisation kept as the default catalogue has it (same id and
/// name), so apps show it in the person's language; `None` for a category the organisation
/// added or renamed (apps show its name as written).
pub fn default_category_key(id: &str, name: &str) -> Option<&'static str> {
    static DEFAULTS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let defaults = DEFAULTS.get_or_init(|| default_catalogue().categories.into_iter().map(|c| (c.id, c.name)).collect());
    defaults.iter().find(|(i, n)| i == id && n == name).map(|(i, _)| i.as_str())
}

/// As [`default_category_key`], for a type: its translation key (`research_article` for the
/// default `research.article`) while the type is the default catalogue's, unrenamed.
pub fn default_type_key(id: &str, name: &str) -> Option<String> {
    static DEFAULTS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let defaults = DEFAULTS.get_or_init(|| default_catalogue().types.into_iter().map(|t| (t.id, t.name)).collect());
    defaults.iter().any(|(i, n)| i == id && n == name).then(|| id.replace('.', "_"))
}

/// The type an employee may record now: known and not archived, in an active category.
pub fn recordable_type<'a>(c: &'a RatingCataloguePayload, type_id: &str) -> Result<&'a AchievementType> {
    let t = c
        .types
        .iter()
        .find(|t| t.id == type_id)
        .ok_or_else(|| Error::invalid("type_id", InvalidReason::Unknown, format!("'{type_id}' is not an achievement type of the organisation's catalogue")))?;
    let category_archived = c.categories.iter().find(|cat| cat.id == t.category_id).is_none_or(|cat| cat.archived);
    if t.archived || category_archived {
        return Err(Error::invalid("type_id", InvalidReason::Unsupported, format!("the achievement type '{type_id}' is retired")));
    }
    Ok(t)
}

/// Checks an achievement as recorded (on the phone before it is written, and on the server when
/// it is pushed): its id, title, description, date and evidence. The type is checked against
/// the catalogue separately ([`recordable_type`]), since the server accepts what a phone
/// recorded with an older catalogue.
pub fn validate_achievement(a: &AchievementPayload, today: NaiveDate) -> Result<NaiveDate> {
    if a.title.trim().is_empty() {
        return Err(Error::invalid("title", InvalidReason::Empty, "must not be empty"));
    }
    let n = a.title.chars().count();
    if n > MAX_TITLE_CHARS || a.title.contains('\0') {
        return Err(Error::invalid("title", InvalidReason::TooLong, format!("{n} characters; at most {MAX_TITLE_CHARS}, no NUL")));
    }
    if let Some(d) = &a.description {
        let n = d.chars().count();
        if n > MAX_DESCRIPTION_CHARS || d.contains('\0') {
            return Err(Error::invalid("description", InvalidReason::TooLong, format!("{n} characters; at most {MAX_DESCRIPTION_CHARS}, no NUL")));
        }
    }
    if a.type_id.is_empty() || a.type_id.chars().count() > MAX_ID_CHARS {
        return Err(Error::invalid("type_id", InvalidReason::BadFormat, format!("1 to {MAX_ID_CHARS} characters")));
    }
    let day = NaiveDate::parse_from_str(&a.achieved_on, "%Y-%m-%d")
        .map_err(|_| Error::invalid("achieved_on", InvalidReason::BadFormat, format!("'{}' is not a date: expected YYYY-MM-DD", a.achieved_on)))?;
    use chrono::Datelike;
    if day.year() < 2000 {
        return Err(Error::invalid("achieved_on", InvalidReason::OutOfRange, "must be in the year 2000 or later"));
    }
    // A day of tolerance: the phone's and the server's calendars may differ by a time zone.
    if day > today + chrono::Days::new(1) {
        return Err(Error::invalid("achieved_on", InvalidReason::InFuture, format!("{day} has not happened yet")));
    }
    if let Some(e) = &a.evidence_jpeg {
        let bytes = decode_evidence(e)?;
        if bytes.len() > MAX_EVIDENCE_BYTES {
            return Err(Error::invalid("evidence_jpeg", InvalidReason::TooLong, format!("{} bytes; at most {MAX_EVIDENCE_BYTES}", bytes.len())));
        }
    }
    Ok(day)
}

/// The evidence JPEG of an achievement payload, decoded; `evidence_jpeg` named on error.
pub fn decode_evidence(b64: &str) -> Result<Vec<u8>> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| Error::invalid("evidence_jpeg", InvalidReason::BadFormat, format!("not base64: {e}")))?;
    if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(Error::invalid("evidence_jpeg", InvalidReason::NotAnImage, "not a JPEG image"));
    }
    Ok(bytes)
}

/// Standard base64 of an evidence JPEG.
pub fn encode_evidence(jpeg: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(jpeg)
}

/// One verified achievement as the rating counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedPoints<'a> {
    pub category_id: &'a str,
    pub points: u32,
}

/// A category's part of a rating.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryScore {
    pub category_id: String,
    pub name: String,
    /// The category score: the sum of its verified points.
    pub points: u64,
    /// Verified achievements counted.
    pub achievements: u32,
    /// The workload share in percent (`workload` method only).
    pub weight_percent: Option<f64>,
    /// What the category adds to the rating (rounded to two decimals).
    pub contribution: f64,
}

/// A person's rating and its breakdown by category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rating {
    pub method: RatingMethod,
    /// The rating, rounded to two decimals.
    pub total: f64,
    /// Verified points in all active categories.
    pub points: u64,
    /// Every active category of the catalogue, in its order (zero scores included).
    pub categories: Vec<CategoryScore>,
}

/// Rounds to two decimals (half away from zero).
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The rating of one person from their verified achievements under the catalogue.
pub fn compute<'a>(catalogue: &RatingCataloguePayload, verified: impl IntoIterator<Item = VerifiedPoints<'a>>) -> Rating {
    let active: Vec<&AchievementCategory> = catalogue.categories.iter().filter(|c| !c.archived).collect();
    let mut points = vec![0u64; active.len()];
    let mut counts = vec![0u32; active.len()];
    for v in verified {
        if let Some(i) = active.iter().position(|c| c.id == v.category_id) {
            points[i] += u64::from(v.points);
            counts[i] += 1;
        }
    }
    let n = active.len().max(1) as f64;
    let mut total = 0.0;
    let categories = active
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let score = points[i] as f64;
            let (weight, raw) = match catalogue.method {
                RatingMethod::Average => (None, score / n),
                RatingMethod::Workload => (Some(c.weight_percent), score * c.weight_percent / 100.0),
            };
            total += raw;
            CategoryScore {
                category_id: c.id.clone(),
                name: c.name.clone(),
                points: points[i],
                achievements: counts[i],
                weight_percent: weight,
                contribution: round2(raw),
            }
        })
        .collect();
    Rating { method: catalogue.method, total: round2(total), points: points.iter().sum(), categories }
}

/// Competition ranks ("1224") of `totals`, highest first: equal totals share a rank and the
/// next rank skips as many places.
pub fn competition_ranks(totals: &[f64]) -> Vec<u32> {
    totals.iter().map(|t| 1 + totals.iter().filter(|o| *o > t).count() as u32).collect()
}

/// Whether a day lies in the optional period `[from, to]`.
pub fn in_period(day: NaiveDate, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(category_id: &str, points: u32) -> VerifiedPoints<'_> {
        VerifiedPoints { category_id, points }
    }

    fn field_of(r: Result<()>) -> String {
        match r {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected an invalid field, got {other:?}"),
        }
    }

    #[test]
    fn the_default_catalogue_is_valid_and_has_the_five_areas_of_document_001() {
        let c = default_catalogue();
        validate_catalogue(&c).unwrap();
        let ids: Vec<_> = c.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["research", "professional", "methodical", "social", "organisational"]);
        assert!(c.categories.iter().all(|cat| c.types.iter().any(|t| t.category_id == cat.id)));
        let sum: f64 = c.categories.iter().map(|c| c.weight_percent).sum();
        assert_eq!(sum, 100.0);
    }

    #[test]
    fn average_is_the_plain_mean_of_every_active_category() {
        let c = default_catalogue();
        // research 30 + 15, professional 25: (45 + 25 + 0 + 0 + 0) / 5 = 14.
        let r = compute(&c, [v("research", 30), v("research", 15), v("professional", 25)]);
        assert_eq!(r.total, 14.0);
        assert_eq!(r.points, 70);
        assert_eq!(r.categories.len(), 5);
        assert_eq!((r.categories[0].points, r.categories[0].achievements, r.categories[0].contribution), (45, 2, 9.0));
        assert_eq!(r.categories[0].weight_percent, None);
    }

    #[test]
    fn workload_weights_each_category_by_its_share() {
        let mut c = default_catalogue();
        c.method = RatingMethod::Workload;
        for (cat, w) in c.categories.iter_mut().zip([50.0, 30.0, 10.0, 5.0, 5.0]) {
            cat.weight_percent = w;
        }
        validate_catalogue(&c).unwrap();
        // 0.5 * 45 + 0.3 * 25 + 0.05 * 10 = 22.5 + 7.5 + 0.5 = 30.5
        let r = compute(&c, [v("research", 30), v("research", 15), v("professional", 25), v("social", 10)]);
        assert_eq!(r.total, 30.5);
        assert_eq!(r.categories[1].contribution, 7.5);
        assert_eq!(r.categories[1].weight_percent, Some(30.0));
    }

    #[test]
    fn archived_and_unknown_categories_are_left_out() {
        let mut c = default_catalogue();
        c.categories[4].archived = true;
        let r = compute(&c, [v("organisational", 100), v("gone", 100), v("research", 40)]);
        assert_eq!(r.categories.len(), 4);
        assert_eq!(r.total, 10.0);
        assert_eq!(r.points, 40);
    }

    #[test]
    fn nothing_verified_is_a_zero_rating() {
        let r = compute(&default_catalogue(), []);
        assert_eq!((r.total, r.points), (0.0, 0));
    }

    #[test]
    fn rounding_is_to_two_decimals() {
        let c = default_catalogue();
        let r = compute(&c, [v("research", 1), v("professional", 1), v("social", 1)]);
        assert_eq!(r.total, 0.6);
        let mut c3 = c.clone();
        c3.categories.truncate(3);
        c3.types.retain(|t| c3.categories.iter().any(|c| c.id == t.category_id));
        assert_eq!(compute(&c3, [v("research", 1)]).total, 0.33);
    }

    #[test]
    fn weights_not_summing_to_100_are_refused_under_workload_only() {
        let mut c = default_catalogue();
        c.categories[0].weight_percent = 30.0;
        validate_catalogue(&c).unwrap();
        c.method = RatingMethod::Workload;
        match validate_catalogue(&c) {
            Err(Error::Invalid { field, message, .. }) => {
                assert_eq!(field, "categories.weight_percent");
                assert!(message.contains("110 %"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // An archived category's weight does not count.
        c.categories[0].weight_percent = 20.0;
        c.categories[4].archived = true;
        assert_eq!(field_of(validate_catalogue(&c)), "categories.weight_percent");
        c.categories[0].weight_percent = 40.0;
        validate_catalogue(&c).unwrap();
    }

    #[test]
    fn each_catalogue_problem_names_its_field() {
        let base = default_catalogue();
        let mut c = base.clone();
        c.categories[1].id = "Research Dept".into();
        assert_eq!(field_of(validate_catalogue(&c)), "categories[1].id");
        let mut c = base.clone();
        c.categories[1].id = "research".into();
        assert_eq!(field_of(validate_catalogue(&c)), "categories[1].id");
        let mut c = base.clone();
        c.categories[2].weight_percent = f64::NAN;
        assert_eq!(field_of(validate_catalogue(&c)), "categories[2].weight_percent");
        let mut c = base.clone();
        c.categories[0].name = "  ".into();
        assert_eq!(field_of(validate_catalogue(&c)), "categories[0].name");
        let mut c = base.clone();
        c.types[3].category_id = "nope".into();
        assert_eq!(field_of(validate_catalogue(&c)), "types[3].category_id");
        let mut c = base.clone();
        c.types[3].points = 0;
        assert_eq!(field_of(validate_catalogue(&c)), "types[3].points");
        let mut c = base.clone();
        c.types[4].id = c.types[0].id.clone();
        assert_eq!(field_of(validate_catalogue(&c)), "types[4].id");
        let mut c = base.clone();
        c.categories.iter_mut().for_each(|c| c.archived = true);
        assert_eq!(field_of(validate_catalogue(&c)), "categories");
        let mut c = base.clone();
        c.categories.clear();
        assert_eq!(field_of(validate_catalogue(&c)), "categories");
    }

    #[test]
    fn categories_and_types_are_archived_not_removed() {
        let old = default_catalogue();
        let mut new = old.clone();
        new.types.remove(0);
        assert_eq!(field_of(validate_catalogue_change(&old, &new)), "types");
        let mut new = old.clone();
        new.types[0].archived = true;
        new.types.push(AchievementType { id: "research.grant".into(), category_id: "research".into(), name: "Grant".into(), points: 60, archived: false });
        validate_catalogue_change(&old, &new).unwrap();
        assert!(matches!(recordable_type(&new, "research.article"), Err(Error::Invalid { reason: InvalidReason::Unsupported, .. })));
        assert!(matches!(recordable_type(&new, "nope"), Err(Error::Invalid { reason: InvalidReason::Unknown, .. })));
        assert_eq!(recordable_type(&new, "research.grant").unwrap().points, 60);
    }

    #[test]
    fn ranks_share_places_on_ties() {
        assert_eq!(competition_ranks(&[10.0, 30.0, 10.0, 5.0]), [2, 1, 2, 4]);
        assert!(competition_ranks(&[]).is_empty());
    }

    #[test]
    fn achievements_are_checked_field_by_field() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let ok = AchievementPayload {
            id: "a".into(),
            type_id: "research.article".into(),
            title: "Paper".into(),
            description: None,
            achieved_on: "2026-11-30".into(),
            recorded_at: 0,
            evidence_jpeg: None,
        };
        assert_eq!(validate_achievement(&ok, today).unwrap(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        let bad = |f: &dyn Fn(&mut AchievementPayload)| {
            let mut a = ok.clone();
            f(&mut a);
            match validate_achievement(&a, today) {
                Err(Error::Invalid { field, .. }) => field,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(bad(&|a| a.title = " ".into()), "title");
        assert_eq!(bad(&|a| a.achieved_on = "30.11.2026".into()), "achieved_on");
        assert_eq!(bad(&|a| a.achieved_on = "2026-12-05".into()), "achieved_on");
        assert_eq!(bad(&|a| a.description = Some("x".repeat(2001))), "description");
        assert_eq!(bad(&|a| a.evidence_jpeg = Some("not base64!".into())), "evidence_jpeg");
        assert_eq!(bad(&|a| a.evidence_jpeg = Some(encode_evidence(b"GIF89a"))), "evidence_jpeg");
    }
}
