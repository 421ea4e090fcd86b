-- PostgreSQL only: its GIN index over the search documents became one per
-- kind, as SQLite's FTS5 tables already are (20261204000020). This keeps
-- the two engines' migrations in step, one version each.
SELECT 1;
