//! The messages about a session, one per adult with an e-mail address, each in that person's
//! language and with that person's own times (the staggered arrival plan): when they arrive and
//! leave, the centre's address and the entrance they use, and an `.ics` invitation (`METHOD:REQUEST`
//! with a UID per booking and person and the booking's SEQUENCE; `METHOD:CANCEL` when cancelled).
//! Never another person's name or details, never the child's name; the subject says only when.

use crate::schedule::feeds_ics::{FALLBACK_ZONE, FeedEvent, FeedStatus, invitation_text};
use crate::{AppError, AppState};
use familytime_domain::Timestamp;
use familytime_domain::ids::{BookingId, CaseId, CentreId, OrganisationId};
use familytime_domain::language::Lang;
use familytime_domain::mail::MailKind;
use familytime_i18n as i18n;
use familytime_store::mail::NewMessage;
use familytime_store::schedule::{Booking, NewBooking};
use jiff::tz::TimeZone;

/// What one message says, laid out by both templates.
pub struct Body {
    pub html_lang: &'static str,
    pub subject: String,
    pub heading: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub facts: Vec<(String, String)>,
    pub closing: Vec<String>,
    pub footer: String,
}

/// The template files (`crates/app/templates/mail/`): `{{ name }}` is replaced by a value the
/// message gives, escaped in the HTML; a name the message does not give is an error, which the
/// tests below meet before any message is sent.
const TEXT_TEMPLATE: &str = include_str!("../../templates/mail/message.txt");
const HTML_TEMPLATE: &str = include_str!("../../templates/mail/message.html");

impl Body {
    /// The plain text and HTML parts.
    pub fn render(&self) -> Result<(String, String), AppError> {
        let text_values = [
            ("heading", self.heading.clone()),
            ("greeting", self.greeting.clone()),
            ("paragraphs", self.paragraphs.join("\n\n")),
            (
                "facts",
                self.facts
                    .iter()
                    .map(|(label, value)| format!("{label}: {value}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            ("closing", self.closing.join("\n\n")),
            ("footer", self.footer.clone()),
        ];
        let paragraphs = |list: &[String]| {
            list.iter()
                .map(|p| format!("<p>{}</p>", escape(p)))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let facts = if self.facts.is_empty() {
            String::new()
        } else {
            let rows: Vec<String> = self
                .facts
                .iter()
                .map(|(label, value)| {
                    format!(
                        "<tr><th scope=\"row\" style=\"text-align: left; padding: 4px 16px 4px 0; vertical-align: top;\">{}</th><td style=\"padding: 4px 0;\">{}</td></tr>",
                        escape(label),
                        escape(value)
                    )
                })
                .collect();
            format!(
                "<table role=\"presentation\" style=\"border-collapse: collapse; margin: 16px 0;\">\n{}\n</table>",
                rows.join("\n")
            )
        };
        let html_values = [
            ("html_lang", self.html_lang.to_owned()),
            ("subject", escape(&self.subject)),
            ("heading", escape(&self.heading)),
            ("greeting", escape(&self.greeting)),
            ("paragraphs", paragraphs(&self.paragraphs)),
            ("facts", facts),
            ("closing", paragraphs(&self.closing)),
            ("footer", escape(&self.footer)),
        ];
        Ok((
            tidy(&fill(TEXT_TEMPLATE, &text_values)?),
            fill(HTML_TEMPLATE, &html_values)?,
        ))
    }
}

/// The template with each `{{ name }}` replaced by its value.
fn fill(template: &str, values: &[(&str, String)]) -> Result<String, AppError> {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or(AppError::Internal("a mail template has an unclosed {{"))?;
        let name = after[..end].trim();
        let (_, value) = values.iter().find(|(n, _)| *n == name).ok_or(AppError::Internal(
            "a mail template names a value the message does not give",
        ))?;
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Text made safe inside HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The text part without the blank lines the template's loops leave.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            if !blank && !out.is_empty() {
                out.push('\n');
            }
            blank = true;
        } else {
            out.push_str(line.trim_end());
            out.push('\n');
            blank = false;
        }
    }
    out
}

/// One adult's part in a session.
#[derive(Debug, Clone)]
pub struct PartyTimes {
    pub party_id: String,
    pub arrives: Timestamp,
    pub leaves: Timestamp,
    pub entrance_id: Option<String>,
    pub waits_in_id: Option<String>,
}

/// A session as its messages describe it.
#[derive(Debug, Clone)]
pub struct Session {
    pub booking_id: BookingId,
    pub case_id: CaseId,
    pub centre_id: CentreId,
    pub start: Timestamp,
    pub end: Timestamp,
    pub calendar_uid: String,
    /// The SEQUENCE the booking has once the event is written.
    pub sequence: i64,
    pub parties: Vec<PartyTimes>,
}

impl Session {
    /// A booking as stored, with its adults' plans, at `sequence`. `None` for a booking of no case.
    pub async fn of_booking(
        state: &AppState,
        org: OrganisationId,
        booking: &Booking,
        sequence: i64,
    ) -> Result<Option<Session>, AppError> {
        let Some(case_id) = booking.case_id else {
            return Ok(None);
        };
        let parties = state
            .store
            .booked_parties(org, &[booking.id])
            .await?
            .into_iter()
            .map(|p| PartyTimes {
                party_id: p.party_id,
                arrives: familytime_store::schedule::ts_of(p.arrives_at),
                leaves: familytime_store::schedule::ts_of(p.leaves_at),
                entrance_id: p.entrance_id,
                waits_in_id: p.waits_in_id,
            })
            .collect();
        Ok(Some(Session {
            booking_id: booking.id,
            case_id,
            centre_id: booking.centre_id,
            start: booking.span.start,
            end: booking.span.end,
            calendar_uid: booking.calendar_uid.clone(),
            sequence,
            parties,
        }))
    }

