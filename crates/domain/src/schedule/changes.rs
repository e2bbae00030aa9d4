//! A booking's life after it is made: who asked for a session to be moved.

/// Who asked for a session to be moved to another time. The old time is recorded as cancelled by
/// them, never by the centre unless the centre asked, so the history says whose request it was.
/// A move forfeits nothing whoever asked (the session still happens): the old time's charges are
/// taken back and the new time carries its own (docs/decisions/0027).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveAsker {
    Centre,
    Resident,
    Visiting,
    Other,
}

crate::referrals::named!(MoveAsker,
    Centre => "centre", "The centre";
    Resident => "resident", "The resident parent";
    Visiting => "visiting", "The visiting parent";
    Other => "other", "Someone else (a court or the referrer)";
);

impl MoveAsker {
    /// Reads who asked, as the form or the API sends it; the message names what to choose.
    pub fn parse_asked(text: &str) -> Result<MoveAsker, &'static str> {
        MoveAsker::parse(text.trim())
            .ok_or("Say who asked for the move: the centre, the resident parent, the visiting parent or someone else")
    }
}
