//! The Copenhagen Burnout Inventory (Kristensen, Borritz, Villadsen & Christensen, 2005,
//! Work & Stress 19(3)): 19 items in three scales, scored per the published rules.
//!
//! Answers are given as 0..=4 from "never / to a very low degree" (0) to "always / to a very
//! high degree" (4) and scored 0, 25, 50, 75, 100; item 13 ("enough energy for family and
//! friends") is reverse-scored. A scale's score is the mean of its answered items; a scale with
//! fewer than three answered items is not scored (the authors' non-responder rule), which is
//! how a person without clients skips the client-related scale.

use serde::{Deserialize, Serialize};

use crate::error::{Error, InvalidReason, Result};
use crate::model::Language;

/// Number of items in the questionnaire.
pub const CBI_ITEM_COUNT: usize = 19;
/// Scores at or above this are commonly read as high burnout (Kristensen et al.; Borritz 2006).
pub const CBI_HIGH_THRESHOLD: f64 = 50.0;

/// The three scales of the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CbiScale {
    Personal,
    WorkRelated,
    ClientRelated,
}

/// Which answer labels an item uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CbiAnswerKind {
    /// Never / almost never .. always.
    Frequency,
    /// To a very low degree .. to a very high degree.
    Degree,
}

/// One item of the questionnaire, with its text in the requested language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CbiItem {
    /// 1-based item number as published.
    pub number: u8,
    pub scale: CbiScale,
    pub answer_kind: CbiAnswerKind,
    pub reverse_scored: bool,
    pub text: String,
}

/// Scores of one completed questionnaire, 0-100 per scale (`None` when not scored).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CbiScores {
    pub personal: Option<f64>,
    pub work_related: Option<f64>,
    pub client_related: Option<f64>,
}

struct ItemDef {
    scale: CbiScale,
    kind: CbiAnswerKind,
    reverse: bool,
    en: &'static str,
    ru: &'static str,
    kk: &'static str,
}

const fn item(scale: CbiScale, kind: CbiAnswerKind, reverse: bool, en: &'static str, ru: &'static str, kk: &'static str) -> ItemDef {
    ItemDef { scale, kind, reverse, en, ru, kk }
}

use CbiAnswerKind::{Degree, Frequency};
use CbiScale::{ClientRelated, Personal, WorkRelated};

