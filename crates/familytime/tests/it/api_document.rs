//! The API document as a contract for programs that read it (issue 28): every operation has its own
//! snake_case id, pinned here so that renaming a Rust function never renames a generated client's
//! method; every path parameter is in its path; and each operation's `security` says what the server
//! really asks for. `scripts/api-client-check` validates the same document with openapi-spec-validator
//! and drives a client generated from it.

use familytime_domain::authz::Action;
use familytime_web::routes::route_table;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// (method, path, operation id): the names generated clients call. Changing one breaks every
/// integration built on it, so a change here is a deliberate, versioned decision.
const OPERATION_IDS: &[(&str, &str, &str)] = &[
    ("GET", "/api/v1/audit", "list_audit_entries"),
    ("GET", "/api/v1/billing/bursary", "get_bursary"),
    ("POST", "/api/v1/billing/bursary", "add_bursary_grant"),
    ("GET", "/api/v1/billing/ledger.csv", "export_ledger_csv"),
    ("GET", "/api/v1/billing/outstanding", "list_outstanding"),
    ("POST", "/api/v1/billing/release-unpaid", "release_unpaid_bookings"),
    ("GET", "/api/v1/bookings/{id}", "get_booking"),
    ("POST", "/api/v1/bookings/{id}/arrival", "set_arrival"),
    ("GET", "/api/v1/interpreters", "list_interpreters"),
    ("POST", "/api/v1/interpreters", "add_interpreter"),
    ("POST", "/api/v1/bookings/{id}/interpreter", "set_booking_interpreter"),
    ("POST", "/api/v1/bookings/{id}/breaches", "record_breach"),
    (
        "POST",
        "/api/v1/bookings/{id}/cancellation-outcome",
        "preview_cancellation",
    ),
    ("POST", "/api/v1/bookings/{id}/move", "move_booking"),
    ("POST", "/api/v1/bookings/{id}/observation", "save_observation"),
    ("GET", "/api/v1/bookings/{id}/record", "get_session_record"),
    ("POST", "/api/v1/bookings/{id}/register", "record_register"),
    ("POST", "/api/v1/bookings/{id}/status", "set_booking_status"),
    ("POST", "/api/v1/bookings/{id}/stop", "stop_session"),
    ("GET", "/api/v1/break-glass", "list_break_glass"),
    ("POST", "/api/v1/calendar-feeds", "create_calendar_feed"),
    ("DELETE", "/api/v1/calendar-feeds/{id}", "revoke_calendar_feed"),
    ("GET", "/api/v1/cases", "list_cases"),
    ("GET", "/api/v1/cases/{id}", "get_case"),
    ("GET", "/api/v1/cases/{id}/account", "get_case_account"),
    ("GET", "/api/v1/cases/{id}/availability", "find_free_times"),
    ("GET", "/api/v1/cases/{id}/bookings", "list_case_bookings"),
    ("POST", "/api/v1/cases/{id}/bookings", "book_sessions"),
    ("POST", "/api/v1/cases/{id}/break-glass", "break_glass"),
    ("PUT", "/api/v1/cases/{id}/distribution", "set_distribution"),
    ("POST", "/api/v1/cases/{id}/documents", "upload_document"),
    ("PUT", "/api/v1/cases/{id}/funding", "set_funding"),
    ("POST", "/api/v1/cases/{id}/invoices", "issue_invoice"),
    ("POST", "/api/v1/cases/{id}/ledger", "record_ledger_entry"),
    ("GET", "/api/v1/cases/{id}/messages", "list_case_messages"),
    ("GET", "/api/v1/cases/{id}/named-staff", "get_named_staff"),
    ("PUT", "/api/v1/cases/{id}/named-staff", "set_named_staff"),
    ("POST", "/api/v1/cases/{id}/never-meet", "add_never_meet"),
    ("GET", "/api/v1/cases/{id}/notices", "list_notices"),
    ("POST", "/api/v1/cases/{id}/notices", "issue_notice"),
    (
        "PUT",
        "/api/v1/cases/{id}/parties/{party}/account",
        "link_party_account",
    ),
    ("POST", "/api/v1/cases/{id}/pre-visits", "book_pre_visit"),
    ("GET", "/api/v1/cases/{id}/reports", "list_case_reports"),
    ("POST", "/api/v1/cases/{id}/reports", "create_report"),
    ("GET", "/api/v1/cases/{id}/reviews", "list_reviews"),
    ("POST", "/api/v1/cases/{id}/reviews", "record_review"),
    ("POST", "/api/v1/cases/{id}/service/resume", "resume_service"),
    ("GET", "/api/v1/cases/{id}/order-pattern", "get_order_pattern"),
    ("PUT", "/api/v1/cases/{id}/order-pattern", "set_order_pattern"),
    ("GET", "/api/v1/orders", "list_cases_off_their_order"),
    ("GET", "/api/v1/cases/{id}/rules-agreements", "list_rules_agreements"),
    ("POST", "/api/v1/cases/{id}/rules-agreements", "record_rules_agreement"),
    ("GET", "/api/v1/rules-versions", "list_rules_versions"),
    ("POST", "/api/v1/rules-versions", "add_rules_version"),
    ("POST", "/api/v1/cases/{id}/risk-assessments", "record_risk_assessment"),
    ("GET", "/api/v1/cases/{id}/statements/{account}", "get_statement_pdf"),
    ("POST", "/api/v1/cases/{id}/transitions", "transition_case"),
    ("PUT", "/api/v1/cases/{id}/workers", "set_case_workers"),
    ("GET", "/api/v1/centres", "list_centres"),
    ("POST", "/api/v1/centres", "create_centre"),
    ("GET", "/api/v1/centres/{id}", "get_centre"),
    ("PUT", "/api/v1/centres/{id}", "update_centre"),
    ("GET", "/api/v1/centres/{id}/calendar", "get_centre_calendar"),
    (
        "GET",
        "/api/v1/centres/{id}/cancellation-policy",
        "get_cancellation_policy",
    ),
    (
        "PUT",
        "/api/v1/centres/{id}/cancellation-policy",
        "set_cancellation_policy",
    ),
    ("POST", "/api/v1/centres/{id}/closures", "add_closure"),
    ("DELETE", "/api/v1/centres/{id}/closures/{closure}", "remove_closure"),
    ("POST", "/api/v1/centres/{id}/entrances", "add_entrance"),
    ("POST", "/api/v1/centres/{id}/opening-hours", "add_opening_hours"),
    (
        "DELETE",
        "/api/v1/centres/{id}/opening-hours/{opening}",
        "remove_opening_hours",
    ),
    ("GET", "/api/v1/centres/{id}/prices", "list_prices"),
    ("POST", "/api/v1/centres/{id}/prices", "add_price"),
    ("GET", "/api/v1/centres/{id}/rooms", "list_rooms"),
    ("POST", "/api/v1/centres/{id}/rooms", "create_room"),
    ("GET", "/api/v1/centres/{id}/schedule-settings", "get_schedule_settings"),
    (
        "PUT",
        "/api/v1/centres/{id}/schedule-settings",
        "update_schedule_settings",
    ),
    ("GET", "/api/v1/concerns", "list_concerns"),
    ("POST", "/api/v1/concerns", "raise_concern"),
    ("GET", "/api/v1/concerns/{id}", "get_concern"),
    ("POST", "/api/v1/concerns/{id}/decision", "decide_concern"),
    ("GET", "/api/v1/documents/{id}", "download_document"),
    ("GET", "/api/v1/invoices/{id}", "get_invoice"),
    ("GET", "/api/v1/invoices/{id}/pdf", "get_invoice_pdf"),
    ("POST", "/api/v1/login", "login"),
    ("POST", "/api/v1/logout", "logout"),
    ("GET", "/api/v1/me", "get_me"),
    ("GET", "/api/v1/my-account", "get_my_account"),
    ("GET", "/api/v1/my-account/invoices/{id}/pdf", "get_my_invoice_pdf"),
    ("GET", "/api/v1/my-reports", "list_my_reports"),
    ("GET", "/api/v1/my-reports/{id}/pdf", "get_my_report_pdf"),
    ("POST", "/api/v1/notices/{id}/letters", "record_letter"),
    ("GET", "/api/v1/notices/{id}/letters/{recipient}", "get_notice_letter"),
    ("GET", "/api/v1/observation-checklist", "get_observation_checklist"),
    ("PUT", "/api/v1/observation-checklist", "set_observation_checklist"),
    ("POST", "/api/v1/observations/{id}/addenda", "add_addendum"),
    ("POST", "/api/v1/observations/{id}/sign", "sign_observation"),
    ("GET", "/api/v1/openapi.json", "get_openapi_document"),
    ("GET", "/api/v1/outbox", "list_outbox"),
    ("POST", "/api/v1/pre-visits/{id}", "record_pre_visit"),
    ("GET", "/api/v1/referrals", "list_own_referrals"),
    ("POST", "/api/v1/referrals", "submit_referral"),
    ("GET", "/api/v1/referrals/{id}", "get_own_referral"),
    ("GET", "/api/v1/reports/{id}", "get_report"),
    ("PUT", "/api/v1/reports/{id}", "edit_report"),
    ("POST", "/api/v1/reports/{id}/check", "check_report"),
    ("GET", "/api/v1/reports/{id}/pdf", "get_report_pdf"),
    ("POST", "/api/v1/reports/{id}/release", "release_report"),
    ("PUT", "/api/v1/rooms/{id}", "update_room"),
    ("POST", "/api/v1/rooms/{id}/approval", "approve_venue"),
    ("GET", "/api/v1/settings/billing", "get_billing_settings"),
    ("PUT", "/api/v1/settings/billing", "update_billing_settings"),
    ("GET", "/api/v1/settings/booking-rules", "get_booking_rules"),
    ("PUT", "/api/v1/settings/booking-rules", "set_booking_rules"),
    ("GET", "/api/v1/settings/sign-in", "get_sign_in_policy"),
    ("PUT", "/api/v1/settings/sign-in", "set_sign_in_policy"),
    ("POST", "/api/v1/users/{id}/two-factor/reset", "reset_two_factor"),
    ("GET", "/api/v1/staff", "list_staff"),
    ("PUT", "/api/v1/staff/{id}", "set_staff_profile"),
    ("POST", "/api/v1/staff/{id}/leave", "add_staff_leave"),
    ("GET", "/api/v1/tokens", "list_tokens"),
    ("POST", "/api/v1/tokens", "create_token"),
    ("DELETE", "/api/v1/tokens/{id}", "revoke_token"),
    ("GET", "/api/v1/users", "list_users"),
    ("POST", "/api/v1/users", "create_user"),
    ("GET", "/api/v1/users/{id}", "get_user"),
    ("PUT", "/api/v1/users/{id}", "update_user"),
    ("POST", "/api/v1/users/{id}/disable", "disable_user"),
    ("POST", "/api/v1/users/{id}/enable", "enable_user"),
    ("POST", "/api/v1/users/{id}/password", "reset_user_password"),
    // Accounts by e-mail and preferences (decision 0051).
    ("POST", "/api/v1/users/invitations", "invite_user"),
    ("POST", "/api/v1/users/{id}/invitation", "resend_invitation"),
    ("POST", "/api/v1/password-reset", "request_password_reset"),
    ("POST", "/api/v1/password-reset/complete", "complete_password_reset"),
    ("GET", "/api/v1/me/reminders", "get_my_reminders"),
    ("PUT", "/api/v1/me/reminders", "set_my_reminders"),
    (
        "PUT",
        "/api/v1/cases/{id}/parties/{party}/reminders",
        "set_party_reminders",
    ),
    ("GET", "/api/v1/centres/{id}/reminder-times", "get_reminder_times"),
    ("PUT", "/api/v1/centres/{id}/reminder-times", "set_reminder_times"),
];

