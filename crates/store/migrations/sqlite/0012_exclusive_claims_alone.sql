-- PostgreSQL gains a second exclusion constraint on booking_claims here (see its 0012). SQLite has
-- no exclusion constraints: its bookings are checked for every clash, exclusive or shared, inside
-- the one writer's BEGIN IMMEDIATE transaction, so there is nothing to add.
SELECT 1;
