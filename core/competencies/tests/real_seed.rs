//! The parser on the real order (`../shared/seeds/004_9032630b3ee35f5f.txt`): counts, spot
//! values checked by hand against the text (line numbers in the comments), completeness,
//! the passport reconciliation, and that the committed catalogue is what the parser makes.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use qamqor_competencies::{
    parse, Catalogue, FunctionKind, ParseOutcome, ProblemKind, ProfessionCard, Severity,
    ValueSource, CATALOGUE_PATH, SEED_PATH,
};

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn seed_path() -> PathBuf {
    crate_dir().join("../..").join(SEED_PATH)
}

static OUTCOME: LazyLock<ParseOutcome> = LazyLock::new(|| {
    let path = seed_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the seed text must be beside the clone at {}: {e}",
            path.display()
        )
    });
    parse(&text)
});

fn catalogue() -> &'static Catalogue {
    &OUTCOME.catalogue
}

fn card(occupation_code: &str, level: u8) -> &'static ProfessionCard {
    catalogue()
        .find_card(occupation_code, level)
        .unwrap_or_else(|| panic!("no card {occupation_code} at level {level}"))
}

fn card_by_id(id: &str) -> &'static ProfessionCard {
    catalogue()
        .card(id)
        .unwrap_or_else(|| panic!("no card {id}"))
}

#[test]
fn the_order_has_22_standards_and_118_cards() {
    assert_eq!(catalogue().standards.len(), 22);
    assert_eq!(catalogue().cards().count(), 118);
    let per_standard: Vec<usize> = catalogue()
        .standards
        .iter()
        .map(|s| s.cards.len())
        .collect();
    assert_eq!(
        per_standard,
        [8, 3, 6, 4, 9, 2, 2, 2, 4, 4, 1, 2, 1, 11, 5, 12, 4, 11, 6, 6, 6, 9]
    );
    // Every passport lists exactly its standard's cards.
    for standard in &catalogue().standards {
        assert_eq!(
            standard.passport_cards.len(),
            standard.cards.len(),
            "{}",
            standard.id
        );
        assert!(
            standard.passport_cards.iter().all(|e| e.card_id.is_some()),
            "{}",
            standard.id
        );
    }
    assert_eq!(
        catalogue()
            .cards()
            .map(|c| c.labour_functions().count())
            .sum::<usize>(),
        296
    );
    assert_eq!(
        catalogue()
            .cards()
            .map(|c| c.skills().count())
            .sum::<usize>(),
        559
    );
}

#[test]
fn standards_have_their_passport_names_and_codes() {
    let first = &catalogue().standards[0];
    // Lines 80, 150, 152.
    assert_eq!(first.title, "Бағдарламалық жасақтама сәулетшілері");
    assert_eq!(
        first.name.as_deref(),
        Some("Бағдарламалық жасақтама сәулетшілері")
    );
    assert_eq!(first.code.as_deref(), Some("J62011053"));
    // Lines 6323 and 6371: the heading and the passport name differ; both are kept.
    let testing = catalogue().standard("J057").expect("J057");
    assert_eq!(testing.title, "Бағдарламалық жасақтаманы тестілеу");
    assert_eq!(
        testing.name.as_deref(),
        Some("Бағдарламалық қамтылымды тестілеу")
    );
    // Line 39092.
    let last = &catalogue().standards[21];
    assert_eq!(last.code.as_deref(), Some("J077"));
    assert_eq!(
        last.name.as_deref(),
        Some("Анимациялық фильмдер, бейнеойындар және интерактивті 3D-қосымшаларды әзірлеу")
    );
    let codes: std::collections::HashSet<_> = catalogue()
        .standards
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(codes.len(), 22, "standard ids are unique");
}

