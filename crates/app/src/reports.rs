//! Reports to referrers: composed from a case's signed observation records, edited by the writer,
//! quality-checked by a second person (never the author), approved, and released only to those on
//! the case's distribution list; rendered as a PDF that carries the caveat and the record hashes and
//! never a confidential contact detail. Released reports reach the referrer's and parents' portals.

use super::case_files::{case_file, file_org};
use super::{authorize, found};
use crate::paper::{self, w, wv};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::UserId;
use familytime_domain::intake::PartyRole;
use familytime_domain::language::Lang;
use familytime_domain::records::SECTIONS;
use familytime_domain::reports::{
    self, Recipient, ReportDraft, ReportKind, ReportRequester, ReportStatus, ReportStep, check_release, check_step,
};
use familytime_domain::text::FieldErrors;
use familytime_reports::{Block, Document, DocumentKind};
use familytime_store::records::{AddendumRow, ObservationRecord};
use familytime_store::referrals::CaseFile;
use familytime_store::reports::{NewReport, Release, Report, ReportChange};
use familytime_store::{AuditEvent, StoreError};
use jiff::tz::TimeZone;

/// A case's reports and what a new one can be composed from.
pub struct CaseReports {
    pub file: CaseFile,
    pub reports: Vec<Report>,
    pub signed: Vec<ObservationRecord>,
    pub distribution: Vec<Recipient>,
    /// The distribution list's version, sent back when changing it.
    pub distribution_version: i64,
    pub zone: TimeZone,
    /// Whether the caller may start a report on this case (asked as `create_report` asks).
    pub may_write: bool,
    /// Whether the caller may set the distribution list (asked as `set_distribution` asks).
    pub may_set_distribution: bool,
}

/// The case as the authorisation module sees it, for deciding what a page offers.
fn case_object(
    caller: &Caller,
    centre: familytime_domain::ids::CentreId,
    referred_by: Option<UserId>,
) -> Option<Object> {
    caller.user.as_ref().map(|user| Object::Case {
        organisation: user.organisation_id,
        centre,
        referred_by,
    })
}

/// Whether the caller may take `action` on the case (no refusal is audited: this decides what a
/// page offers; the action itself asks again and audits a refusal).
fn may_on_case(caller: &Caller, action: Action, file: &CaseFile) -> bool {
    case_object(caller, file.summary.centre_id, file.summary.referrer_user_id)
        .is_some_and(|object| super::may(caller, action, &object))
}

/// Whether the caller may open the case's reports, asked as `case_reports` asks: the case page links
/// to them exactly when this holds (the safeguarding lead reads reports she does not write).
pub fn may_read_reports(caller: &Caller, file: &CaseFile) -> bool {
    may_on_case(caller, Action::ViewCases, file)
}

/// A case's reports: everyone who reads the case file reads them (the safeguarding lead too).
pub async fn case_reports(state: &AppState, caller: &Caller, case: &str) -> Result<CaseReports, AppError> {
    let file = case_file(state, caller, case, Action::ViewCases).await?;
    let org = file_org(caller)?;
    let case = file.summary.id;
    // A list of a case's records and reports is a read of the case file.
    crate::audit::family_reads(state, caller, "case.reports.read", [case]).await?;
    Ok(CaseReports {
        reports: state.store.case_reports(org, case).await?,
        signed: state
            .store
            .case_observations(org, case)
            .await?
            .into_iter()
            .filter(|r| r.signed)
            .collect(),
        distribution: state.store.distribution(org, case).await?,
        distribution_version: state
            .store
            .list_version(
                org,
                familytime_store::versions::ListKind::ReportDistribution,
                &case.to_string(),
            )
            .await?,
        zone: super::case_files::centre_zone(state, caller, file.summary.centre_id).await?,
        may_write: may_on_case(caller, Action::WriteReports, &file),
        may_set_distribution: may_on_case(caller, Action::CheckReports, &file),
        file,
    })
}

