//! Ending or suspending a service and review meetings (a coordinator's decisions): the notice, which
//! closes the case when the service ends; the letters to both parents and the referrer, rendered to
//! PDF from names only, each in its reader's language, and recorded as sent or printed; review meetings; and what the case page
//! shows of them (Cafcass-funded hours used, whether a review is due).

use super::case_files::{case_file, centre_zone, file_org};
use super::found;
use crate::paper::{self, w, wv};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::Action;
use familytime_domain::ids::OrganisationId;
use familytime_domain::intake::PartyRole;
use familytime_domain::language::Lang;
use familytime_domain::referrals::{CaseStatus, ClosureOutcome};
use familytime_domain::reviews::{
    self, FUNDED_MINUTES, FundedHours, LetterRecipient, Notice, NoticeKind, Review, ReviewInput,
};
use familytime_i18n::dates;
use familytime_reports::{Block, Document, DocumentKind};
use familytime_store::AuditEvent;
use familytime_store::referrals::CaseFile;
use familytime_store::reviews::{ComingBooking, LetterRecord, NoticeRecord, ReviewRecord};
use jiff::tz::TimeZone;

/// What the case page and the case API show about the service.
#[derive(Debug, Clone, Copy, Default)]
pub struct CaseFacts {
    /// Cafcass-funded hours used against the allowance (Cafcass cases only).
    pub funded: Option<FundedHours>,
    /// When a review is due: the start of the first contact session, about three months ago.
    pub review_due: Option<Timestamp>,
}

/// Computes the case's facts for a file the caller is already allowed to read.
pub(crate) async fn case_facts(
    state: &AppState,
    org: OrganisationId,
    file: &CaseFile,
    zone: &TimeZone,
) -> Result<CaseFacts, AppError> {
    let held = state.store.held_sessions(org, file.summary.id).await?;
    let reviews_held: Vec<jiff::civil::Date> = state
        .store
        .case_reviews(org, file.summary.id)
        .await?
        .into_iter()
        .map(|r| r.review.held_on)
        .collect();
    let day = |t: Timestamp| t.to_zoned(zone.clone()).date();
    Ok(CaseFacts {
        funded: reviews::funded_hours(file.summary.source, &held, FUNDED_MINUTES),
        review_due: reviews::review_due(&held, &reviews_held, day, state.clock.now()),
    })
}

/// A notice with the letters recorded for it.
pub struct NoticeWithLetters {
    pub notice: NoticeRecord,
    pub letters: Vec<LetterRecord>,
}

/// Everything the service page shows.
pub struct ServiceView {
    pub file: CaseFile,
    pub notices: Vec<NoticeWithLetters>,
    pub reviews: Vec<ReviewRecord>,
    pub coming: Vec<ComingBooking>,
    /// Whether the service is running, suspended or ended (issue 19).
    pub service_state: familytime_domain::booking_rules::ServiceState,
    pub facts: CaseFacts,
    pub zone: TimeZone,
}

/// The case's notices, letters, reviews and bookings still to come. The read is audited.
pub async fn service(state: &AppState, caller: &Caller, case: &str) -> Result<ServiceView, AppError> {
    let file = case_file(state, caller, case, Action::CheckReports).await?;
    let org = file_org(caller)?;
    let id = file.summary.id;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("service.read", "case", id),
        )
        .await?;
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    let mut notices = Vec::new();
    for notice in state.store.case_notices(org, id).await? {
        let letters = state.store.letters(org, &notice.id).await?;
        notices.push(NoticeWithLetters { notice, letters });
    }
    Ok(ServiceView {
        reviews: state.store.case_reviews(org, id).await?,
        coming: state.store.coming_bookings(org, id, state.clock.now()).await?,
        service_state: state.store.case_rules(org, id).await?.state,
        facts: case_facts(state, org, &file, &zone).await?,
        notices,
        zone,
        file,
    })
}

/// A notice as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct NoticeInput {
    pub kind: String,
    pub reason: String,
    pub effective_on: String,
}

/// The statuses from which ending the service closes the case.
const CLOSES_FROM: [CaseStatus; 3] = [CaseStatus::Active, CaseStatus::Accepted, CaseStatus::UnderReview];

