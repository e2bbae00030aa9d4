//! A case file read by staff: the read audited, and each contact detail shown or withheld as the
//! domain decides for this viewer (each disclosure of a hidden detail audited too).

use crate::case_files::{case_file, centre_zone, file_org};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::Action;
use familytime_domain::confidential::{Viewer, Withheld, may_disclose};
use familytime_domain::triage::{self, Advice};
use familytime_store::AuditEvent;
use familytime_store::referrals::CaseFile;

/// A contact detail as one viewer may see it: the value, or `None` where it is hidden from them.
#[derive(Debug, Clone)]
pub struct ShownContact {
    pub owner: String,
    pub kind: &'static str,
    pub value: Option<String>,
    /// Why the value is not shown: a reason would let this viewer see it, or nothing would.
    pub withheld: Option<Withheld>,
    /// The adults it is hidden from (names), so staff see the restriction beside the value.
    pub hidden_from: Vec<String>,
}

impl ShownContact {
    /// Whether giving a reason would show this viewer the value (the page offers the reason step).
    pub fn reason_would_show(&self) -> bool {
        self.withheld == Some(Withheld::ReasonNeeded)
    }
}

/// A case file prepared for a member of staff.
pub struct CaseView {
    pub file: CaseFile,
    pub contacts: Vec<ShownContact>,
    /// The staff named for the case (its key worker first).
    pub named: Vec<familytime_store::confidential::NamedStaff>,
    pub advice: Option<Advice>,
    /// When an incident (or allegation, or disclosure) was raised that the latest risk assessment
    /// has not yet taken into account.
    pub reassessment_due: Option<familytime_domain::Timestamp>,
    /// Cafcass-funded hours used and whether a review is due (see app::reviews).
    pub service: crate::reviews::CaseFacts,
}

/// A case file for staff. The read is audited before the answer leaves, and so is each
/// disclosure of a detail hidden from a party. Whether the caller sees such a detail is the domain's
/// decision, from their relation to the case (named for it, supervising its session today, a reason
/// given) gathered here.
pub async fn get_case(state: &AppState, caller: &Caller, id: &str) -> Result<CaseView, AppError> {
    let file = case_file(state, caller, id, Action::ViewCases).await?;
    let role = caller.user()?.role;
    let now = state.clock.now();
    let scope = caller.scope(now);
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    let relation = crate::confidential::relation(state, caller, &file).await?;
    // With the request's address, for "who viewed this family" (decision 0053).
    crate::audit::family_reads(state, caller, "case.read", [file.summary.id]).await?;
    let name_of_party = |p| {
        file.parties
            .iter()
            .find(|x| x.id == p)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let mut contacts = Vec::new();
    for c in &file.contacts {
        let owner = match (c.party_id, c.child_id) {
            (Some(p), _) => name_of_party(p),
            (_, Some(child)) => file
                .children
                .iter()
                .find(|x| x.id == child)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        let viewer = Viewer::Staff {
            role,
            relation: &relation,
        };
        let (value, withheld) = match may_disclose(viewer, &c.hidden_from, now, &zone) {
            Ok(disclosure) => {
                if !c.hidden_from.is_empty() {
                    state
                        .store
                        .audit(&scope, AuditEvent::ok("contact.disclose", "contact", &c.id))
                        .await?;
                }
                (Some(c.value.reveal(&disclosure).clone()), None)
            }
            Err(why) => (None, Some(why)),
        };
        contacts.push(ShownContact {
            owner,
            kind: c.kind.label(),
            value,
            withheld,
            hidden_from: c.hidden_from.iter().map(|p| name_of_party(*p)).collect(),
        });
    }
    let advice = file.assessments.first().map(|a| triage::advise(&a.concerns));
    let reassessment_due = state
        .store
        .risk_reassessment_due(file_org(caller)?, file.summary.id)
        .await?;
    let service = crate::reviews::case_facts(state, file_org(caller)?, &file, &zone).await?;
    let named = state.store.named_staff(file_org(caller)?, file.summary.id).await?;
    Ok(CaseView {
        file,
        contacts,
        named,
        advice,
        reassessment_due,
        service,
    })
}
