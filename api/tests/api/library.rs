//! Browsing by artist and album.

use reqwest::Method;
use serde_json::json;
use soundstream_types::{Album, AlbumDetail, Artist, ArtistDetail, Page};

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::songs::create_song;

async fn get<T: serde::de::DeserializeOwned>(app: &TestApp, token: &str, path: &str) -> T {
    let response = app
        .authed(Method::GET, path, token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.expect("body")
}

#[tokio::test]
async fn an_album_lists_its_tracks_in_order_and_its_artist_shows_it() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;
    let album = json!({"artist": "Rosalía", "album": "Motomami"});
    let mut second = album.clone();
    second["title"] = json!("Saoko");
    second["track_number"] = json!(2);
    let mut first = album.clone();
    first["title"] = json!("Candy");
    first["track_number"] = json!(1);
    create_song(&app, token, "tone.flac", "audio/flac", second).await;
    let candy = create_song(&app, token, "tone.ogg", "audio/ogg", first).await;
    create_song(
        &app,
        token,
        "tone.mp3",
        "audio/mpeg",
        json!({"artist": "ROSALIA", "album": "El mal querer"}),
    )
    .await;
    app.authed(Method::POST, "/api/v1/me/history", token)
        .json(&json!({"song_id": candy.id}))
        .send()
        .await
        .expect("sent");

    let album_id = candy.album.as_ref().expect("album").id.clone();
    let detail: AlbumDetail = get(&app, token, &format!("/api/v1/albums/{album_id}")).await;
    let artist: ArtistDetail =
        get(&app, token, &format!("/api/v1/artists/{}", candy.artist.id)).await;

    let titles: Vec<&str> = detail.tracks.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Candy", "Saoko"]);
    assert_eq!(detail.album.song_count, 2);
    assert_eq!(artist.artist.name, "Rosalía");
    assert_eq!(artist.artist.song_count, 3, "ROSALIA is Rosalía");
    let albums: Vec<&str> = artist.albums.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(albums, ["El mal querer", "Motomami"]);
    assert_eq!(artist.top_songs[0].id, candy.id, "the most played first");
}

#[tokio::test]
async fn artists_and_albums_page_by_name() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;
    for (file, content_type, artist) in [
        ("tone.mp3", "audio/mpeg", "Zoe"),
        ("tone.flac", "audio/flac", "Álvaro"),
        ("tone.ogg", "audio/ogg", "Mon Laferte"),
    ] {
        create_song(&app, token, file, content_type, json!({"artist": artist})).await;
    }

    let mut names = Vec::new();
    let mut path = "/api/v1/artists?limit=2".to_owned();
    loop {
        let page: Page<Artist> = get(&app, token, &path).await;
        names.extend(page.items.into_iter().map(|a| a.name));
        match page.next_cursor {
            Some(cursor) => path = format!("/api/v1/artists?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    let albums: Page<Album> = get(&app, token, "/api/v1/albums").await;

    // The files' album artists (Varios Artistas, Sigur Rós, Various) are artists too.
    assert_eq!(
        names,
        [
            "Álvaro",
            "Mon Laferte",
            "Sigur Rós",
            "Varios Artistas",
            "Various",
            "Zoe"
        ],
        "accents sort as their letter"
    );
    assert_eq!(albums.items.len(), 3);
    assert_problem(
        app.authed(Method::GET, "/api/v1/albums/nope", token)
            .send()
            .await
            .expect("sent"),
        404,
    )
    .await;
    assert_problem(app.get("/api/v1/artists").await, 401).await;
}

#[tokio::test]
async fn admins_see_library_totals_and_the_most_played_songs() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;
    let quiet = create_song(&app, token, "tone.mp3", "audio/mpeg", json!({})).await;
    let hit = create_song(&app, token, "tone.flac", "audio/flac", json!({})).await;
    for song_id in [&hit.id, &hit.id, &quiet.id] {
        app.authed(Method::POST, "/api/v1/me/history", token)
            .json(&json!({"song_id": song_id}))
            .send()
            .await
            .expect("sent");
        // Plays of a song count once per its length: these were far apart.
        sqlx::query("UPDATE play_history SET played_at = played_at - 600000")
            .execute(app.state.db.pool())
            .await
            .expect("aged");
    }

    let stats: soundstream_types::LibraryStats = get(&app, token, "/api/v1/admin/stats").await;

    assert_eq!(stats.songs, 2);
    assert_eq!(stats.users, 1);
    assert_eq!(stats.plays, 3);
    assert_eq!(stats.audio_bytes, quiet.size + hit.size);
    assert_eq!(stats.total_duration_ms, quiet.duration_ms + hit.duration_ms);
    let ranking: Vec<(&str, u64)> = stats
        .most_played
        .iter()
        .map(|entry| (entry.song.id.as_str(), entry.plays))
        .collect();
    assert_eq!(ranking, [(hit.id.as_str(), 2), (quiet.id.as_str(), 1)]);
}

#[tokio::test]
async fn admins_rename_artists_and_albums_and_search_follows() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;
    let song = create_song(
        &app,
        token,
        "tone.flac",
        "audio/flac",
        json!({"title": "Hey Jude", "artist": "The Beatels", "album": "Past Masters Vol 2"}),
    )
    .await;
    let other = create_song(
        &app,
        token,
        "tone.ogg",
        "audio/ogg",
        json!({"title": "Heroes", "artist": "David Bowie", "album": "Heroes"}),
    )
    .await;
    let artist_id = song.artist.id.clone();
    let album_id = song.album.as_ref().expect("album").id.clone();
    let patch = |path: String, body: serde_json::Value| {
        let request = app.authed(Method::PATCH, &path, token).json(&body);
        async move { request.send().await.expect("sent") }
    };

    let renamed: Artist = patch(
        format!("/api/v1/artists/{artist_id}"),
        json!({"name": "The Beatles"}),
    )
    .await
    .json()
    .await
    .expect("artist");
    let retitled: Album = patch(
        format!("/api/v1/albums/{album_id}"),
        json!({"title": "Past Masters, Volume Two", "year": 1988}),
    )
    .await
    .json()
    .await
    .expect("album");
    let taken = patch(
        format!("/api/v1/artists/{artist_id}"),
        json!({"name": "DAVID BOWIE"}),
    )
    .await;
    let invalid = patch(format!("/api/v1/albums/{album_id}"), json!({"title": " "})).await;
    let missing = patch("/api/v1/artists/nope".into(), json!({"name": "X"})).await;
    let listener = app.register("ana").await;
    let refused = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/artists/{artist_id}"),
            &listener.access_token,
        )
        .json(&json!({"name": "Mine"}))
        .send()
        .await
        .expect("sent");

    assert_eq!(renamed.name, "The Beatles");
    assert_eq!(retitled.title, "Past Masters, Volume Two");
    assert_eq!(retitled.year, Some(1988));
    assert_eq!(assert_problem(taken, 409).await.errors[0].field, "name");
    assert_problem(invalid, 422).await;
    assert_problem(missing, 404).await;
    assert_problem(refused, 403).await;
    let found: soundstream_types::SearchResults =
        get(&app, token, "/api/v1/search?q=beatles%20volume").await;
    assert_eq!(found.songs.len(), 1, "the song is found by the new names");
    assert_eq!(found.songs[0].artist.name, "The Beatles");
    assert_eq!(found.albums[0].title, "Past Masters, Volume Two");
    let stale: soundstream_types::SearchResults =
        get(&app, token, "/api/v1/search?q=beatels").await;
    assert!(stale.songs.is_empty() && stale.artists.is_empty());
    assert_eq!(other.artist.name, "David Bowie");
}
