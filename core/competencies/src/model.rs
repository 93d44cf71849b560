//! The catalogue as shipped: standards, their profession cards, labour functions and skills.
//!
//! Kazakh text is kept as the document has it (see `docs/COMPETENCIES.md` for the few
//! whitespace normalisations). Every element carries a stable `id` that later steps store
//! (an employee's card, a self-rating of a skill); ids are derived from positions in the
//! document, so they stay the same as long as the published act does.

use serde::{Deserialize, Serialize};

/// Version of the JSON layout below; bump it when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole catalogue: every professional standard of the order, in the order's sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Layout version of this JSON ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The legal act the catalogue was read from.
    pub source: SourceDocument,
    /// The professional standards, in the order they appear in the act.
    pub standards: Vec<Standard>,
}

/// Title and enacting line of the source document (its first two paragraphs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceDocument {
    /// The act's title, e.g. "Ақпараттық технологиялар саласындағы кәсіптік стандарттарды бекіту туралы".
    pub title: String,
    /// The line naming the order, its date and number.
    pub act: String,
}

/// One professional standard ("Кәсіптік стандарт").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standard {
    /// Stable id: the standard's code (e.g. "J62011053"), or `standard-N` if the code is missing.
    pub id: String,
    /// 1-based position of the standard in the document.
    pub ordinal: u32,
    /// Title from the standard's heading (`Кәсіптік стандарт "…"`).
    pub title: String,
    /// Name from the passport, chapter 2 item 4 ("Кәсіптік стандарттың атауы").
    pub name: Option<String>,
    /// Code from the passport, chapter 2 item 5 ("Кәсіптік стандарттың коды").
    pub code: Option<String>,
    /// The passport's list of profession cards with their levels (chapter 2 item 8).
    pub passport_cards: Vec<PassportEntry>,
    /// The profession cards of chapter 3, in document order.
    pub cards: Vec<ProfessionCard>,
    /// 1-based line of the heading in the source text.
    pub source_line: usize,
}

/// One line of a passport's list of cards: `1) IT-дизайнер - 5 СБШ-нің деңгейі;`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportEntry {
    /// The item number as printed (not always consecutive in the document).
    pub number: u32,
    /// Occupation name as printed in the passport.
    pub name: String,
    /// Qualification level of the sectoral framework (СБШ), 1–8.
    pub level: u8,
    /// The card of chapter 3 this entry was reconciled with.
    pub card_id: Option<String>,
    /// 1-based line in the source text.
    pub source_line: usize,
}

/// Where a card's value was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// The card's own field.
    Card,
    /// The standard's passport list (chapter 2 item 8), because the card left the field empty.
    Passport,
}

/// Whether a labour function is mandatory or additional for the occupation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionKind {
    /// "Міндетті еңбек функциялары".
    Mandatory,
    /// "Қосымша еңбек функциялары".
    Additional,
}

/// One profession card ("Кәсіптің карточкасы").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfessionCard {
    /// Stable id: `<standard id>/<1-based position of the card in the standard>`.
    pub id: String,
    /// The card's item number as printed (e.g. 15); not unique within a standard.
    pub number: u32,
    /// Occupation name from the card's field "Кәсіптің атауы" (or its heading if the field is empty).
    pub name: String,
    /// Group code ("Топтың коды"), e.g. "2511-1"; `None` where the card has none.
    pub group_code: Option<String>,
    /// Occupation code ("Қызмет атауының коды"), e.g. "2511-1-005"; `None` where the card has none.
    pub occupation_code: Option<String>,
    /// Qualification level of the sectoral framework (СБШ), 1–8.
    pub level: Option<u8>,
    /// Where `level` came from.
    pub level_source: Option<ValueSource>,
    /// Accepted education paths ("Кәсіптік білім деңгейі"), each an alternative.
    pub education: Vec<EducationRequirement>,
    /// Work-experience requirement ("Жұмыс тәжірибесіне қойылатын талаптар").
    pub experience: Option<String>,
    /// Main purpose of the activity ("Қызметтің негізгі мақсаты").
    pub main_purpose: Option<String>,
    /// Other possible names of the occupation ("Кәсіптің басқа ықтимал атаулары").
    pub other_names: Vec<String>,
    /// Mandatory labour functions, with their skills.
    pub mandatory_functions: Vec<LabourFunction>,
    /// Additional labour functions, with their skills.
    pub additional_functions: Vec<LabourFunction>,
    /// Personal competencies ("Жеке құзыреттерге қойылатын талаптар").
    pub personal_competencies: Vec<String>,
    /// 1-based line of the card heading in the source text.
    pub source_line: usize,
}

