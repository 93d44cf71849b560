//! The panel's languages: Kazakh, Russian and English, from Fluent files in
//! `sync-server/locales/<lang>/panel.ftl`, compiled into the binary (Fluent brings each
//! language's plural rules: "1 адам", "5 человек"). The language is the `qamqor_lang` cookie,
//! else the browser's `Accept-Language`, else Kazakh.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they would end up in CSV cells and
        // attribute values.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language of the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "kk" | "kz" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                let primary = tag.split(['-', '_']).next()?;
                Lang::parse(primary).map(|l| (q, l))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|&(_, l)| l)
    }

    fn id(self) -> LanguageIdentifier {
        // The three codes are valid language tags.
        self.code().parse().unwrap_or_default()
    }

    /// The text of a message.
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(&self.id(), key)
    }

    /// The text of a message with arguments (`{ $count }`).
    pub fn ta(self, key: &str, args: &[(&'static str, FluentArg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.to_value())).collect();
        LOCALES.lookup_with_args(&self.id(), key, &map)
    }

    /// Whether a message exists in this language itself (tests: every key in every language).
    pub fn has(self, key: &str) -> bool {
        // Every argument name the panel uses, so that a message with variables resolves too.
        let args: HashMap<&str, FluentValue> =
            ["count", "k", "week", "period", "from", "to", "page", "pages", "assigned", "people"].into_iter().map(|a| (a, FluentValue::from(1))).collect();
        LOCALES.lookup_no_default_fallback(&self.id(), key, Some(&args)).is_some()
    }
}

/// An argument of a message.
#[derive(Debug, Clone)]
pub enum FluentArg {
    Num(f64),
    Text(String),
}

impl FluentArg {
    fn to_value(&self) -> FluentValue<'static> {
        match self {
            FluentArg::Num(n) => FluentValue::from(*n),
            FluentArg::Text(s) => FluentValue::from(s.clone()),
        }
    }
}

impl From<u32> for FluentArg {
    fn from(n: u32) -> FluentArg {
        FluentArg::Num(f64::from(n))
    }
}

impl From<u64> for FluentArg {
    fn from(n: u64) -> FluentArg {
        FluentArg::Num(n as f64)
    }
}

impl From<&str> for FluentArg {
    fn from(s: &str) -> FluentArg {
        FluentArg::Text(s.to_string())
    }
}

impl From<String> for FluentArg {
    fn from(s: String) -> FluentArg {
        FluentArg::Text(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message key of the English file.
    fn english_keys() -> Vec<String> {
        include_str!("../../locales/en/panel.ftl")
            .lines()
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim()))
            .filter(|k| !k.is_empty() && !k.starts_with('#') && !k.starts_with(' ') && !k.contains(' '))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_message_exists_in_all_three_languages() {
        let keys = english_keys();
        assert!(keys.len() > 100, "{} keys", keys.len());
        for lang in Lang::ALL {
            let missing: Vec<&String> = keys.iter().filter(|k| !lang.has(k)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        assert_eq!(Lang::En.ta("people-count", &[("count", 1u32.into())]), "1 person");
        assert_eq!(Lang::En.ta("people-count", &[("count", 5u32.into())]), "5 people");
        assert_eq!(Lang::Ru.ta("people-count", &[("count", 1u32.into())]), "1 человек");
        assert_eq!(Lang::Ru.ta("people-count", &[("count", 3u32.into())]), "3 человека");
        assert_eq!(Lang::Ru.ta("people-count", &[("count", 5u32.into())]), "5 человек");
        assert_eq!(Lang::Kk.ta("people-count", &[("count", 5u32.into())]), "5 адам");
    }

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Lang::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"), Some(Lang::Ru));
        assert_eq!(Lang::from_accept_language("de-DE,en;q=0.5,kk;q=0.7"), Some(Lang::Kk));
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
