//! Reading one profession card: its labelled fields, labour functions and skills.
//!
//! A card is a two-column table flattened to text: a label paragraph ("Топтың коды:")
//! followed by its value paragraphs. The card is first cut into [`Section`]s at every
//! known label, then the sections are read in order.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{EducationRequirement, LabourFunction, ProfessionCard, Skill};
use crate::problem::{CardRef, Problem, ProblemKind, Severity};
use crate::text::{list_items, same_name, scalar, Para};

/// The labels a card uses. Everything after [`Label::RelatedOccupations`] (a table of
/// neighbouring occupations) is outside the catalogue and not cut further.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Label {
    GroupCode,
    OccupationCode,
    OccupationName,
    Level,
    Sublevel,
    TariffLevel,
    Education,
    EducationLevel,
    Specialty,
    Qualification,
    Experience,
    NonFormalEducation,
    OtherNames,
    MainPurpose,
    FunctionsHeading,
    FunctionsList,
    MandatoryList,
    AdditionalList,
    Function { additional: bool, number: u32 },
    Skill { number: u32 },
    Abilities,
    Knowledge,
    Recognition,
    PersonalCompetencies,
    TechnicalRegulations,
    RelatedOccupations,
}

/// How a pattern's match becomes a label.
enum Shape {
    Fixed(Label),
    Function,
    Skill,
}

struct LabelPattern {
    regex: Regex,
    shape: Shape,
}

/// Each pattern captures the text after the colon (group `value`) for labels that the
/// document sometimes writes on the same line as their value.
static LABELS: LazyLock<Vec<LabelPattern>> = LazyLock::new(|| {
    let fixed: [(&str, Label); 24] = [
        ("Топтың коды", Label::GroupCode),
        ("Қызмет атауының коды", Label::OccupationCode),
        ("Кәсіптің атауы", Label::OccupationName),
        ("СБШ бойынша біліктілік деңгейі", Label::Level),
        ("СБШ бойынша біліктілік ішкі деңгейі", Label::Sublevel),
        (
            "БТБА, БА, үлгілік біліктілік сипаттамалары бойынша біліктілік деңгейі",
            Label::TariffLevel,
        ),
        ("Кәсіптік білім деңгейі", Label::Education),
        ("Білім деңгейі", Label::EducationLevel),
        ("Мамандық", Label::Specialty),
        ("Біліктілік", Label::Qualification),
        ("Жұмыс тәжірибесіне қойылатын талаптар", Label::Experience),
        (
            "Формалды емес және информалд?ы біліммен байланыс",
            Label::NonFormalEducation,
        ),
        ("Кәсіптің басқа ықтимал атаулары", Label::OtherNames),
        ("Қызметтің негізгі мақсаты", Label::MainPurpose),
        (
            "Еңбек функция(?:лардың|ларының) сипаттамасы",
            Label::FunctionsHeading,
        ),
        ("Еңбек функцияларының тізбесі", Label::FunctionsList),
        ("Міндетті еңбек функциялары", Label::MandatoryList),
        ("Қосымша еңбек функциялары", Label::AdditionalList),
        ("Машықтар", Label::Abilities),
        ("Білімдер", Label::Knowledge),
        ("Дағдыны тану мүмкіндігі", Label::Recognition),
        (
            "Жеке құзыреттерге қойылатын талаптар",
            Label::PersonalCompetencies,
        ),
        (
            "Техникалық регламенттер мен ұлттық стандарттардың тізімі",
            Label::TechnicalRegulations,
        ),
        (
            "СБШ ?-?(?:нің ішіндегі|нің шеңберінде|шеңберінде) басқа кәсіптермен байланыс",
            Label::RelatedOccupations,
        ),
    ];
    let compile = |pattern: &str| Regex::new(pattern).expect("valid label regex");
    let mut patterns: Vec<LabelPattern> = fixed
        .into_iter()
        .map(|(text, label)| LabelPattern {
            // The heading "Еңбек функцияларының сипаттамасы" has no colon; the others do.
            regex: compile(&format!(r"^(?:{text})(?::\s*(?P<value>.*)|$)")),
            shape: Shape::Fixed(label),
        })
        .collect();
    patterns.push(LabelPattern {
        regex: compile(
            r"^(?P<additional>Қосымша )?[Ее]ңбек функциясы (?P<number>\d+)\s*:\s*(?P<value>.*)$",
        ),
        shape: Shape::Function,
    });
    patterns.push(LabelPattern {
        regex: compile(r"^Дағды (?P<number>\d+)\s*:\s*(?P<value>.*)$"),
        shape: Shape::Skill,
    });
    patterns
});

