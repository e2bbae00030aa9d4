-- PostgreSQL replaces its two exclusion constraints on booking_claims with one here (see its 0013).
-- SQLite has none: its bookings are checked for every clash inside the one writer's transaction.
SELECT 1;
