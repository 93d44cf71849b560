//! Reading the whole order: its standards, their passports, their cards, and reconciling
//! each card's level with the passport's list of cards.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::card::{parse_card, CardContext};
use crate::model::{
    Catalogue, PassportEntry, ProfessionCard, SourceDocument, Standard, ValueSource, SCHEMA_VERSION,
};
use crate::problem::{CardRef, Problem, ProblemKind, Severity};
use crate::text::{paragraphs, same_name, Para};

/// The catalogue and everything that could not be read cleanly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseOutcome {
    /// What was read.
    pub catalogue: Catalogue,
    /// What was missing, malformed or reconciled, in document order.
    pub problems: Vec<Problem>,
}

impl ParseOutcome {
    /// Whether any problem makes the catalogue incomplete ([`Severity::Error`]).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

static STANDARD_HEADING: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"^Кәсіптік стандарт\s*:?\s*"(?P<title>.+)"$"#));
static STANDARD_NAME: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\d+\.\s*Кәсіптік стандарттың атауы:\s*(?P<value>.*)$"));
static STANDARD_CODE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\d+\.\s*Кәсіптік стандарттың коды:\s*(?P<value>.*)$"));
static CODE_SHAPE: LazyLock<Regex> = LazyLock::new(|| regex(r"^[A-Z]\d{3,}$"));
static PASSPORT_LIST: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\d+\.\s*Кәсіптер карточкаларының (?:тізбесі|тізімі)\s*:?$"));
// "1) IT-дизайнер - 5 СБШ-нің деңгейі;" or "2) … - СБШ-нің 5-деңгейі."
static PASSPORT_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(?P<number>\d+)\)\s*(?P<name>.+?)\s+[-–]\s+(?:(?P<a>\d+)\s*СБШ\s*-?\s*нің деңгейі|СБШ\s*-?\s*нің\s*(?P<b>\d+)\s*-\s*деңгейі)\s*[.;]?$",
    )
});
static CARDS_CHAPTER: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^\d+\s*-\s*(?:ші\s*)?тарау\.\s*Кәсіптер карточкалары"));
static TECHNICAL_CHAPTER: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^\d+\s*-\s*(?:ші\s*)?тарау\.\s*Кәсіптік стандарттың техникалық деректері")
});
static CARD_HEADING: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"^(?P<number>\d+)\.\s*Кәсіптің карточкасы\s*"(?P<name>.+)"\s*:?$"#));

/// Parses the professional-standards order into a catalogue. Pure: no I/O, never panics on
/// malformed text; whatever it cannot read becomes a [`Problem`].
pub fn parse(text: &str) -> ParseOutcome {
    let paras = paragraphs(text);
    let mut problems = Vec::new();
    let source = SourceDocument {
        title: paras.first().map(|p| p.text.clone()).unwrap_or_default(),
        act: paras.get(1).map(|p| p.text.clone()).unwrap_or_default(),
    };
    let headings: Vec<usize> = paras
        .iter()
        .enumerate()
        .filter(|(_, p)| STANDARD_HEADING.is_match(&p.text))
        .map(|(i, _)| i)
        .collect();
    if headings.is_empty() {
        problems.push(document_problem(
            Severity::Error,
            "standards",
            1,
            "no heading `Кәсіптік стандарт \"…\"` found".into(),
        ));
    }
    let mut standards = Vec::new();
    for (index, &start) in headings.iter().enumerate() {
        let end = headings.get(index + 1).copied().unwrap_or(paras.len());
        let ordinal = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let (standard, found) = parse_standard(ordinal, &paras[start..end]);
        standards.push(standard);
        problems.extend(found);
    }
    ParseOutcome {
        catalogue: Catalogue {
            schema_version: SCHEMA_VERSION,
            source,
            standards,
        },
        problems,
    }
}

fn document_problem(severity: Severity, field: &str, line: usize, detail: String) -> Problem {
    Problem {
        severity,
        kind: ProblemKind::Missing,
        standard: None,
        card: None,
        field: field.into(),
        item: None,
        line,
        detail,
    }
}

fn strip_final_stop(text: &str) -> &str {
    text.trim()
        .strip_suffix('.')
        .unwrap_or(text.trim())
        .trim_end()
}