#[test]
fn it_designer_at_level_5() {
    // Card 9, lines 187-440.
    let designer = card("2511-1-005", 5);
    assert_eq!(
        (
            designer.id.as_str(),
            designer.number,
            designer.name.as_str()
        ),
        ("J62011053/1", 9, "IT-дизайнер")
    );
    assert_eq!(designer.group_code.as_deref(), Some("2511-1"));
    assert_eq!(designer.level_source, Some(ValueSource::Card));
    assert_eq!(designer.education.len(), 3);
    assert_eq!(
        designer.education[0].level.as_deref(),
        Some("орта білімнен кейінгі (қолданбалы бакалавриат)")
    );
    assert_eq!(
        designer.experience.as_deref(),
        Some("Бейінді білімі бар болса кемінде 1 жыл, бейінді білімі болмаса бейіні бойынша кемінде 2 жыл")
    );
    let names: Vec<_> = designer
        .mandatory_functions
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "БҚ прототиптері бар пайдаланушы сынақтарын өткізу",
            "Өнімнің дизайнын әзірлеу"
        ]
    );
    assert!(designer.additional_functions.is_empty());
    // Lines 309-336.
    let skill = &designer.mandatory_functions[0].skills[0];
    assert_eq!(skill.id, "J62011053/1/f1/s1");
    assert_eq!(skill.name, "Бағдарламалық қамтылымды әзірлеуді ұйымдастыру");
    assert_eq!(
        skill.abilities,
        [
            "Пайдаланушы талаптарын талдау.",
            "Тапсырмалар мен жұмыс құжаттары нәтижелерінің архивін ұйымдастыру және ретке келтіру, сақтау.",
            "Авторлық құқықты сақтау."
        ]
    );
    assert_eq!(skill.knowledge[2], "Авторлық құқық.");
    assert_eq!(skill.recognition.as_deref(), Some("ұсынылмайды"));
}

#[test]
fn card_15_takes_its_level_from_the_passport() {
    // Card 15 (line 2054) has an empty level; passport item 7) (line 182) says level 4.
    let designer = card("2511-1-005", 4);
    assert_eq!((designer.id.as_str(), designer.number), ("J62011053/7", 15));
    assert_eq!(designer.level_source, Some(ValueSource::Passport));
    let entry = &catalogue().standards[0].passport_cards[6];
    assert_eq!(
        (entry.number, entry.name.as_str(), entry.level),
        (7, "IT-дизайнер", 4)
    );
    assert_eq!(entry.card_id.as_deref(), Some("J62011053/7"));
    assert!(OUTCOME.problems.iter().any(|p| {
        p.kind == ProblemKind::FilledFromPassport
            && p.card.as_ref().is_some_and(|c| c.id == "J62011053/7")
            && p.field == "level"
    }));
    // 40 cards give their own level, 78 leave it to the passport; none disagree.
    let from_card = catalogue()
        .cards()
        .filter(|c| c.level_source == Some(ValueSource::Card))
        .count();
    let from_passport = catalogue()
        .cards()
        .filter(|c| c.level_source == Some(ValueSource::Passport))
        .count();
    assert_eq!((from_card, from_passport), (40, 78));
    assert!(!OUTCOME
        .problems
        .iter()
        .any(|p| p.field == "level" && p.kind == ProblemKind::Mismatch));
}