    /// A booking about to be written (a move's new time), keeping the calendar UID of the booking
    /// it replaces.
    pub fn of_new(new: &NewBooking, calendar_uid: &str, sequence: i64) -> Option<Session> {
        Some(Session {
            booking_id: new.id,
            case_id: new.case_id?,
            centre_id: new.centre_id,
            start: new.span.start,
            end: new.span.end,
            calendar_uid: calendar_uid.to_owned(),
            sequence,
            parties: new
                .parties
                .iter()
                .map(|p| PartyTimes {
                    party_id: p.party_id.clone(),
                    arrives: p.arrives,
                    leaves: p.leaves,
                    entrance_id: p.entrance_id.clone(),
                    waits_in_id: p.waits_in.clone(),
                })
                .collect(),
        })
    }
}

/// The messages of `kind` about a stored booking at `sequence` (none for a booking of no case).
pub async fn booking_messages(
    state: &AppState,
    org: OrganisationId,
    booking: &Booking,
    kind: MailKind,
    sequence: i64,
) -> Result<Vec<NewMessage>, AppError> {
    match Session::of_booking(state, org, booking, sequence).await? {
        Some(session) => session_messages(state, org, &session, kind, state.clock.now()).await,
        None => Ok(Vec::new()),
    }
}

/// The messages of `kind` about a session, one per adult with an e-mail address (none for a
/// session of no case). Written at `now`.
pub async fn session_messages(
    state: &AppState,
    org: OrganisationId,
    session: &Session,
    kind: MailKind,
    now: Timestamp,
) -> Result<Vec<NewMessage>, AppError> {
    let centre = state.store.centre(org, session.centre_id).await?;
    let (zone_name, zone) = match TimeZone::get(&centre.time_zone) {
        Ok(zone) => (centre.time_zone.clone(), zone),
        Err(_) => (
            FALLBACK_ZONE.to_owned(),
            TimeZone::get(FALLBACK_ZONE).unwrap_or(TimeZone::UTC),
        ),
    };
    let targets = state.store.mail_targets(org, &session.case_id.to_string()).await?;
    let policy = state.store.language_policy(org).await?;
    let entrances = state.store.entrances(org, session.centre_id).await?;
    let rooms = state.store.rooms(org, session.centre_id).await?;
    let settings = &state.config.mail;
    let mut messages = Vec::new();
    for party in &session.parties {
        let Some(target) = targets.iter().find(|t| t.party_id == party.party_id) else {
            continue;
        };
        // A person who opted out of reminders gets none; nothing else can be opted out of.
        if kind.may_opt_out() && target.reminders_off {
            continue;
        }
        // No e-mail address: the same message becomes a letter in the print queue (the store
        // writes a message with no address there, decision 0051).
        let address = target.address.as_deref().map(str::trim).unwrap_or("");
        let lang = policy.for_reader(target.preferred_language.as_deref().and_then(Lang::parse));
        let local = |t: Timestamp| zone.to_datetime(t);
        let date = i18n::dates::weekday_date(lang, local(session.start).date());
        let arrive = i18n::dates::time(lang, local(party.arrives).time());
        let leave = i18n::dates::time(lang, local(party.leaves).time());
        let t = |key: &str, vars: &[(&str, &str)]| i18n::text(lang, key, vars);
        let centre_vars = [("centre", centre.name.as_str()), ("date", date.as_str())];
        let key = kind.key();
        let mut paragraphs = Vec::new();
        let mut closing = Vec::new();
        match kind {
            MailKind::BookingConfirmed => paragraphs.push(t("mail-confirmed-intro", &centre_vars)),
            MailKind::BookingMoved => paragraphs.push(t("mail-moved-intro", &centre_vars)),
            MailKind::BookingCancelled => paragraphs.push(t("mail-cancelled-intro", &centre_vars)),
            // The reminders; the other kinds are not about a session (`notices`, decision 0050).
            _ => paragraphs.push(t("mail-reminder-intro", &centre_vars)),
        }
        let cancelled = kind == MailKind::BookingCancelled;
        let mut facts = vec![(t("mail-fact-date", &[]), date.clone())];
        if !cancelled {
            paragraphs.push(t("mail-times", &[("arrive", &arrive), ("leave", &leave)]));
            facts.push((t("mail-fact-arrive", &[]), arrive.clone()));
            facts.push((t("mail-fact-leave", &[]), leave.clone()));
        }
        facts.push((t("mail-fact-centre", &[]), centre.name.clone()));
        if !cancelled {
            if let Some(address) = centre.address.as_deref().filter(|a| !a.trim().is_empty()) {
                facts.push((t("mail-fact-address", &[]), address.to_owned()));
            }
            let entrance = party
                .entrance_id
                .as_deref()
                .and_then(|id| entrances.iter().find(|(e, _)| e == id))
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| t("mail-entrance-usual", &[]));
            facts.push((t("mail-fact-entrance", &[]), entrance));
            if let Some(room) = party
                .waits_in_id
                .as_deref()
                .and_then(|id| rooms.iter().find(|r| r.id.to_string() == id))
            {
                facts.push((t("mail-fact-waiting-room", &[]), room.name.clone()));
            }
        }
        let ics_method = match kind {
            MailKind::BookingConfirmed | MailKind::BookingMoved => Some("REQUEST"),
            MailKind::BookingCancelled => Some("CANCEL"),
            _ => None,
        };
        // A letter has no calendar file to speak of.
        match ics_method.filter(|_| !address.is_empty()) {
            Some("CANCEL") => closing.push(t("mail-calendar-cancel", &[])),
            Some(_) => closing.push(t("mail-calendar", &[])),
            _ => {}
        }
        if !cancelled {
            closing.push(t("mail-cannot-come", &[]));
        }
        let body = Body {
            html_lang: lang.html_lang(),
            subject: t(&format!("mail-subject-{key}"), &[("date", &date)]),
            heading: t(&format!("mail-heading-{key}"), &[]),
            greeting: t("mail-greeting", &[]),
            paragraphs,
            facts,
            closing,
            footer: t("mail-footer", &[("centre", &centre.name)]),
        };
        let (text, html) = body.render()?;
        let ics = ics_method.map(|method| {
            let event = FeedEvent {
                // The same UID as the person's calendar feed gives the session (decision 0042).
                uid: format!("{}-{}", session.calendar_uid, party.party_id),
                sequence: session.sequence,
                start: party.arrives,
                end: party.leaves,
                zone: zone_name.clone(),
                summary: centre.name.clone(),
                description: t("mail-times", &[("arrive", &arrive), ("leave", &leave)]),
                status: if cancelled {
                    FeedStatus::Cancelled
                } else {
                    FeedStatus::Confirmed
                },
            };
            (method, invitation_text(event, method, settings.from_address(), now))
        });
        let id = uuid::Uuid::now_v7().to_string();
        messages.push(NewMessage {
            message_id: format!("{id}@{}", settings.domain()),
            id,
            kind: kind.as_str(),
            // Once per booking, person, kind and calendar SEQUENCE: a job or a retry that writes it
            // again writes nothing.
            dedupe_key: Some(format!(
                "{}:{}:{}:{}",
                kind.as_str(),
                session.booking_id,
                party.party_id,
                if matches!(kind, MailKind::Reminder24h | MailKind::Reminder48h) {
                    0
                } else {
                    session.sequence
                }
            )),
            recipient_user_id: None,
            recipient_party_id: Some(party.party_id.clone()),
            address: address.to_owned(),
            language: lang.code(),
            subject: body.subject.clone(),
            text,
            html,
            ics,
            booking_id: Some(session.booking_id.to_string()),
            case_id: Some(session.case_id.to_string()),
        });
    }
    Ok(messages)
}

