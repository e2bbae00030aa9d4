//! Authorisation, decided in one place: may this actor take this action on this object?
//!
//! Every route in the web layer names its action and asks `authorize` twice: once at the door with
//! the actor's own organisation as the object (can this role do this at all?), and once in the
//! application function with the real object (is it theirs to touch?). Nothing is allowed unless a
//! rule below allows it; the route × role table in `docs/access-matrix.md` is checked against the
//! running server by a test.

use crate::ids::{CentreId, OrganisationId, UserId};
use crate::people::Role;

/// Who is asking: a signed-in person, as the session or API token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub organisation_id: OrganisationId,
    pub role: Role,
    pub centres: CentreScope,
}

/// Which of the organisation's centres a person works at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CentreScope {
    All,
    Only(Vec<CentreId>),
}

impl CentreScope {
    pub fn includes(&self, centre: CentreId) -> bool {
        match self {
            CentreScope::All => true,
            CentreScope::Only(centres) => centres.contains(&centre),
        }
    }
}

/// Everything a route can do. Adding one forces a decision in `role_may` for every role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Public pages, health check, the API description, static files.
    ViewPublic,
    /// Signing in, and the one-time first-run setup.
    SignIn,
    /// Signing out, the home page, one's own account, password and API tokens.
    UseOwnAccount,
    /// Seeing the organisation's centres and rooms.
    ViewCentres,
    /// Creating and changing centres and rooms.
    ManageCentres,
    /// The organisation's languages: the default language of those who have not chosen one, and
    /// whether letters are bilingual (decision 0039).
    ManageLanguages,
    /// The organisation's booking rules: whether contact waits for every adult's pre-visit and the
    /// rules agreed (issue 19, decision 0043).
    ManageBookingRules,
    /// Seeing the organisation's people and their accounts.
    ViewUsers,
    /// Creating, changing and disabling accounts.
    ManageUsers,
    /// Reading the organisation's audit log.
    ViewAuditLog,
    /// Reading case files (referrals and cases) at one's centres, their reports included (decision
    /// 0029: the safeguarding lead reads a case's reports; another centre's coordinator does not).
    ViewCases,
    /// Entering referrals for others, moving cases through their statuses, assessing risk, naming the
    /// case's key worker and the coordinators and managers named for it.
    ManageCases,
    /// Giving a reason to see the hidden contact details of a case one is not named for ("break
    /// glass"); the reason is audited and shown to the safeguarding lead.
    BreakGlass,
    /// Reading who gave a reason to see which case's hidden details, when and why.
    ViewBreakGlass,
    /// Seeing who read or changed a family's records, from where ("who viewed this family" on the
    /// case page, decision 0053): the safeguarding lead and administrators.
    ViewCaseAccess,
    /// Sending a referral in (professionals with an account, and staff on someone's behalf).
    SubmitReferral,
    /// A referrer following the referrals they made (their status, nothing else).
    ViewOwnReferrals,
    /// Seeing the centre's calendar, the day's plan and one's own sessions (staff and volunteers).
    ViewSchedule,
    /// Opening times, staff rosters, never-meet pairs, booking, moving and cancelling sessions.
    ManageSchedule,
    /// A session's register: who came, when, who brought and collected the child; rule breaches.
    /// Everyone on duty, volunteers too (attendance is the one record supported sessions keep).
    KeepRegister,
    /// Observation records: the briefing before a session, writing, signing off and adding to the
    /// record, and stopping a session early. Never volunteers: they write no narrative notes.
    WriteObservations,
    /// Raising a safeguarding concern or incident: anyone on duty.
    RaiseConcern,
    /// Reading safeguarding concerns (the lead, coordinators and administrators).
    ViewConcerns,
    /// Deciding on a concern and recording onward referrals: the designated safeguarding lead.
    DecideConcerns,
    /// Drafting reports to referrers from signed records, and sending them for a quality check.
    WriteReports,
    /// Quality-checking, approving and releasing reports (a coordinator at the case's centre or an
    /// administrator, never the report's author: decision 0029); ending or suspending a service;
    /// reviews.
    CheckReports,
    /// A referrer or parent reading the reports released to them.
    ViewReleasedReports,
    /// Money on cases: funding, charges, payments, refunds, waivers, deposits, invoices, receipts,
    /// statements, the outstanding and overdue lists and the ledger export.
    ManageBilling,
    /// Price lists, the cancellation policy and the details printed on invoices.
    SetPrices,
    /// The organisation's e-mail outbox: every message queued, sent and failed (issue 17).
    /// Coordinators see a case's messages, failed ones among them, with the case (`ManageCases`).
    ViewOutbox,
    /// The backups `serve` makes on its schedule, and whether the last one failed (issue 18).
    ViewBackups,
    /// The print queue: letters to people with no e-mail address, for cases at one's centres,
    /// printed and marked posted (decision 0051).
    ManagePrintQueue,
    /// A parent's own account: their bookings and the times they arrive and leave, what they owe
    /// and have paid, and their invoices.
    ViewOwnAccount,
    /// The organisation's sign-in policy: whether the roles that see case data must use a second
    /// factor (decision 0052).
    ManageSignInPolicy,
    /// Resetting a colleague's second factor (a lost phone), so they enrol again (decision 0052).
    ResetTwoFactor,
}