/// The label a paragraph starts with, and any value written after its colon.
fn classify(text: &str) -> Option<(Label, Option<&str>)> {
    LABELS.iter().find_map(|pattern| {
        let captures = pattern.regex.captures(text)?;
        let inline = captures
            .name("value")
            .map(|m| m.as_str())
            .filter(|v| !v.is_empty());
        // The number is at most a few digits; a number too long to read is kept as 0 and reported as misnumbered.
        let number = || {
            captures
                .name("number")
                .and_then(|m| m.as_str().parse().ok())
                .unwrap_or(0)
        };
        let label = match pattern.shape {
            Shape::Fixed(label) => label,
            Shape::Function => Label::Function {
                additional: captures.name("additional").is_some(),
                number: number(),
            },
            Shape::Skill => Label::Skill { number: number() },
        };
        Some((label, inline))
    })
}

/// A label and the paragraphs up to the next label.
#[derive(Debug)]
struct Section<'a> {
    label: Label,
    line: usize,
    values: Vec<&'a str>,
}

/// Cuts a card body into sections; paragraphs before the first label are returned apart.
fn sections(body: &[Para]) -> (Vec<Section<'_>>, Vec<&Para>) {
    let mut sections: Vec<Section<'_>> = Vec::new();
    let mut stray = Vec::new();
    for para in body {
        let in_related = sections
            .last()
            .is_some_and(|s| s.label == Label::RelatedOccupations);
        match classify(&para.text).filter(|_| !in_related) {
            Some((label, inline)) => sections.push(Section {
                label,
                line: para.line,
                values: inline.into_iter().collect(),
            }),
            None => match sections.last_mut() {
                Some(section) => section.values.push(&para.text),
                None => stray.push(para),
            },
        }
    }
    (sections, stray)
}

/// Where a card sits, for ids and problem reports.
pub(crate) struct CardContext<'a> {
    pub id: String,
    pub number: u32,
    pub heading_name: String,
    pub standard_id: &'a str,
    pub line: usize,
}

struct Reporter<'a> {
    context: &'a CardContext<'a>,
    problems: Vec<Problem>,
}

impl Reporter<'_> {
    fn report(
        &mut self,
        severity: Severity,
        kind: ProblemKind,
        field: &str,
        item: Option<&str>,
        line: usize,
        detail: String,
    ) {
        self.problems.push(Problem {
            severity,
            kind,
            standard: Some(self.context.standard_id.to_owned()),
            card: Some(CardRef {
                id: self.context.id.clone(),
                number: self.context.number,
                name: self.context.heading_name.clone(),
            }),
            field: field.to_owned(),
            item: item.map(str::to_owned),
            line,
            detail,
        });
    }
}

static GROUP_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d$").expect("valid regex"));
static OCCUPATION_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d-\d{3}$").expect("valid regex"));

/// A labour function while it is being read, before ids are known.
struct FunctionDraft {
    additional: bool,
    number: u32,
    name: Option<String>,
    skills: Vec<Skill>,
    line: usize,
}