/// The test message `familytime mail send-test` sends.
pub fn test_message(state: &AppState, to: &str) -> Result<NewMessage, AppError> {
    let lang = Lang::En;
    let t = |key: &str| i18n::text(lang, key, &[]);
    let body = Body {
        html_lang: lang.html_lang(),
        subject: t("mail-subject-test"),
        heading: t("mail-heading-test"),
        greeting: t("mail-greeting"),
        paragraphs: vec![t("mail-test-body")],
        facts: Vec::new(),
        closing: Vec::new(),
        footer: String::new(),
    };
    let (text, html) = body.render()?;
    let id = uuid::Uuid::now_v7().to_string();
    Ok(NewMessage {
        message_id: format!("{id}@{}", state.config.mail.domain()),
        id,
        kind: MailKind::Test.as_str(),
        dedupe_key: None,
        recipient_user_id: None,
        recipient_party_id: None,
        address: to.trim().to_owned(),
        language: lang.code(),
        subject: body.subject.clone(),
        text,
        html,
        ics: None,
        booking_id: None,
        case_id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Body {
        Body {
            html_lang: "en-GB",
            subject: "Your session <soon>".into(),
            heading: "Heading".into(),
            greeting: "Hello,".into(),
            paragraphs: vec!["One & two".into(), "Three".into()],
            facts: vec![("Arrive at".into(), "10:00".into())],
            closing: vec!["Bye".into()],
            footer: "Riverside".into(),
        }
    }

    /// Every value each template names is given, and nothing is left unfilled.
    #[test]
    fn both_templates_are_filled_whole_and_the_html_is_escaped() {
        let (text, html) = body().render().expect("renders");
        for part in [&text, &html] {
            assert!(!part.contains("{{") && !part.contains("}}"), "{part}");
        }
        assert!(text.contains("One & two\n\nThree"), "{text}");
        assert!(text.contains("Arrive at: 10:00"), "{text}");
        assert!(!text.contains("\n\n\n"), "{text}");
        assert!(html.contains("<p>One &amp; two</p>"), "{html}");
        assert!(html.contains("<title>Your session &lt;soon&gt;</title>"), "{html}");
        assert!(html.contains("<th scope=\"row\""), "{html}");
    }

    #[test]
    fn a_value_a_template_names_but_is_not_given_is_an_error() {
        assert!(fill("{{ nobody }}", &[]).is_err());
        assert!(fill("{{ open", &[]).is_err());
        assert_eq!(fill("a {{ x }} b", &[("x", "1".into())]).ok().as_deref(), Some("a 1 b"));
    }
}