/// What an action is taken on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Object {
    /// Nothing in particular: public pages and sign-in.
    Nothing,
    /// The organisation as a whole (lists, and the check at the door).
    Organisation(OrganisationId),
    Centre {
        organisation: OrganisationId,
        centre: CentreId,
    },
    User {
        organisation: OrganisationId,
        user: UserId,
    },
    /// A released report, reached only by the people it was released to.
    ReleasedReport {
        organisation: OrganisationId,
        recipients: Vec<UserId>,
    },
    /// Something that belongs to particular people only (a parent's invoice or receipt).
    OwnedBy {
        organisation: OrganisationId,
        owners: Vec<UserId>,
    },
    /// A referral or case, at a centre, perhaps made by a referrer with an account.
    Case {
        organisation: OrganisationId,
        centre: CentreId,
        referred_by: Option<UserId>,
    },
}

/// The answer. `NotFound` is given for another organisation's (or another centre's) objects so that
/// nobody learns whether they exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    SignInRequired,
    Forbidden,
    NotFound,
}

pub fn authorize(actor: Option<&Actor>, action: Action, object: &Object) -> Decision {
    if matches!(action, Action::ViewPublic | Action::SignIn) {
        return Decision::Allow;
    }
    let Some(actor) = actor else {
        return Decision::SignInRequired;
    };
    if !within_reach(actor, object) {
        return Decision::NotFound;
    }
    if role_may(actor.role, action) {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
}

/// Whether a list may name this object to the actor: exactly when the actor could open it for
/// `action`. Lists across cases (the case list, money owed, the ledger export, concerns) filter their
/// rows through this one rule, so no list names a case its reader's case list does not show.
pub fn listed(actor: &Actor, action: Action, object: &Object) -> bool {
    authorize(Some(actor), action, object) == Decision::Allow
}

/// Whether the object belongs to the actor's organisation (and, for centre-limited people, to one of
/// their centres).
fn within_reach(actor: &Actor, object: &Object) -> bool {
    match object {
        Object::Nothing => true,
        Object::Organisation(org) | Object::User { organisation: org, .. } => *org == actor.organisation_id,
        Object::ReleasedReport {
            organisation,
            recipients,
        }
        | Object::OwnedBy {
            organisation,
            owners: recipients,
        } => *organisation == actor.organisation_id && recipients.contains(&actor.user_id),
        Object::Centre { organisation, centre } => {
            *organisation == actor.organisation_id && actor.centres.includes(*centre)
        }
        // A referrer reaches only the referrals they made; staff, the cases at their centres.
        Object::Case {
            organisation,
            centre,
            referred_by,
        } => {
            *organisation == actor.organisation_id
                && match actor.role {
                    Role::Referrer => *referred_by == Some(actor.user_id),
                    Role::Parent => false,
                    _ => actor.centres.includes(*centre),
                }
        }
    }
}

/// Whether the role sees case data (reads case files): the roles an organisation's two-factor
/// policy binds (decision 0052).
pub fn sees_case_data(role: Role) -> bool {
    role_may(role, Action::ViewCases)
}

/// What each role may do inside its own organisation. Exhaustive on purpose: no wildcard arm.
fn role_may(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        ViewPublic | SignIn | UseOwnAccount => true,
        ViewCentres => matches!(
            role,
            OrganisationAdmin | Coordinator | Supervisor | Volunteer | SafeguardingLead
        ),
        ManageCentres | ManageLanguages | ManageBookingRules | ViewUsers | ManageUsers | ViewAuditLog
        | ManageSignInPolicy | ResetTwoFactor => {
            matches!(role, OrganisationAdmin)
        }
        ViewCases => matches!(role, OrganisationAdmin | Coordinator | Supervisor | SafeguardingLead),
        ManageCases => matches!(role, OrganisationAdmin | Coordinator),
        BreakGlass => crate::confidential::role_may_see_hidden(role),
        ViewBreakGlass | ViewCaseAccess => matches!(role, SafeguardingLead | OrganisationAdmin),
        SubmitReferral => matches!(role, OrganisationAdmin | Coordinator | Referrer),
        ViewOwnReferrals => matches!(role, Referrer),
        ViewSchedule => role.is_staff(),
        ManageSchedule => matches!(role, OrganisationAdmin | Coordinator),
        KeepRegister | RaiseConcern => role.is_staff(),
        WriteObservations | WriteReports => matches!(role, OrganisationAdmin | Coordinator | Supervisor),
        ViewConcerns => matches!(role, OrganisationAdmin | Coordinator | SafeguardingLead),
        DecideConcerns => matches!(role, SafeguardingLead),
        CheckReports => matches!(role, OrganisationAdmin | Coordinator),
        ViewReleasedReports => matches!(role, Referrer | Parent),
        ManageBilling | ManagePrintQueue => matches!(role, OrganisationAdmin | Coordinator),
        SetPrices | ViewOutbox | ViewBackups => matches!(role, OrganisationAdmin),
        ViewOwnAccount => matches!(role, Parent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn actor(role: Role, centres: CentreScope) -> Actor {
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        Actor {
            user_id: UserId::new_v7(now),
            organisation_id: OrganisationId::new_v7(now),
            role,
            centres,
        }
    }

    #[test]
    fn anonymous_people_reach_only_public_things() {
        assert_eq!(authorize(None, Action::ViewPublic, &Object::Nothing), Decision::Allow);
        assert_eq!(authorize(None, Action::SignIn, &Object::Nothing), Decision::Allow);
        assert_eq!(
            authorize(None, Action::UseOwnAccount, &Object::Nothing),
            Decision::SignInRequired
        );
        assert_eq!(
            authorize(None, Action::ManageCentres, &Object::Nothing),
            Decision::SignInRequired
        );
    }

    #[test]
    fn another_organisations_objects_are_not_found_even_for_admins() {
        let admin = actor(Role::OrganisationAdmin, CentreScope::All);
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        let elsewhere = OrganisationId::new_v7(now);
        let object = Object::Centre {
            organisation: elsewhere,
            centre: CentreId::new_v7(now),
        };
        assert_eq!(
            authorize(Some(&admin), Action::ManageCentres, &object),
            Decision::NotFound
        );
        let own = Object::Centre {
            organisation: admin.organisation_id,
            centre: CentreId::new_v7(now),
        };
        assert_eq!(authorize(Some(&admin), Action::ManageCentres, &own), Decision::Allow);
    }

    #[test]
    fn centre_limited_staff_do_not_see_other_centres() {
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        let home = CentreId::new_v7(now);
        let volunteer = actor(Role::Volunteer, CentreScope::Only(vec![home]));
        let org = volunteer.organisation_id;
        let at = |centre| Object::Centre {
            organisation: org,
            centre,
        };
        assert_eq!(
            authorize(Some(&volunteer), Action::ViewCentres, &at(home)),
            Decision::Allow
        );
        assert_eq!(
            authorize(Some(&volunteer), Action::ViewCentres, &at(CentreId::new_v7(now))),
            Decision::NotFound
        );
    }

    #[test]
    fn referrers_reach_only_their_own_referrals_and_volunteers_no_case_files() {
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        let referrer = actor(Role::Referrer, CentreScope::All);
        let centre = CentreId::new_v7(now);
        let own = Object::Case {
            organisation: referrer.organisation_id,
            centre,
            referred_by: Some(referrer.user_id),
        };
        let other = Object::Case {
            organisation: referrer.organisation_id,
            centre,
            referred_by: Some(UserId::new_v7(now)),
        };
        assert_eq!(
            authorize(Some(&referrer), Action::ViewOwnReferrals, &own),
            Decision::Allow
        );
        assert_eq!(
            authorize(Some(&referrer), Action::ViewOwnReferrals, &other),
            Decision::NotFound
        );
        assert_eq!(
            authorize(Some(&referrer), Action::ViewCases, &own),
            Decision::Forbidden,
            "the status, not the file"
        );
        let volunteer = actor(Role::Volunteer, CentreScope::All);
        let case = Object::Case {
            organisation: volunteer.organisation_id,
            centre,
            referred_by: None,
        };
        assert_eq!(
            authorize(Some(&volunteer), Action::ViewCases, &case),
            Decision::Forbidden
        );
        let coordinator = actor(Role::Coordinator, CentreScope::Only(vec![CentreId::new_v7(now)]));
        let elsewhere = Object::Case {
            organisation: coordinator.organisation_id,
            centre,
            referred_by: None,
        };
        assert_eq!(
            authorize(Some(&coordinator), Action::ManageCases, &elsewhere),
            Decision::NotFound
        );
    }

    #[test]
    fn lists_name_only_the_cases_at_the_readers_centres() {
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        let home = CentreId::new_v7(now);
        let coordinator = actor(Role::Coordinator, CentreScope::Only(vec![home]));
        let case = |centre| Object::Case {
            organisation: coordinator.organisation_id,
            centre,
            referred_by: None,
        };
        assert!(listed(&coordinator, Action::ManageBilling, &case(home)));
        assert!(!listed(
            &coordinator,
            Action::ManageBilling,
            &case(CentreId::new_v7(now))
        ));
        let admin = actor(Role::OrganisationAdmin, CentreScope::All);
        let theirs = Object::Case {
            organisation: admin.organisation_id,
            centre: CentreId::new_v7(now),
            referred_by: None,
        };
        assert!(listed(&admin, Action::ManageBilling, &theirs));
        assert!(
            !listed(&admin, Action::ManageBilling, &case(home)),
            "another organisation's"
        );
    }

    #[test]
    fn reports_are_checked_by_coordinators_at_the_cases_centre_and_read_by_the_lead() {
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        let (home, elsewhere) = (CentreId::new_v7(now), CentreId::new_v7(now));
        let coordinator = actor(Role::Coordinator, CentreScope::Only(vec![home]));
        let case = |centre| Object::Case {
            organisation: coordinator.organisation_id,
            centre,
            referred_by: None,
        };
        let as_role = |role| Actor {
            role,
            centres: CentreScope::All,
            ..coordinator.clone()
        };
        assert_eq!(
            authorize(Some(&coordinator), Action::CheckReports, &case(home)),
            Decision::Allow
        );
        assert_eq!(
            authorize(Some(&coordinator), Action::ViewCases, &case(elsewhere)),
            Decision::NotFound,
            "another centre's reports follow its case list"
        );
        let lead = as_role(Role::SafeguardingLead);
        assert_eq!(authorize(Some(&lead), Action::ViewCases, &case(home)), Decision::Allow);
        assert_eq!(
            authorize(Some(&lead), Action::CheckReports, &case(home)),
            Decision::Forbidden
        );
        let supervisor = as_role(Role::Supervisor);
        assert_eq!(
            authorize(Some(&supervisor), Action::WriteReports, &case(home)),
            Decision::Allow
        );
        assert_eq!(
            authorize(Some(&supervisor), Action::CheckReports, &case(home)),
            Decision::Forbidden
        );
    }

    #[test]
    fn only_admins_manage_and_parents_and_referrers_see_no_centres() {
        for role in Role::ALL {
            let a = actor(role, CentreScope::All);
            let own = Object::Organisation(a.organisation_id);
            let manage = authorize(Some(&a), Action::ManageUsers, &own);
            assert_eq!(manage == Decision::Allow, role == Role::OrganisationAdmin, "{role}");
            let view = authorize(Some(&a), Action::ViewCentres, &own);
            assert_eq!(view == Decision::Allow, role.is_staff(), "{role}");
            assert_eq!(authorize(Some(&a), Action::UseOwnAccount, &own), Decision::Allow);
        }
    }
}
