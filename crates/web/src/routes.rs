//! Every route familytime answers, in one table: method, path, the authorisation action its gate
//! checks, and the handler. The router is built from this table and the access-matrix test reads the
//! same table, so a route cannot exist without being checked against `docs/access-matrix.md`.

use crate::{AppState, api, middleware, pages};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post, put};
use familytime_domain::authz::Action;

/// The largest upload body: the largest document plus room for the form around it.
const UPLOAD_LIMIT: usize = familytime_domain::documents::MAX_BYTES + 64 * 1024;

/// One route as the access matrix sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub action: Action,
}

struct Route {
    spec: RouteSpec,
    handler: MethodRouter<AppState>,
}

fn route(method: Method, path: &'static str, action: Action, handler: MethodRouter<AppState>) -> Route {
    Route {
        spec: RouteSpec { method, path, action },
        handler,
    }
}

#[rustfmt::skip] // a table reads best one route to a line
fn table() -> Vec<Route> {
    use Action::*;
    use Method as M;
    vec![
        // Public
        route(M::GET, "/", ViewPublic, get(pages::public::index)),
        route(M::GET, "/healthz", ViewPublic, get(pages::public::healthz)),
        route(M::GET, "/static/{file}", ViewPublic, get(pages::public::asset)),
        route(M::GET, "/services", ViewPublic, get(pages::guide::services)),
        route(M::GET, "/which-service", ViewPublic, get(pages::guide::which_service)),
        route(M::GET, "/refer", ViewPublic, get(pages::guide::refer)),
        route(M::GET, "/prices", ViewPublic, get(pages::guide::prices)),
        route(M::GET, "/jargon-buster", ViewPublic, get(pages::guide::jargon_buster)),
        route(M::GET, "/calendar/{token}", ViewPublic, get(api::schedule::feed)),
        // Signing in and out, first-run setup
        route(M::GET, "/login", SignIn, get(pages::signin::login_form)),
        route(M::POST, "/login", SignIn, post(pages::signin::login)),
        route(M::POST, "/logout", UseOwnAccount, post(pages::signin::logout)),
        route(M::GET, "/setup/{token}", SignIn, get(pages::signin::setup_form)),
        route(M::POST, "/setup/{token}", SignIn, post(pages::signin::setup)),
        // Accounts by e-mail (decision 0051): "forgot password" and the link that sets a password
        route(M::GET, "/forgot-password", SignIn, get(pages::account_links::forgot_form)),
        route(M::POST, "/forgot-password", SignIn, post(pages::account_links::forgot)),
        route(M::GET, "/set-password/{token}", SignIn, get(pages::account_links::set_form)),
        route(M::POST, "/set-password/{token}", SignIn, post(pages::account_links::set)),
        // The sign-in's second step, before any session exists (pages::two_factor, decision 0052)
        route(M::GET, "/login/two-factor", SignIn, get(pages::two_factor::code_form)),
        route(M::POST, "/login/two-factor", SignIn, post(pages::two_factor::code)),
        route(M::GET, "/login/two-factor/enrol", SignIn, get(pages::two_factor::enrol_form)),
        route(M::POST, "/login/two-factor/enrol", SignIn, post(pages::two_factor::enrol)),
        // One's own
        route(M::GET, "/home", UseOwnAccount, get(pages::signin::home)),
        route(M::GET, "/account", UseOwnAccount, get(pages::account::show)),
        route(M::POST, "/account/password", UseOwnAccount, post(pages::account::change_password)),
        route(M::POST, "/account/tokens", UseOwnAccount, post(pages::account::create_token)),
        route(M::POST, "/account/language", UseOwnAccount, post(pages::account::choose_language)),
        route(M::POST, "/account/reminders", UseOwnAccount, post(pages::mail_prefs::own_reminders)),
        route(M::POST, "/account/tokens/{id}/revoke", UseOwnAccount, post(pages::account::revoke_token)),
        route(M::GET, "/account/two-factor", UseOwnAccount, get(pages::two_factor::own)),
        route(M::POST, "/account/two-factor", UseOwnAccount, post(pages::two_factor::own_confirm)),
        route(M::POST, "/account/two-factor/off", UseOwnAccount, post(pages::two_factor::own_off)),
        // Centres and rooms
        route(M::GET, "/centres", ViewCentres, get(pages::tenancy::list)),
        route(M::GET, "/centres/new", ManageCentres, get(pages::tenancy::new_form)),
        route(M::POST, "/centres", ManageCentres, post(pages::tenancy::create)),
        route(M::GET, "/centres/{id}", ViewCentres, get(pages::tenancy::show)),
        route(M::GET, "/centres/{id}/edit", ManageCentres, get(pages::tenancy::edit_form)),
        route(M::POST, "/centres/{id}", ManageCentres, post(pages::tenancy::update)),
        route(M::POST, "/centres/{id}/rooms", ManageCentres, post(pages::tenancy::create_room)),
        route(M::GET, "/centres/{id}/reminder-times", ManageCentres, get(pages::mail_prefs::reminder_times)),
        route(M::POST, "/centres/{id}/reminder-times", ManageCentres, post(pages::mail_prefs::save_reminder_times)),
        route(M::GET, "/rooms/{id}", ManageCentres, get(pages::tenancy::edit_room_form)),
        route(M::POST, "/rooms/{id}", ManageCentres, post(pages::tenancy::update_room)),
        // People
        route(M::GET, "/users", ViewUsers, get(pages::people::list)),
        route(M::GET, "/users/new", ManageUsers, get(pages::people::new_form)),
        route(M::POST, "/users", ManageUsers, post(pages::people::create)),
        route(M::GET, "/users/{id}", ViewUsers, get(pages::people::show)),
        route(M::POST, "/users/{id}", ManageUsers, post(pages::people::update)),
        route(M::POST, "/users/{id}/disable", ManageUsers, post(pages::people::disable)),
        route(M::POST, "/users/{id}/enable", ManageUsers, post(pages::people::enable)),
        route(M::POST, "/users/{id}/password", ManageUsers, post(pages::people::reset_password)),
        route(M::POST, "/users/{id}/invitation", ManageUsers, post(pages::people::resend_invitation)),
        route(M::POST, "/users/{id}/two-factor/reset", ResetTwoFactor, post(pages::two_factor::reset)),
        route(M::GET, "/settings/sign-in", ManageSignInPolicy, get(pages::two_factor::policy)),
        route(M::POST, "/settings/sign-in", ManageSignInPolicy, post(pages::two_factor::save_policy)),
        // Referrals and cases
        route(M::GET, "/self-referral", ViewPublic, get(pages::referrals::self_referral_form)),
        route(M::POST, "/self-referral", ViewPublic, post(pages::referrals::self_referral)),
        route(M::GET, "/self-referral/{token}", ViewPublic, get(pages::referrals::own_part_form)),
        route(M::POST, "/self-referral/{token}", ViewPublic, post(pages::referrals::own_part)),
        route(M::POST, "/cases/{id}/invites", ManageCases, post(pages::referrals::create_invite)),
        route(M::POST, "/cases/{id}/documents", ManageCases, post(pages::referrals::upload_document).layer(DefaultBodyLimit::max(UPLOAD_LIMIT))),
        route(M::GET, "/documents/{id}", ViewCases, get(pages::referrals::download_document)),
        route(M::GET, "/referrals", ViewOwnReferrals, get(pages::referrals::own)),
        route(M::GET, "/referrals/new", SubmitReferral, get(pages::referrals::new_form)),
        route(M::POST, "/referrals", SubmitReferral, post(pages::referrals::submit)),
        route(M::GET, "/referrals/{id}", ViewOwnReferrals, get(pages::referrals::own_one)),
        route(M::GET, "/cases", ViewCases, get(pages::referrals::list)),
        route(M::GET, "/cases/{id}", ViewCases, get(pages::referrals::show)),
        route(M::GET, "/cases/{id}/viewers", ViewCaseAccess, get(pages::audit::case_viewers)),
        route(M::POST, "/cases/{id}/status", ManageCases, post(pages::referrals::transition)),
        route(M::POST, "/cases/{id}/risk", ManageCases, post(pages::referrals::assess)),
        route(M::POST, "/cases/{id}/parties/{party}/account", ManageCases, post(pages::referrals::link_account)),
        route(M::GET, "/cases/{id}/parties/{party}", ManageCases, get(pages::referrals::party_form)),
        route(M::POST, "/cases/{id}/parties/{party}", ManageCases, post(pages::referrals::save_party)),
        route(M::POST, "/cases/{id}/parties/{party}/reminders", ManageCases, post(pages::mail_prefs::party_reminders)),
        route(M::POST, "/cases/{id}/pre-visits", ManageCases, post(pages::referrals::schedule_pre_visit)),
        route(M::GET, "/pre-visits/{id}", ManageCases, get(pages::referrals::pre_visit)),
        // Hidden contact details: who is named for a case, the reason step, the reasons given (pages::confidential)
        route(M::GET, "/cases/{id}/named-staff", ManageCases, get(pages::confidential::named_form)),
        route(M::POST, "/cases/{id}/named-staff", ManageCases, post(pages::confidential::save_named)),
        route(M::GET, "/cases/{id}/break-glass", BreakGlass, get(pages::confidential::reason_form)),
        route(M::POST, "/cases/{id}/break-glass", BreakGlass, post(pages::confidential::give_reason)),
        route(M::GET, "/break-glass", ViewBreakGlass, get(pages::confidential::list)),
        route(M::POST, "/pre-visits/{id}", ManageCases, post(pages::referrals::record_pre_visit)),
        // The court order's contact pattern and the rules agreed (pages::orders, pages::agreements; decision 0046)
        route(M::POST, "/cases/{id}/order-pattern", ManageCases, post(pages::orders::save_pattern)),
        route(M::GET, "/orders", ManageSchedule, get(pages::orders::list)),
        route(M::POST, "/cases/{id}/rules-agreements", ManageCases, post(pages::agreements::record)),
        route(M::GET, "/settings/rules", ManageCentres, get(pages::agreements::versions)),
        route(M::POST, "/settings/rules", ManageCentres, post(pages::agreements::add_version)),
        route(M::GET, "/my-rules", ViewOwnAccount, get(pages::agreements::own)),
        route(M::POST, "/my-rules", ViewOwnAccount, post(pages::agreements::agree)),
        // Scheduling pages (pages::schedule)
        route(M::GET, "/today", ViewSchedule, get(pages::schedule::today)),
        route(M::GET, "/centres/{id}/calendar", ViewSchedule, get(pages::schedule::calendar)),
        route(M::GET, "/centres/{id}/day-sheet", ViewSchedule, get(pages::schedule::day_sheet)),
        route(M::GET, "/centres/{id}/schedule", ViewSchedule, get(pages::schedule::settings)),
        route(M::POST, "/centres/{id}/schedule/settings", ManageSchedule, post(pages::schedule::save_settings)),
        route(M::POST, "/centres/{id}/opening-hours", ManageSchedule, post(pages::schedule::add_opening)),
        route(M::POST, "/centres/{id}/opening-hours/{opening}/remove", ManageSchedule, post(pages::schedule::remove_opening)),
        route(M::POST, "/centres/{id}/closures", ManageSchedule, post(pages::schedule::add_closure)),
        route(M::POST, "/centres/{id}/closures/{closure}/remove", ManageSchedule, post(pages::schedule::remove_closure)),
        route(M::POST, "/centres/{id}/entrances", ManageSchedule, post(pages::schedule::add_entrance)),
        route(M::POST, "/rooms/{id}/approval", ManageSchedule, post(pages::schedule::approve_venue)),
        route(M::GET, "/staff", ViewSchedule, get(pages::schedule::roster)),
        route(M::GET, "/staff/{id}", ViewSchedule, get(pages::schedule::staff_member)),
        route(M::POST, "/staff/{id}", ManageSchedule, post(pages::schedule::save_staff)),
        route(M::POST, "/staff/{id}/leave", ManageSchedule, post(pages::schedule::add_leave)),
        route(M::GET, "/cases/{id}/sessions", ViewSchedule, get(pages::schedule::case_sessions)),
        route(M::POST, "/cases/{id}/sessions", ManageSchedule, post(pages::schedule::book)),
        route(M::POST, "/cases/{id}/workers", ManageSchedule, post(pages::schedule::set_workers)),
        route(M::POST, "/cases/{id}/never-meet", ManageSchedule, post(pages::schedule::add_never_meet)),
        route(M::POST, "/cases/{id}/availability", ManageSchedule, post(pages::schedule::set_availability)),
        route(M::POST, "/cases/{id}/calendar-feeds", ManageSchedule, post(pages::schedule::case_feed)),
        route(M::GET, "/bookings/{id}", ViewSchedule, get(pages::schedule::booking)),
        route(M::POST, "/bookings/{id}/status", ManageSchedule, post(pages::schedule::set_status)),
        route(M::POST, "/bookings/{id}/arrival", ManageSchedule, post(pages::schedule::set_arrival)),
        route(M::POST, "/bookings/{id}/interpreter", ManageSchedule, post(pages::schedule::set_interpreter)),
        route(M::GET, "/interpreters", ManageSchedule, get(pages::interpreters::list)),
        route(M::POST, "/interpreters", ManageSchedule, post(pages::interpreters::add)),
        route(M::POST, "/bookings/{id}/move", ManageSchedule, post(pages::schedule::move_booking)),
        route(M::POST, "/account/calendar-feed", ViewSchedule, post(pages::schedule::own_feed)),
        // Session records (pages::records)
        route(M::GET, "/bookings/{id}/record", KeepRegister, get(pages::records::show)),
        route(M::POST, "/bookings/{id}/register", KeepRegister, post(pages::records::register)),
        route(M::POST, "/bookings/{id}/breaches", KeepRegister, post(pages::records::breach)),
        route(M::POST, "/bookings/{id}/observation", WriteObservations, post(pages::records::save)),
        route(M::POST, "/bookings/{id}/stop", WriteObservations, post(pages::records::stop)),
        route(M::POST, "/observations/{id}/sign", WriteObservations, post(pages::records::sign)),
        route(M::POST, "/observations/{id}/addenda", WriteObservations, post(pages::records::addendum)),
        route(M::GET, "/settings/observation-checklist", ManageCentres, get(pages::records::checklist)),
        route(M::POST, "/settings/observation-checklist", ManageCentres, post(pages::records::save_checklist)),
        route(M::GET, "/settings/languages", ManageLanguages, get(pages::languages::show)),
        route(M::POST, "/settings/languages", ManageLanguages, post(pages::languages::save)),
        route(M::GET, "/settings/booking-rules", ManageBookingRules, get(pages::booking_rules::show)),
        route(M::POST, "/settings/booking-rules", ManageBookingRules, post(pages::booking_rules::save)),
        // Reports (pages::reports)
        route(M::GET, "/cases/{id}/reports", ViewCases, get(pages::reports::case_reports)),
        route(M::POST, "/cases/{id}/reports", WriteReports, post(pages::reports::create)),
        route(M::POST, "/cases/{id}/distribution", CheckReports, post(pages::reports::set_distribution)),
        route(M::GET, "/reports/{id}", ViewCases, get(pages::reports::show)),
        route(M::POST, "/reports/{id}", WriteReports, post(pages::reports::edit)),
        route(M::POST, "/reports/{id}/check", WriteReports, post(pages::reports::check)),
        route(M::POST, "/reports/{id}/release", CheckReports, post(pages::reports::release)),
        route(M::GET, "/reports/{id}/pdf", ViewCases, get(pages::reports::pdf)),
        route(M::GET, "/my-reports", ViewReleasedReports, get(pages::reports::mine)),
        route(M::GET, "/my-reports/{id}/pdf", ViewReleasedReports, get(pages::reports::my_pdf)),
        // Money (pages::billing)
        route(M::GET, "/cases/{id}/money", ManageBilling, get(pages::billing::show)),
        route(M::POST, "/cases/{id}/funding", ManageBilling, post(pages::billing::set_funding)),
        route(M::POST, "/cases/{id}/money", ManageBilling, post(pages::billing::record)),
        route(M::POST, "/cases/{id}/invoices", ManageBilling, post(pages::billing::issue_invoice)),
        route(M::GET, "/cases/{id}/receipts/{entry}", ManageBilling, get(pages::billing::receipt_pdf)),
        route(M::GET, "/cases/{id}/statements/{account}", ManageBilling, get(pages::billing::statement_pdf)),
        route(M::GET, "/invoices/{id}/pdf", ManageBilling, get(pages::billing::invoice_pdf)),
        route(M::GET, "/billing", ManageBilling, get(pages::billing::overview)),
        route(M::GET, "/billing/ledger.csv", ManageBilling, get(pages::billing::ledger_csv)),
        route(M::POST, "/billing/bursary", ManageBilling, post(pages::billing::add_grant)),
        route(M::GET, "/centres/{id}/money", SetPrices, get(pages::billing::centre)),
        route(M::POST, "/centres/{id}/prices", SetPrices, post(pages::billing::add_price)),
        route(M::POST, "/centres/{id}/cancellation-policy", SetPrices, post(pages::billing::set_policy)),
        route(M::GET, "/settings/billing", SetPrices, get(pages::billing::settings)),
        route(M::POST, "/settings/billing", SetPrices, post(pages::billing::save_settings)),
        route(M::GET, "/my-account", ViewOwnAccount, get(pages::billing::own)),
        route(M::GET, "/my-account/invoices/{id}/pdf", ViewOwnAccount, get(pages::billing::invoice_pdf)),
        route(M::GET, "/my-account/receipts/{id}/{entry}", ViewOwnAccount, get(pages::billing::receipt_pdf)),
        route(M::GET, "/my-account/statements/{id}/{account}", ViewOwnAccount, get(pages::billing::statement_pdf)),
        // Ending or suspending a service, letters, review meetings (pages::reviews)
        route(M::GET, "/cases/{id}/service", CheckReports, get(pages::reviews::show)),
        route(M::POST, "/cases/{id}/notices", CheckReports, post(pages::reviews::notice)),
        route(M::POST, "/cases/{id}/service/resume", CheckReports, post(pages::reviews::resume)),
        route(M::GET, "/notices/{id}/letters/{recipient}", CheckReports, get(pages::reviews::letter)),
        route(M::POST, "/notices/{id}/letters", CheckReports, post(pages::reviews::record_letter)),
        route(M::POST, "/cases/{id}/reviews", CheckReports, post(pages::reviews::review)),
        // Safeguarding concerns (pages::incidents)
        route(M::GET, "/outbox", ViewOutbox, get(pages::mail::list)),
        route(M::GET, "/backups", ViewBackups, get(pages::scheduled_backups::list)),
        route(M::GET, "/print-queue", ManagePrintQueue, get(pages::mail_preview::print_queue)),
        route(M::GET, "/print-queue/{id}/pdf", ManagePrintQueue, get(pages::mail_preview::letter_pdf)),
        route(M::POST, "/print-queue/{id}/posted", ManagePrintQueue, post(pages::mail_preview::mark_posted)),
        route(M::GET, "/bookings/{id}/messages", ManageSchedule, get(pages::mail_preview::booking_preview)),
        route(M::GET, "/concerns", ViewConcerns, get(pages::incidents::list)),
        route(M::GET, "/concerns/new", RaiseConcern, get(pages::incidents::new_form)),
        route(M::POST, "/concerns", RaiseConcern, post(pages::incidents::raise)),
        route(M::GET, "/concerns/{id}/raised", RaiseConcern, get(pages::incidents::raised)),
        route(M::GET, "/concerns/{id}", ViewConcerns, get(pages::incidents::show)),
        route(M::POST, "/concerns/{id}/decision", DecideConcerns, post(pages::incidents::decide)),
        // Audit
        route(M::GET, "/audit", ViewAuditLog, get(pages::audit::list)),
        // API
        route(M::GET, "/api/v1/openapi.json", ViewPublic, get(api::openapi_json)),
        route(M::POST, "/api/v1/login", SignIn, post(api::accounts::login)),
        route(M::POST, "/api/v1/logout", UseOwnAccount, post(api::accounts::logout)),
        route(M::GET, "/api/v1/me", UseOwnAccount, get(api::accounts::me)),
        route(M::GET, "/api/v1/me/reminders", UseOwnAccount, get(api::account_links::get_my_reminders)),
        route(M::PUT, "/api/v1/me/reminders", UseOwnAccount, put(api::account_links::set_my_reminders)),
        route(M::POST, "/api/v1/password-reset", SignIn, post(api::account_links::request_password_reset)),
        route(M::POST, "/api/v1/password-reset/complete", SignIn, post(api::account_links::complete_password_reset)),
        route(M::GET, "/api/v1/tokens", UseOwnAccount, get(api::accounts::list_tokens)),
        route(M::POST, "/api/v1/tokens", UseOwnAccount, post(api::accounts::create_token)),
        route(M::DELETE, "/api/v1/tokens/{id}", UseOwnAccount, delete(api::accounts::revoke_token)),
        route(M::GET, "/api/v1/centres", ViewCentres, get(api::tenancy::list_centres)),
        route(M::POST, "/api/v1/centres", ManageCentres, post(api::tenancy::create_centre)),
        route(M::GET, "/api/v1/centres/{id}", ViewCentres, get(api::tenancy::get_centre)),
        route(M::PUT, "/api/v1/centres/{id}", ManageCentres, put(api::tenancy::update_centre)),
        route(M::GET, "/api/v1/centres/{id}/reminder-times", ManageCentres, get(api::account_links::get_reminder_times)),
        route(M::PUT, "/api/v1/centres/{id}/reminder-times", ManageCentres, put(api::account_links::set_reminder_times)),
        route(M::GET, "/api/v1/centres/{id}/rooms", ViewCentres, get(api::tenancy::list_rooms)),
        route(M::POST, "/api/v1/centres/{id}/rooms", ManageCentres, post(api::tenancy::create_room)),
        route(M::PUT, "/api/v1/rooms/{id}", ManageCentres, put(api::tenancy::update_room)),
        route(M::GET, "/api/v1/users", ViewUsers, get(api::people::list_users)),
        route(M::POST, "/api/v1/users", ManageUsers, post(api::people::create_user)),
        route(M::POST, "/api/v1/users/invitations", ManageUsers, post(api::account_links::invite_user)),
        route(M::POST, "/api/v1/users/{id}/invitation", ManageUsers, post(api::account_links::resend_invitation)),
        route(M::GET, "/api/v1/users/{id}", ViewUsers, get(api::people::get_user)),
        route(M::PUT, "/api/v1/users/{id}", ManageUsers, put(api::people::update_user)),
        route(M::POST, "/api/v1/users/{id}/disable", ManageUsers, post(api::people::disable_user)),
        route(M::POST, "/api/v1/users/{id}/enable", ManageUsers, post(api::people::enable_user)),
        route(M::POST, "/api/v1/users/{id}/password", ManageUsers, post(api::people::reset_password)),
        route(M::GET, "/api/v1/audit", ViewAuditLog, get(api::audit::list_entries)),
        route(M::GET, "/api/v1/referrals", ViewOwnReferrals, get(api::referrals::own)),
        route(M::POST, "/api/v1/referrals", SubmitReferral, post(api::referrals::submit)),
        route(M::GET, "/api/v1/referrals/{id}", ViewOwnReferrals, get(api::referrals::own_one)),
        route(M::GET, "/api/v1/cases", ViewCases, get(api::referrals::list)),
        route(M::GET, "/api/v1/cases/{id}", ViewCases, get(api::referrals::get)),
        route(M::POST, "/api/v1/cases/{id}/transitions", ManageCases, post(api::referrals::transition)),
        route(M::POST, "/api/v1/cases/{id}/risk-assessments", ManageCases, post(api::referrals::assess)),
        route(M::PUT, "/api/v1/cases/{id}/parties/{party}/account", ManageCases, put(api::referrals::link_account)),
        route(M::PUT, "/api/v1/cases/{id}/parties/{party}/reminders", ManageCases, put(api::account_links::set_party_reminders)),
        route(M::POST, "/api/v1/cases/{id}/pre-visits", ManageCases, post(api::referrals::schedule_pre_visit)),
        route(M::POST, "/api/v1/pre-visits/{id}", ManageCases, post(api::referrals::record_pre_visit)),
        route(M::POST, "/api/v1/cases/{id}/documents", ManageCases, post(api::referrals::upload_document).layer(DefaultBodyLimit::max(UPLOAD_LIMIT))),
        route(M::GET, "/api/v1/documents/{id}", ViewCases, get(api::referrals::download_document)),
        route(M::GET, "/api/v1/cases/{id}/named-staff", ViewCases, get(api::confidential::get_named_staff)),
        route(M::PUT, "/api/v1/cases/{id}/named-staff", ManageCases, put(api::confidential::put_named_staff)),
        route(M::POST, "/api/v1/cases/{id}/break-glass", BreakGlass, post(api::confidential::break_glass)),
        route(M::GET, "/api/v1/break-glass", ViewBreakGlass, get(api::confidential::list)),
        // Scheduling API (api::schedule)
        route(M::GET, "/api/v1/centres/{id}/schedule-settings", ViewSchedule, get(api::schedule::get_settings)),
        route(M::PUT, "/api/v1/centres/{id}/schedule-settings", ManageSchedule, put(api::schedule::put_settings)),
        route(M::POST, "/api/v1/centres/{id}/opening-hours", ManageSchedule, post(api::schedule::add_opening)),
        route(M::DELETE, "/api/v1/centres/{id}/opening-hours/{opening}", ManageSchedule, delete(api::schedule::remove_opening)),
        route(M::POST, "/api/v1/centres/{id}/closures", ManageSchedule, post(api::schedule::add_closure)),
        route(M::DELETE, "/api/v1/centres/{id}/closures/{closure}", ManageSchedule, delete(api::schedule::remove_closure)),
        route(M::POST, "/api/v1/centres/{id}/entrances", ManageSchedule, post(api::schedule::add_entrance)),
        route(M::GET, "/api/v1/centres/{id}/calendar", ViewSchedule, get(api::schedule::centre_calendar)),
        route(M::POST, "/api/v1/rooms/{id}/approval", ManageSchedule, post(api::schedule::approve_venue)),
        route(M::GET, "/api/v1/staff", ViewSchedule, get(api::schedule::list_staff)),
        route(M::PUT, "/api/v1/staff/{id}", ManageSchedule, put(api::schedule::put_staff)),
        route(M::POST, "/api/v1/staff/{id}/leave", ManageSchedule, post(api::schedule::add_leave)),
        route(M::PUT, "/api/v1/cases/{id}/workers", ManageSchedule, put(api::schedule::put_workers)),
        route(M::POST, "/api/v1/cases/{id}/never-meet", ManageSchedule, post(api::schedule::add_never_meet)),
        route(M::POST, "/api/v1/cases/{id}/bookings", ManageSchedule, post(api::schedule::book)),
        route(M::GET, "/api/v1/cases/{id}/bookings", ViewSchedule, get(api::schedule::case_bookings)),
        route(M::GET, "/api/v1/cases/{id}/availability", ManageSchedule, get(api::schedule::availability)),
        route(M::GET, "/api/v1/bookings/{id}", ViewSchedule, get(api::schedule::get_booking)),
        route(M::POST, "/api/v1/bookings/{id}/status", ManageSchedule, post(api::schedule::set_status)),
        route(M::POST, "/api/v1/bookings/{id}/arrival", ManageSchedule, post(api::arrivals::set_arrival)),
        route(M::GET, "/api/v1/interpreters", ManageSchedule, get(api::interpreters::list)),
        route(M::POST, "/api/v1/interpreters", ManageSchedule, post(api::interpreters::add)),
        route(M::POST, "/api/v1/bookings/{id}/interpreter", ManageSchedule, post(api::interpreters::set_for_booking)),
        route(M::POST, "/api/v1/bookings/{id}/move", ManageSchedule, post(api::schedule::move_booking)),
        route(M::POST, "/api/v1/calendar-feeds", ViewSchedule, post(api::schedule::create_feed)),
        route(M::DELETE, "/api/v1/calendar-feeds/{id}", ManageSchedule, delete(api::schedule::revoke_feed)),
        // Session records API (api::records)
        route(M::GET, "/api/v1/bookings/{id}/record", KeepRegister, get(api::records::get_record)),
        route(M::POST, "/api/v1/bookings/{id}/register", KeepRegister, post(api::records::register)),
        route(M::POST, "/api/v1/bookings/{id}/breaches", KeepRegister, post(api::records::breach)),
        route(M::POST, "/api/v1/bookings/{id}/observation", WriteObservations, post(api::records::save_observation)),
        route(M::POST, "/api/v1/bookings/{id}/stop", WriteObservations, post(api::records::stop)),
        route(M::POST, "/api/v1/observations/{id}/sign", WriteObservations, post(api::records::sign)),
        route(M::POST, "/api/v1/observations/{id}/addenda", WriteObservations, post(api::records::addendum)),
        route(M::GET, "/api/v1/observation-checklist", WriteObservations, get(api::records::get_checklist)),
        route(M::PUT, "/api/v1/observation-checklist", ManageCentres, put(api::records::put_checklist)),
        // Reports API (api::reports)
        route(M::GET, "/api/v1/cases/{id}/reports", ViewCases, get(api::reports::case_reports)),
        route(M::POST, "/api/v1/cases/{id}/reports", WriteReports, post(api::reports::create)),
        route(M::PUT, "/api/v1/cases/{id}/distribution", CheckReports, put(api::reports::put_distribution)),
        route(M::GET, "/api/v1/reports/{id}", ViewCases, get(api::reports::get)),
        route(M::PUT, "/api/v1/reports/{id}", WriteReports, put(api::reports::edit)),
        route(M::POST, "/api/v1/reports/{id}/check", WriteReports, post(api::reports::check)),
        route(M::POST, "/api/v1/reports/{id}/release", CheckReports, post(api::reports::release)),
        route(M::GET, "/api/v1/reports/{id}/pdf", ViewCases, get(api::reports::pdf)),
        route(M::GET, "/api/v1/my-reports", ViewReleasedReports, get(api::reports::mine)),
        route(M::GET, "/api/v1/my-reports/{id}/pdf", ViewReleasedReports, get(api::reports::my_pdf)),
        // Money API (api::billing)
        route(M::GET, "/api/v1/centres/{id}/prices", SetPrices, get(api::billing::prices)),
        route(M::POST, "/api/v1/centres/{id}/prices", SetPrices, post(api::billing::add_price)),
        route(M::GET, "/api/v1/centres/{id}/cancellation-policy", SetPrices, get(api::billing::policy)),
        route(M::PUT, "/api/v1/centres/{id}/cancellation-policy", SetPrices, put(api::billing::set_policy)),
        route(M::GET, "/api/v1/settings/billing", SetPrices, get(api::billing::settings)),
        route(M::PUT, "/api/v1/settings/billing", SetPrices, put(api::billing::save_settings)),
        route(M::GET, "/api/v1/cases/{id}/account", ManageBilling, get(api::billing::account)),
        route(M::PUT, "/api/v1/cases/{id}/funding", ManageBilling, put(api::billing::set_funding)),
        route(M::POST, "/api/v1/cases/{id}/ledger", ManageBilling, post(api::billing::record)),
        route(M::POST, "/api/v1/cases/{id}/invoices", ManageBilling, post(api::billing::issue_invoice)),
        route(M::GET, "/api/v1/invoices/{id}", ManageBilling, get(api::billing::invoice)),
        route(M::GET, "/api/v1/invoices/{id}/pdf", ManageBilling, get(api::billing::invoice_pdf)),
        route(M::POST, "/api/v1/bookings/{id}/cancellation-outcome", ManageSchedule, post(api::billing::cancellation_outcome)),
        route(M::GET, "/api/v1/billing/outstanding", ManageBilling, get(api::billing::outstanding)),
        route(M::GET, "/api/v1/billing/ledger.csv", ManageBilling, get(api::billing::ledger_csv)),
        route(M::GET, "/api/v1/billing/bursary", ManageBilling, get(api::billing::bursary)),
        route(M::POST, "/api/v1/billing/bursary", ManageBilling, post(api::billing::add_grant)),
        route(M::POST, "/api/v1/billing/release-unpaid", ManageBilling, post(api::billing::release_unpaid)),
        route(M::GET, "/api/v1/my-account", ViewOwnAccount, get(api::billing::own)),
        route(M::GET, "/api/v1/my-account/invoices/{id}/pdf", ViewOwnAccount, get(api::billing::own_invoice_pdf)),
        route(M::GET, "/api/v1/cases/{id}/statements/{account}", ManageBilling, get(api::billing::statement_pdf)),
        // Service notices and review meetings API (api::reviews)
        route(M::POST, "/api/v1/cases/{id}/notices", CheckReports, post(api::reviews::issue_notice)),
        route(M::GET, "/api/v1/cases/{id}/notices", CheckReports, get(api::reviews::notices)),
        route(M::POST, "/api/v1/cases/{id}/service/resume", CheckReports, post(api::reviews::resume_service)),
        route(M::GET, "/api/v1/settings/booking-rules", ManageBookingRules, get(api::booking_rules::get_rules)),
        route(M::PUT, "/api/v1/settings/booking-rules", ManageBookingRules, put(api::booking_rules::set_rules)),
        route(M::GET, "/api/v1/settings/sign-in", ManageSignInPolicy, get(api::two_factor::get_policy)),
        route(M::PUT, "/api/v1/settings/sign-in", ManageSignInPolicy, put(api::two_factor::set_policy)),
        route(M::POST, "/api/v1/users/{id}/two-factor/reset", ResetTwoFactor, post(api::two_factor::reset)),
        route(M::GET, "/api/v1/notices/{id}/letters/{recipient}", CheckReports, get(api::reviews::letter)),
        route(M::POST, "/api/v1/notices/{id}/letters", CheckReports, post(api::reviews::record_letter)),
        route(M::GET, "/api/v1/cases/{id}/reviews", CheckReports, get(api::reviews::list_reviews)),
        route(M::POST, "/api/v1/cases/{id}/reviews", CheckReports, post(api::reviews::record_review)),
        // The court order's contact pattern and the rules agreed API (api::orders, api::agreements)
        route(M::GET, "/api/v1/cases/{id}/order-pattern", ViewCases, get(api::orders::get_pattern)),
        route(M::PUT, "/api/v1/cases/{id}/order-pattern", ManageCases, put(api::orders::put_pattern)),
        route(M::GET, "/api/v1/orders", ManageSchedule, get(api::orders::list)),
        route(M::GET, "/api/v1/cases/{id}/rules-agreements", ViewCases, get(api::agreements::list)),
        route(M::POST, "/api/v1/cases/{id}/rules-agreements", ManageCases, post(api::agreements::record)),
        route(M::GET, "/api/v1/rules-versions", ManageCentres, get(api::agreements::versions)),
        route(M::POST, "/api/v1/rules-versions", ManageCentres, post(api::agreements::add_version)),
        // Safeguarding API (api::incidents)
        route(M::POST, "/api/v1/concerns", RaiseConcern, post(api::incidents::raise)),
        route(M::GET, "/api/v1/concerns", ViewConcerns, get(api::incidents::list)),
        // E-mail (api::mail)
        route(M::GET, "/api/v1/outbox", ViewOutbox, get(api::mail::list_outbox)),
        route(M::GET, "/api/v1/cases/{id}/messages", ManageCases, get(api::mail::case_messages)),
        route(M::GET, "/api/v1/concerns/{id}", ViewConcerns, get(api::incidents::get)),
        route(M::POST, "/api/v1/concerns/{id}/decision", DecideConcerns, post(api::incidents::decide)),
    ]
}

/// Every registered route (for the access-matrix and OpenAPI tests).
pub fn route_table() -> Vec<RouteSpec> {
    table().into_iter().map(|r| r.spec).collect()
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for Route { spec, handler } in table() {
        let (action, path, gate_state) = (spec.action, spec.path, state.clone());
        let gated = handler.route_layer(axum::middleware::from_fn(move |req, next| {
            middleware::gate(gate_state.clone(), action, path, req, next)
        }));
        router = router.route(spec.path, gated);
    }
    let max_body = state.config.max_body_bytes;
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::csrf))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::authenticate,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::language,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::one_connection,
        ))
        .layer(axum::middleware::from_fn(middleware::request_context))
        .with_state(state)
}

async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    middleware::respond(middleware::is_api(uri.path()), crate::AppError::NotFound)
}

async fn method_not_allowed(uri: axum::http::Uri) -> axum::response::Response {
    let mut response = middleware::respond(
        middleware::is_api(uri.path()),
        crate::AppError::BadRequest("This address does not accept that method.".into()),
    );
    *response.status_mut() = axum::http::StatusCode::METHOD_NOT_ALLOWED;
    response
}
