//! A case's sessions page: its sessions, the booking form (with a refused booking's dates and the
//! nearest free times), the free-time search, the case's scheduling set-up forms and its calendar
//! feeds. Each form posts to its own use case's handler (`booking`, `case_setup`, `feeds`), which
//! shows this page again when the form is refused.

use super::search::{self, AltRow, Names, alt_row};
use super::{Opt, SessionRow, may_manage, opt, query_form, session_row, weekday_name, when};
use crate::pages::people::Chosen;
use crate::pages::{FormData, PageResult, Shell, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use familytime_app::schedule::{self as app, BookingRefused};
use familytime_domain::Timestamp;
use familytime_domain::authz::Action;
use familytime_domain::intake::PartyRole;
use familytime_domain::schedule::BookingKind;
use familytime_domain::tenancy::RoomKind;
use familytime_domain::text::FieldErrors;

/// The nearest free times for a date that could not be booked.
pub struct AltGroup {
    pub wanted: String,
    pub offers: Vec<AltRow>,
}

/// Why a booking was refused: each failing date with the reason, and the nearest free times.
pub struct RefusedView {
    pub failures: Vec<(String, String)>,
    pub alternatives: Vec<AltGroup>,
}

/// Options under a heading (an `optgroup`).
pub struct OptGroup {
    pub label: String,
    pub options: Vec<Opt>,
}

pub struct PairRow {
    pub first: String,
    pub second: String,
    pub reason: String,
}

/// Which of the case sessions page's forms was sent.
#[derive(PartialEq, Eq, Clone, Copy)]
pub(super) enum Posted {
    Nothing,
    Booking,
    Workers,
    NeverMeet,
    Availability,
}

/// What a case's sessions page shows besides the stored facts.
pub(super) struct SessionsExtras {
    pub(super) errors: FieldErrors,
    pub(super) status: StatusCode,
    pub(super) posted: Posted,
    pub(super) form: FormData,
    pub(super) refused: Option<BookingRefused>,
}

#[derive(askama::Template)]
#[template(path = "schedule_case.html")]
struct CaseSessionsPage {
    shell: Shell,
    errors: FieldErrors,
    notice: Option<String>,
    case_id: String,
    reference: String,
    children: String,
    can_manage: bool,
    sessions: Vec<SessionRow>,
    kinds: Vec<Opt>,
    date: String,
    time: String,
    minutes: String,
    /// Whether the resident parent was let stay through the session (decision 0047).
    resident_stays: bool,
    repeats: Vec<Opt>,
    count: String,
    until: String,
    rooms: Vec<Opt>,
    /// Whether "no room" (virtual contact only) was chosen: never the form's default.
    room_none: bool,
    /// Whether any session listed is provisional (then what that means is explained).
    any_provisional: bool,
    staff: Vec<Opt>,
    parties: Vec<Opt>,
    refused: Option<RefusedView>,
    /// What the case may book today (issue 19): the service, its changes, what is missing.
    rules: RulesRows,
    /// The court order's pattern the booking form proposes, in words (decision 0046).
    proposed_from: Option<String>,
    find_kinds: Vec<Opt>,
    find_minutes: String,
    find_from: String,
    find_days: String,
    find_parties: Vec<Opt>,
    find_repeats: Vec<Opt>,
    find_count: String,
    searched: bool,
    found: Vec<AltRow>,
    workers: Vec<Opt>,
    /// The usual workers list's version the form is opened at.
    workers_version: i64,
    pairs: Vec<PairRow>,
    nm_parties: Vec<Opt>,
    /// The people the other adult is chosen from, by case.
    nm_others: Vec<OptGroup>,
    nm_reason: String,
    /// When each adult can come, as saved.
    hours: Vec<(String, String)>,
    avail_parties: Vec<Opt>,
    avail_days: Vec<Opt>,
    avail_from: String,
    avail_to: String,
    feed_parties: Vec<Opt>,
}

/// What the case may book today, as the page shows it.
pub struct RulesRows {
    pub service: Option<String>,
    /// Each change: the service and the date it applies from.
    pub changes: Vec<(String, String)>,
    pub missing: Vec<String>,
}

/// The rules' view in the page's words and dates.
fn rules_rows(view: familytime_app::booking_rules::RulesView, lang: familytime_domain::language::Lang) -> RulesRows {
    RulesRows {
        service: view.service.map(|s| s.label().to_lowercase()),
        changes: view
            .changes
            .iter()
            .map(|c| (c.service.label().to_owned(), familytime_i18n::dates::date(lang, c.from)))
            .collect(),
        missing: view.missing,
    }
}

/// Each failing date once, with every reason it failed.
fn failures_by_date(refused: &BookingRefused) -> Vec<(String, String)> {
    let mut out: Vec<(Timestamp, Vec<&str>)> = Vec::new();
    for (at, why) in &refused.failures {
        match out.iter_mut().find(|(t, _)| t == at) {
            Some((_, reasons)) => {
                if !reasons.contains(&why.as_str()) {
                    reasons.push(why);
                }
            }
            None => out.push((*at, vec![why])),
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter()
        .map(|(at, reasons)| (when(&refused.zone, at), reasons.join("; ")))
        .collect()
}

pub(super) async fn case_sessions_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    query: &FormData,
    x: SessionsExtras,
) -> PageResult {
    let file = familytime_app::case_files::case_file(state, caller, id, Action::ViewSchedule).await?;
    let (bookings, zone) = app::case_bookings(state, caller, id).await?;
    let can_manage = may_manage(caller);
    let case_id = file.summary.id.to_string();
    let (candidates, hours) = if can_manage {
        let org = caller.user()?.organisation_id;
        let mut hours = Vec::new();
        for p in &file.parties {
            let saved = state.store.party_availability(org, &p.id.to_string()).await?;
            hours.push((p.id.to_string(), saved));
        }
        (app::never_meet_candidates(state, caller, &file).await?, hours)
    } else {
        (Vec::new(), Vec::new())
    };
    let (rooms, profiles, usual, pairs, workers_version) = if can_manage {
        let org = caller.user()?.organisation_id;
        let centre = app::centre_schedule(state, caller, &file.summary.centre_id.to_string()).await?;
        let party_ids: Vec<String> = file.parties.iter().map(|p| p.id.to_string()).collect();
        (
            centre.rooms,
            app::staff(state, caller).await?,
            state.store.case_workers(org, file.summary.id).await?,
            state.store.never_meet_pairs(org, &party_ids).await?,
            state
                .store
                .list_version(org, familytime_store::versions::ListKind::CaseWorkers, &case_id)
                .await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), 0)
    };
    let names = Names {
        rooms: &rooms,
        staff: &profiles,
    };
    let SessionsExtras {
        mut errors,
        mut status,
        posted,
        form,
        refused,
    } = x;

    // The booking form: what was sent, or what a "use this time" link filled in.
    let empty = FormData::empty();
    let b = match posted {
        Posted::Booking => &form,
        Posted::Nothing => query,
        _ => &empty,
    };
    let today = state.clock.now().to_zoned(zone.clone()).date();
    let rules = familytime_app::booking_rules::rules_on(state, caller, &file, today).await?;
    // The form offers the service in effect today first (after a step-down, the new kind).
    let default_kind = rules
        .service
        .map(|s| BookingKind::Contact(s).as_str().to_owned())
        .unwrap_or_default();
    let kind = match b.get("kind") {
        k if k.is_empty() => default_kind.clone(),
        k => k,
    };
    let kinds = |chosen: &str| -> Vec<Opt> {
        BookingKind::bookable()
            .into_iter()
            .map(|k| opt(k.as_str(), k.label(), chosen))
            .collect()
    };
    let chosen_staff = Chosen(b.all("staff"));
    let party = b.get("party_id");
    let adult_opts = |chosen: &str| -> Vec<Opt> {
        file.parties
            .iter()
            .map(|p| opt(p.id.to_string(), format!("{} ({})", p.name, p.role.label()), chosen))
            .collect()
    };
    // A fresh form proposes the court order's pattern (decision 0046): its repeat, length and the
    // next day on it.
    let proposal = if posted == Posted::Nothing && b.get("date").is_empty() && can_manage {
        familytime_app::orders::proposal(state, caller, &file, today).await?
    } else {
        None
    };
    let proposed = |value: Option<String>| value.unwrap_or_default();
    let repeat = match b.get("repeat") {
        r if r.is_empty() => proposal.as_ref().and_then(|p| p.repeat).unwrap_or("once").to_owned(),
        r => r,
    };
    let room_chosen = b.get("room_id");

    // The free-time search.
    let searched = can_manage && query.get("find") == "1" && posted == Posted::Nothing;
    let find_kind = match query.get("kind") {
        k if k.is_empty() => default_kind.clone(),
        k => k,
    };
    let find_party = query.get("party");
    let find_repeat = match query.get("repeat") {
        r if r.is_empty() => "once".to_owned(),
        r => r,
    };
    let mut found = Vec::new();
    if searched {
        match search::found(
            state,
            caller,
            id,
            query,
            &find_kind,
            &find_party,
            &find_repeat,
            &case_id,
            &names,
        )
        .await
        {
            Ok(rows) => found = rows,
            Err(AppError::Invalid(e)) => {
                errors.extend(e);
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(other) => return Err(other.into()),
        }
    }

    let refused = refused.map(|r| RefusedView {
        failures: failures_by_date(&r),
        alternatives: r
            .alternatives
            .iter()
            .map(|(at, offers)| AltGroup {
                wanted: when(&r.zone, *at),
                offers: offers
                    .iter()
                    .map(|a| alt_row(&case_id, &kind, &party, &r.zone, &names, a))
                    .collect(),
            })
            .collect(),
    });

    let nm = if posted == Posted::NeverMeet { &form } else { &empty };
    let av = if posted == Posted::Availability { &form } else { &empty };
    let nm_other = nm.get("other_party_id");
    let mut nm_others: Vec<OptGroup> = Vec::new();
    for adult in &candidates {
        let label = if adult.case_id == case_id {
            format!("Case {} (this case)", adult.reference)
        } else {
            format!("Case {}", adult.reference)
        };
        let role = PartyRole::parse(&adult.role).map(|r| r.label()).unwrap_or("Adult");
        let option = opt(adult.party_id.clone(), format!("{} ({role})", adult.name), &nm_other);
        match nm_others.last_mut() {
            Some(group) if group.label == label => group.options.push(option),
            _ => nm_others.push(OptGroup {
                label,
                options: vec![option],
            }),
        }
    }
    let hours_of = |saved: &[(i8, jiff::civil::Time, jiff::civil::Time)]| -> String {
        if saved.is_empty() {
            return "Any time the centre is open".to_owned();
        }
        saved
            .iter()
            .map(|(d, f, t)| {
                let day = familytime_store::schedule::weekday_from(i64::from(*d))
                    .map(weekday_name)
                    .unwrap_or("?");
                format!("{day} {}–{}", f.strftime("%H:%M"), t.strftime("%H:%M"))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let hours_rows: Vec<(String, String)> = file
        .parties
        .iter()
        .map(|p| {
            let saved = hours
                .iter()
                .find(|(id, _)| *id == p.id.to_string())
                .map(|(_, h)| h.as_slice())
                .unwrap_or(&[]);
            (format!("{} ({})", p.name, p.role.label()), hours_of(saved))
        })
        .collect();
    let chosen_days = av.all("days");
    let notice = match query.get("saved").as_str() {
        _ if query.get("booked") == "1" => Some("The sessions are booked.".to_owned()),
        "workers" => Some("The usual workers are saved.".to_owned()),
        "never-meet" => Some("The two adults are kept apart.".to_owned()),
        "availability" => Some("When the adult can come is saved.".to_owned()),
        _ => None,
    };
    let chosen_workers = if posted == Posted::Workers {
        Chosen(form.all("workers"))
    } else {
        Chosen(usual.iter().map(|u| u.to_string()).collect())
    };
    let with_default = |value: String, default: &str| {
        if value.trim().is_empty() {
            default.to_owned()
        } else {
            value
        }
    };
    let shell = Shell::for_caller(state, caller, "/cases").await?;
    let rules = rules_rows(rules, shell.lang);
    let page = CaseSessionsPage {
        shell,
        errors,
        notice,
        reference: file.summary.reference.clone(),
        children: file.summary.children.join(" and "),
        can_manage,
        sessions: bookings.iter().map(|bk| session_row(&zone, bk, &[], &[])).collect(),
        kinds: kinds(&kind),
        rules,
        date: with_default(
            b.get("date"),
            &proposed(proposal.as_ref().and_then(|p| p.date).map(|d| d.to_string())),
        ),
        time: b.get("time"),
        minutes: with_default(
            b.get("minutes"),
            &proposal
                .as_ref()
                .and_then(|p| p.minutes)
                .map_or_else(|| "120".to_owned(), |m| m.to_string()),
        ),
        resident_stays: b.get("resident_stays") == "yes",
        proposed_from: proposal.as_ref().map(|p| p.described.clone()),
        repeats: repeat_opts(&repeat),
        count: b.get("count"),
        until: b.get("until"),
        room_none: room_chosen == "none",
        any_provisional: bookings
            .iter()
            .any(|b| b.status == familytime_store::schedule::BookingStatus::Provisional),
        rooms: rooms
            .iter()
            .filter(|(r, _)| r.active)
            .map(|(r, approval)| {
                let note = if r.kind == RoomKind::OffSiteVenue && approval.is_none() {
                    ", not approved yet"
                } else {
                    ""
                };
                opt(
                    r.id.to_string(),
                    format!("{} ({}{note})", r.name, r.kind.label()),
                    &room_chosen,
                )
            })
            .collect(),
        staff: profiles
            .iter()
            .map(|p| Opt {
                value: p.user_id.to_string(),
                label: if p.qualified_supervised {
                    format!("{} (qualified to supervise)", p.name)
                } else {
                    p.name.clone()
                },
                selected: chosen_staff.has(p.user_id),
            })
            .collect(),
        parties: adult_opts(&party),
        refused,
        find_kinds: kinds(&find_kind),
        find_minutes: with_default(query.get("minutes"), "120"),
        find_from: query.get("from"),
        find_days: with_default(query.get("days"), "14"),
        find_parties: adult_opts(&find_party),
        find_repeats: repeat_opts(&find_repeat),
        find_count: query.get("count"),
        searched,
        found,
        workers: profiles
            .iter()
            .map(|p| Opt {
                value: p.user_id.to_string(),
                label: p.name.clone(),
                selected: chosen_workers.has(p.user_id),
            })
            .collect(),
        workers_version,
        pairs: pairs
            .iter()
            .map(|p| PairRow {
                first: p.name_a.clone(),
                second: p.name_b.clone(),
                reason: p.reason.clone(),
            })
            .collect(),
        nm_parties: adult_opts(&nm.get("party_id")),
        nm_others,
        nm_reason: nm.get("reason"),
        hours: hours_rows,
        avail_parties: adult_opts(&av.get("party_id")),
        avail_days: (1..=7)
            .filter_map(|d| familytime_store::schedule::weekday_from(d).map(|w| (d, w)))
            .map(|(d, w)| Opt {
                value: d.to_string(),
                label: weekday_name(w).to_owned(),
                selected: chosen_days.iter().any(|c| c.trim() == d.to_string()),
            })
            .collect(),
        avail_from: av.get("from"),
        avail_to: av.get("to"),
        feed_parties: adult_opts(""),
        case_id,
    };
    Ok(render_with(status, &page))
}

/// How often sessions repeat, for the booking form and the search.
fn repeat_opts(chosen: &str) -> Vec<Opt> {
    [
        ("once", "Once"),
        ("weekly", "Every week"),
        ("fortnightly", "Every two weeks"),
        ("four_weekly", "Every four weeks"),
    ]
    .into_iter()
    .map(|(v, l)| opt(v, l, chosen))
    .collect()
}

fn nothing_posted() -> SessionsExtras {
    SessionsExtras {
        errors: FieldErrors::new(),
        status: StatusCode::OK,
        posted: Posted::Nothing,
        form: FormData::empty(),
        refused: None,
    }
}

pub(super) fn failed(errors: FieldErrors, status: StatusCode, posted: Posted, form: FormData) -> SessionsExtras {
    SessionsExtras {
        errors,
        status,
        posted,
        form,
        refused: None,
    }
}

/// GET /cases/{id}/sessions (with `?find=1&kind=&minutes=&from=&days=&party=` to search for free times)
pub async fn case_sessions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let query = query_form(query.as_deref());
    case_sessions_page(&state, &caller, &id, &query, nothing_posted()).await
}
