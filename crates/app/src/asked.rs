//! What a request asks for, so that a refusal is audited naming it ("who tried to see this family"
//! must be answerable, SECURITY.md property 7). The route's gate reads the object from the path
//! (`/api/v1/cases/{id}/documents` asks about a case) and puts it on the `Caller`; whoever refuses the
//! request (the gate, `app::authorize`, `app::found`, or any other 403/404 the gate sees leave)
//! audits it once, naming that object. Only identifiers are recorded, and only when the path's
//! text is a well-formed identifier: anything else a person typed could be personal data.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The object a request's path names: its kind, as the audit log spells it, and its id as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskedObject {
    pub object_type: &'static str,
    pub object_id: Option<String>,
}

/// The request's object, and whether a refusal of the request has been audited yet (shared by every
/// copy of the `Caller`).
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub object: Option<AskedObject>,
    audited: Arc<AtomicBool>,
}

impl Asked {
    pub fn new(object: Option<AskedObject>) -> Asked {
        Asked {
            object,
            audited: Arc::default(),
        }
    }
    /// Records that the refusal has been audited.
    pub fn mark_audited(&self) {
        self.audited.store(true, Ordering::SeqCst);
    }
    pub fn is_audited(&self) -> bool {
        self.audited.load(Ordering::SeqCst)
    }
}

/// The kind of object a path segment lists, for the first `{…}` parameter that follows it. Routes
/// whose parameter is a secret (`/calendar/{token}`, `/setup/{token}`) or a file are not here, so
/// their text is never recorded.
fn kind_of(collection: &str) -> Option<&'static str> {
    Some(match collection {
        "cases" | "referrals" => "case",
        // `/my-account/receipts/{id}/…` and `/my-account/statements/{id}/…` name the case.
        "receipts" | "statements" => "case",
        "bookings" => "booking",
        "documents" => "document",
        "reports" | "my-reports" => "report",
        "invoices" => "invoice",
        "concerns" => "concern",
        "pre-visits" => "pre_visit",
        "observations" => "observation_record",
        "notices" => "notice",
        "centres" => "centre",
        "rooms" => "room",
        "users" | "staff" => "user",
        "tokens" => "api_token",
        "calendar-feeds" => "calendar_feed",
        _ => return None,
    })
}

/// The object named by the first parameter of `route` (a template such as `/cases/{id}/money`), read
/// from `path`, the request's actual path.
pub fn from_route(route: &str, path: &str) -> Option<AskedObject> {
    let mut previous = "";
    for (template, actual) in route.split('/').zip(path.split('/')) {
        if template.starts_with('{') && template.ends_with('}') {
            let object_type = kind_of(previous)?;
            let object_id = uuid::Uuid::try_parse(actual).ok().map(|id| id.hyphenated().to_string());
            return Some(AskedObject { object_type, object_id });
        }
        previous = template;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "01890a5d-ac96-774b-bcce-b302099a8057";

    fn asked(route: &str, path: &str) -> Option<(&'static str, Option<String>)> {
        from_route(route, path).map(|a| (a.object_type, a.object_id))
    }

    #[test]
    fn denied_read_audit_names_the_first_object_of_the_path() {
        assert_eq!(
            asked("/api/v1/cases/{id}/documents", &format!("/api/v1/cases/{ID}/documents")),
            Some(("case", Some(ID.into())))
        );
        assert_eq!(
            asked("/documents/{id}", &format!("/documents/{ID}")),
            Some(("document", Some(ID.into())))
        );
        assert_eq!(
            asked("/cases/{id}/receipts/{entry}", &format!("/cases/{ID}/receipts/x")),
            Some(("case", Some(ID.into())))
        );
        assert_eq!(
            asked(
                "/my-account/receipts/{id}/{entry}",
                &format!("/my-account/receipts/{ID}/x")
            ),
            Some(("case", Some(ID.into())))
        );
        assert_eq!(asked("/api/v1/cases", "/api/v1/cases"), None);
    }

    #[test]
    fn denied_read_audit_records_only_identifiers_never_typed_text_or_secrets() {
        assert_eq!(
            asked("/cases/{id}", "/cases/jo@example.org"),
            Some(("case", None)),
            "not an identifier: the kind only"
        );
        assert_eq!(
            asked("/reports/{id}", &format!("/reports/{}", ID.to_uppercase())),
            Some(("report", Some(ID.into()))),
            "written the one way"
        );
        assert_eq!(asked("/calendar/{token}", &format!("/calendar/{ID}")), None);
        assert_eq!(asked("/setup/{token}", &format!("/setup/{ID}")), None);
    }
}