/// Sets who the case's reports may go to (a coordinator, from the court order).
pub async fn set_distribution(
    state: &AppState,
    caller: &Caller,
    case: &str,
    chosen: &[String],
    version: i64,
) -> Result<(), AppError> {
    let file = case_file(state, caller, case, Action::CheckReports).await?;
    let mut list = Vec::new();
    for name in chosen {
        match Recipient::parse(name) {
            Some(r) if !list.contains(&r) => list.push(r),
            Some(_) => {}
            None => {
                return Err(AppError::Invalid(FieldErrors::single(
                    "recipients",
                    "Choose recipients from the list",
                )));
            }
        }
    }
    state
        .store
        .set_distribution(
            &caller.scope(state.clock.now()),
            file_org(caller)?,
            file.summary.id,
            &list,
            version,
        )
        .await?;
    Ok(())
}

/// A new report as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct NewReportInput {
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub records: Vec<String>,
    /// The language it is written in, `en` or `cy`; empty: the language of the writer's page.
    pub language: String,
    /// Who asked for it (`referrer`, `visiting`, `resident`), which charges the report fee; empty:
    /// nobody, the centre's own report.
    pub requested_by: String,
}

/// Starts a report. It is written in the language asked for, else in the language of the page the
/// writer is on (`page`), and stays in it: its cover page and headings are printed in it.
pub async fn create_report(
    state: &AppState,
    caller: &Caller,
    case: &str,
    input: &NewReportInput,
    page: Lang,
) -> Result<String, AppError> {
    let file = case_file(state, caller, case, Action::WriteReports).await?;
    let mut errors = FieldErrors::new();
    let language = match input.language.trim() {
        "" => Some(page),
        code => Lang::ALL.into_iter().find(|l| l.code() == code),
    };
    if language.is_none() {
        errors.add("language", "Choose English (en) or Welsh (cy)");
    }
    let kind = ReportKind::parse(&input.kind);
    if kind.is_none() {
        errors.add("kind", "Choose the kind of report");
    }
    let draft = ReportDraft::parse(&input.title, &input.summary);
    if let Err(more) = &draft {
        errors.extend(more.clone());
    }
    if input.records.is_empty() {
        errors.add("records", "Choose at least one signed observation record");
    }
    if kind == Some(ReportKind::Session) && input.records.len() > 1 {
        errors.add("records", "A session report is about one session: choose one record");
    }
    let requested_by = match input.requested_by.trim() {
        "" => Ok(None),
        asked => ReportRequester::parse(asked).map(Some).ok_or(()),
    };
    if requested_by.is_err() {
        errors.add(
            "requested_by",
            "Choose who asked for the report: the referrer, a parent, or nobody",
        );
    }
    let (Some(kind), Some(language), Ok(draft), Ok(requested_by)) = (kind, language, draft, requested_by) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let org = file_org(caller)?;
    let now = state.clock.now();
    let fee = match requested_by {
        Some(asked_by) => crate::billing::report_fee(state, org, file.summary.id, asked_by, now).await?,
        None => Vec::new(),
    };
    match state
        .store
        .create_report(
            &caller.scope(now),
            org,
            file.summary.id,
            NewReport {
                kind,
                language,
                requested_by,
                fee,
            },
            &draft,
            &input.records,
        )
        .await
    {
        Err(StoreError::Conflict(m)) => Err(AppError::Invalid(FieldErrors::single("records", m))),
        other => Ok(other?),
    }
}

/// A report with everything its page and its PDF show.
pub struct ReportView {
    pub report: Report,
    pub file: CaseFile,
    pub records: Vec<ObservationRecord>,
    pub addenda: Vec<AddendumRow>,
    pub releases: Vec<Release>,
    pub distribution: Vec<Recipient>,
    pub organisation: String,
    pub zone: TimeZone,
    /// The report's number among its case's reports, oldest first (for its file name).
    pub number: usize,
}

/// What the report's page offers its viewer: each step only when the same authorisation call and
/// workflow rule that guard the step would let them take it now.
#[derive(Debug, Clone, Copy, Default)]
pub struct Offers {
    pub edit: bool,
    pub send_for_check: bool,
    /// Approving or sending back.
    pub check: bool,
    pub release: bool,
}