/// One accepted education path: level, specialty and qualification.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EducationRequirement {
    /// "Білім деңгейі", e.g. "жоғары білім (бакалавриат, маман дәрежесі, ординатура)".
    pub level: Option<String>,
    /// "Мамандық".
    pub specialty: Option<String>,
    /// "Біліктілік".
    pub qualification: Option<String>,
}

/// One labour function ("Еңбек функциясы") and its skills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourFunction {
    /// Stable id: `<card id>/f<n>` for mandatory, `<card id>/a<n>` for additional functions.
    pub id: String,
    /// The function's name.
    pub name: String,
    /// The skills ("Дағды") the function needs.
    pub skills: Vec<Skill>,
    /// 1-based line of the function's heading in the source text.
    pub source_line: usize,
}

/// One skill ("Дағды") with its abilities and knowledge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    /// Stable id: `<function id>/s<n>`.
    pub id: String,
    /// The skill's name.
    pub name: String,
    /// Abilities ("Машықтар").
    pub abilities: Vec<String>,
    /// Knowledge ("Білімдер").
    pub knowledge: Vec<String>,
    /// Whether the skill can be recognised ("Дағдыны тану мүмкіндігі"), as written.
    pub recognition: Option<String>,
    /// 1-based line of the skill's heading in the source text.
    pub source_line: usize,
}

/// A skill together with the labour function it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkillInFunction<'a> {
    /// The function the skill belongs to.
    pub function: &'a LabourFunction,
    /// Whether that function is mandatory or additional.
    pub kind: FunctionKind,
    /// The skill.
    pub skill: &'a Skill,
}

impl Catalogue {
    /// Reads a catalogue from its JSON form (the shipped `data/it-standards.json`).
    pub fn from_json(json: &str) -> serde_json::Result<Self> {
        serde_json::from_str(json)
    }

    /// The JSON form that is committed: pretty-printed, with a trailing newline.
    pub fn to_json_pretty(&self) -> serde_json::Result<String> {
        let mut json = serde_json::to_string_pretty(self)?;
        json.push('\n');
        Ok(json)
    }

    /// All profession cards, standard by standard.
    pub fn cards(&self) -> impl Iterator<Item = &ProfessionCard> {
        self.standards.iter().flat_map(|s| s.cards.iter())
    }

    /// The standard with this id (its code).
    pub fn standard(&self, id: &str) -> Option<&Standard> {
        self.standards.iter().find(|s| s.id == id)
    }

    /// The card with this id.
    pub fn card(&self, id: &str) -> Option<&ProfessionCard> {
        self.cards().find(|c| c.id == id)
    }

    /// The cards with this occupation code at this level (one in the current catalogue;
    /// the same occupation may appear in several standards in other editions).
    pub fn cards_for_occupation<'a>(
        &'a self,
        occupation_code: &'a str,
        level: u8,
    ) -> impl Iterator<Item = &'a ProfessionCard> + 'a {
        self.cards().filter(move |c| {
            c.occupation_code.as_deref() == Some(occupation_code) && c.level == Some(level)
        })
    }

    /// The first card with this occupation code at this level.
    pub fn find_card(&self, occupation_code: &str, level: u8) -> Option<&ProfessionCard> {
        self.cards().find(|c| {
            c.occupation_code.as_deref() == Some(occupation_code) && c.level == Some(level)
        })
    }

    /// The labour function with this id, with the card it belongs to.
    pub fn labour_function(
        &self,
        id: &str,
    ) -> Option<(&ProfessionCard, &LabourFunction, FunctionKind)> {
        self.cards().find_map(|card| {
            card.labour_functions()
                .find(|(f, _)| f.id == id)
                .map(|(f, kind)| (card, f, kind))
        })
    }

    /// The skill with this id, with its card and function.
    pub fn skill(&self, id: &str) -> Option<(&ProfessionCard, SkillInFunction<'_>)> {
        self.cards()
            .find_map(|card| card.skills().find(|s| s.skill.id == id).map(|s| (card, s)))
    }
}

