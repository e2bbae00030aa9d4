//! Planning a case's sessions, shared by booking, the free-time search and moving: the case's
//! people, the centre's rules, rooms and staff, and the booking one session makes (its claims, each
//! party's plan and the never-meet windows).

use crate::case_files::file_org;
use crate::{AppError, AppState, Caller, authorize, found, parse_id};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{BookingId, OrganisationId, RoomId, SeriesId, UserId};
use familytime_domain::intake::PartyRole;
use familytime_domain::referrals::CaseStatus;
use familytime_domain::schedule::{
    self as rules, Attendance, BookingKind, Calendar, Interval, Refusal, Separation, Settings, SpaceNeed,
};
use familytime_domain::tenancy::RoomKind;
use familytime_domain::text::FieldErrors;
use familytime_store::planning;
use familytime_store::referrals::CasePeople;
use familytime_store::schedule::{Claim, NewBooking, PairWindow, PartyPlan, StaffProfile};
use jiff::ToSpan;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

/// Everything known about a case for planning its sessions.
pub(super) struct Planner {
    pub(super) org: OrganisationId,
    pub(super) file: CasePeople,
    pub(super) kind: BookingKind,
    pub(super) settings: Settings,
    pub(super) calendar: Calendar,
    pub(super) centre_name: String,
    pub(super) rooms: Vec<(familytime_store::tenancy::Room, Option<String>)>,
    pub(super) staff: Vec<StaffProfile>,
    pub(super) pairs: Vec<familytime_store::schedule::NeverMeetPair>,
    /// The centre's prices and the case's funding, for charging what is booked.
    pub(super) charging: planning::Charging,
}

/// Which rooms and staff a planner loads: everyone (to search for free times) or only those a
/// booking names, so booking costs the same however large the centre is.
#[derive(Clone, Copy)]
pub(super) enum Roster<'a> {
    Everyone,
    Only { room: &'a str, staff: &'a [String] },
}

pub(super) fn refusal(field: &'static str, r: Refusal) -> AppError {
    AppError::Invalid(FieldErrors::single(field, r.to_string()))
}

/// The people of a case, for planning its sessions: found and authorised as `case_file` does
/// (an unknown case is audited and `NotFound`), without reading the whole file.
async fn planning_case(state: &AppState, caller: &Caller, id: &str) -> Result<CasePeople, AppError> {
    let id = parse_id(id, familytime_domain::ids::CaseId::parse)?;
    let org = caller.user()?.organisation_id;
    let file = found(state, caller, state.store.case_people(org, id).await, "case", id).await?;
    let object = Object::Case {
        organisation: org,
        centre: file.summary.centre_id,
        referred_by: file.summary.referrer_user_id,
    };
    authorize(state, caller, Action::ManageSchedule, object).await?;
    Ok(file)
}