/// Ends or suspends a case's service. Ending it also closes the case (outcome: service ended)
/// through the case's status machine, where the case is open, and cancels the contact sessions
/// still to come by the centre (no forfeit); a suspension keeps the case open and puts them on
/// hold, for the coordinator to cancel (by the centre) or keep held one by one. Either way no new
/// contact can be booked (decision 0043).
pub async fn issue_notice(
    state: &AppState,
    caller: &Caller,
    case: &str,
    input: &NoticeInput,
) -> Result<String, AppError> {
    let file = case_file(state, caller, case, Action::CheckReports).await?;
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    let today = state.clock.now().to_zoned(zone).date();
    let notice = Notice::parse(&input.kind, &input.reason, &input.effective_on, today).map_err(AppError::Invalid)?;
    let closing = (notice.kind == NoticeKind::Ended && CLOSES_FROM.contains(&file.summary.status)).then(|| {
        familytime_domain::referrals::Transition {
            to: CaseStatus::Closed,
            reason: format!(
                "The centre ended the service by written notice, taking effect on {}",
                notice.effective_on
            ),
            service: None,
            outcome: Some(ClosureOutcome::ServiceEnded),
            missing: None,
        }
    });
    // Ending the service cancels the confirmed sessions still to come: each adult is sent the
    // cancellation of each (with its calendar cancellation, at the SEQUENCE the ending gives it),
    // written with the notice (decision 0050). Provisional ones were never told to anyone.
    let org = file_org(caller)?;
    let now = state.clock.now();
    let mut messages = Vec::new();
    if notice.kind == NoticeKind::Ended {
        for coming in state.store.coming_bookings(org, file.summary.id, now).await? {
            let Ok(id) = familytime_domain::ids::BookingId::parse(&coming.id) else {
                continue;
            };
            let booking = state.store.booking(org, id).await?;
            let contact = !matches!(booking.kind.as_str(), "pre_visit" | "review");
            if booking.status == familytime_store::schedule::BookingStatus::Confirmed && contact {
                messages.extend(
                    crate::mail::compose::booking_messages(
                        state,
                        org,
                        &booking,
                        familytime_domain::mail::MailKind::BookingCancelled,
                        booking.sequence + 1,
                    )
                    .await?,
                );
            }
        }
    }
    let id = state
        .store
        .issue_notice_with_messages(
            &caller.scope(now),
            org,
            file.summary.id,
            &notice,
            closing.as_ref().map(|t| (file.summary.version, t)),
            &messages,
        )
        .await?;
    Ok(id)
}

/// Resumes a suspended service: contact can be booked again and the sessions on hold are live
/// again. Refused (nothing changed) when the service is not suspended.
pub async fn resume_service(state: &AppState, caller: &Caller, case: &str) -> Result<(), AppError> {
    let file = case_file(state, caller, case, Action::CheckReports).await?;
    state
        .store
        .resume_service(&caller.scope(state.clock.now()), file_org(caller)?, file.summary.id)
        .await?;
    Ok(())
}

/// A notice and its case, for someone who may decide on the service.
async fn notice_for(state: &AppState, caller: &Caller, id: &str) -> Result<(NoticeRecord, CaseFile), AppError> {
    let org = file_org(caller)?;
    // Notice ids are opaque text: junk is simply not found (and the attempt audited).
    let notice = found(state, caller, state.store.notice(org, id).await, "notice", id).await?;
    let file = case_file(state, caller, &notice.case_id.to_string(), Action::CheckReports).await?;
    Ok((notice, file))
}

/// The case a notice belongs to (for going back to its page), for someone who may decide on it.
pub async fn notice_case(state: &AppState, caller: &Caller, id: &str) -> Result<String, AppError> {
    Ok(notice_for(state, caller, id).await?.0.case_id.to_string())
}

/// The name a letter is addressed to: never an address or any other contact detail.
fn recipient_name(lang: Lang, file: &CaseFile, recipient: LetterRecipient) -> String {
    let party = |role: PartyRole, fallback: &str| {
        file.parties
            .iter()
            .find(|p| p.role == role)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| w(lang, fallback))
    };
    match recipient {
        LetterRecipient::Resident => party(PartyRole::Resident, "pdf-letter-the-resident"),
        LetterRecipient::Visiting => party(PartyRole::Visiting, "pdf-letter-the-visiting"),
        LetterRecipient::Referrer => file
            .referrer_name
            .clone()
            .or_else(|| file.referrer_organisation.clone())
            .unwrap_or_else(|| w(lang, "pdf-letter-the-referrer")),
    }
}

/// The languages a letter to `recipient` is written in: a parent's own choice recorded on the case,
/// the referrer account's own choice, else the organisation's default; Welsh then English for an
/// organisation that writes bilingually.
async fn letter_languages(
    state: &AppState,
    org: OrganisationId,
    file: &CaseFile,
    recipient: LetterRecipient,
) -> Result<Vec<Lang>, AppError> {
    let parent = |role: PartyRole| file.parties.iter().find(|p| p.role == role).map(|p| p.id.to_string());
    match recipient {
        LetterRecipient::Resident | LetterRecipient::Visiting => {
            let role = if recipient == LetterRecipient::Resident {
                PartyRole::Resident
            } else {
                PartyRole::Visiting
            };
            match parent(role) {
                Some(party) => paper::party_letter(state, org, &party).await,
                None => paper::user_letter(state, org, None).await,
            }
        }
        LetterRecipient::Referrer => paper::user_letter(state, org, file.summary.referrer_user_id).await,
    }
}

