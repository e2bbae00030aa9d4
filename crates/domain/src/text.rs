//! Parsing what people type: trimmed, bounded text, and the list of field errors a form shows in its
//! error summary. Parse, don't validate: a value of these types is already known to be acceptable.

use serde::Serialize;

/// One problem with one field, in words the person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// Every problem with a submitted form, in the order of the form's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn single(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }
    /// Keeps a parsed value, or records its error and yields `None`.
    pub fn take<T>(&mut self, field: &'static str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }
    /// Every message, in order.
    pub fn messages(&self) -> Vec<String> {
        self.0.iter().map(|e| e.message.clone()).collect()
    }
    /// Adds another set of problems after these.
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }
    /// The message for one field, for showing beside it.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

/// Required text: trimmed, not empty, at most `max` characters, no control characters.
pub fn required(label: &str, value: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("Enter {label}"));
    }
    bounded(label, value, max).map(str::to_owned)
}

/// Optional text: trimmed; empty becomes `None`.
pub fn optional(label: &str, value: &str, max: usize) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    bounded(label, value, max).map(|v| Some(v.to_owned()))
}

fn bounded<'a>(label: &str, value: &'a str, max: usize) -> Result<&'a str, String> {
    if value.chars().count() > max {
        return Err(format!("{} must be {max} characters or fewer", capitalise(label)));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(format!("{} contains characters that cannot be used", capitalise(label)));
    }
    Ok(value)
}

fn capitalise(label: &str) -> String {
    let label = label
        .strip_prefix("a ")
        .or_else(|| label.strip_prefix("an "))
        .or_else(|| label.strip_prefix("the "))
        .unwrap_or(label);
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        assert_eq!(required("a name", "  Ann  ", 10), Ok("Ann".to_owned()));
        assert_eq!(required("a name", "   ", 10), Err("Enter a name".to_owned()));
        assert_eq!(
            required("a name", "abcdefghijk", 10),
            Err("Name must be 10 characters or fewer".to_owned())
        );
        assert!(required("a name", "bad\u{0}byte", 10).is_err());
    }

    #[test]
    fn optional_text_is_none_when_blank() {
        assert_eq!(optional("an address", "  ", 10), Ok(None));
        assert_eq!(
            optional("an address", "1 High St", 20),
            Ok(Some("1 High St".to_owned()))
        );
    }
}