#[test]
fn spot_values_across_standards() {
    // J63999054 card 9, lines 2933-2951: the section's damaged name is kept as written.
    let content = card_by_id("J63999054/1");
    assert_eq!(content.occupation_code.as_deref(), Some("2529-0-003"));
    assert_eq!(content.level, Some(4));
    let function = &content.mandatory_functions[0];
    assert!(
        function
            .name
            .starts_with("Мәтіндік терді енгізу және өңдеу"),
        "{}",
        function.name
    );
    assert_eq!(function.skills[0].name, "Контентті өңдеу");
    assert_eq!(
        function.skills[0].abilities[0],
        "Мәтіндік құжаттарды теру және өңдеу."
    );

    // J062 card 10, lines 12722-12734: a wrapped knowledge item is joined to the item before.
    let (_, found) = catalogue()
        .skill("J062/2/f2/s3")
        .expect("skill J062/2/f2/s3");
    assert_eq!(
        found.skill.knowledge[3],
        "Вики-жүйелер ұғымдары, негізгі принциптері, Вики-жүйелерінің жұмыс істеуі; қазіргі уақытта вики жүйелерін құруға және қолдауға арналған кең таралған бағдарламалық қамтылым, олардың негізгілері, функционалдық мүмкіндіктері және техникалық сипаттамалары."
    );

    // J068 card 12, line 15137: a function name written on the label's line.
    let ai = card("2519-9-003", 7);
    assert_eq!(
        ai.mandatory_functions[1].name,
        "Эксперттік жүйені әзірлеу процестеріне жетекшілік ету"
    );
    // J068 card 10, line 14264: a skill name written on the label's line.
    let (_, tests) = catalogue()
        .skill("J068/2/f2/s1")
        .expect("skill J068/2/f2/s1");
    assert_eq!(tests.skill.name, "Жасанды интеллект жүйелерін тестілеу");

    // J065 card 9, lines 18855-18896: the only additional labour function.
    let coach = card_by_id("J065/1");
    assert_eq!(coach.name, "Спорттық бағдарламалау бойынша жаттықтырушы");
    assert_eq!(
        (coach.level, coach.level_source),
        (Some(6), Some(ValueSource::Passport))
    );
    assert_eq!(coach.occupation_code, None);
    assert_eq!(coach.mandatory_functions.len(), 3);
    let additional = &coach.additional_functions[0];
    assert_eq!(
        (additional.id.as_str(), additional.name.as_str()),
        ("J065/1/a1", "Олимпиадаларды ұйымдастыру және өткізу")
    );
    let organise = &additional.skills[0];
    assert_eq!(organise.name, "Жарысты ұйымдастыру");
    assert_eq!(organise.abilities[0], "Жарыс регламентін әзірлеу");
    assert_eq!(
        organise.knowledge[3],
        "Қауіпсіздік техникасы, ақпараттық қауіпсіздік талаптары"
    );
    assert_eq!(organise.recognition.as_deref(), Some("Ұсынылады"));
    let (_, function, kind) = catalogue().labour_function("J065/1/a1").expect("J065/1/a1");
    assert_eq!(
        (function.source_line, kind),
        (18855, FunctionKind::Additional)
    );

    // J073 card 9, lines 29047-29180.
    let architect = card("2512-1-006", 7);
    assert_eq!(architect.id, "J073/1");
    assert_eq!(architect.level_source, Some(ValueSource::Card));
    assert_eq!(
        architect.education[0].level.as_deref(),
        Some("жоғары оқу орнынан кейінгі білім (магистратура, резидентура)")
    );
    assert_eq!(
        architect.other_names,
        ["2512-1-007 - Бағдарламалық қамтамасыз етуді әзірлеуші"]
    );
    let strategy = &architect.mandatory_functions[0].skills[0];
    assert_eq!(
        strategy.name,
        "Стратегиялық жоспарлау және архитектуралық стратегияны әзірлеу"
    );
    assert_eq!(
        strategy.knowledge[1],
        "Негізгі архитектуралық метамодельдер, фреймворктер және әдіснамалар"
    );

    // J075 card 10, line 35795: level 3 comes from passport item 2) (line 35539).
    let operator = card("3122-2-006", 3);
    assert_eq!(
        operator.name,
        "Өнеркәсіптік роботтарды күтіп-ұстау жөніндегі техник-оператор"
    );
    assert_eq!(operator.level_source, Some(ValueSource::Passport));

    // J077 card 17, line 41381: the last card of the order.
    let games = catalogue().cards().last().expect("cards");
    assert_eq!(
        (
            games.id.as_str(),
            games.occupation_code.as_deref(),
            games.level
        ),
        ("J077/9", Some("2512-3-004"), Some(5))
    );
    assert_eq!(games.name, "Компьютерлік ойындарды әзірлеу жөніндегі маман");
}

