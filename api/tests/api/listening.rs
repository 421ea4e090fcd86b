//! Favourites and play history: idempotent, per user, newest first,
//! history de-duplicated.

use reqwest::Method;
use serde_json::json;
use soundstream_types::{Page, PlayedSong, Song, TokenResponse};

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::songs::create_song;

async fn songs(app: &TestApp, admin: &TokenResponse, files: &[(&str, &str)]) -> Vec<Song> {
    let mut songs = Vec::new();
    for (file, content_type) in files {
        songs.push(create_song(app, &admin.access_token, file, content_type, json!({})).await);
    }
    songs
}

async fn send(app: &TestApp, method: Method, path: &str, token: &str) -> u16 {
    app.authed(method, path, token)
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

async fn get_page<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    path: &str,
    token: &str,
) -> Page<T> {
    app.authed(Method::GET, path, token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("page")
}

#[tokio::test]
async fn favourites_are_idempotent_personal_and_newest_first() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let ana = app.register("ana").await;
    let bea = app.register("bea").await;
    let library = songs(
        &app,
        &admin,
        &[("tone.mp3", "audio/mpeg"), ("tone.flac", "audio/flac")],
    )
    .await;
    let path = |song: &Song| format!("/api/v1/me/favorites/{}", song.id);

    assert_eq!(
        send(&app, Method::PUT, &path(&library[0]), &ana.access_token).await,
        204
    );
    assert_eq!(
        send(&app, Method::PUT, &path(&library[1]), &ana.access_token).await,
        204
    );
    assert_eq!(
        send(&app, Method::PUT, &path(&library[1]), &ana.access_token).await,
        204
    );
    let anas: Page<Song> = get_page(&app, "/api/v1/me/favorites", &ana.access_token).await;
    let beas: Page<Song> = get_page(&app, "/api/v1/me/favorites", &bea.access_token).await;
    assert_eq!(
        send(&app, Method::DELETE, &path(&library[1]), &ana.access_token).await,
        204
    );
    assert_eq!(
        send(&app, Method::DELETE, &path(&library[1]), &ana.access_token).await,
        204
    );
    let after_removal: Page<Song> = get_page(&app, "/api/v1/me/favorites", &ana.access_token).await;

    let ids: Vec<&str> = anas.items.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, [library[1].id.as_str(), library[0].id.as_str()]);
    assert!(beas.items.is_empty());
    assert_eq!(after_removal.items.len(), 1);
    let missing = app
        .authed(
            Method::PUT,
            "/api/v1/me/favorites/no-such-song",
            &ana.access_token,
        )
        .send()
        .await
        .expect("sent");
    assert_problem(missing, 404).await;
}

#[tokio::test]
async fn favourites_page_without_repeats() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let ana = app.register("ana").await;
    let library = songs(
        &app,
        &admin,
        &[
            ("tone.mp3", "audio/mpeg"),
            ("tone.flac", "audio/flac"),
            ("tone.ogg", "audio/ogg"),
        ],
    )
    .await;
    for song in &library {
        send(
            &app,
            Method::PUT,
            &format!("/api/v1/me/favorites/{}", song.id),
            &ana.access_token,
        )
        .await;
    }

    let first: Page<Song> = get_page(&app, "/api/v1/me/favorites?limit=2", &ana.access_token).await;
    let cursor = first.next_cursor.clone().expect("a second page");
    let second: Page<Song> = get_page(
        &app,
        &format!("/api/v1/me/favorites?limit=2&cursor={cursor}"),
        &ana.access_token,
    )
    .await;

    let mut ids: Vec<String> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|s| s.id.clone())
        .collect();
    assert_eq!(ids.len(), 3);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    assert!(second.next_cursor.is_none());
}

