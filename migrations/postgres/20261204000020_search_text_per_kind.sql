-- SQLite only: its FTS5 index became one table per kind, with longer
-- prefixes and newest-first ids in ascending order. PostgreSQL's tsvector
-- and GIN index need none of it; this keeps the two engines' migrations in
-- step, one version each.
SELECT 1;