/// `paras` starts at the standard's heading and runs to the next standard.
fn parse_standard(ordinal: u32, paras: &[Para]) -> (Standard, Vec<Problem>) {
    let mut problems = Vec::new();
    let heading = &paras[0];
    let title = STANDARD_HEADING
        .captures(&heading.text)
        .and_then(|c| c.name("title"))
        .map_or_else(|| heading.text.clone(), |m| m.as_str().to_owned());
    let find = |pattern: &Regex| {
        paras.iter().find_map(|p| {
            pattern
                .captures(&p.text)
                .and_then(|c| c.name("value"))
                .map(|m| (p.line, m.as_str()))
        })
    };
    let name = find(&STANDARD_NAME)
        .map(|(_, value)| strip_final_stop(value).to_owned())
        .filter(|v| !v.is_empty());
    let code = find(&STANDARD_CODE)
        .map(|(_, value)| strip_final_stop(value).to_owned())
        .filter(|v| !v.is_empty());
    let id = code
        .clone()
        .unwrap_or_else(|| format!("standard-{ordinal}"));
    let standard_problem = |severity, kind, field: &str, line, detail: String| Problem {
        severity,
        kind,
        standard: Some(id.clone()),
        card: None,
        field: field.into(),
        item: None,
        line,
        detail,
    };
    if name.is_none() {
        problems.push(standard_problem(
            Severity::Warning,
            ProblemKind::Missing,
            "standard.name",
            heading.line,
            "passport item \"Кәсіптік стандарттың атауы\" not found".into(),
        ));
    }
    match &code {
        None => problems.push(standard_problem(
            Severity::Warning,
            ProblemKind::Missing,
            "standard.code",
            heading.line,
            "passport item \"Кәсіптік стандарттың коды\" not found".into(),
        )),
        Some(code) if !CODE_SHAPE.is_match(code) => problems.push(standard_problem(
            Severity::Warning,
            ProblemKind::Malformed,
            "standard.code",
            heading.line,
            format!("code \"{code}\" is not a letter and digits"),
        )),
        Some(_) => {}
    }

    let card_starts: Vec<usize> = paras
        .iter()
        .enumerate()
        .filter(|(_, p)| CARD_HEADING.is_match(&p.text))
        .map(|(i, _)| i)
        .collect();
    let cards_end = paras
        .iter()
        .position(|p| TECHNICAL_CHAPTER.is_match(&p.text))
        .unwrap_or(paras.len());
    let passport_end = paras
        .iter()
        .position(|p| CARDS_CHAPTER.is_match(&p.text))
        .or(card_starts.first().copied())
        .unwrap_or(paras.len());

    let mut passport_cards = Vec::new();
    match paras[..passport_end]
        .iter()
        .position(|p| PASSPORT_LIST.is_match(&p.text))
    {
        None => problems.push(standard_problem(
            Severity::Warning,
            ProblemKind::Missing,
            "passport_cards",
            heading.line,
            "the passport's list of cards (chapter 2 item 8) was not found".into(),
        )),
        Some(list) => {
            for para in &paras[list + 1..passport_end] {
                match passport_entry(para) {
                    Some(entry) => passport_cards.push(entry),
                    None => problems.push(standard_problem(
                        Severity::Warning,
                        ProblemKind::Malformed,
                        "passport_cards",
                        para.line,
                        format!(
                            "not a passport entry \"N) name - L СБШ-нің деңгейі\": \"{}\"",
                            para.text
                        ),
                    )),
                }
            }
        }
    }

    let mut cards = Vec::new();
    for (index, &start) in card_starts.iter().enumerate() {
        let end = card_starts
            .get(index + 1)
            .copied()
            .unwrap_or(cards_end)
            .max(start + 1)
            .min(paras.len());
        let heading = &paras[start];
        let captures = CARD_HEADING.captures(&heading.text);
        let context = CardContext {
            id: format!("{id}/{}", index + 1),
            number: captures
                .as_ref()
                .and_then(|c| c.name("number"))
                .and_then(|m| m.as_str().parse().ok())
                .unwrap_or(0),
            heading_name: captures
                .as_ref()
                .and_then(|c| c.name("name"))
                .map_or_else(String::new, |m| m.as_str().to_owned()),
            standard_id: &id,
            line: heading.line,
        };
        let (card, found) = parse_card(&context, &paras[start + 1..end]);
        cards.push(card);
        problems.extend(found);
    }
    if cards.is_empty() {
        problems.push(standard_problem(
            Severity::Error,
            ProblemKind::Missing,
            "cards",
            heading.line,
            "the standard has no profession card".into(),
        ));
    }
    reconcile(
        &id,
        &mut passport_cards,
        &mut cards,
        &mut problems,
        heading.line,
    );

    let standard = Standard {
        id,
        ordinal,
        title,
        name,
        code,
        passport_cards,
        cards,
        source_line: heading.line,
    };
    (standard, problems)
}

