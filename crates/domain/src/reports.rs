//! Reports to referrers: composed from signed observation records, checked by a second person who is
//! never the author, approved, then released only to those on the case's distribution list (a court
//! that ordered the reports names them). The rules of that workflow live here.

use crate::referrals::named;
use crate::text::{self, FieldErrors};
use std::fmt;

/// How a report may be used: printed on every report.
pub const CAVEAT: &str = "This report records what staff saw and heard at supervised contact. It is a factual record, \
not an assessment or a recommendation about contact. It was written for the person or court that asked for it and may \
only be used in the proceedings or work it was asked for. Do not share it further without the centre's agreement. \
Where a court ordered this report, it belongs to the court and goes only to those the order names.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    Session,
    Summary,
}

named!(ReportKind,
    Session => "session", "Session observation report";
    Summary => "summary", "End-of-series summary report";
);

/// Who asked for a written report: its fee (the price list's written report) is charged to whoever
/// the case's funding says — the funder when there is one, else the parent who asked, or the parents
/// by their shares when the referrer asked. A report the centre writes for itself asks nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportRequester {
    Referrer,
    Visiting,
    Resident,
}

named!(ReportRequester,
    Referrer => "referrer", "The referrer";
    Visiting => "visiting", "The visiting parent";
    Resident => "resident", "The resident parent";
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    Draft,
    InCheck,
    Approved,
    Released,
}

named!(ReportStatus,
    Draft => "draft", "Draft";
    InCheck => "in_check", "Waiting for a quality check";
    Approved => "approved", "Approved";
    Released => "released", "Released";
);

/// Who may receive a case's reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Recipient {
    Referrer,
    Resident,
    Visiting,
    Court,
    Cafcass,
    Solicitors,
    SocialWorker,
}

named!(Recipient,
    Referrer => "referrer", "The referrer";
    Resident => "resident", "The resident parent";
    Visiting => "visiting", "The visiting parent";
    Court => "court", "The court";
    Cafcass => "cafcass", "Cafcass (the Family Court Adviser)";
    Solicitors => "solicitors", "The parties' solicitors";
    SocialWorker => "social_worker", "The social worker";
);

/// A step in a report's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    /// The author (or another writer) changes the draft.
    Edit,
    /// The author sends it for a quality check.
    SendForCheck,
    /// The checker sends it back to the author with notes.
    SendBack,
    /// The checker approves it.
    Approve,
    /// It is released to people on the distribution list.
    Release,
}

impl ReportStep {
    /// The authorisation a step needs on the report's case: writers edit and send for a check;
    /// checking and releasing is for those who check reports (see `authz::Action::CheckReports`).
    /// Both the step and the page that offers it ask for this same action.
    pub fn action(self) -> crate::authz::Action {
        use crate::authz::Action;
        match self {
            ReportStep::Edit | ReportStep::SendForCheck => Action::WriteReports,
            ReportStep::SendBack | ReportStep::Approve | ReportStep::Release => Action::CheckReports,
        }
    }
}

/// The name a report's PDF downloads under: the case's reference, the report's number among the
/// case's reports, its kind and its date, so two reports of one case never share a name. Never a
/// child's or parent's name (the file may sit in a downloads folder or go by e-mail).
pub fn file_name(case_reference: &str, number: usize, kind: ReportKind, date: jiff::civil::Date) -> String {
    // The reference is the system's own; anything else is dropped so the header stays clean.
    let reference: String = case_reference
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("{reference}-report-{number}-{}-{date}.pdf", kind.as_str())
}

/// Whether `actor` may take `step` on a report now at `status` written by `author`. The author never
/// checks, approves or releases their own report.
pub fn check_step(status: ReportStatus, step: ReportStep, actor_is_author: bool) -> Result<ReportStatus, String> {
    use ReportStatus::*;
    use ReportStep::*;
    match (status, step) {
        (Draft, Edit) => Ok(Draft),
        (Draft, SendForCheck) => Ok(InCheck),
        (InCheck, SendBack) | (InCheck, Approve) | (Approved, Release) | (Released, Release) if actor_is_author => {
            Err("The author of a report cannot check, approve or release it: a second person must".into())
        }
        (InCheck, SendBack) => Ok(Draft),
        (InCheck, Approve) => Ok(Approved),
        (Approved, Release) | (Released, Release) => Ok(Released),
        (Approved | Released, Edit) => {
            Err("An approved report cannot be changed; write a new report if something must be added".into())
        }
        (InCheck, Edit) => {
            Err("The report is waiting for its quality check; send it back to the author to change it".into())
        }
        (from, step) => Err(format!(
            "A report that is {} cannot be {}",
            from.label().to_lowercase(),
            step
        )),
    }
}