/// Whether the caller may take `step` on the report now: the action `ReportStep::action` names, on
/// the report's case, and the workflow's rule (never the author's own check).
pub fn may_step(caller: &Caller, report: &Report, step: ReportStep) -> bool {
    let Some(user) = &caller.user else {
        return false;
    };
    case_object(caller, report.centre_id, report.referrer_user_id)
        .is_some_and(|object| super::may(caller, step.action(), &object))
        && check_step(report.status, step, report.author_id == user.id).is_ok()
}

pub fn offers(caller: &Caller, report: &Report) -> Offers {
    Offers {
        edit: may_step(caller, report, ReportStep::Edit),
        send_for_check: may_step(caller, report, ReportStep::SendForCheck),
        check: may_step(caller, report, ReportStep::Approve),
        release: may_step(caller, report, ReportStep::Release),
    }
}

/// Who can check the report: each person in the organisation whom the authorisation module lets
/// check reports on its case, other than its author (the same rule the check itself applies).
pub async fn checkers(state: &AppState, caller: &Caller, report: &Report) -> Result<Vec<String>, AppError> {
    let org = file_org(caller)?;
    let object = Object::Case {
        organisation: org,
        centre: report.centre_id,
        referred_by: report.referrer_user_id,
    };
    Ok(state
        .store
        .users_in_roles(org, &familytime_domain::people::Role::STAFF)
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.id != report.author_id)
        .filter(|u| {
            familytime_domain::authz::authorize(Some(&u.actor()), ReportStep::Approve.action(), &object)
                == familytime_domain::authz::Decision::Allow
        })
        .map(|u| format!("{} ({})", u.name, u.role.label().to_lowercase()))
        .collect())
}

/// The reports waiting for a quality check that the caller can check (never their own, never at a
/// centre they do not work at), oldest first.
pub async fn to_check(state: &AppState, caller: &Caller) -> Result<Vec<Report>, AppError> {
    let org = file_org(caller)?;
    Ok(state
        .store
        .reports_in_check(org)
        .await?
        .into_iter()
        .filter(|r| may_step(caller, r, ReportStep::Approve))
        .collect())
}

/// Loads a report for staff, authorised for `action` on its case.
async fn report_for(state: &AppState, caller: &Caller, id: &str, action: Action) -> Result<ReportView, AppError> {
    let org = file_org(caller)?;
    let report = found(state, caller, state.store.report(org, id).await, "report", id).await?;
    let file = case_file(state, caller, &report.case_id.to_string(), action).await?;
    load_view(state, org, report, file).await
}

async fn load_view(
    state: &AppState,
    org: familytime_domain::ids::OrganisationId,
    report: Report,
    file: CaseFile,
) -> Result<ReportView, AppError> {
    let all = state.store.case_observations(org, report.case_id).await?;
    let records: Vec<ObservationRecord> = all.into_iter().filter(|r| report.record_ids.contains(&r.id)).collect();
    let addenda = state
        .store
        .case_addenda(org, report.case_id)
        .await?
        .into_iter()
        .filter(|a| report.record_ids.contains(&a.record_id))
        .collect();
    let centre = state.store.centre(org, file.summary.centre_id).await?;
    let mut case_reports = state.store.case_reports(org, report.case_id).await?;
    case_reports.sort_by_key(|r| (r.created_at, r.id.clone()));
    let number = case_reports.iter().position(|r| r.id == report.id).map_or(1, |n| n + 1);
    Ok(ReportView {
        number,
        releases: state.store.releases(org, &report.id).await?,
        distribution: state.store.distribution(org, report.case_id).await?,
        organisation: state.store.organisation(org).await?.name,
        zone: TimeZone::get(&centre.time_zone).unwrap_or(TimeZone::UTC),
        records,
        addenda,
        report,
        file,
    })
}

/// One report, for everyone who reads its case file (the read is audited).
pub async fn report(state: &AppState, caller: &Caller, id: &str) -> Result<ReportView, AppError> {
    let view = report_for(state, caller, id, Action::ViewCases).await?;
    audit(state, caller, "report.read", &view.report.id).await?;
    Ok(view)
}