/// Reads one card. `body` is everything after the heading paragraph up to the next card.
/// The level may stay `None` here: the standard's passport fills it in afterwards.
pub(crate) fn parse_card(
    context: &CardContext<'_>,
    body: &[Para],
) -> (ProfessionCard, Vec<Problem>) {
    let mut out = Reporter {
        context,
        problems: Vec::new(),
    };
    let (sections, stray) = sections(body);
    for para in stray {
        out.report(
            Severity::Warning,
            ProblemKind::Unexpected,
            "card",
            None,
            para.line,
            format!("text before the first field was ignored: \"{}\"", para.text),
        );
    }

    let mut card = ProfessionCard {
        id: context.id.clone(),
        number: context.number,
        name: String::new(),
        group_code: None,
        occupation_code: None,
        level: None,
        level_source: None,
        education: Vec::new(),
        experience: None,
        main_purpose: None,
        other_names: Vec::new(),
        mandatory_functions: Vec::new(),
        additional_functions: Vec::new(),
        personal_competencies: Vec::new(),
        source_line: context.line,
    };
    let mut seen: HashSet<Label> = HashSet::new();
    let mut listed_mandatory: Vec<String> = Vec::new();
    let mut listed_additional: Vec<String> = Vec::new();
    let mut functions: Vec<FunctionDraft> = Vec::new();
    let mut name: Option<String> = None;

    for section in &sections {
        let value = || scalar(section.values.iter().copied());
        let repeatable = matches!(
            section.label,
            Label::EducationLevel
                | Label::Specialty
                | Label::Qualification
                | Label::Function { .. }
                | Label::Skill { .. }
                | Label::Abilities
                | Label::Knowledge
                | Label::Recognition
        );
        if !repeatable && !seen.insert(section.label) {
            out.report(
                Severity::Warning,
                ProblemKind::Unexpected,
                "card",
                None,
                section.line,
                format!(
                    "field {:?} appears twice; the later one was ignored",
                    section.label
                ),
            );
            continue;
        }
        match section.label {
            Label::GroupCode => card.group_code = value(),
            Label::OccupationCode => card.occupation_code = value(),
            Label::OccupationName => name = value(),
            Label::Level => match value() {
                None => {}
                Some(text) => match text.parse::<u8>() {
                    Ok(level @ 1..=8) => card.level = Some(level),
                    _ => out.report(
                        Severity::Warning,
                        ProblemKind::Malformed,
                        "level",
                        None,
                        section.line,
                        format!("level \"{text}\" is not a number from 1 to 8"),
                    ),
                },
            },
            Label::Education => {}
            Label::EducationLevel => card.education.push(EducationRequirement {
                level: value(),
                ..Default::default()
            }),
            Label::Specialty | Label::Qualification => {
                if card.education.is_empty() {
                    out.report(
                        Severity::Warning,
                        ProblemKind::Unexpected,
                        "education",
                        None,
                        section.line,
                        "specialty or qualification before any education level".into(),
                    );
                    card.education.push(EducationRequirement::default());
                }
                if let Some(entry) = card.education.last_mut() {
                    let slot = if section.label == Label::Specialty {
                        &mut entry.specialty
                    } else {
                        &mut entry.qualification
                    };
                    *slot = value();
                }
            }
            Label::Experience => card.experience = value(),
            Label::MainPurpose => card.main_purpose = value(),
            Label::OtherNames => card.other_names = list_items(section.values.iter().copied()),
            Label::MandatoryList => listed_mandatory = list_items(section.values.iter().copied()),
            Label::AdditionalList => listed_additional = list_items(section.values.iter().copied()),
            Label::PersonalCompetencies => {
                card.personal_competencies = list_items(section.values.iter().copied())
            }
            Label::Function { additional, number } => functions.push(FunctionDraft {
                additional,
                number,
                name: value(),
                skills: Vec::new(),
                line: section.line,
            }),
            Label::Skill { number } => match functions.last_mut() {
                Some(function) => function.skills.push(Skill {
                    id: String::new(),
                    name: value().unwrap_or_default(),
                    abilities: Vec::new(),
                    knowledge: Vec::new(),
                    recognition: None,
                    source_line: section.line,
                }),
                None => out.report(
                    Severity::Warning,
                    ProblemKind::Unexpected,
                    "skill",
                    None,
                    section.line,
                    format!("skill {number} appears before any labour function; ignored"),
                ),
            },
            Label::Abilities | Label::Knowledge | Label::Recognition => {
                match functions.last_mut().and_then(|f| f.skills.last_mut()) {
                    Some(skill) => match section.label {
                        Label::Abilities => {
                            skill.abilities = list_items(section.values.iter().copied())
                        }
                        Label::Knowledge => {
                            skill.knowledge = list_items(section.values.iter().copied())
                        }
                        _ => skill.recognition = value(),
                    },
                    None => out.report(
                        Severity::Warning,
                        ProblemKind::Unexpected,
                        "skill",
                        None,
                        section.line,
                        format!("{:?} outside any skill; ignored", section.label),
                    ),
                }
            }
            Label::Sublevel
            | Label::TariffLevel
            | Label::NonFormalEducation
            | Label::FunctionsHeading
            | Label::FunctionsList
            | Label::TechnicalRegulations
            | Label::RelatedOccupations => {}
        }
    }

    card.name = match name {
        Some(name) => name,
        None => {
            out.report(
                Severity::Warning,
                ProblemKind::Missing,
                "name",
                None,
                context.line,
                "the field \"Кәсіптің атауы\" is empty; the heading's name is used".into(),
            );
            context.heading_name.clone()
        }
    };
    check_codes(&card, &mut out);
    if card.education.is_empty() {
        out.report(
            Severity::Warning,
            ProblemKind::Missing,
            "education",
            None,
            context.line,
            "no education requirement".into(),
        );
    }
    if card.experience.is_none() {
        out.report(
            Severity::Warning,
            ProblemKind::Missing,
            "experience",
            None,
            context.line,
            "no experience requirement".into(),
        );
    }
    if card.main_purpose.is_none() {
        out.report(
            Severity::Warning,
            ProblemKind::Missing,
            "main_purpose",
            None,
            context.line,
            "no main purpose".into(),
        );
    }

    let (mandatory, additional): (Vec<FunctionDraft>, Vec<FunctionDraft>) =
        functions.into_iter().partition(|f| !f.additional);
    card.mandatory_functions = finish_functions(mandatory, &listed_mandatory, false, &mut out);
    card.additional_functions = finish_functions(additional, &listed_additional, true, &mut out);
    if card.mandatory_functions.is_empty() {
        out.report(
            Severity::Error,
            ProblemKind::Missing,
            "mandatory_functions",
            None,
            context.line,
            "the card has no mandatory labour function".into(),
        );
    }
    (card, out.problems)
}