impl fmt::Display for ReportStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReportStep::Edit => "changed",
            ReportStep::SendForCheck => "sent for a quality check",
            ReportStep::SendBack => "sent back",
            ReportStep::Approve => "approved",
            ReportStep::Release => "released",
        })
    }
}

/// A report's text as the writer edits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDraft {
    pub title: String,
    pub summary: String,
}

impl ReportDraft {
    pub fn parse(title: &str, summary: &str) -> Result<ReportDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take("title", text::required("a title", title, 200));
        let summary = errors.take("summary", text::optional("the summary", summary, 50_000));
        match (title, summary) {
            (Some(title), Some(summary)) if errors.is_empty() => Ok(ReportDraft {
                title,
                summary: summary.unwrap_or_default(),
            }),
            _ => Err(errors),
        }
    }
}

/// The recipients chosen for a release, refused when any is not on the distribution list.
pub fn check_release(list: &[Recipient], chosen: &[Recipient]) -> Result<(), String> {
    if chosen.is_empty() {
        return Err("Choose who to release the report to".into());
    }
    match chosen.iter().find(|r| !list.contains(r)) {
        Some(r) => Err(format!(
            "{} is not on this case's distribution list, so the report cannot go to them",
            r.label()
        )),
        None => Ok(()),
    }
}

/// The content hash of an approved report: its text and the hashes of the records it was built from.
pub fn report_hash(report_id: &str, title: &str, summary: &str, record_hashes: &[String]) -> String {
    let mut parts: Vec<&str> = vec![report_id, title, summary];
    parts.extend(record_hashes.iter().map(String::as_str));
    crate::records::hash_parts(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_author_never_checks_approves_or_releases_their_own_report() {
        for step in [ReportStep::SendBack, ReportStep::Approve] {
            assert!(check_step(ReportStatus::InCheck, step, true).is_err());
            assert!(check_step(ReportStatus::InCheck, step, false).is_ok());
        }
        assert!(check_step(ReportStatus::Approved, ReportStep::Release, true).is_err());
        assert_eq!(
            check_step(ReportStatus::Approved, ReportStep::Release, false),
            Ok(ReportStatus::Released)
        );
    }

    #[test]
    fn an_approved_report_is_never_edited_and_a_draft_is_not_approved_unchecked() {
        assert!(check_step(ReportStatus::Approved, ReportStep::Edit, false).is_err());
        assert!(check_step(ReportStatus::Released, ReportStep::Edit, false).is_err());
        assert!(check_step(ReportStatus::Draft, ReportStep::Approve, false).is_err());
        assert!(check_step(ReportStatus::Draft, ReportStep::Release, false).is_err());
        assert_eq!(
            check_step(ReportStatus::Draft, ReportStep::SendForCheck, true),
            Ok(ReportStatus::InCheck)
        );
    }

    #[test]
    fn checking_and_releasing_need_the_checkers_action_and_writing_the_writers() {
        use crate::authz::Action;
        assert_eq!(ReportStep::Edit.action(), Action::WriteReports);
        assert_eq!(ReportStep::SendForCheck.action(), Action::WriteReports);
        for step in [ReportStep::SendBack, ReportStep::Approve, ReportStep::Release] {
            assert_eq!(step.action(), Action::CheckReports);
        }
    }

    #[test]
    fn file_names_are_distinct_per_report_and_carry_no_name() {
        let day = jiff::civil::date(2026, 12, 2);
        let first = file_name("2026-0021", 1, ReportKind::Session, day);
        assert_eq!(first, "2026-0021-report-1-session-2026-12-02.pdf");
        assert_ne!(first, file_name("2026-0021", 2, ReportKind::Session, day));
        assert_eq!(
            file_name("2026-0021\"; x=\"Mia Price", 3, ReportKind::Summary, day),
            "2026-0021xMiaPrice-report-3-summary-2026-12-02.pdf",
            "only letters, digits and hyphens from the reference"
        );
    }

    #[test]
    fn releases_go_only_to_the_distribution_list() {
        let list = [Recipient::Court, Recipient::Cafcass];
        assert!(check_release(&list, &[Recipient::Court]).is_ok());
        let refused = check_release(&list, &[Recipient::Court, Recipient::Visiting]).unwrap_err();
        assert!(refused.contains("visiting parent"), "{refused}");
        assert!(check_release(&list, &[]).is_err());
    }

    #[test]
    fn the_report_hash_covers_the_records() {
        let a = report_hash("r", "T", "S", &["h1".into()]);
        assert_ne!(a, report_hash("r", "T", "S", &["h2".into()]));
        assert_ne!(a, report_hash("r", "T", "S2", &["h1".into()]));
    }
}