impl ProfessionCard {
    /// Mandatory functions first, then additional ones, each with its kind.
    pub fn labour_functions(&self) -> impl Iterator<Item = (&LabourFunction, FunctionKind)> {
        let mandatory = self
            .mandatory_functions
            .iter()
            .map(|f| (f, FunctionKind::Mandatory));
        let additional = self
            .additional_functions
            .iter()
            .map(|f| (f, FunctionKind::Additional));
        mandatory.chain(additional)
    }

    /// Every skill of every labour function, in document order.
    pub fn skills(&self) -> impl Iterator<Item = SkillInFunction<'_>> {
        self.labour_functions().flat_map(|(function, kind)| {
            function.skills.iter().map(move |skill| SkillInFunction {
                function,
                kind,
                skill,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill(id: &str) -> Skill {
        Skill {
            id: id.into(),
            name: "Дағды".into(),
            abilities: vec!["Машық".into()],
            knowledge: vec!["Білім".into()],
            recognition: None,
            source_line: 1,
        }
    }

    fn card() -> ProfessionCard {
        ProfessionCard {
            id: "J1/1".into(),
            number: 9,
            name: "IT-дизайнер".into(),
            group_code: Some("2511-1".into()),
            occupation_code: Some("2511-1-005".into()),
            level: Some(5),
            level_source: Some(ValueSource::Card),
            education: vec![],
            experience: None,
            main_purpose: None,
            other_names: vec![],
            mandatory_functions: vec![LabourFunction {
                id: "J1/1/f1".into(),
                name: "Ф1".into(),
                skills: vec![skill("J1/1/f1/s1"), skill("J1/1/f1/s2")],
                source_line: 1,
            }],
            additional_functions: vec![LabourFunction {
                id: "J1/1/a1".into(),
                name: "Қ1".into(),
                skills: vec![skill("J1/1/a1/s1")],
                source_line: 1,
            }],
            personal_competencies: vec![],
            source_line: 1,
        }
    }

    fn catalogue() -> Catalogue {
        Catalogue {
            schema_version: SCHEMA_VERSION,
            source: SourceDocument::default(),
            standards: vec![Standard {
                id: "J1".into(),
                ordinal: 1,
                title: "T".into(),
                name: None,
                code: Some("J1".into()),
                passport_cards: vec![],
                cards: vec![card()],
                source_line: 1,
            }],
        }
    }

    #[test]
    fn finds_cards_functions_and_skills_by_id_and_code() {
        let catalogue = catalogue();
        assert_eq!(
            catalogue.find_card("2511-1-005", 5).map(|c| c.id.as_str()),
            Some("J1/1")
        );
        assert!(catalogue.find_card("2511-1-005", 6).is_none());
        assert!(catalogue.find_card("9999-9-999", 5).is_none());
        let (card, function, kind) = catalogue
            .labour_function("J1/1/a1")
            .expect("function exists");
        assert_eq!(
            (card.id.as_str(), function.name.as_str(), kind),
            ("J1/1", "Қ1", FunctionKind::Additional)
        );
        let (_, found) = catalogue.skill("J1/1/f1/s2").expect("skill exists");
        assert_eq!(found.function.id, "J1/1/f1");
        assert!(catalogue.skill("J1/1/f9/s1").is_none());
    }

    #[test]
    fn lists_skills_mandatory_first() {
        let card = card();
        let ids: Vec<_> = card
            .skills()
            .map(|s| (s.skill.id.as_str(), s.kind))
            .collect();
        assert_eq!(
            ids,
            [
                ("J1/1/f1/s1", FunctionKind::Mandatory),
                ("J1/1/f1/s2", FunctionKind::Mandatory),
                ("J1/1/a1/s1", FunctionKind::Additional)
            ]
        );
    }

    #[test]
    fn json_round_trips() {
        let catalogue = catalogue();
        let json = catalogue.to_json_pretty().expect("serialises");
        assert!(json.ends_with('\n'));
        assert!(json.contains("\"level_source\": \"card\""));
        assert_eq!(Catalogue::from_json(&json).expect("parses"), catalogue);
    }
}