#[test]
fn every_card_has_functions_and_every_function_skills() {
    for card in catalogue().cards() {
        assert!(
            !card.mandatory_functions.is_empty(),
            "{} has no mandatory function",
            card.id
        );
        assert!(card.level.is_some(), "{} has no level", card.id);
        for (function, _) in card.labour_functions() {
            assert!(!function.name.is_empty(), "{}", function.id);
            assert!(!function.skills.is_empty(), "{} has no skill", function.id);
            for skill in &function.skills {
                assert!(
                    !skill.name.is_empty()
                        && !skill.abilities.is_empty()
                        && !skill.knowledge.is_empty(),
                    "{}",
                    skill.id
                );
            }
        }
    }
    assert!(
        !OUTCOME.has_errors(),
        "{:#?}",
        OUTCOME
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .collect::<Vec<_>>()
    );
}

#[test]
fn ids_are_unique_and_occupation_code_with_level_finds_one_card() {
    let mut ids = std::collections::HashSet::new();
    for card in catalogue().cards() {
        assert!(ids.insert(card.id.clone()), "{}", card.id);
        for skill in card.skills() {
            assert!(ids.insert(skill.skill.id.clone()), "{}", skill.skill.id);
        }
        if let (Some(code), Some(level)) = (&card.occupation_code, card.level) {
            assert_eq!(
                catalogue().cards_for_occupation(code, level).count(),
                1,
                "{code} at {level}"
            );
        }
    }
}

#[test]
fn problems_on_the_real_file_are_the_documented_ones() {
    let count = |severity: Severity, kind: ProblemKind, field: &str| {
        OUTCOME
            .problems
            .iter()
            .filter(|p| p.severity == severity && p.kind == kind && p.field == field)
            .count()
    };
    assert_eq!(
        count(Severity::Warning, ProblemKind::Missing, "occupation_code"),
        31
    );
    assert_eq!(
        count(Severity::Warning, ProblemKind::Malformed, "occupation_code"),
        1
    );
    assert_eq!(
        count(Severity::Warning, ProblemKind::Malformed, "group_code"),
        3
    );
    assert_eq!(
        count(Severity::Notice, ProblemKind::FilledFromPassport, "level"),
        78
    );
    assert_eq!(count(Severity::Notice, ProblemKind::Mismatch, "name"), 16);
    assert_eq!(
        count(
            Severity::Notice,
            ProblemKind::Mismatch,
            "labour_function.name"
        ),
        29
    );
    assert_eq!(
        OUTCOME.problems.len(),
        158,
        "docs/COMPETENCIES.md lists every kind of problem with its count"
    );
    // Card 10 of J058 (line 4292) has its group code where the occupation code should be.
    let malformed = OUTCOME
        .problems
        .iter()
        .find(|p| p.field == "occupation_code" && p.kind == ProblemKind::Malformed)
        .expect("one malformed occupation code");
    assert_eq!(
        (
            malformed.line,
            malformed.card.as_ref().map(|c| c.id.as_str())
        ),
        (4292, Some("J058/2"))
    );
}

#[test]
fn the_committed_catalogue_is_what_the_parser_produces() {
    let path = crate_dir().join(CATALOGUE_PATH);
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let generated = catalogue()
        .to_json_pretty()
        .expect("the catalogue serialises");
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or(0, |i| i + 1);
        panic!(
            "{} differs from the parser's output (first at line {line}); regenerate it with `cargo run -p qamqor-standards-catalogue`",
            path.display()
        );
    }
    assert_eq!(
        &Catalogue::from_json(&committed).expect("the committed catalogue parses"),
        catalogue()
    );
}
