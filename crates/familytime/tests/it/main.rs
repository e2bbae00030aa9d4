//! familytime's integration tests: one binary, the real server on a real port, the real database
//! (SQLite, or PostgreSQL when TEST_DATABASE_URL is set). See harness.rs.

mod access_matrix;
mod api;
mod audit;
mod billing;
mod browser;
mod busy_read;
mod cli;
mod denied_read_audit;
mod documents;
mod end_to_end;
mod form_walk;
mod guide;
mod harness;
mod hidden_details;
mod hostile_upload;
mod http;
mod incidents;
mod journeys;
mod journeys_intake;
mod journeys_money;
mod journeys_previsits;
mod journeys_reports;
mod journeys_schedule;
mod list_scope;
mod query_plans;
mod records;
mod referrals;
mod reviews;
mod schedule;
mod self_referral;
mod sign_in_throttle;
mod signin;
mod strict_input;
mod tenancy;
