//! Pagination invariants over a seeded library: every list, paged in
//! small pages while rows are being added between pages, shows each row
//! at most once and never skips a row that existed when paging began.

use std::collections::HashSet;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use soundstream_api::commands::{import, seed};
use soundstream_types::Page;

use crate::helpers::{TestApp, spawn_app};

async fn seed_songs(app: &TestApp, count: usize) {
    let owner = import::owner(&app.state.db, None).await.expect("an admin");
    seed::seed_library(&app.state.db, &app.state.storage, &owner, count)
        .await
        .expect("seeded");
}

async fn get<T: DeserializeOwned>(app: &TestApp, token: &str, path: &str) -> T {
    let response = app
        .authed(Method::GET, path, token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.expect("body")
}

fn id(item: &Value) -> String {
    // Songs, artists, albums and playlists carry `id`; played songs and
    // the like wrap a `song`.
    item.get("id")
        .or_else(|| item.get("song").and_then(|song| song.get("id")))
        .and_then(Value::as_str)
        .expect("an id")
        .to_owned()
}

/// Every id of the list at `path` (limit 37), calling `between` after
/// each page.
async fn page_through<F, Fut>(app: &TestApp, token: &str, path: &str, mut between: F) -> Vec<String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(cursor) => format!("{path}{separator}limit=37&cursor={cursor}"),
            None => format!("{path}{separator}limit=37"),
        };
        let page: Page<Value> = get(app, token, &url).await;
        assert!(page.items.len() <= 37);
        ids.extend(page.items.iter().map(id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
        between().await;
    }
    ids
}

async fn all_ids(app: &TestApp, token: &str, path: &str) -> Vec<String> {
    page_through(app, token, path, || async {}).await
}

fn assert_whole(list: &str, before: &[String], paged: &[String]) {
    let mut seen = HashSet::new();
    for id in paged {
        assert!(seen.insert(id), "{list}: {id} twice");
    }
    let missing: Vec<&String> = before.iter().filter(|id| !seen.contains(id)).collect();
    assert!(missing.is_empty(), "{list}: skipped {missing:?}");
}

#[tokio::test]
async fn lists_neither_repeat_nor_skip_rows_while_rows_are_added() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = admin.access_token.clone();
    seed_songs(&app, 400).await;

    for sort in ["title", "artist", "album", "added", "duration"] {
        for order in ["asc", "desc"] {
            let path = format!("/api/v1/songs?sort={sort}&order={order}");
            let before = all_ids(&app, &token, &path).await;
            let paged = page_through(&app, &token, &path, || seed_songs(&app, 2)).await;
            assert_whole(&path, &before, &paged);
        }
    }
    for path in ["/api/v1/artists", "/api/v1/albums"] {
        let before = all_ids(&app, &token, path).await;
        // Each seeded song past a boundary starts a new album, and artist.
        let paged = page_through(&app, &token, path, || seed_songs(&app, 10)).await;
        assert_whole(path, &before, &paged);
    }

    let listener = app.register("ana").await;
    let ana = listener.access_token.clone();
    let songs = all_ids(&app, &token, "/api/v1/songs?sort=added").await;
    let (early, late) = songs.split_at(120);
    for song in early {
        let played = app
            .authed(Method::POST, "/api/v1/me/history", &ana)
            .json(&json!({ "song_id": song }))
            .send()
            .await
            .expect("sent");
        assert_eq!(played.status().as_u16(), 204);
        let favourite = app
            .authed(Method::PUT, &format!("/api/v1/me/favorites/{song}"), &ana)
            .send()
            .await
            .expect("sent");
        assert_eq!(favourite.status().as_u16(), 204);
    }
    for i in 0..80 {
        let created = app
            .authed(Method::POST, "/api/v1/playlists", &ana)
            .json(&json!({ "name": format!("List {i}"), "is_public": i % 2 == 0 }))
            .send()
            .await
            .expect("sent");
        assert_eq!(created.status().as_u16(), 201);
    }

    let mut fresh = late.iter();
    for path in [
        "/api/v1/me/favorites",
        "/api/v1/me/history",
        "/api/v1/playlists",
    ] {
        let before = all_ids(&app, &ana, path).await;
        assert!(before.len() >= 80, "{path}");
        let paged = page_through(&app, &ana, path, || {
            let song = fresh.next().expect("songs enough").clone();
            let (app, ana) = (app.clone(), ana.clone());
            async move {
                for request in [
                    app.authed(Method::PUT, &format!("/api/v1/me/favorites/{song}"), &ana),
                    app.authed(Method::POST, "/api/v1/me/history", &ana)
                        .json(&json!({ "song_id": song })),
                    app.authed(Method::POST, "/api/v1/playlists", &ana)
                        .json(&json!({ "name": format!("Added {song}") })),
                ] {
                    assert!(request.send().await.expect("sent").status().is_success());
                }
            }
        })
        .await;
        assert_whole(path, &before, &paged);
    }
}