impl Planner {
    pub(super) async fn load(
        state: &AppState,
        caller: &Caller,
        case: &str,
        kind: &str,
        roster: Roster<'_>,
    ) -> Result<Planner, AppError> {
        let file = planning_case(state, caller, case).await?;
        let org = file_org(caller)?;
        let kind = BookingKind::parse(kind.trim())
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("kind", "Choose the kind of session")))?;
        if kind == BookingKind::Contact(familytime_domain::referrals::Service::Indirect) {
            return Err(refusal("kind", Refusal::NotBookable));
        }
        let status = file.summary.status;
        let ready = match kind {
            BookingKind::Contact(_) => matches!(
                status,
                CaseStatus::Accepted | CaseStatus::Active | CaseStatus::UnderReview
            ),
            _ => !matches!(
                status,
                CaseStatus::Closed | CaseStatus::Declined | CaseStatus::Signposted
            ),
        };
        if !ready {
            return Err(refusal("kind", Refusal::CaseNotReady));
        }
        let staff_ids: Vec<UserId>;
        let roster = match roster {
            Roster::Everyone => planning::Roster::Everyone,
            Roster::Only { room, staff } => {
                staff_ids = staff.iter().filter_map(|s| UserId::parse(s.trim()).ok()).collect();
                planning::Roster::Only {
                    room: RoomId::parse(room.trim()).ok(),
                    staff: &staff_ids,
                }
            }
        };
        let planning = state
            .store
            .planning(org, file.summary.centre_id, file.summary.id, roster)
            .await?;
        let parties: Vec<(String, bool)> = file
            .parties
            .iter()
            .map(|p| (p.id.to_string(), p.role == PartyRole::Resident))
            .collect();
        let pairs = state
            .store
            .case_pairs(org, file.summary.id, &parties, planning.pairs, state.clock.now())
            .await?;
        let (settings, calendar, centre_name) = (
            planning.rules.settings,
            planning.rules.calendar,
            planning.rules.centre_name,
        );
        let (rooms, staff, charging) = (planning.rooms, planning.staff, planning.charging);
        Ok(Planner {
            org,
            kind,
            settings,
            calendar,
            centre_name,
            rooms,
            staff,
            pairs,
            charging,
            file,
        })
    }

    pub(super) fn needs(&self) -> rules::Needs {
        self.kind.needs(&self.settings)
    }

    /// Who comes, and how: for a pre-visit or review the one adult chosen; otherwise the adults
    /// allowed to attend, the resident parent bringing the child.
    pub(super) fn attendees(&self, party: &str) -> Result<Vec<(String, String, Attendance)>, AppError> {
        match self.kind {
            BookingKind::PreVisit | BookingKind::Review => {
                let p = self
                    .file
                    .parties
                    .iter()
                    .find(|p| p.id.to_string() == party.trim())
                    .ok_or_else(|| refusal("party_id", Refusal::NoParties))?;
                Ok(vec![(p.id.to_string(), p.name.clone(), Attendance::Alone)])
            }
            BookingKind::Contact(_) => {
                let people: Vec<_> = self
                    .file
                    .parties
                    .iter()
                    .filter(|p| p.may_attend)
                    .map(|p| {
                        let attendance = if p.role == PartyRole::Resident {
                            Attendance::BringsChild
                        } else {
                            Attendance::HasContact
                        };
                        (p.id.to_string(), p.name.clone(), attendance)
                    })
                    .collect();
                if people.is_empty() {
                    return Err(refusal("party_id", Refusal::NoParties));
                }
                Ok(people)
            }
        }
    }

    /// The attendees with the resident parent staying on the premises through the session, where the
    /// order or the case allows it (the booking's exception, decision 0047); unchanged otherwise.
    pub(super) fn resident_stays(
        attendees: Vec<(String, String, Attendance)>,
        stays: bool,
    ) -> Vec<(String, String, Attendance)> {
        attendees
            .into_iter()
            .map(|(id, name, a)| match a {
                Attendance::BringsChild if stays => (id, name, Attendance::StaysWithChild),
                other => (id, name, other),
            })
            .collect()
    }

    /// The chosen space, checked against what this kind of session needs.
    pub(super) fn space(
        &self,
        room_id: &str,
    ) -> Result<Option<(familytime_store::tenancy::Room, Option<String>)>, AppError> {
        let need = self.needs().space;
        if need == SpaceNeed::None {
            return Ok(None);
        }
        let Some((room, approval)) = self.rooms.iter().find(|(r, _)| r.id.to_string() == room_id.trim()) else {
            return Err(refusal("room_id", Refusal::NoSpace));
        };
        if !room.active {
            return Err(refusal("room_id", Refusal::RoomInactive));
        }
        let fits = match need {
            SpaceNeed::FamilyRoom => room.kind == RoomKind::FamilyRoom,
            SpaceNeed::Hall => room.kind == RoomKind::Hall,
            SpaceNeed::Venue => room.kind == RoomKind::OffSiteVenue,
            SpaceNeed::None => true,
        };
        if !fits {
            return Err(refusal("room_id", Refusal::WrongSpace));
        }
        if need == SpaceNeed::Venue && approval.is_none() {
            return Err(refusal("room_id", Refusal::VenueNotApproved));
        }
        if let BookingKind::Contact(service) = self.kind {
            familytime_domain::booking_rules::venue_fits(service, approval.as_deref())
                .map_err(|m| AppError::Invalid(FieldErrors::single("room_id", m.message())))?;
        }
        Ok(Some((room.clone(), approval.clone())))
    }

    fn site(&self, room: Option<&familytime_store::tenancy::Room>) -> String {
        match (self.needs().space, room) {
            (SpaceNeed::Venue, Some(r)) => format!("venue:{}", r.id),
            _ => format!("centre:{}", self.file.summary.centre_id),
        }
    }

    /// Whether a staff member works through a span (their weekly hours, less leave; someone with
    /// no hours recorded works whenever the centre is open).
    fn works(&self, person: &StaffProfile, span: &Interval) -> bool {
        working_intervals(
            &person.availability,
            &person.leave,
            &self.calendar.zone,
            self.calendar.local_date(span.start),
            1,
        )
        .iter()
        .any(|w| w.contains(span))
    }

    /// The chosen staff, checked.
    pub(super) fn chosen_staff(&self, staff: &[String]) -> Result<Vec<&StaffProfile>, AppError> {
        let needs = self.needs();
        let mut chosen = Vec::new();
        for id in staff.iter().filter(|s| !s.trim().is_empty()) {
            let person = self
                .staff
                .iter()
                .find(|p| p.user_id.to_string() == id.trim())
                .ok_or_else(|| AppError::Invalid(FieldErrors::single("staff", "Choose staff from the list")))?;
            if !person.works_at(self.file.summary.centre_id) {
                return Err(AppError::Invalid(FieldErrors::single(
                    "staff",
                    format!("{} works only at other centres", person.name),
                )));
            }
            if needs.qualified && !person.qualified_supervised {
                return Err(refusal(
                    "staff",
                    Refusal::StaffNotQualified {
                        name: person.name.clone(),
                    },
                ));
            }
            if !chosen.iter().any(|c: &&StaffProfile| c.user_id == person.user_id) {
                chosen.push(person);
            }
        }
        let needed = self.settings.staff_for(&needs, 1);
        if (chosen.len() as u32) < needed {
            return Err(refusal("staff", Refusal::NotEnoughStaff { needed }));
        }
        Ok(chosen)
    }

    /// The booking for one session: the plan for each party, the claims and the never-meet windows.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn session(
        &self,
        span: Interval,
        room: Option<&(familytime_store::tenancy::Room, Option<String>)>,
        staff: &[&StaffProfile],
        attendees: &[(String, String, Attendance)],
        series: Option<&SeriesId>,
        now: Timestamp,
    ) -> Result<NewBooking, AppError> {
        let needs = self.needs();
        if needs.space != SpaceNeed::Venue {
            self.calendar.check_open(&span).map_err(|r| refusal("date", r))?;
        }
        for person in staff {
            if !self.works(person, &rules::staff_span(&span, &self.settings, &needs)) {
                return Err(refusal(
                    "staff",
                    Refusal::StaffUnavailable {
                        name: person.name.clone(),
                    },
                ));
            }
        }
        let windows = rules::on_site_windows(
            needs.arrivals,
            &span,
            &self.settings,
            &attendees.iter().map(|(id, _, a)| (id.clone(), *a)).collect::<Vec<_>>(),
        );
        let site = self.site(room.map(|r| &r.0));
        let mut claims = Vec::new();
        if let Some((r, _)) = room {
            claims.push(Claim {
                resource: format!("room:{}", r.id),
                exclusive: r.kind != RoomKind::Hall,
                span: rules::room_span(&span, &self.settings),
                label: r.name.clone(),
            });
        }
        for person in staff {
            claims.push(Claim {
                resource: format!("staff:{}", person.user_id),
                exclusive: true,
                span: rules::staff_span(&span, &self.settings, &needs),
                label: person.name.clone(),
            });
        }
        let children: Vec<String> = match self.kind {
            BookingKind::Contact(_) => self.file.children.iter().map(|c| c.id.to_string()).collect(),
            _ => Vec::new(),
        };
        for child in &self.file.children {
            if children.contains(&child.id.to_string()) {
                claims.push(Claim {
                    resource: format!("child:{}", child.id),
                    exclusive: true,
                    span,
                    label: child.name.clone(),
                });
            }
        }
        let mut plans = Vec::new();
        let mut pair_windows = Vec::new();
        for (id, name, attendance) in attendees {
            let presence = windows.iter().find(|w| &w.party == id);
            let whole = presence
                .and_then(|p| Interval::new(p.arrives, p.leaves))
                .unwrap_or(span);
            claims.push(Claim {
                resource: format!("party:{id}"),
                exclusive: true,
                span: whole,
                label: name.clone(),
            });
            plans.push(PartyPlan {
                party_id: id.clone(),
                attendance: match attendance {
                    // Staying or not is kept by the times away (none: stays).
                    Attendance::BringsChild | Attendance::StaysWithChild => "brings_child",
                    Attendance::HasContact => "has_contact",
                    Attendance::Alone => "alone",
                },
                arrives: whole.start,
                leaves: whole.end,
                entrance_id: None,
                waits_in: None,
                away: presence.and_then(|p| p.away),
                talk_minutes: if presence.is_some() {
                    self.settings.handover_minutes
                } else {
                    0
                },
            });
            if let Some(presence) = presence {
                for pair in self.pairs.iter().filter(|p| &p.party_a == id || &p.party_b == id) {
                    // An adult at a pre-visit is there alone: nobody they must not meet may be on
                    // site for any of it (not only while arriving and leaving).
                    let separation = if pair.separation == "added" || self.kind == BookingKind::PreVisit {
                        Separation::Added
                    } else {
                        Separation::SameCase
                    };
                    for w in separation.windows(presence) {
                        pair_windows.push(PairWindow {
                            pair_id: pair.id.clone(),
                            party_id: id.clone(),
                            site: site.clone(),
                            span: *w,
                            label: name.clone(),
                        });
                    }
                }
            }
        }
        Ok(NewBooking {
            id: BookingId::new_v7(now),
            centre_id: self.file.summary.centre_id,
            case_id: Some(self.file.summary.id),
            kind: self.kind.as_str().to_owned(),
            room_id: room.map(|r| r.0.id.to_string()),
            hall_capacity: room
                .filter(|r| r.0.kind == RoomKind::Hall)
                .map(|r| u32::try_from(r.0.capacity_families).unwrap_or(1)),
            span,
            series_id: series.map(|s| s.to_string()),
            video_token: needs.video_link.then(crate::secrets::random_token),
            staff: staff.iter().map(|s| s.user_id).collect(),
            parties: plans,
            children,
            claims,
            pair_windows,
            rescheduled_from: None,
            charges: Vec::new(),
            pre_visit: None,
            local_day: self.calendar.local_date(span.start),
        })
    }
}