const ITEMS: [ItemDef; CBI_ITEM_COUNT] = [
    item(Personal, Frequency, false, "How often do you feel tired?", "Как часто вы чувствуете усталость?", "Қаншалықты жиі шаршағанын сезінесіз?"),
    item(Personal, Frequency, false, "How often are you physically exhausted?", "Как часто вы физически истощены?", "Қаншалықты жиі физикалық тұрғыдан қажисыз?"),
    item(Personal, Frequency, false, "How often are you emotionally exhausted?", "Как часто вы эмоционально истощены?", "Қаншалықты жиі эмоционалдық тұрғыдан қажисыз?"),
    item(Personal, Frequency, false, "How often do you think: \"I can't take it anymore\"?", "Как часто вы думаете: «Я больше не могу»?", "Қаншалықты жиі «Енді шыдай алмаймын» деп ойлайсыз?"),
    item(Personal, Frequency, false, "How often do you feel worn out?", "Как часто вы чувствуете себя измотанным?", "Қаншалықты жиі әбден титықтағаныңызды сезінесіз?"),
    item(Personal, Frequency, false, "How often do you feel weak and susceptible to illness?", "Как часто вы чувствуете слабость и подверженность болезням?", "Қаншалықты жиі әлсіздікті және ауруға бейімділікті сезінесіз?"),
    item(WorkRelated, Degree, false, "Is your work emotionally exhausting?", "Эмоционально ли истощает вас ваша работа?", "Жұмысыңыз сізді эмоционалдық тұрғыдан қажыта ма?"),
    item(WorkRelated, Degree, false, "Do you feel burnt out because of your work?", "Чувствуете ли вы выгорание из-за своей работы?", "Жұмысыңыздың салдарынан күйзеліп, жанып кеткендей сезінесіз бе?"),
    item(WorkRelated, Degree, false, "Does your work frustrate you?", "Разочаровывает ли вас ваша работа?", "Жұмысыңыз көңіліңізді қалдыра ма?"),
    item(WorkRelated, Frequency, false, "Do you feel worn out at the end of the working day?", "Чувствуете ли вы себя измотанным в конце рабочего дня?", "Жұмыс күнінің соңында әбден шаршағаныңызды сезінесіз бе?"),
    item(WorkRelated, Frequency, false, "Are you exhausted in the morning at the thought of another day at work?", "Чувствуете ли вы истощение утром при мысли о новом рабочем дне?", "Таңертең тағы бір жұмыс күні туралы ойлағанда қажығаныңызды сезінесіз бе?"),
    item(WorkRelated, Frequency, false, "Do you feel that every working hour is tiring for you?", "Чувствуете ли вы, что каждый рабочий час вас утомляет?", "Әр жұмыс сағаты сізді шаршататындай сезіле ме?"),
    item(WorkRelated, Frequency, true, "Do you have enough energy for family and friends during leisure time?", "Хватает ли вам сил на семью и друзей в свободное время?", "Бос уақытыңызда отбасы мен достарыңызға күш-қуатыңыз жете ме?"),
    item(ClientRelated, Degree, false, "Do you find it hard to work with clients?", "Трудно ли вам работать с клиентами?", "Клиенттермен жұмыс істеу сізге қиын ба?"),
    item(ClientRelated, Degree, false, "Do you find it frustrating to work with clients?", "Разочаровывает ли вас работа с клиентами?", "Клиенттермен жұмыс көңіліңізді қалдыра ма?"),
    item(ClientRelated, Degree, false, "Does it drain your energy to work with clients?", "Отнимает ли у вас силы работа с клиентами?", "Клиенттермен жұмыс күш-қуатыңызды сарқа ма?"),
    item(ClientRelated, Degree, false, "Do you feel that you give more than you get back when you work with clients?", "Чувствуете ли вы, что отдаёте больше, чем получаете, работая с клиентами?", "Клиенттермен жұмыс істегенде алғаныңыздан көп беретіндей сезінесіз бе?"),
    item(ClientRelated, Frequency, false, "Are you tired of working with clients?", "Устали ли вы работать с клиентами?", "Клиенттермен жұмыс істеуден шаршадыңыз ба?"),
    item(ClientRelated, Frequency, false, "Do you sometimes wonder how long you will be able to continue working with clients?", "Задумываетесь ли вы, как долго ещё сможете работать с клиентами?", "Клиенттермен қанша уақыт жұмыс істей алатыныңыз туралы ойланасыз ба?"),
];

/// The items of the questionnaire in a language, in published order.
pub fn cbi_items(language: Language) -> Vec<CbiItem> {
    ITEMS
        .iter()
        .enumerate()
        .map(|(i, d)| CbiItem {
            number: (i + 1) as u8,
            scale: d.scale,
            answer_kind: d.kind,
            reverse_scored: d.reverse,
            text: match language {
                Language::En => d.en,
                Language::Ru => d.ru,
                Language::Kk => d.kk,
            }
            .to_string(),
        })
        .collect()
}

/// The answer labels, from 0 (least) to 4 (most), for an answer kind in a language.
pub fn cbi_answer_labels(kind: CbiAnswerKind, language: Language) -> [&'static str; 5] {
    match (kind, language) {
        (Frequency, Language::En) => ["Never / almost never", "Seldom", "Sometimes", "Often", "Always"],
        (Frequency, Language::Ru) => ["Никогда / почти никогда", "Редко", "Иногда", "Часто", "Всегда"],
        (Frequency, Language::Kk) => ["Ешқашан / дерлік ешқашан", "Сирек", "Кейде", "Жиі", "Әрқашан"],
        (Degree, Language::En) => ["To a very low degree", "To a low degree", "Somewhat", "To a high degree", "To a very high degree"],
        (Degree, Language::Ru) => ["В очень малой степени", "В малой степени", "Отчасти", "В большой степени", "В очень большой степени"],
        (Degree, Language::Kk) => ["Өте аз дәрежеде", "Аз дәрежеде", "Ішінара", "Жоғары дәрежеде", "Өте жоғары дәрежеде"],
    }
}

