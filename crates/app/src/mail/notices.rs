//! The messages that are not about a parent's own session (issue 17, decision 0050): to the
//! referrer (referral received, accepted or declined, a missed or stopped session due by 10:00 the
//! next working day), the report-released link to each person it was released to, and the
//! acknowledgement of a self-referral. Each is composed before the transaction of the event that
//! causes it and written in it. They name the case by its reference and people by their part in the
//! case ("the visiting parent"), never by name: no child's name, no contact details, no text typed
//! by staff about the family.

use super::compose::Body;
use crate::{AppError, AppState};
use familytime_domain::Timestamp;
use familytime_domain::ids::{BookingId, CaseId, CentreId, OrganisationId, UserId};
use familytime_domain::intake::PartyRole;
use familytime_domain::language::Lang;
use familytime_domain::mail::{MailKind, notice_due_by};
use familytime_i18n as i18n;
use familytime_store::mail::NewMessage;
use familytime_store::referrals::CaseSummary;
use jiff::tz::TimeZone;

/// Who a message is to: an account (a referrer, a parent with an account), or a party of a case.
enum To {
    User(UserId),
    Party(String),
}

/// What a message is about, for its row in the outbox.
struct About {
    case: Option<CaseId>,
    booking: Option<BookingId>,
    /// At most one message per key in an organisation.
    dedupe_key: Option<String>,
}

/// The centre's name and zone (its own, else the fallback).
async fn centre_of(state: &AppState, org: OrganisationId, centre: CentreId) -> Result<(String, TimeZone), AppError> {
    let centre = state.store.centre(org, centre).await?;
    let zone = TimeZone::get(&centre.time_zone)
        .or_else(|_| TimeZone::get(crate::schedule::feeds_ics::FALLBACK_ZONE))
        .unwrap_or(TimeZone::UTC);
    Ok((centre.name, zone))
}

/// One message of `kind` in `lang`: the subject, heading and body from `mail.ftl`
/// (`mail-subject-{key}`, `mail-heading-{key}`, `mail-body-{key}`), with `vars` and `facts`.
#[allow(clippy::too_many_arguments)]
fn message(
    state: &AppState,
    lang: Lang,
    kind: MailKind,
    vars: &[(&str, &str)],
    facts: &[(&str, String)],
    extra: &[&str],
    centre: &str,
    to: To,
    address: &str,
    about: About,
) -> Result<NewMessage, AppError> {
    let key = kind.key();
    let t = |key: &str| i18n::text(lang, key, vars);
    let mut paragraphs = vec![t(&format!("mail-body-{key}"))];
    paragraphs.extend(extra.iter().map(|k| t(k)));
    let body = Body {
        html_lang: lang.html_lang(),
        subject: t(&format!("mail-subject-{key}")),
        heading: t(&format!("mail-heading-{key}")),
        greeting: t("mail-greeting"),
        paragraphs,
        facts: facts
            .iter()
            .map(|(label, value)| (i18n::text(lang, label, &[]), value.clone()))
            .collect(),
        closing: Vec::new(),
        footer: i18n::text(lang, "mail-footer", &[("centre", centre)]),
    };
    let (text, html) = body.render()?;
    let id = uuid::Uuid::now_v7().to_string();
    let (user, party) = match to {
        To::User(u) => (Some(u.to_string()), None),
        To::Party(p) => (None, Some(p)),
    };
    Ok(NewMessage {
        message_id: format!("{id}@{}", state.config.mail.domain()),
        id,
        kind: kind.as_str(),
        dedupe_key: about.dedupe_key,
        recipient_user_id: user,
        recipient_party_id: party,
        address: address.to_owned(),
        language: lang.code(),
        subject: body.subject.clone(),
        text,
        html,
        ics: None,
        booking_id: about.booking.map(|b| b.to_string()),
        case_id: about.case.map(|c| c.to_string()),
    })
}