async fn audit(state: &AppState, caller: &Caller, action: &'static str, id: &str) -> Result<(), AppError> {
    state
        .store
        .audit(&caller.scope(state.clock.now()), AuditEvent::ok(action, "report", id))
        .await?;
    Ok(())
}

pub async fn edit_report(
    state: &AppState,
    caller: &Caller,
    id: &str,
    title: &str,
    summary: &str,
    version: i64,
) -> Result<(), AppError> {
    let view = report_for(state, caller, id, ReportStep::Edit.action()).await?;
    step(&view.report, ReportStep::Edit, caller)?;
    let draft = ReportDraft::parse(title, summary).map_err(AppError::Invalid)?;
    state
        .store
        .edit_report(&caller.scope(state.clock.now()), file_org(caller)?, id, version, &draft)
        .await?;
    Ok(())
}

fn step(report: &Report, step: ReportStep, caller: &Caller) -> Result<ReportStatus, AppError> {
    let me = caller.user()?.id;
    check_step(report.status, step, report.author_id == me).map_err(AppError::Conflict)
}

/// A step in the quality check as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct CheckInput {
    /// `send_for_check`, `send_back` or `approve`.
    pub step: String,
    pub notes: String,
    pub version: i64,
}

pub async fn check(state: &AppState, caller: &Caller, id: &str, input: &CheckInput) -> Result<(), AppError> {
    let wanted = match input.step.trim() {
        "send_for_check" => ReportStep::SendForCheck,
        "send_back" => ReportStep::SendBack,
        "approve" => ReportStep::Approve,
        _ => {
            return Err(AppError::Invalid(FieldErrors::single(
                "step",
                "Choose whether to send the report for a check, send it back or approve it",
            )));
        }
    };
    let view = report_for(state, caller, id, wanted.action()).await?;
    let to = step(&view.report, wanted, caller)?;
    let notes = familytime_domain::text::optional("your notes for the author", &input.notes, 5000)
        .map_err(|m| AppError::Invalid(FieldErrors::single("notes", m)))?;
    if wanted == ReportStep::SendBack && notes.is_none() {
        return Err(AppError::Invalid(FieldErrors::single(
            "notes",
            "Say what the author should change",
        )));
    }
    let hash = (wanted == ReportStep::Approve).then(|| {
        let record_hashes: Vec<String> = view
            .records
            .iter()
            .filter_map(|r| r.content_hash.clone())
            .chain(view.addenda.iter().map(|a| a.content_hash.clone()))
            .collect();
        reports::report_hash(
            &view.report.id,
            &view.report.title,
            &view.report.summary,
            &record_hashes,
        )
    });
    let checker = (wanted != ReportStep::SendForCheck).then_some(caller.user()?.id);
    state
        .store
        .change_report(
            &caller.scope(state.clock.now()),
            file_org(caller)?,
            id,
            &ReportChange {
                from: view.report.status,
                to,
                version: input.version,
                checker,
                check_notes: notes.as_deref(),
                content_hash: hash.as_deref(),
            },
        )
        .await?;
    Ok(())
}

/// Releases an approved report to recipients on the distribution list. (Its fee, if anyone asked
/// for it, was charged when it was asked for.)
pub async fn release(
    state: &AppState,
    caller: &Caller,
    id: &str,
    chosen: &[String],
    version: i64,
) -> Result<(), AppError> {
    let view = report_for(state, caller, id, ReportStep::Release.action()).await?;
    step(&view.report, ReportStep::Release, caller)?;
    let mut recipients = Vec::new();
    for name in chosen {
        match Recipient::parse(name) {
            Some(r) if !recipients.contains(&r) => recipients.push(r),
            Some(_) => {}
            None => {
                return Err(AppError::Invalid(FieldErrors::single(
                    "recipients",
                    "Choose recipients from the distribution list",
                )));
            }
        }
    }
    check_release(&view.distribution, &recipients)
        .map_err(|m| AppError::Invalid(FieldErrors::single("recipients", m)))?;
    let with_accounts: Vec<(Recipient, Option<UserId>)> =
        recipients.iter().map(|r| (*r, account_of(&view.file, *r))).collect();
    // Each person it goes to who reads reports through an account is sent a link to it (never the
    // report), written with the release (decision 0050).
    let org = file_org(caller)?;
    let accounts: Vec<UserId> = with_accounts.iter().filter_map(|(_, user)| *user).collect();
    let messages = crate::mail::notices::report_released(state, org, &view.file.summary, id, &accounts).await?;
    state
        .store
        .release_report_with_messages(
            &caller.scope(state.clock.now()),
            org,
            id,
            version,
            &with_accounts,
            &messages,
        )
        .await?;
    Ok(())
}

