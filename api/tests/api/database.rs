//! Migrations: applied at start, safe with several instances starting at
//! once, and the same schema on SQLite and PostgreSQL.

use std::collections::BTreeSet;

use soundstream_api::config::DatabaseUrl;
use soundstream_api::db::Database;
use soundstream_api::startup::Application;
use sqlx::Row;

use crate::helpers::{
    TestOptions, database_url, fresh_database_url, fresh_postgres_database, postgres_admin_url,
    test_settings,
};

fn migration_count() -> usize {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite");
    std::fs::read_dir(dir)
        .expect("migrations dir")
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count()
}

#[tokio::test]
async fn two_instances_starting_at_once_apply_migrations_exactly_once() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(data_dir.path()).await;
    let options = TestOptions::default();

    let (first, second) = tokio::join!(
        Application::build(test_settings(data_dir.path(), &url, &options)),
        Application::build(test_settings(data_dir.path(), &url, &options)),
    );

    assert!(
        first.is_ok(),
        "first instance: {:?}",
        first.err().map(|e| e.to_string())
    );
    assert!(
        second.is_ok(),
        "second instance: {:?}",
        second.err().map(|e| e.to_string())
    );
    let db = Database::connect(&database_url(&url))
        .await
        .expect("connect");
    let (applied,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(db.pool())
        .await
        .expect("count");
    assert_eq!(applied, i64::try_from(migration_count()).expect("small"));
}

type Columns = BTreeSet<(String, String, bool)>;

async fn sqlite_columns() -> (Columns, BTreeSet<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::connect(&DatabaseUrl::Sqlite(format!(
        "sqlite://{}/schema.db",
        dir.path().display()
    )))
    .await
    .expect("sqlite");
    db.migrate().await.expect("migrate");
    let rows = sqlx::query(
        "SELECT m.name AS table_name, p.name AS column_name, p.\"notnull\" AS not_null, p.pk AS pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
    )
    .fetch_all(db.pool())
    .await
    .expect("columns");
    let columns = rows
        .iter()
        .map(|row| {
            let not_null: i64 = row.get("not_null");
            let pk: i64 = row.get("pk");
            (
                row.get::<String, _>("table_name"),
                row.get::<String, _>("column_name"),
                not_null == 1 || pk > 0,
            )
        })
        .collect();
    let indexes = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(db.pool())
    .await
    .expect("indexes")
    .iter()
    .map(|row| row.get::<String, _>("name"))
    .collect();
    (columns, indexes)
}

async fn postgres_columns(admin_url: &str) -> (Columns, BTreeSet<String>) {
    let url = fresh_postgres_database(admin_url).await;
    let db = Database::connect(&DatabaseUrl::Postgres(url))
        .await
        .expect("postgres");
    db.migrate().await.expect("migrate");
    let rows = sqlx::query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                (is_nullable = 'NO') AS not_null \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(db.pool())
    .await
    .expect("columns");
    let columns = rows
        .iter()
        .map(|row| {
            (
                row.get::<String, _>("table_name"),
                row.get::<String, _>("column_name"),
                row.get::<bool, _>("not_null"),
            )
        })
        .collect();
    let indexes = sqlx::query(
        "SELECT indexname::text AS name FROM pg_indexes \
         WHERE schemaname = 'public' AND indexname NOT LIKE '%\\_pkey' AND tablename NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(db.pool())
    .await
    .expect("indexes")
    .iter()
    .map(|row| row.get::<String, _>("name"))
    .collect();
    (columns, indexes)
}

/// The full-text index is each engine's own: FTS5 virtual tables over
/// `search_index`, one per kind (with shadow tables, untyped columns) in
/// SQLite, a generated tsvector column in PostgreSQL. What both must share
/// is the table the application writes.
fn comparable(columns: Columns, engine: &str) -> Columns {
    const FTS5_TABLES: [&str; 4] = ["song_text", "artist_text", "album_text", "playlist_text"];
    let full_text = |table: &str| {
        FTS5_TABLES.iter().any(|fts| {
            table
                .strip_prefix(fts)
                .is_some_and(|shadow| shadow.is_empty() || shadow.starts_with('_'))
        })
    };
    columns
        .into_iter()
        .filter(|(table, column, _)| match engine {
            "sqlite" => !full_text(table),
            _ => !(table == "search_index" && column == "document"),
        })
        .collect()
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_describe_the_same_schema() {
    let Some(admin_url) = postgres_admin_url() else {
        eprintln!("schema comparison needs SOUNDSTREAM_TEST_POSTGRES_URL; scripts/test sets it");
        return;
    };

    let (sqlite_columns, sqlite_indexes) = sqlite_columns().await;
    let (postgres_columns, postgres_indexes) = postgres_columns(&admin_url).await;

    assert!(!sqlite_columns.is_empty());
    let (sqlite_columns, postgres_columns) = (
        comparable(sqlite_columns, "sqlite"),
        comparable(postgres_columns, "postgres"),
    );
    let only_sqlite: Vec<_> = sqlite_columns.difference(&postgres_columns).collect();
    let only_postgres: Vec<_> = postgres_columns.difference(&sqlite_columns).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "columns only in SQLite: {only_sqlite:?}\ncolumns only in PostgreSQL: {only_postgres:?}"
    );
    // PostgreSQL's own: the tsvector's GIN index of each kind, and the
    // insertion order SQLite reads from its rowids.
    let postgres_indexes: BTreeSet<String> = postgres_indexes
        .into_iter()
        .filter(|name| !(name.ends_with("_document_idx") || name == "search_index_newest_idx"))
        .collect();
    assert_eq!(sqlite_indexes, postgres_indexes);
}

#[tokio::test]
async fn foreign_keys_are_enforced() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(data_dir.path()).await;
    let db = Database::connect(&database_url(&url))
        .await
        .expect("connect");
    db.migrate().await.expect("migrate");

    let orphan =
        sqlx::query("INSERT INTO favorites (user_id, song_id, created_at) VALUES ($1, $2, $3)")
            .bind("no-such-user")
            .bind("no-such-song")
            .bind(0_i64)
            .execute(db.pool())
            .await;

    assert!(orphan.is_err(), "an orphan favourite must be refused");
}