/// A notice's letter to one recipient as a PDF, in the recipient's language (both, Welsh first, for
/// an organisation that writes bilingually). Every download is audited.
pub async fn letter_pdf(
    state: &AppState,
    caller: &Caller,
    id: &str,
    recipient: &str,
) -> Result<(Vec<u8>, String), AppError> {
    let recipient = LetterRecipient::parse(recipient).ok_or(AppError::NotFound)?;
    let (notice, file) = notice_for(state, caller, id).await?;
    let org = file_org(caller)?;
    let organisation = state.store.organisation(org).await?.name;
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    let parts = letter_languages(state, org, &file, recipient)
        .await?
        .into_iter()
        .map(|lang| letter(lang, &notice, &file, recipient, &organisation, &zone))
        .collect();
    let bytes = paper::render(parts, "the letter could not be rendered").await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("service.letter.download", "notice", &notice.id),
        )
        .await?;
    let name = format!("letter-{}-{}.pdf", file.summary.reference, recipient.as_str());
    Ok((bytes, name))
}

/// The letter in one language: organisation, case reference, date, the recipient's name, the
/// decision, the reason (as the coordinator wrote it) and what happens next. Built from names only:
/// the renderer is never given an address, phone number or other contact detail (the centre hands
/// the letter over or sends it).
pub fn letter(
    lang: Lang,
    notice: &NoticeRecord,
    file: &CaseFile,
    recipient: LetterRecipient,
    organisation: &str,
    zone: &TimeZone,
) -> Document {
    let name = recipient_name(lang, file, recipient);
    let children: Vec<String> = file.children.iter().map(|c| c.name.clone()).collect();
    let children = paper::join_names(lang, &children);
    let issued = paper::day(lang, zone, notice.issued_at);
    let effective = dates::date(lang, notice.effective_on);
    let kind = match notice.kind {
        NoticeKind::Ended => "ended",
        NoticeKind::Suspended => "suspended",
    };
    let decision = wv(
        lang,
        &format!("pdf-letter-{kind}-decision"),
        &[
            ("organisation", organisation),
            ("children", &children),
            ("date", &effective),
        ],
    );
    let reader = if recipient == LetterRecipient::Referrer {
        "referrer"
    } else {
        "parent"
    };
    let mut blocks = vec![
        Block::Paragraph(wv(lang, "pdf-letter-dear", &[("name", &name)])),
        Block::Paragraph(decision),
        Block::Heading(w(lang, "pdf-letter-why")),
    ];
    for paragraph in notice.reason.split("\n\n") {
        blocks.push(Block::Paragraph(paragraph.trim().to_owned()));
    }
    blocks.push(Block::Heading(w(lang, "pdf-letter-next")));
    blocks.push(Block::Paragraph(w(lang, &format!("pdf-letter-{kind}-next-{reader}"))));
    blocks.push(Block::Paragraph(format!(
        "{}\n\n{}\n{organisation}",
        w(lang, "pdf-letter-sign-off"),
        notice.issued_by_name
    )));
    Document {
        kind: DocumentKind::Letter,
        lang,
        organisation: organisation.to_owned(),
        title: w(lang, &format!("pdf-letter-{kind}-title")),
        reference: Some(file.summary.reference.clone()),
        meta: vec![
            (w(lang, "pdf-date"), issued),
            (w(lang, "pdf-to"), name.clone()),
            (w(lang, "pdf-case"), file.summary.reference.clone()),
        ],
        caveat: None,
        blocks,
        footer_note: None,
    }
}

/// Records that a notice's letter was sent or printed.
pub async fn record_letter(
    state: &AppState,
    caller: &Caller,
    id: &str,
    recipient: &str,
    delivery: &str,
) -> Result<String, AppError> {
    let (recipient, delivery) = reviews::parse_letter(recipient, delivery).map_err(AppError::Invalid)?;
    let (notice, _) = notice_for(state, caller, id).await?;
    Ok(state
        .store
        .record_letter(
            &caller.scope(state.clock.now()),
            file_org(caller)?,
            &notice.id,
            recipient,
            delivery,
        )
        .await?)
}

/// A review meeting as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct ReviewForm {
    pub held_on: String,
    pub attendees: String,
    pub resident_view: String,
    pub visiting_view: String,
    pub child_view: String,
    pub outcome: String,
    pub risk_notes: String,
}

/// Records a review meeting on a case.
pub async fn record_review(
    state: &AppState,
    caller: &Caller,
    case: &str,
    form: &ReviewForm,
) -> Result<String, AppError> {
    let file = case_file(state, caller, case, Action::CheckReports).await?;
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    let today = state.clock.now().to_zoned(zone).date();
    let review = Review::parse(
        &ReviewInput {
            held_on: &form.held_on,
            attendees: &form.attendees,
            resident_view: &form.resident_view,
            visiting_view: &form.visiting_view,
            child_view: &form.child_view,
            outcome: &form.outcome,
            risk_notes: &form.risk_notes,
        },
        today,
    )
    .map_err(AppError::Invalid)?;
    Ok(state
        .store
        .record_review(
            &caller.scope(state.clock.now()),
            file_org(caller)?,
            file.summary.id,
            &review,
            review.outcome.service_change(review.held_on),
        )
        .await?)
}