fn passport_entry(para: &Para) -> Option<PassportEntry> {
    let captures = PASSPORT_ENTRY.captures(&para.text)?;
    let level = captures
        .name("a")
        .or_else(|| captures.name("b"))?
        .as_str()
        .parse::<u8>()
        .ok()
        .filter(|l| (1..=8).contains(l))?;
    Some(PassportEntry {
        number: captures.name("number")?.as_str().parse().ok()?,
        name: captures.name("name")?.as_str().to_owned(),
        level,
        card_id: None,
        source_line: para.line,
    })
}

/// The reconciliation rule: the passport lists the standard's cards in the same order as
/// chapter 3, so the i-th entry belongs to the i-th card. A card's own level wins; an empty
/// level is taken from its entry (`level_source: passport`). Disagreements are reported.
/// If the counts differ, nothing is paired and cards without a level are errors.
fn reconcile(
    standard_id: &str,
    passport: &mut [PassportEntry],
    cards: &mut [ProfessionCard],
    problems: &mut Vec<Problem>,
    line: usize,
) {
    let card_problem =
        |card: &ProfessionCard, severity, kind, field: &str, line, detail: String| Problem {
            severity,
            kind,
            standard: Some(standard_id.to_owned()),
            card: Some(CardRef {
                id: card.id.clone(),
                number: card.number,
                name: card.name.clone(),
            }),
            field: field.into(),
            item: None,
            line,
            detail,
        };
    let paired = passport.len() == cards.len();
    if !paired && !cards.is_empty() {
        problems.push(Problem {
            severity: Severity::Warning,
            kind: ProblemKind::Mismatch,
            standard: Some(standard_id.to_owned()),
            card: None,
            field: "passport_cards".into(),
            item: None,
            line,
            detail: format!(
                "the passport lists {} cards, chapter 3 has {}; levels are not reconciled",
                passport.len(),
                cards.len()
            ),
        });
    }
    for (index, card) in cards.iter_mut().enumerate() {
        let entry = if paired {
            passport.get_mut(index)
        } else {
            None
        };
        if card.level.is_some() {
            card.level_source = Some(ValueSource::Card);
        }
        let Some(entry) = entry else {
            if card.level.is_none() {
                problems.push(card_problem(
                    card,
                    Severity::Error,
                    ProblemKind::Missing,
                    "level",
                    card.source_line,
                    "the card has no level and no passport entry to take it from".into(),
                ));
            }
            continue;
        };
        entry.card_id = Some(card.id.clone());
        match card.level {
            None => {
                card.level = Some(entry.level);
                card.level_source = Some(ValueSource::Passport);
                problems.push(card_problem(
                    card,
                    Severity::Notice,
                    ProblemKind::FilledFromPassport,
                    "level",
                    card.source_line,
                    format!(
                        "the card's level is empty; passport item {}) gives {}",
                        entry.number, entry.level
                    ),
                ));
            }
            Some(level) if level != entry.level => {
                problems.push(card_problem(card, Severity::Warning, ProblemKind::Mismatch, "level", card.source_line, format!("the card says level {level}, passport item {}) says {}; the card's value is kept", entry.number, entry.level)));
            }
            Some(_) => {}
        }
        if !same_name(&card.name, &entry.name) {
            problems.push(card_problem(
                card,
                Severity::Notice,
                ProblemKind::Mismatch,
                "name",
                entry.source_line,
                format!(
                    "passport item {}) names it \"{}\"",
                    entry.number, entry.name
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card_text(number: u32, name: &str, level: &str) -> String {
        format!(
            "{number}. Кәсіптің карточкасы \"{name}\":\n\t\nТоптың коды:\n\t\n2511-1\n\t\nҚызмет атауының коды:\n\t\n2511-1-005\n\t\nКәсіптің атауы:\n\t\n{name}\n\t\nСБШ бойынша біліктілік деңгейі:\n{level}\nСБШ бойынша біліктілік ішкі деңгейі:\n\t\nКәсіптік білім деңгейі:\n\t\nБілім деңгейі:\n\nжоғары білім\n\t\nЖұмыс тәжірибесіне қойылатын талаптар:\n\t\n2 жыл\n\t\nҚызметтің негізгі мақсаты:\n\t\nМақсат\n\t\nМіндетті еңбек функциялары:\n\t\n1. Ф\n\t\nҚосымша еңбек функциялары:\n\t\nЕңбек функциясы 1:\n\nФ\n\t\nДағды 1:\n\nД\n\t\nМашықтар:\n\n1. М\n\t\nБілімдер:\n\n1. Б\n"
        )
    }

    fn document(passport: &[&str], cards: &[String]) -> String {
        let mut text = String::from("Ақпараттық технологиялар саласындағы кәсіптік стандарттарды бекіту туралы\nБұйрық № 569/НҚ.\n");
        text.push_str(" Кәсіптік стандарт: \"Сынақ\"\n 1-тарау. Жалпы ережелер\n 2-тарау. Кәсіптік стандарттың паспорты\n");
        text.push_str("\u{a0}\u{a0} 4. Кәсіптік стандарттың атауы: Сынақ стандарты.\n\n\u{a0} 5. Кәсіптік стандарттың коды: J099. \n");
        text.push_str("\u{a0} 8. Кәсіптер карточкаларының тізбесі:\n");
        for line in passport {
            text.push_str(&format!("\u{a0}\u{a0} {line}\n\n"));
        }
        text.push_str(" 3-ші тарау. Кәсіптер карточкалары\n\t\n");
        for card in cards {
            text.push_str(card);
        }
        text.push_str(" 4-тарау. Кәсіптік стандарттың техникалық деректері\n 17. Мемлекеттік органның атауы:\n");
        text
    }

    #[test]
    fn an_empty_card_level_comes_from_the_passport() {
        let text = document(
            &[
                "1) IT-дизайнер - 5 СБШ-нің деңгейі;",
                "7) IT - дизайнер - СБШ-нің 4-деңгейі.",
            ],
            &[
                card_text(9, "IT-дизайнер", "\t\n5"),
                card_text(15, "IT-дизайнер", ""),
            ],
        );
        let outcome = parse(&text);
        let standard = &outcome.catalogue.standards[0];
        assert_eq!(
            (
                standard.id.as_str(),
                standard.name.as_deref(),
                standard.title.as_str()
            ),
            ("J099", Some("Сынақ стандарты"), "Сынақ")
        );
        assert_eq!(outcome.catalogue.source.act, "Бұйрық № 569/НҚ.");
        let levels: Vec<_> = standard
            .cards
            .iter()
            .map(|c| (c.number, c.level, c.level_source))
            .collect();
        assert_eq!(
            levels,
            [
                (9, Some(5), Some(ValueSource::Card)),
                (15, Some(4), Some(ValueSource::Passport))
            ]
        );
        assert_eq!(
            standard.passport_cards[1].card_id.as_deref(),
            Some("J099/2")
        );
        let found: Vec<_> = outcome
            .problems
            .iter()
            .map(|p| (p.severity, p.kind, p.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [(Severity::Notice, ProblemKind::FilledFromPassport, "level")]
        );
        assert!(!outcome.has_errors());
    }

    #[test]
    fn disagreements_are_reported_and_the_card_wins() {
        let text = document(
            &["1) Веб-сайт әкімшісі - 6 СБШ-нің деңгейі;"],
            &[card_text(9, "Web-сайт әкімшісі", "\t\n5")],
        );
        let outcome = parse(&text);
        assert_eq!(outcome.catalogue.standards[0].cards[0].level, Some(5));
        let found: Vec<_> = outcome
            .problems
            .iter()
            .map(|p| (p.kind, p.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (ProblemKind::Mismatch, "level"),
                (ProblemKind::Mismatch, "name")
            ]
        );
    }

    #[test]
    fn a_short_passport_leaves_empty_levels_as_errors() {
        let text = document(
            &["1) IT-дизайнер - 5 СБШ-нің деңгейі;", "оқылмайтын жол"],
            &[
                card_text(9, "IT-дизайнер", "\t\n5"),
                card_text(15, "IT-дизайнер", ""),
            ],
        );
        let outcome = parse(&text);
        assert!(outcome.has_errors());
        let found: Vec<_> = outcome
            .problems
            .iter()
            .map(|p| (p.severity, p.kind, p.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (Severity::Warning, ProblemKind::Malformed, "passport_cards"),
                (Severity::Warning, ProblemKind::Mismatch, "passport_cards"),
                (Severity::Error, ProblemKind::Missing, "level")
            ]
        );
    }

    #[test]
    fn text_without_standards_is_an_error_not_a_panic() {
        for text in ["", "\u{a0}\t\n", "Кәсіптік стандарт \"X\"", "Кәсіптік стандарт \"X\"\n9. Кәсіптің карточкасы \"Y\":\n4-тарау. Кәсіптік стандарттың техникалық деректері"] {
            let outcome = parse(text);
            assert!(outcome.has_errors(), "{text:?}");
        }
        assert!(parse("").catalogue.standards.is_empty());
    }
}
