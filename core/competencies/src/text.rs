//! The whitespace normalisations, in one place (documented in `docs/COMPETENCIES.md`).
//!
//! The source is a table flattened to text: a line holding only tabs separates table cells,
//! blank lines separate paragraphs within a cell, and no-break spaces (U+00A0) indent items.
//! None of that layout carries meaning here, so the parser works on non-empty paragraphs.

use std::sync::LazyLock;

use regex::Regex;

/// One non-empty line of the source with its whitespace normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Para {
    /// 1-based line number in the source.
    pub line: usize,
    /// The text: every whitespace run (spaces, tabs, U+00A0) is one space; trimmed.
    pub text: String,
}

/// Splits the source into normalised, non-empty paragraphs.
pub(crate) fn paragraphs(source: &str) -> Vec<Para> {
    source
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let text = collapse_whitespace(line);
            (!text.is_empty()).then_some(Para {
                line: index + 1,
                text,
            })
        })
        .collect()
}

/// Every run of Unicode whitespace becomes one space; leading and trailing whitespace goes.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cell that says "nothing here": a lone dash.
pub(crate) fn is_placeholder(text: &str) -> bool {
    matches!(text, "-" | "–" | "—")
}

/// A single value spread over paragraphs: joined with one space; `None` if empty or a dash.
pub(crate) fn scalar<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let kept: Vec<&str> = parts
        .into_iter()
        .filter(|p| !p.is_empty() && !is_placeholder(p))
        .collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}

static ENUMERATOR: LazyLock<Regex> = LazyLock::new(|| {
    // "1. X", "1.X", "1 .X", "1) X", "3 X" (number, space, capital), and the doubled "2.2. X".
    Regex::new(r"^(\d{1,2})(?:\s*[.)]\s*(?:(\d{1,2})\.\s+)?(\S.*)|\s+(\p{Lu}.*))$")
        .expect("valid regex")
});

/// The item text without its leading number, or `None` if the paragraph is not numbered.
pub(crate) fn strip_enumerator(text: &str) -> Option<&str> {
    let captures = ENUMERATOR.captures(text)?;
    let rest = captures.get(3).or_else(|| captures.get(4))?.as_str();
    match (captures.get(1), captures.get(2)) {
        // "2.2. X": the second number repeats the first, drop both.
        (Some(first), Some(second)) if first.as_str() == second.as_str() => Some(rest),
        // "1. 2. X" with different numbers: keep the second, it is part of the text.
        (_, Some(second)) => text.get(second.start()..),
        _ => Some(rest),
    }
}

/// The items of a list cell. In a numbered list, each number starts an item and an
/// un-numbered paragraph continues the item before it (a wrapped line); in an un-numbered
/// list every paragraph is an item. Dash placeholders are dropped.
pub(crate) fn list_items<'a>(parts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let parts: Vec<&str> = parts
        .into_iter()
        .filter(|p| !p.is_empty() && !is_placeholder(p))
        .collect();
    let numbered = parts.iter().any(|p| strip_enumerator(p).is_some());
    let mut items: Vec<String> = Vec::new();
    for part in parts {
        match (numbered, strip_enumerator(part), items.last_mut()) {
            (true, Some(item), _) => items.push(item.to_owned()),
            (true, None, Some(previous)) => {
                previous.push(' ');
                previous.push_str(part);
            }
            _ => items.push(part.to_owned()),
        }
    }
    items
}

/// Whether two names say the same thing, ignoring case, whitespace, dash spacing and a
/// trailing full stop (used only to decide whether to report a mismatch).
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    fn key(text: &str) -> String {
        let lower = text.to_lowercase().replace(['–', '—'], "-");
        let compact: String = lower
            .split(|c: char| c.is_whitespace())
            .collect::<Vec<_>>()
            .concat();
        compact.trim_end_matches(['.', ';', ':']).to_owned()
    }
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_drop_layout_and_keep_line_numbers() {
        let source = "\u{a0}\u{a0} 4. Атауы:\u{a0}X. \n\n\t\n\t\nБілімдер:\n";
        let paras = paragraphs(source);
        assert_eq!(
            paras,
            [
                Para {
                    line: 1,
                    text: "4. Атауы: X.".into()
                },
                Para {
                    line: 5,
                    text: "Білімдер:".into()
                }
            ]
        );
    }

    #[test]
    fn enumerators_in_every_shape_are_stripped() {
        assert_eq!(
            strip_enumerator("1. Авторлық құқық."),
            Some("Авторлық құқық.")
        );
        assert_eq!(strip_enumerator("5.Жобаның эскизі"), Some("Жобаның эскизі"));
        assert_eq!(strip_enumerator("1 .Деректерге"), Some("Деректерге"));
        assert_eq!(strip_enumerator("3 Қолданыстағы"), Some("Қолданыстағы"));
        assert_eq!(strip_enumerator("2.2. Аспаптық"), Some("Аспаптық"));
        assert_eq!(strip_enumerator("10) Бұлттық"), Some("Бұлттық"));
        assert_eq!(strip_enumerator("1. 3D модельдеу"), Some("3D модельдеу"));
        assert_eq!(strip_enumerator("3D модельдеу"), None);
        assert_eq!(strip_enumerator("2 жыл"), None);
        assert_eq!(strip_enumerator("Жауапкершілік;"), None);
    }

    #[test]
    fn wrapped_lines_join_the_item_before() {
        let items = list_items(["1. Вики-жүйелер;", "қазіргі уақытта вики", "2. Хостинг."]);
        assert_eq!(items, ["Вики-жүйелер; қазіргі уақытта вики", "Хостинг."]);
    }

    #[test]
    fn unnumbered_lists_keep_each_paragraph() {
        assert_eq!(
            list_items(["Жауапкершілік;", "-", "Орындаушылық."]),
            ["Жауапкершілік;", "Орындаушылық."]
        );
        assert!(list_items(["-"]).is_empty());
    }

    #[test]
    fn scalars_join_paragraphs_and_treat_dash_as_empty() {
        assert_eq!(
            scalar(["Мәтіндік", "терді енгізу"]),
            Some("Мәтіндік терді енгізу".into())
        );
        assert_eq!(scalar(["-", "–"]), None);
        assert_eq!(scalar([]), None);
    }

    #[test]
    fn names_compare_loosely() {
        assert!(same_name("IT - дизайнер", "IT-дизайнер"));
        assert!(same_name("QA – Инженер", "qa-инженер."));
        assert!(!same_name("Веб-сайт әкімшісі", "Web-сайт әкімшісі"));
    }
}