#[tokio::test]
async fn history_lists_each_song_once_by_its_last_play() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let ana = app.register("ana").await;
    let library = songs(
        &app,
        &admin,
        &[("tone.mp3", "audio/mpeg"), ("tone.flac", "audio/flac")],
    )
    .await;
    let play = |song: &Song| {
        let request = app
            .authed(Method::POST, "/api/v1/me/history", &ana.access_token)
            .json(&json!({"song_id": song.id}));
        async move { request.send().await.expect("sent").status().as_u16() }
    };

    for song in [&library[0], &library[1], &library[0]] {
        assert_eq!(play(song).await, 204);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let history: Page<PlayedSong> = get_page(&app, "/api/v1/me/history", &ana.access_token).await;
    let unknown = app
        .authed(Method::POST, "/api/v1/me/history", &ana.access_token)
        .json(&json!({"song_id": "nope"}))
        .send()
        .await
        .expect("sent");

    let ids: Vec<&str> = history.items.iter().map(|p| p.song.id.as_str()).collect();
    assert_eq!(ids, [library[0].id.as_str(), library[1].id.as_str()]);
    assert_problem(unknown, 404).await;
    assert_problem(app.get("/api/v1/me/history").await, 401).await;
}

#[tokio::test]
async fn favourite_ids_are_the_set_of_your_hearts_only() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let made = songs(
        &app,
        &admin,
        &[
            ("tone.ogg", "audio/ogg"),
            ("tone.flac", "audio/flac"),
            ("tone.wav", "audio/wav"),
        ],
    )
    .await;
    let ana = app.register("ana").await;
    let bob = app.register("bob").await;
    for song in &made[..2] {
        let path = format!("/api/v1/me/favorites/{}", song.id);
        assert_eq!(send(&app, Method::PUT, &path, &ana.access_token).await, 204);
    }
    let path = format!("/api/v1/me/favorites/{}", made[2].id);
    assert_eq!(send(&app, Method::PUT, &path, &bob.access_token).await, 204);
    let path = format!("/api/v1/me/favorites/{}", made[0].id);
    assert_eq!(
        send(&app, Method::DELETE, &path, &ana.access_token).await,
        204
    );

    let ids: soundstream_types::FavoriteIds = app
        .authed(Method::GET, "/api/v1/me/favorites/ids", &ana.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("ids");

    assert_eq!(ids.song_ids, [made[1].id.clone()]);
    assert_problem(app.get("/api/v1/me/favorites/ids").await, 401).await;
}

async fn plays_counted(app: &TestApp, song_id: &str) -> i64 {
    let (plays,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM play_history WHERE song_id = $1")
        .bind(song_id)
        .fetch_one(app.state.db.pool())
        .await
        .expect("count");
    plays
}

async fn report_play(app: &TestApp, token: &str, song: &Song) -> u16 {
    app.authed(Method::POST, "/api/v1/me/history", token)
        .json(&json!({"song_id": song.id}))
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

#[tokio::test]
async fn repeated_play_reports_are_accepted_but_counted_once_per_song_length() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let ana = app.register("ana").await;
    let bea = app.register("bea").await;
    let song = songs(&app, &admin, &[("tone.mp3", "audio/mpeg")])
        .await
        .remove(0);

    let answers = futures_util::future::join_all(
        (0..10).map(|_| report_play(&app, &ana.access_token, &song)),
    )
    .await;
    let others = report_play(&app, &bea.access_token, &song).await;

    assert!(answers.iter().all(|status| *status == 204), "{answers:?}");
    assert_eq!(others, 204);
    assert_eq!(
        plays_counted(&app, &song.id).await,
        2,
        "one for ana, one for bea"
    );

    // Once the song's length (at least 30 s) has passed, a play counts again.
    sqlx::query("UPDATE play_history SET played_at = played_at - 31000")
        .execute(app.state.db.pool())
        .await
        .expect("aged");
    assert_eq!(report_play(&app, &ana.access_token, &song).await, 204);
    assert_eq!(plays_counted(&app, &song.id).await, 3);
}

#[tokio::test]
async fn an_uncounted_report_still_moves_the_song_up_the_history() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let ana = app.register("ana").await;
    let library = songs(
        &app,
        &admin,
        &[("tone.mp3", "audio/mpeg"), ("tone.flac", "audio/flac")],
    )
    .await;

    for song in [&library[0], &library[1], &library[0]] {
        report_play(&app, &ana.access_token, song).await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }

    let history: Page<PlayedSong> = get_page(&app, "/api/v1/me/history", &ana.access_token).await;
    let ids: Vec<&str> = history.items.iter().map(|p| p.song.id.as_str()).collect();
    assert_eq!(ids, [library[0].id.as_str(), library[1].id.as_str()]);
    assert_eq!(plays_counted(&app, &library[0].id).await, 1);
}
