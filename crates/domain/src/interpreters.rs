//! Interpreters (issue 19 item 8, decision 0047): an organisation's interpreters, each with the
//! languages they interpret, and who of a booking's adults an interpreter can be booked for. The
//! interpreter is a resource that must be free like a room: the store holds that with a claim.

use crate::text::{self, FieldErrors};

/// An interpreter as a form or the API gives one, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInterpreter {
    pub name: String,
    /// The languages they interpret, as people write them ("Polish", "Welsh"), each once.
    pub languages: Vec<String>,
}

impl NewInterpreter {
    /// Reads a name and a comma-separated list of languages; every problem named at once.
    pub fn parse(name: &str, languages: &str) -> Result<NewInterpreter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.take("name", text::required("the interpreter's name", name, 200));
        let mut list: Vec<String> = Vec::new();
        match text::required("the languages they interpret", languages, 500) {
            Ok(all) => {
                for language in all.split(',').map(str::trim).filter(|l| !l.is_empty()) {
                    if !list.iter().any(|l| same_language(l, language)) {
                        list.push(language.to_owned());
                    }
                }
                if list.is_empty() {
                    errors.add("languages", "Enter the languages they interpret, like Polish, Romanian");
                }
            }
            Err(message) => errors.add("languages", message),
        }
        match name {
            Some(name) if errors.is_empty() => Ok(NewInterpreter { name, languages: list }),
            _ => Err(errors),
        }
    }

    /// The languages as stored: comma-separated.
    pub fn languages_text(&self) -> String {
        self.languages.join(", ")
    }
}

/// Whether two written languages are the same ("polish" and "Polish ").
pub fn same_language(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Whether an interpreter with these languages (stored, comma-separated) interprets `language`.
pub fn interprets(languages: &str, language: &str) -> bool {
    languages.split(',').any(|l| same_language(l, language))
}

/// Why an interpreter cannot be booked for an adult of a booking, in words (`None`: they can): the
/// adult must need one (their record says so, with the language they speak) and the interpreter
/// must interpret that language.
pub fn fits(
    adult_name: &str,
    needs_interpreter: bool,
    language: Option<&str>,
    interpreter_name: &str,
    interpreter_languages: &str,
) -> Option<String> {
    let language = language.map(str::trim).filter(|l| !l.is_empty());
    match language {
        _ if !needs_interpreter => Some(format!("{adult_name}'s record does not say they need an interpreter")),
        None => Some(format!(
            "{adult_name}'s record does not say which language they speak: add it first"
        )),
        Some(language) if !interprets(interpreter_languages, language) => Some(format!(
            "{interpreter_name} does not interpret {language} (they interpret {interpreter_languages})"
        )),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interpreter_needs_a_name_and_languages_each_once() {
        let ok = NewInterpreter::parse(" Anna Nowak ", "Polish, polish , Russian,").expect("valid");
        assert_eq!(ok.name, "Anna Nowak");
        assert_eq!(ok.languages, vec!["Polish", "Russian"]);
        assert_eq!(ok.languages_text(), "Polish, Russian");
        let bad = NewInterpreter::parse("", " , ").expect_err("both missing");
        assert!(bad.message_for("name").is_some() && bad.message_for("languages").is_some());
    }

    #[test]
    fn an_interpreter_is_booked_only_for_an_adult_who_needs_their_language() {
        assert_eq!(fits("Ola", true, Some("polish"), "Anna", "Polish, Russian"), None);
        assert!(fits("Ola", true, Some("Romanian"), "Anna", "Polish").is_some_and(|m| m.contains("Romanian")));
        assert!(
            fits("Ola", false, Some("Polish"), "Anna", "Polish").is_some_and(|m| m.contains("does not say they need"))
        );
        assert!(fits("Ola", true, None, "Anna", "Polish").is_some_and(|m| m.contains("which language")));
    }
}
