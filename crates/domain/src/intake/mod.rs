//! A referral as received: the children, the adults, their contact details (some hidden from named
//! adults), the court orders and the background. This module holds the kinds every part shares;
//! one submodule per way a referral comes in:
//! - `refer`: the referral form and the API (`ReferralInput::parse` checks all of it at once and
//!   yields a `NewReferral` that is known to be acceptable);
//! - `self_referral`: the public self-referral, and the other adult's own part given later.

pub mod refer;
pub mod self_referral;

pub use refer::{
    AdultInput, ChildInput, ContactInput, NewAdult, NewChild, NewContact, NewOrder, NewReferral, OrderInput,
    ReferralInput,
};
pub use self_referral::{OwnPart, OwnPartInput, SelfReferralInput, parse_responsibility};

/// An adult's part in the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyRole {
    /// Lives with the child and brings them.
    Resident,
    /// The parent or relative having contact.
    Visiting,
    /// Another adult named on the referral (a grandparent, a new partner, …).
    OtherAdult,
}

impl PartyRole {
    pub const ALL: [PartyRole; 3] = [PartyRole::Resident, PartyRole::Visiting, PartyRole::OtherAdult];
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Resident => "resident",
            PartyRole::Visiting => "visiting",
            PartyRole::OtherAdult => "other_adult",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PartyRole::Resident => "Resident parent or carer",
            PartyRole::Visiting => "Visiting parent or relative",
            PartyRole::OtherAdult => "Other named adult",
        }
    }
    pub fn parse(value: &str) -> Option<PartyRole> {
        PartyRole::ALL.into_iter().find(|r| r.as_str() == value.trim())
    }
}

/// What kind of contact detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKind {
    Address,
    Phone,
    Email,
    School,
}

impl ContactKind {
    pub const ALL: [ContactKind; 4] = [
        ContactKind::Address,
        ContactKind::Phone,
        ContactKind::Email,
        ContactKind::School,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Address => "address",
            ContactKind::Phone => "phone",
            ContactKind::Email => "email",
            ContactKind::School => "school",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ContactKind::Address => "Address",
            ContactKind::Phone => "Phone",
            ContactKind::Email => "Email",
            ContactKind::School => "School",
        }
    }
    pub fn parse(value: &str) -> Option<ContactKind> {
        ContactKind::ALL.into_iter().find(|k| k.as_str() == value.trim())
    }
}

/// Kinds of court order.
pub const ORDER_KINDS: [(&str, &str); 6] = [
    ("child_arrangements", "Child arrangements order"),
    ("non_molestation", "Non-molestation order"),
    ("injunction", "Injunction"),
    ("prohibited_steps", "Prohibited steps order"),
    ("specific_issue", "Specific issue order"),
    ("other", "Other order"),
];