async fn document() -> Value {
    serde_json::to_value(familytime_web::api::openapi_json().await.0).expect("the document serialises")
}

/// Every operation as (METHOD, path, its object).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            found.push((method.to_uppercase(), path.clone(), operation.clone()));
        }
    }
    found
}

fn is_snake_case(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !id.contains("__")
        && !id.ends_with('_')
}

#[test]
fn snake_case_is_what_it_says() {
    for good in ["list_cases", "get_report_pdf", "login", "get_v2"] {
        assert!(is_snake_case(good), "{good}");
    }
    for bad in [
        "",
        "listCases",
        "list-cases",
        "_list",
        "list_",
        "list__cases",
        "List",
        "2fa",
    ] {
        assert!(!is_snake_case(bad), "{bad}");
    }
}

#[tokio::test]
async fn every_operation_has_its_own_snake_case_id_as_pinned() {
    let doc = document().await;
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut documented = BTreeSet::new();
    for (method, path, operation) in operations(&doc) {
        let id = operation["operationId"].as_str().unwrap_or_default().to_owned();
        let here = format!("{method} {path}");
        if !is_snake_case(&id) {
            problems.push(format!("{here}: operation id {id:?} is not snake_case"));
        }
        if let Some(other) = seen.insert(id.clone(), here.clone()) {
            problems.push(format!("{here}: operation id {id:?} is also {other}'s"));
        }
        documented.insert((method, path, id));
    }
    let pinned: BTreeSet<(String, String, String)> = OPERATION_IDS
        .iter()
        .map(|(m, p, i)| ((*m).to_owned(), (*p).to_owned(), (*i).to_owned()))
        .collect();
    for extra in documented.difference(&pinned) {
        problems.push(format!("documented but not pinned here: {extra:?}"));
    }
    for missing in pinned.difference(&documented) {
        problems.push(format!("pinned here but not documented: {missing:?}"));
    }
    assert!(seen.len() > 100, "the document has its operations ({})", seen.len());
    assert!(problems.is_empty(), "operation ids: {problems:#?}");
}

