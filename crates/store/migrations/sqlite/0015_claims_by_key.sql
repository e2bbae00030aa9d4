-- PostgreSQL's exclusion constraints on claims compare a hashed key from here (see its 0015).
-- SQLite has none: its bookings are checked for every clash inside the one writer's transaction.
SELECT 1;