fn check_codes(card: &ProfessionCard, out: &mut Reporter<'_>) {
    let line = out.context.line;
    let checks = [
        (
            "group_code",
            "Топтың коды",
            &card.group_code,
            &*GROUP_CODE,
            "NNNN-N",
        ),
        (
            "occupation_code",
            "Қызмет атауының коды",
            &card.occupation_code,
            &*OCCUPATION_CODE,
            "NNNN-N-NNN",
        ),
    ];
    for (field, label, value, shape, shape_text) in checks {
        match value {
            None => out.report(
                Severity::Warning,
                ProblemKind::Missing,
                field,
                None,
                line,
                format!("the field \"{label}\" is empty or a dash"),
            ),
            Some(code) if !shape.is_match(code) => out.report(
                Severity::Warning,
                ProblemKind::Malformed,
                field,
                None,
                line,
                format!("\"{code}\" is not of the form {shape_text}; kept as written"),
            ),
            Some(_) => {}
        }
    }
}

/// Gives the functions their ids, checks them against the card's list of functions, and
/// adds listed functions that have no section of their own (reported, with no skills).
fn finish_functions(
    drafts: Vec<FunctionDraft>,
    listed: &[String],
    additional: bool,
    out: &mut Reporter<'_>,
) -> Vec<LabourFunction> {
    let (prefix, list_field) = if additional {
        ('a', "additional_functions")
    } else {
        ('f', "mandatory_functions")
    };
    let card_id = out.context.id.clone();
    let card_line = out.context.line;
    if drafts.len() != listed.len() {
        out.report(
            Severity::Warning,
            ProblemKind::Mismatch,
            list_field,
            None,
            card_line,
            format!(
                "the list names {} functions but the card describes {}",
                listed.len(),
                drafts.len()
            ),
        );
    }
    let mut functions = Vec::new();
    for (index, draft) in drafts.into_iter().enumerate() {
        let position = index + 1;
        let id = format!("{card_id}/{prefix}{position}");
        if usize::try_from(draft.number).ok() != Some(position) {
            out.report(
                Severity::Notice,
                ProblemKind::Malformed,
                "labour_function.number",
                Some(&id),
                draft.line,
                format!(
                    "function printed as number {} is number {position} in the card",
                    draft.number
                ),
            );
        }
        let name = match (draft.name, listed.get(index)) {
            (Some(name), Some(in_list)) => {
                if !same_name(&name, in_list) {
                    out.report(
                        Severity::Notice,
                        ProblemKind::Mismatch,
                        "labour_function.name",
                        Some(&id),
                        draft.line,
                        format!("the section says \"{name}\", the list says \"{in_list}\"; the section's name is kept"),
                    );
                }
                name
            }
            (Some(name), None) => name,
            (None, in_list) => {
                out.report(
                    Severity::Warning,
                    ProblemKind::Missing,
                    "labour_function.name",
                    Some(&id),
                    draft.line,
                    "the function's section has no name; the list's name is used".into(),
                );
                in_list.cloned().unwrap_or_default()
            }
        };
        let skills = finish_skills(&id, draft.skills, out);
        if skills.is_empty() {
            out.report(
                Severity::Error,
                ProblemKind::Missing,
                "labour_function.skills",
                Some(&id),
                draft.line,
                format!("the function \"{name}\" has no skills"),
            );
        }
        functions.push(LabourFunction {
            id,
            name,
            skills,
            source_line: draft.line,
        });
    }
    for (index, in_list) in listed.iter().enumerate().skip(functions.len()) {
        let id = format!("{card_id}/{prefix}{}", index + 1);
        out.report(
            Severity::Error,
            ProblemKind::Missing,
            "labour_function.skills",
            Some(&id),
            card_line,
            format!("the listed function \"{in_list}\" has no section with skills"),
        );
        functions.push(LabourFunction {
            id,
            name: in_list.clone(),
            skills: Vec::new(),
            source_line: card_line,
        });
    }
    functions
}