/// The account through which a recipient reads released reports, where they have one.
fn account_of(file: &CaseFile, recipient: Recipient) -> Option<UserId> {
    let party = |role: PartyRole| file.parties.iter().find(|p| p.role == role).and_then(|p| p.user_id);
    match recipient {
        Recipient::Referrer => file.summary.referrer_user_id,
        Recipient::Resident => party(PartyRole::Resident),
        Recipient::Visiting => party(PartyRole::Visiting),
        _ => None,
    }
}

/// The reports released to the signed-in referrer or parent.
pub async fn released_to_me(state: &AppState, caller: &Caller) -> Result<Vec<Report>, AppError> {
    let user = caller.user()?;
    authorize(
        state,
        caller,
        Action::ViewReleasedReports,
        Object::Organisation(user.organisation_id),
    )
    .await?;
    Ok(state.store.reports_released_to(user.organisation_id, user.id).await?)
}

/// A released report as its recipient's list names it: the case's reference and the children's
/// first names, which the referrer gave and the parent knows (nothing else of the case file).
pub struct ReleasedLine {
    pub report: Report,
    pub children: Vec<String>,
}

/// The reports released to the signed-in referrer or parent, each naming its case and children. The
/// list shows a family, so the read is audited.
pub async fn released_lines(state: &AppState, caller: &Caller) -> Result<Vec<ReleasedLine>, AppError> {
    let reports = released_to_me(state, caller).await?;
    let org = file_org(caller)?;
    let mut children: std::collections::HashMap<familytime_domain::ids::CaseId, Vec<String>> =
        std::collections::HashMap::new();
    let mut lines = Vec::new();
    for report in reports {
        if let std::collections::hash_map::Entry::Vacant(slot) = children.entry(report.case_id) {
            let people = state.store.case_people(org, report.case_id).await?;
            slot.insert(
                people
                    .children
                    .iter()
                    .filter_map(|c| c.name.split_whitespace().next().map(str::to_owned))
                    .collect(),
            );
        }
        lines.push(ReleasedLine {
            children: children.get(&report.case_id).cloned().unwrap_or_default(),
            report,
        });
    }
    // One entry per family the list names (decision 0053).
    crate::audit::family_reads(state, caller, "report.list", lines.iter().map(|l| l.report.case_id)).await?;
    Ok(lines)
}

/// A report as a PDF: for staff who write reports, or for the people it was released to. Every
/// download is audited.
pub async fn report_pdf(state: &AppState, caller: &Caller, id: &str) -> Result<(Vec<u8>, String), AppError> {
    let user = caller.user()?;
    let org = user.organisation_id;
    let view = if user.role.is_staff() {
        report_for(state, caller, id, Action::ViewCases).await?
    } else {
        let report = found(state, caller, state.store.report(org, id).await, "report", id).await?;
        let recipients = state.store.report_recipient_users(org, &report.id).await?;
        authorize(
            state,
            caller,
            Action::ViewReleasedReports,
            Object::ReleasedReport {
                organisation: org,
                recipients,
            },
        )
        .await?;
        if report.status != ReportStatus::Released {
            return Err(AppError::NotFound);
        }
        let file = state.store.case(org, report.case_id).await?;
        load_view(state, org, report, file).await?
    };
    let bytes = paper::render(vec![document(&view)], "the report could not be rendered").await?;
    audit(state, caller, "report.download", &view.report.id).await?;
    let dated = view.report.approved_at.unwrap_or(view.report.created_at);
    let name = reports::file_name(
        &view.file.summary.reference,
        view.number,
        view.report.kind,
        dated.to_zoned(view.zone.clone()).date(),
    );
    Ok((bytes, name))
}

