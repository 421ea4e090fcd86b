//! What a listener says about albums, artists and songs besides favourite
//! songs: stars on albums and artists, and ratings from 1 to 5.

use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::clock::now_millis;
use crate::db::DbError;
use crate::persistence::Among;

/// Something a listener can star (songs are starred as favourites).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starred {
    Album,
    Artist,
}

impl Starred {
    /// The table and its item column; fixed strings, never input.
    const fn table(self) -> (&'static str, &'static str) {
        match self {
            Starred::Album => ("album_stars", "album_id"),
            Starred::Artist => ("artist_stars", "artist_id"),
        }
    }
}

/// Something a listener can rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rated {
    Song,
    Album,
    Artist,
}

impl Rated {
    const fn table(self) -> (&'static str, &'static str) {
        match self {
            Rated::Song => ("song_ratings", "song_id"),
            Rated::Album => ("album_ratings", "album_id"),
            Rated::Artist => ("artist_ratings", "artist_id"),
        }
    }
}

/// Stars an item (again is fine: the first star's time is kept).
pub async fn star(
    conn: &mut AnyConnection,
    kind: Starred,
    user_id: &str,
    item_id: &str,
) -> Result<(), DbError> {
    let (table, column) = kind.table();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO {table} (user_id, {column}, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, {column}) DO NOTHING"
    )))
    .bind(user_id)
    .bind(item_id)
    .bind(now_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes a star (when there was none, too).
pub async fn unstar(
    conn: &mut AnyConnection,
    kind: Starred,
    user_id: &str,
    item_id: &str,
) -> Result<(), DbError> {
    let (table, column) = kind.table();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {table} WHERE user_id = $1 AND {column} = $2"
    )))
    .bind(user_id)
    .bind(item_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// When the user starred each item of a kind they starred.
pub async fn star_times(
    conn: &mut AnyConnection,
    kind: Starred,
    user_id: &str,
    items: Among<'_>,
) -> Result<HashMap<String, i64>, DbError> {
    let (table, column) = kind.table();
    let sql = format!(
        "SELECT {column}, created_at FROM {table} WHERE user_id = $1{}",
        items.condition(column, 2)
    );
    let query = items.bind(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id));
    let rows: Vec<(String, i64)> = query.fetch_all(conn).await?;
    Ok(rows.into_iter().collect())
}

/// Sets the user's rating of an item (1 to 5), or removes it (`None`).
pub async fn rate(
    conn: &mut AnyConnection,
    kind: Rated,
    user_id: &str,
    item_id: &str,
    rating: Option<i64>,
) -> Result<(), DbError> {
    let (table, column) = kind.table();
    match rating {
        Some(rating) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO {table} (user_id, {column}, rating, updated_at) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id, {column}) \
                 DO UPDATE SET rating = excluded.rating, updated_at = excluded.updated_at"
            )))
            .bind(user_id)
            .bind(item_id)
            .bind(rating)
            .bind(now_millis())
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE user_id = $1 AND {column} = $2"
            )))
            .bind(user_id)
            .bind(item_id)
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

/// The user's ratings of every item of a kind they rated.
pub async fn ratings(
    conn: &mut AnyConnection,
    kind: Rated,
    user_id: &str,
    items: Among<'_>,
) -> Result<HashMap<String, i64>, DbError> {
    let (table, column) = kind.table();
    let sql = format!(
        "SELECT {column}, rating FROM {table} WHERE user_id = $1{}",
        items.condition(column, 2)
    );
    let query = items.bind(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id));
    let rows: Vec<(String, i64)> = query.fetch_all(conn).await?;
    Ok(rows.into_iter().collect())
}