/// A staff member's working intervals over `days` days from `first`, in the centre's zone.
/// The times someone can be booked over `days` days from `first`: their weekly hours (all day when
/// they gave none), less their leave.
pub(super) fn working_intervals(
    weekly: &[(i8, Time, Time)],
    leave: &[(Date, Date)],
    zone: &TimeZone,
    first: Date,
    days: i64,
) -> Vec<Interval> {
    let mut out = Vec::new();
    for offset in 0..days {
        let Ok(date) = first.checked_add(offset.days()) else {
            break;
        };
        if leave.iter().any(|(f, l)| *f <= date && date <= *l) {
            continue;
        }
        let day = familytime_store::schedule::weekday_number(date.weekday());
        let hours: Vec<(Time, Time)> = if weekly.is_empty() {
            vec![(Time::MIN, Time::constant(23, 59, 0, 0))]
        } else {
            weekly
                .iter()
                .filter(|(d, _, _)| *d == day)
                .map(|(_, s, e)| (*s, *e))
                .collect()
        };
        for (s, e) in hours {
            let start = zone.to_ambiguous_timestamp(date.to_datetime(s)).compatible();
            let end = zone.to_ambiguous_timestamp(date.to_datetime(e)).compatible();
            if let (Ok(start), Ok(end)) = (start, end) {
                out.extend(Interval::new(start, end));
            }
        }
    }
    out
}
