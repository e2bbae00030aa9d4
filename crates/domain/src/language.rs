//! The languages familytime writes in, and which of them a reader is written to in: a person's
//! own choice, else their organisation's default; a letter from an organisation that writes
//! bilingually is in Welsh first, then English (the Welsh Language Standards). The words themselves
//! are in `familytime-i18n`; this is the rule, with no words.

/// A language familytime writes in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English: the source language, and the default of an organisation that has not chosen.
    #[default]
    En,
    Cy,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Cy];

    /// The code in `?lang=`, the cookie and the catalogue folder.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
        }
    }

    /// The page's `<html lang>`: British English, Welsh.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::Cy => "cy",
        }
    }

    /// The language's name in itself, for the link that switches to it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Cy => "Cymraeg",
        }
    }

    /// The language a page offers to switch to.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Cy,
            Lang::Cy => Lang::En,
        }
    }

    /// A language tag (`cy`, `cy-GB`, `EN-gb`, `en_GB`); anything else is `None`, never an error.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }

    /// The language a browser prefers most among ours, from `Accept-Language`
    /// (`cy-GB,cy;q=0.9,en;q=0.5`). Unknown tags, `*` and `q=0` are passed over.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut offered: Vec<(u16, Lang)> = header
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let lang = Lang::parse(parts.next()?)?;
                // The weight in thousandths; a weight that is not a number drops the tag.
                let quality = match parts.find_map(|p| p.trim().strip_prefix("q=")) {
                    None => 1000,
                    Some(q) => (q.trim().parse::<f32>().ok()?.clamp(0.0, 1.0) * 1000.0) as u16,
                };
                (quality > 0).then_some((quality, lang))
            })
            .collect();
        // Stable: among equal weights the browser's own order stands.
        offered.sort_by_key(|(quality, _)| std::cmp::Reverse(*quality));
        offered.first().map(|(_, lang)| *lang)
    }
}

/// A person's choice of the language they read in, as a form or the API sends it: a language's
/// code, or anything else (`default`, blank, a code we do not write in) for the organisation's
/// default. An unknown code is never an error: it falls back to the default.
pub fn choice(text: &str) -> Option<Lang> {
    Lang::parse(text)
}

/// The language a page is written in (decision 0039): what the address asked for, else what the
/// cookie remembers, else the signed-in reader's own choice, else what the browser prefers, else
/// the organisation's default (asked for only when nothing else decided, as it costs a read).
pub fn page_language(
    asked: Option<Lang>,
    remembered: Option<Lang>,
    own: Option<Lang>,
    browser: Option<Lang>,
    organisation_default: impl FnOnce() -> Option<Lang>,
) -> Lang {
    asked
        .or(remembered)
        .or(own)
        .or(browser)
        .or_else(organisation_default)
        .unwrap_or_default()
}

/// How an organisation writes to the people it serves (decision 0039).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LanguagePolicy {
    /// The language of a person who has not chosen one.
    pub default: Lang,
    /// Letters and documents sent to families in Welsh and English together, Welsh first.
    pub bilingual_letters: bool,
}

impl LanguagePolicy {
    /// The language a person reads pages and messages in.
    pub fn for_reader(&self, preferred: Option<Lang>) -> Lang {
        preferred.unwrap_or(self.default)
    }

    /// The languages a letter or document to a person is written in, in the order they are printed.
    pub fn for_letter(&self, preferred: Option<Lang>) -> Vec<Lang> {
        if self.bilingual_letters {
            vec![Lang::Cy, Lang::En]
        } else {
            vec![self.for_reader(preferred)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_read_leniently() {
        assert_eq!(Lang::parse("cy"), Some(Lang::Cy));
        assert_eq!(Lang::parse(" CY-gb "), Some(Lang::Cy));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::parse("cym"), None);
    }

    #[test]
    fn accept_language_picks_the_most_wanted_of_ours() {
        assert_eq!(Lang::from_accept_language("cy-GB,cy;q=0.9,en;q=0.5"), Some(Lang::Cy));
        assert_eq!(Lang::from_accept_language("fr, en;q=0.4, cy;q=0.8"), Some(Lang::Cy));
        assert_eq!(Lang::from_accept_language("en-GB, cy"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("cy;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de, *"), None);
        assert_eq!(Lang::from_accept_language("cy;q=junk"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn welsh_a_page_is_in_the_asked_then_remembered_then_own_then_browser_then_organisations_language() {
        use Lang::*;
        let never = || -> Option<Lang> { panic!("the organisation's default is not needed") };
        assert_eq!(page_language(Some(Cy), Some(En), Some(En), Some(En), never), Cy);
        assert_eq!(page_language(None, Some(Cy), Some(En), Some(En), never), Cy);
        assert_eq!(page_language(None, None, Some(Cy), Some(En), never), Cy);
        assert_eq!(page_language(None, None, None, Some(Cy), never), Cy);
        assert_eq!(page_language(None, None, None, None, || Some(Cy)), Cy);
        assert_eq!(page_language(None, None, None, None, || None), En);
        // An unknown choice is the organisation's default, never an error.
        assert_eq!(choice("cy"), Some(Cy));
        assert_eq!(choice("default"), None);
        assert_eq!(choice("fr"), None);
    }

    #[test]
    fn a_person_reads_their_own_language_else_the_organisations() {
        let welsh_first = LanguagePolicy {
            default: Lang::Cy,
            bilingual_letters: false,
        };
        assert_eq!(welsh_first.for_reader(None), Lang::Cy);
        assert_eq!(welsh_first.for_reader(Some(Lang::En)), Lang::En);
        assert_eq!(welsh_first.for_letter(Some(Lang::En)), vec![Lang::En]);
        assert_eq!(LanguagePolicy::default().for_letter(None), vec![Lang::En]);
    }

    #[test]
    fn a_bilingual_organisations_letters_are_welsh_first_whatever_the_reader_chose() {
        let bilingual = LanguagePolicy {
            default: Lang::En,
            bilingual_letters: true,
        };
        for preferred in [None, Some(Lang::En), Some(Lang::Cy)] {
            assert_eq!(bilingual.for_letter(preferred), vec![Lang::Cy, Lang::En]);
        }
        assert_eq!(bilingual.for_reader(Some(Lang::Cy)), Lang::Cy);
    }
}