fn finish_skills(function_id: &str, drafts: Vec<Skill>, out: &mut Reporter<'_>) -> Vec<Skill> {
    drafts
        .into_iter()
        .enumerate()
        .map(|(index, mut skill)| {
            skill.id = format!("{function_id}/s{}", index + 1);
            let checks = [
                ("skill.name", skill.name.is_empty()),
                ("skill.abilities", skill.abilities.is_empty()),
                ("skill.knowledge", skill.knowledge.is_empty()),
            ];
            for (field, empty) in checks {
                if empty {
                    out.report(
                        Severity::Warning,
                        ProblemKind::Missing,
                        field,
                        Some(&skill.id),
                        skill.source_line,
                        "empty".into(),
                    );
                }
            }
            skill
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::paragraphs;

    fn context() -> CardContext<'static> {
        CardContext {
            id: "J1/1".into(),
            number: 9,
            heading_name: "IT-дизайнер".into(),
            standard_id: "J1",
            line: 1,
        }
    }

    const CARD: &str = "\t\nТоптың коды:\n\t\n2511-1\n\n\t\nҚызмет атауының коды:\n\t\n2511-1-005\n\n\t\nКәсіптің атауы:\n\t\nIT-дизайнер\n\n\t\nСБШ бойынша біліктілік деңгейі:\n\t\n5\n\n\t\nСБШ бойынша біліктілік ішкі деңгейі:\n\t\n\n\t\nКәсіптік білім деңгейі:\n\t\nБілім деңгейі:\n\nжоғары білім\n\t\nМамандық:\n\nАКТ\n\t\nБіліктілік:\n\n-\n\t\nЖұмыс тәжірибесіне қойылатын талаптар:\n\t\nкемінде 2 жыл\n\t\nҚызметтің негізгі мақсаты:\n\t\nДизайн жасау\n\t\nЕңбек функциялардың сипаттамасы\n\t\nЕңбек функцияларының тізбесі:\n\t\nМіндетті еңбек функциялары:\n\t\n1. Сынақ өткізу\n\n2. Дизайн әзірлеу\n\t\nҚосымша еңбек функциялары:\n\t\n\n\t\nЕңбек функциясы 1:\n\nСынақ өткізу\n\t\n\t\nДағды 1:\n\nҰйымдастыру\n\t\nМашықтар:\n\n1. Талдау.\n\n2.Сақтау.\n\t\nБілімдер:\n\n1. Құқық.\n\t\nДағдыны тану мүмкіндігі:\n\t\nұсынылмайды\n\t\nЕңбек функциясы 2:Дизайн әзірлеу\n\t\nДағды 1:Талдау\n\t\nМашықтар:\n\n1. Модель жасау.\n\t\nБілімдер:\n\n1. Модельдеу.\n\t\nЖеке құзыреттерге қойылатын талаптар:\n\t\nЖауапкершілік;\n\nОрындаушылық.\n\t\nСБШ шеңберінде басқа кәсіптермен байланыс:\n\t\nСБШ-нің деңгейі:\n\t\nКәсіптің атауы:\n\t\n4\n\t\nIT - дизайнер\n";

    #[test]
    fn reads_a_complete_card() {
        let (card, problems) = parse_card(&context(), &paragraphs(CARD));
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(card.name, "IT-дизайнер");
        assert_eq!(card.group_code.as_deref(), Some("2511-1"));
        assert_eq!(card.occupation_code.as_deref(), Some("2511-1-005"));
        assert_eq!(card.level, Some(5));
        assert_eq!(
            card.education,
            [EducationRequirement {
                level: Some("жоғары білім".into()),
                specialty: Some("АКТ".into()),
                qualification: None
            }]
        );
        assert_eq!(card.experience.as_deref(), Some("кемінде 2 жыл"));
        assert_eq!(card.mandatory_functions.len(), 2);
        let first = &card.mandatory_functions[0];
        assert_eq!(
            (first.id.as_str(), first.name.as_str()),
            ("J1/1/f1", "Сынақ өткізу")
        );
        assert_eq!(first.skills[0].abilities, ["Талдау.", "Сақтау."]);
        assert_eq!(first.skills[0].knowledge, ["Құқық."]);
        assert_eq!(first.skills[0].recognition.as_deref(), Some("ұсынылмайды"));
        let second = &card.mandatory_functions[1];
        assert_eq!(
            (second.name.as_str(), second.skills[0].name.as_str()),
            ("Дизайн әзірлеу", "Талдау")
        );
        assert_eq!(second.skills[0].id, "J1/1/f2/s1");
        assert_eq!(
            card.personal_competencies,
            ["Жауапкершілік;", "Орындаушылық."]
        );
    }

    #[test]
    fn empty_level_stays_empty_for_the_passport_to_fill() {
        let text = CARD.replace(
            "СБШ бойынша біліктілік деңгейі:\n\t\n5\n",
            "СБШ бойынша біліктілік деңгейі:\n",
        );
        let (card, problems) = parse_card(&context(), &paragraphs(&text));
        assert_eq!(card.level, None);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn missing_codes_and_bad_level_are_reported() {
        let text = CARD
            .replace("2511-1-005", "-")
            .replace("\n5\n", "\nбес\n")
            .replace("2511-1\n", "2511\n");
        let (card, problems) = parse_card(&context(), &paragraphs(&text));
        assert_eq!((card.occupation_code.as_deref(), card.level), (None, None));
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.field.as_str(), p.kind))
            .collect();
        assert_eq!(
            found,
            [
                ("level", ProblemKind::Malformed),
                ("group_code", ProblemKind::Malformed),
                ("occupation_code", ProblemKind::Missing)
            ]
        );
        assert_eq!(problems[0].card.as_ref().map(|c| c.number), Some(9));
    }

    #[test]
    fn a_function_without_skills_and_an_undescribed_listed_one_are_errors() {
        let first_skill = CARD
            .find("\t\nДағды 1:\n\nҰйымдастыру")
            .expect("fixture has a skill");
        let competencies = CARD
            .find("\t\nЖеке құзыреттерге")
            .expect("fixture has competencies");
        let text = format!("{}{}", &CARD[..first_skill], &CARD[competencies..]);
        let (card, problems) = parse_card(&context(), &paragraphs(&text));
        assert_eq!(card.mandatory_functions.len(), 2);
        let errors: Vec<_> = problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| (p.field.as_str(), p.item.as_deref()))
            .collect();
        assert_eq!(
            errors,
            [
                ("labour_function.skills", Some("J1/1/f1")),
                ("labour_function.skills", Some("J1/1/f2"))
            ]
        );
    }

    #[test]
    fn a_repeated_field_keeps_the_first_value_and_is_reported() {
        let text = CARD.replace(
            "2511-1-005\n",
            "2511-1-005\n\t\nҚызмет атауының коды:\n\t\n2511-1-006\n",
        );
        let (card, problems) = parse_card(&context(), &paragraphs(&text));
        assert_eq!(card.occupation_code.as_deref(), Some("2511-1-005"));
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.kind, p.field.as_str(), p.line))
            .collect();
        assert_eq!(found, [(ProblemKind::Unexpected, "card", 11)]);
    }

    #[test]
    fn garbage_gives_problems_not_a_panic() {
        for text in [
            "",
            "\t\n\t\n",
            "Дағды 1:\nМашықтар:\n1. x",
            "Білімдер:\nЕңбек функциясы x:",
            "Мамандық:\n\n\u{a0}",
        ] {
            let (card, problems) = parse_card(&context(), &paragraphs(text));
            assert!(card.mandatory_functions.is_empty());
            assert!(
                problems.iter().any(|p| p.severity == Severity::Error),
                "{text:?}: {problems:#?}"
            );
        }
    }

    #[test]
    fn labels_with_inline_values_and_variants_are_recognised() {
        assert_eq!(
            classify("Еңбек функциясы 2:Эксперттік жүйелерді жобалау"),
            Some((
                Label::Function {
                    additional: false,
                    number: 2
                },
                Some("Эксперттік жүйелерді жобалау")
            ))
        );
        assert_eq!(
            classify("Қосымша еңбек функциясы 1:"),
            Some((
                Label::Function {
                    additional: true,
                    number: 1
                },
                None
            ))
        );
        assert_eq!(
            classify("Формалды емес және информалды біліммен байланыс:"),
            Some((Label::NonFormalEducation, None))
        );
        assert_eq!(
            classify("Еңбек функцияларының сипаттамасы"),
            Some((Label::FunctionsHeading, None))
        );
        assert_eq!(
            classify("СБШ -нің ішіндегі басқа кәсіптермен байланыс:"),
            Some((Label::RelatedOccupations, None))
        );
        assert_eq!(classify("Білімді құрылымдау (тұжырымдау)"), None);
        assert_eq!(classify("Мамандық бейіні бойынша кемінде 2 жыл"), None);
    }
}