/// Validates 19 answers (each `None` or 0..=4) and scores them per the published rules.
pub fn score_cbi(answers: &[Option<u8>]) -> Result<CbiScores> {
    if answers.len() != CBI_ITEM_COUNT {
        return Err(Error::invalid(
            "answers",
            InvalidReason::OutOfRange,
            format!("the questionnaire has {CBI_ITEM_COUNT} items, got {} answers", answers.len()),
        ));
    }
    for (i, a) in answers.iter().enumerate() {
        if let Some(v) = a {
            if *v > 4 {
                return Err(Error::invalid(
                    format!("answers[{}]", i + 1),
                    InvalidReason::OutOfRange,
                    format!("item {} answer must be 0 to 4, got {v}", i + 1),
                ));
            }
        }
    }
    let scale = |s: CbiScale| {
        let scores: Vec<f64> = ITEMS
            .iter()
            .zip(answers)
            .filter(|(d, _)| d.scale == s)
            .filter_map(|(d, a)| a.map(|v| if d.reverse { 100.0 - 25.0 * f64::from(v) } else { 25.0 * f64::from(v) }))
            .collect();
        (scores.len() >= 3).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
    };
    let scores = CbiScores {
        personal: scale(Personal),
        work_related: scale(WorkRelated),
        client_related: scale(ClientRelated),
    };
    if scores.personal.is_none() && scores.work_related.is_none() && scores.client_related.is_none() {
        return Err(Error::invalid(
            "answers",
            InvalidReason::Empty,
            "answer at least three items of one scale",
        ));
    }
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_have_published_sizes_and_one_reversed_item() {
        let items = cbi_items(Language::En);
        let count = |s| items.iter().filter(|i| i.scale == s).count();
        assert_eq!((count(Personal), count(WorkRelated), count(ClientRelated)), (6, 7, 6));
        let reversed: Vec<u8> = items.iter().filter(|i| i.reverse_scored).map(|i| i.number).collect();
        assert_eq!(reversed, vec![13]);
        for lang in [Language::Kk, Language::Ru] {
            assert!(cbi_items(lang).iter().all(|i| !i.text.is_empty() && i.text != items[(i.number - 1) as usize].text));
        }
    }

    #[test]
    fn scoring_follows_the_manual() {
        // All "always" (4): 100 everywhere except item 13, which scores 0.
        let all_max = vec![Some(4); 19];
        let s = score_cbi(&all_max).unwrap();
        assert_eq!(s.personal, Some(100.0));
        assert!((s.work_related.unwrap() - 600.0 / 7.0).abs() < 1e-9);
        assert_eq!(s.client_related, Some(100.0));

        // Personal: 2,2,2,3,3,3 -> 50,50,50,75,75,75 -> 62.5.
        let mut a = vec![None; 19];
        for (i, v) in [2, 2, 2, 3, 3, 3].into_iter().enumerate() {
            a[i] = Some(v);
        }
        let s = score_cbi(&a).unwrap();
        assert_eq!(s.personal, Some(62.5));
        assert_eq!(s.work_related, None);
        assert_eq!(s.client_related, None);
    }

    #[test]
    fn fewer_than_three_answers_leave_a_scale_unscored() {
        let mut a = vec![Some(1); 19];
        for x in a.iter_mut().skip(13) {
            *x = None;
        }
        a[13] = Some(2);
        a[14] = Some(2);
        let s = score_cbi(&a).unwrap();
        assert_eq!(s.client_related, None);
        assert_eq!(s.personal, Some(25.0));
    }

    #[test]
    fn bad_answers_are_rejected_with_the_item() {
        let mut a = vec![Some(1); 19];
        a[6] = Some(5);
        match score_cbi(&a) {
            Err(Error::Invalid { field, reason, .. }) => {
                assert_eq!(field, "answers[7]");
                assert_eq!(reason, InvalidReason::OutOfRange);
            }
            other => panic!("expected invalid, got {other:?}"),
        }
        assert!(score_cbi(&[Some(1); 18]).is_err());
        assert!(matches!(score_cbi(&[None; 19]), Err(Error::Invalid { reason: InvalidReason::Empty, .. })));
    }
}

/// A stored questionnaire response with its scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CbiResponse {
    pub id: String,
    pub answered_at: chrono::DateTime<chrono::Utc>,
    /// The 19 answers as given (0..=4, `None` when skipped).
    pub answers: Vec<Option<u8>>,
    pub scores: CbiScores,
}

impl From<crate::storage::dao::CbiRow> for CbiResponse {
    fn from(r: crate::storage::dao::CbiRow) -> Self {
        CbiResponse {
            id: r.id,
            answered_at: r.answered_at,
            answers: r.answers,
            scores: CbiScores { personal: r.personal, work_related: r.work_related, client_related: r.client_related },
        }
    }
}