#[tokio::test]
async fn every_path_parameter_is_in_its_path_and_every_template_is_a_parameter() {
    let doc = document().await;
    let mut problems = Vec::new();
    for (method, path, operation) in operations(&doc) {
        let declared: BTreeSet<String> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect();
        let templated: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        if declared != templated {
            problems.push(format!(
                "{method} {path}: declares {declared:?}, the path has {templated:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "path parameters: {problems:#?}");
}

/// A public route (its gate is `ViewPublic` or `SignIn`) says `security: []`; every other operation
/// takes the document's global choice of the bearer token or the session cookie, which are
/// described as the middleware reads them.
#[tokio::test]
async fn security_says_what_each_operation_really_asks_for() {
    let doc = document().await;
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["type"], "http");
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["type"], "apiKey");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "ft_session");
    assert_eq!(
        doc["security"],
        serde_json::json!([{"bearer": []}, {"session": []}]),
        "either credential, everywhere it is not said otherwise"
    );
    let public: BTreeSet<String> = route_table()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/"))
        .filter(|r| matches!(r.action, Action::ViewPublic | Action::SignIn))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(public.contains("POST /api/v1/login"), "{public:?}");
    let mut problems = Vec::new();
    for (method, path, operation) in operations(&doc) {
        let here = format!("{method} {path}");
        let security = operation.get("security");
        if public.contains(&here) {
            if security != Some(&serde_json::json!([])) {
                problems.push(format!("{here} is public but says security {security:?}"));
            }
        } else if security.is_some() {
            problems.push(format!("{here} needs an account but says security {security:?}"));
        }
    }
    assert!(problems.is_empty(), "security: {problems:#?}");
}
