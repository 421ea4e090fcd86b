//! The translation cache, shared by every instance: a text translated once
//! is never paid for again. Keyed by the text's hash, so an edited lyric
//! simply misses.

use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::db::DbError;

pub struct CacheKey<'a> {
    pub text: &'a str,
    /// The requested source, or `auto`.
    pub source: &'a str,
    pub target: &'a str,
    pub provider: &'a str,
}

fn text_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The cached translation and its (detected) source language.
pub async fn find(
    conn: &mut AnyConnection,
    key: &CacheKey<'_>,
) -> Result<Option<(String, Option<String>)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT translated_text, detected_source FROM translation_cache \
         WHERE text_hash = $1 AND source_language = $2 AND target_language = $3 AND provider = $4",
    )
    .bind(text_hash(key.text))
    .bind(key.source)
    .bind(key.target)
    .bind(key.provider)
    .fetch_optional(conn)
    .await?)
}

/// Marks a cached translation as used at `now`, so retention keeps it.
/// Written at most once a day per entry, so cache hits stay cheap.
pub async fn touch(conn: &mut AnyConnection, key: &CacheKey<'_>, now: i64) -> Result<(), DbError> {
    const DAY_MS: i64 = 24 * 60 * 60 * 1000;
    sqlx::query(
        "UPDATE translation_cache SET last_used_at = $5 \
         WHERE text_hash = $1 AND source_language = $2 AND target_language = $3 \
           AND provider = $4 AND last_used_at < $6",
    )
    .bind(text_hash(key.text))
    .bind(key.source)
    .bind(key.target)
    .bind(key.provider)
    .bind(now)
    .bind(now - DAY_MS)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes translations last used before `cutoff`; returns how many.
pub async fn delete_unused_since(conn: &mut AnyConnection, cutoff: i64) -> Result<u64, DbError> {
    let done = sqlx::query("DELETE FROM translation_cache WHERE last_used_at < $1")
        .bind(cutoff)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Stores a translation; a concurrent store of the same one is harmless.
pub async fn store(
    conn: &mut AnyConnection,
    key: &CacheKey<'_>,
    translated: &str,
    detected_source: &str,
    now: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO translation_cache (text_hash, source_language, target_language, provider, \
                                        translated_text, detected_source, created_at, \
                                        last_used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (text_hash, source_language, target_language, provider) DO NOTHING",
    )
    .bind(text_hash(key.text))
    .bind(key.source)
    .bind(key.target)
    .bind(key.provider)
    .bind(translated)
    .bind(detected_source)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