/// The report as a document, in the language it was written in (whoever reads it): its cover page,
/// headings and notes in that language, what the writer and supervisors wrote as they wrote it.
/// Names and observations only: no address, phone, school or other contact detail is ever put
/// into it.
pub fn document(view: &ReportView) -> Document {
    let r = &view.report;
    let lang = r.language;
    let zone = &view.zone;
    let local = |at: Timestamp| paper::moment(lang, zone, at);
    let mut meta = vec![
        (
            w(lang, "pdf-report-kind"),
            w(lang, &format!("pdf-report-kind-{}", r.kind.as_str())),
        ),
        (
            w(lang, "pdf-report-status"),
            w(lang, &format!("pdf-report-status-{}", r.status.as_str())),
        ),
        (w(lang, "pdf-report-written-by"), r.author_name.clone()),
    ];
    if let Some(checker) = &r.checker_name {
        meta.push((w(lang, "pdf-report-checked-by"), checker.clone()));
    }
    if let Some(at) = r.approved_at {
        meta.push((w(lang, "pdf-report-approved"), local(at)));
    }
    let children: Vec<String> = view.file.children.iter().map(|c| c.name.clone()).collect();
    meta.push((w(lang, "pdf-report-children"), children.join(", ")));
    let mut blocks = Vec::new();
    if !r.summary.is_empty() {
        blocks.push(Block::Heading(w(lang, "pdf-report-summary")));
        for paragraph in r.summary.split("\n\n") {
            blocks.push(Block::Paragraph(paragraph.trim().to_owned()));
        }
    }
    for record in &view.records {
        let when = local(record.session_start);
        blocks.push(Block::Heading(wv(lang, "pdf-report-session-on", &[("when", &when)])));
        let mut facts = vec![(w(lang, "pdf-report-supervisor"), record.author_name.clone())];
        if let Some(at) = record.signed_at {
            facts.push((w(lang, "pdf-report-signed-off"), local(at)));
        }
        blocks.push(Block::KeyValues(facts));
        for section in &SECTIONS {
            let text = record.content.section(section.field);
            if !text.is_empty() {
                let heading = w(lang, &format!("pdf-report-section-{}", section.field));
                blocks.push(Block::Paragraph(format!("{heading}:")));
                blocks.push(Block::Quote(text.to_owned()));
            }
        }
        for addendum in view.addenda.iter().filter(|a| a.record_id == record.id) {
            let at = local(familytime_store::schedule::ts_of(addendum.at));
            blocks.push(Block::Paragraph(wv(
                lang,
                "pdf-report-addendum",
                &[
                    ("name", &addendum.author_name),
                    ("when", &at),
                    ("reason", &addendum.reason),
                ],
            )));
            blocks.push(Block::Quote(addendum.text.clone()));
        }
    }
    let mut hashes: Vec<String> = view
        .records
        .iter()
        .filter_map(|rec| {
            rec.content_hash.as_ref().map(|h| {
                let when = local(rec.session_start);
                wv(lang, "pdf-report-hash-record", &[("when", &when), ("hash", h)])
            })
        })
        .collect();
    if let Some(hash) = &r.content_hash {
        hashes.push(wv(lang, "pdf-report-hash-report", &[("hash", hash)]));
    }
    Document {
        kind: DocumentKind::Report,
        lang,
        organisation: view.organisation.clone(),
        title: r.title.clone(),
        reference: Some(view.file.summary.reference.clone()),
        meta,
        caveat: Some(w(lang, "pdf-report-caveat")),
        blocks,
        footer_note: Some(format!("{}\n{}", w(lang, "pdf-report-hashes"), hashes.join("\n"))),
    }
}