/// An account's address and language, if it is enabled and has an address.
async fn account_target(
    state: &AppState,
    org: OrganisationId,
    user: UserId,
) -> Result<Option<(String, Lang)>, AppError> {
    let account = match state.store.user(org, user).await {
        Ok(account) => account,
        Err(familytime_store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let address = account.email.trim();
    if account.disabled || address.is_empty() {
        return Ok(None);
    }
    let policy = state.store.language_policy(org).await?;
    Ok(Some((
        address.to_owned(),
        policy.for_reader(account.preferred_language),
    )))
}

/// A message of `kind` to the case's referrer, if the case has a referrer with an account (the case
/// holds no other address for them). `reference` names the case in the message.
#[allow(clippy::too_many_arguments)]
async fn to_referrer(
    state: &AppState,
    org: OrganisationId,
    case: &CaseSummary,
    kind: MailKind,
    vars: &[(&str, &str)],
    facts: &[(&str, String)],
    booking: Option<BookingId>,
    dedupe: String,
) -> Result<Vec<NewMessage>, AppError> {
    let Some(referrer) = case.referrer_user_id else {
        return Ok(Vec::new());
    };
    let Some((address, lang)) = account_target(state, org, referrer).await? else {
        return Ok(Vec::new());
    };
    let (centre, _) = centre_of(state, org, case.centre_id).await?;
    let mut all_vars = vec![("centre", centre.as_str()), ("reference", case.reference.as_str())];
    all_vars.extend_from_slice(vars);
    let mut all_facts = vec![("mail-fact-reference", case.reference.clone())];
    all_facts.extend(facts.iter().cloned());
    all_facts.push(("mail-fact-centre", centre.clone()));
    Ok(vec![message(
        state,
        lang,
        kind,
        &all_vars,
        &all_facts,
        &[],
        &centre,
        To::User(referrer),
        &address,
        About {
            case: Some(case.id),
            booking,
            dedupe_key: Some(dedupe),
        },
    )?])
}

/// What a message to a new case's referrer needs, read before the case is written: the referrer's
/// address and language and the centre's name.
pub struct NewCaseReader {
    user: UserId,
    address: String,
    lang: Lang,
    centre: String,
}

/// The referrer's part of "referral received", read before the case is written (`None`: the
/// referral has no referrer with an account, so nobody to write to).
pub async fn referrer_of_new_case(
    state: &AppState,
    org: OrganisationId,
    referrer: Option<UserId>,
    centre: CentreId,
) -> Result<Option<NewCaseReader>, AppError> {
    let Some(user) = referrer else {
        return Ok(None);
    };
    let Some((address, lang)) = account_target(state, org, user).await? else {
        return Ok(None);
    };
    let (centre, _) = centre_of(state, org, centre).await?;
    Ok(Some(NewCaseReader {
        user,
        address,
        lang,
        centre,
    }))
}

/// "Referral received": to the referrer who made it, composed inside the transaction that writes
/// the case (no IO), naming the case by the reference it was given.
pub fn referral_received(
    state: &AppState,
    reader: &NewCaseReader,
    case: CaseId,
    reference: &str,
) -> Result<NewMessage, AppError> {
    message(
        state,
        reader.lang,
        MailKind::ReferralReceived,
        &[("centre", reader.centre.as_str()), ("reference", reference)],
        &[
            ("mail-fact-reference", reference.to_owned()),
            ("mail-fact-centre", reader.centre.clone()),
        ],
        &[],
        &reader.centre,
        To::User(reader.user),
        &reader.address,
        About {
            case: Some(case),
            booking: None,
            dedupe_key: Some(format!("{}:{case}", MailKind::ReferralReceived.as_str())),
        },
    )
}

/// "Referral accepted" or "declined": to the referrer, written with the decision (once per case and
/// decision). No reason is given: what staff type about a decision is about the family.
pub async fn referral_decided(
    state: &AppState,
    org: OrganisationId,
    case: &CaseSummary,
    accepted: bool,
) -> Result<Vec<NewMessage>, AppError> {
    let kind = if accepted {
        MailKind::ReferralAccepted
    } else {
        MailKind::ReferralDeclined
    };
    let dedupe = format!("{}:{}", kind.as_str(), case.id);
    to_referrer(state, org, case, kind, &[], &[], None, dedupe).await
}

/// The dedupe key of the referrer's notice that the adult in `role` missed a session: one per
/// booking and adult, and the key a corrected register line takes it back by.
pub fn missed_key(booking: BookingId, role: PartyRole) -> String {
    format!("{}:{booking}:{}", MailKind::SessionMissed.as_str(), role.as_str())
}

/// A missed or stopped session as the referrer's notice says it.
pub enum Missed {
    /// The register recorded that this adult did not come.
    DidNotAttend(PartyRole),
    /// The session was stopped early.
    Stopped,
}

/// The referrer's notice of a missed or stopped session, and when it must be sent by: 10:00 the
/// next working day at the centre (decision 0050). Once per booking and adult (or per booking, when
/// stopped), however often the register is written.
pub async fn missed_session(
    state: &AppState,
    org: OrganisationId,
    case: &CaseSummary,
    booking: BookingId,
    centre: CentreId,
    start: Timestamp,
    missed: Missed,
) -> Result<(Vec<NewMessage>, Timestamp), AppError> {
    let calendar = state.store.calendar(org, centre).await?;
    let zone = calendar.zone.clone();
    let due = notice_due_by(start, &zone, |day| calendar.closure_on(day).is_some());
    let Some(referrer) = case.referrer_user_id else {
        return Ok((Vec::new(), due));
    };
    let lang = match account_target(state, org, referrer).await? {
        Some((_, lang)) => lang,
        None => return Ok((Vec::new(), due)),
    };
    let local = start.to_zoned(zone);
    let date = i18n::dates::weekday_date(lang, local.date());
    let time = i18n::dates::time(lang, local.time());
    let (kind, who_key, dedupe) = match &missed {
        Missed::DidNotAttend(role) => (
            MailKind::SessionMissed,
            match role {
                PartyRole::Resident => "mail-who-resident",
                PartyRole::Visiting => "mail-who-visiting",
                PartyRole::OtherAdult => "mail-who-other",
            },
            missed_key(booking, *role),
        ),
        Missed::Stopped => (
            MailKind::SessionStopped,
            "mail-who-nobody",
            format!("{}:{booking}", MailKind::SessionStopped.as_str()),
        ),
    };
    let who = i18n::text(lang, who_key, &[]);
    let vars = [("date", date.as_str()), ("time", time.as_str()), ("who", who.as_str())];
    let facts = [("mail-fact-date", date.clone()), ("mail-fact-time", time.clone())];
    let messages = to_referrer(state, org, case, kind, &vars, &facts, Some(booking), dedupe).await?;
    Ok((messages, due))
}

/// "A report is ready": to each account it was released to, with a link to the page where they
/// read it. The report itself is never attached, and the message says nothing of what it holds.
pub async fn report_released(
    state: &AppState,
    org: OrganisationId,
    case: &CaseSummary,
    report: &str,
    accounts: &[UserId],
) -> Result<Vec<NewMessage>, AppError> {
    let (centre, _) = centre_of(state, org, case.centre_id).await?;
    let link = format!("{}/my-reports", state.config.public_url.trim_end_matches('/'));
    let mut messages = Vec::new();
    for user in accounts {
        let Some((address, lang)) = account_target(state, org, *user).await? else {
            continue;
        };
        messages.push(message(
            state,
            lang,
            MailKind::ReportReleased,
            &[("centre", centre.as_str()), ("link", link.as_str())],
            &[("mail-fact-link", link.clone())],
            &["mail-report-sign-in"],
            &centre,
            To::User(*user),
            &address,
            About {
                case: Some(case.id),
                booking: None,
                dedupe_key: Some(format!("{}:{report}:{user}", MailKind::ReportReleased.as_str())),
            },
        )?);
    }
    Ok(messages)
}

/// The acknowledgement of a self-referral: to the parent who made it (the party of the new case
/// whose address is the one they gave as theirs), composed inside the transaction that writes the
/// case (no IO): `targets` are the case's parties as read in it, `policy` and `centre` before it.
pub fn self_referral_received(
    state: &AppState,
    policy: &familytime_domain::language::LanguagePolicy,
    centre: &str,
    case: CaseId,
    reference: &str,
    targets: &[familytime_store::mail::MailTarget],
    own_address: &str,
) -> Result<Option<NewMessage>, AppError> {
    let own = own_address.trim();
    if own.is_empty() {
        return Ok(None);
    }
    let Some(target) = targets
        .iter()
        .find(|t| t.address.as_deref().map(str::trim) == Some(own))
    else {
        return Ok(None);
    };
    let lang = policy.for_reader(target.preferred_language.as_deref().and_then(Lang::parse));
    Ok(Some(message(
        state,
        lang,
        MailKind::SelfReferralReceived,
        &[("centre", centre), ("reference", reference)],
        &[
            ("mail-fact-reference", reference.to_owned()),
            ("mail-fact-centre", centre.to_owned()),
        ],
        &[],
        centre,
        To::Party(target.party_id.clone()),
        own,
        About {
            case: Some(case),
            booking: None,
            dedupe_key: Some(format!("{}:{case}", MailKind::SelfReferralReceived.as_str())),
        },
    )?))
}
