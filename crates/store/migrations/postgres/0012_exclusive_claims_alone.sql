-- An exclusive claim (a family room, a person, a child) overlaps no other claim on the same
-- resource, shared or not. booking_claims_no_overlap holds this among exclusive claims; this holds
-- it against shared ones too, which a room can have from before it was changed from a hall to a
-- family room. With both, the database alone refuses every overlap an exclusive claim could make,
-- so a booking that claims nothing shared needs no check before its insert (decision 0017).
ALTER TABLE booking_claims ADD CONSTRAINT booking_claims_exclusive_alone
    EXCLUDE USING gist (resource WITH =, span WITH &&, exclusive WITH <>, organisation_id WITH =);
