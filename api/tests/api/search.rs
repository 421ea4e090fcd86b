//! Search as you type: ranked, prefix, case- and accent-insensitive, the
//! same on SQLite (FTS5) and PostgreSQL (tsvector), and playlists only
//! where the searcher may see them.

use reqwest::Method;
use serde_json::json;
use soundstream_types::{Playlist, SearchResults};

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::songs::{TwoInstances, create_song, rename_song, two_instances_with_a_song};

async fn search(app: &TestApp, token: &str, q: &str) -> SearchResults {
    let response = app
        .authed(Method::GET, "/api/v1/search", token)
        .query(&[("q", q)])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200, "searching {q:?}");
    response.json().await.expect("results")
}

fn song_titles(results: &SearchResults) -> Vec<&str> {
    results.songs.iter().map(|s| s.title.as_str()).collect()
}

pub async fn create_playlist(app: &TestApp, token: &str, body: serde_json::Value) -> Playlist {
    let response = app
        .authed(Method::POST, "/api/v1/playlists", token)
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201);
    response.json().await.expect("playlist")
}

#[tokio::test]
async fn accents_case_and_prefixes_do_not_matter() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;
    // Tagged "Canción de prueba" by "Beyoncé" on "Álbum MP3".
    let tagged = create_song(&app, token, "tone.mp3", "audio/mpeg", json!({})).await;
    create_song(
        &app,
        token,
        "tone.opus",
        "audio/ogg",
        json!({"title": "Jóga"}),
    )
    .await;

    let cancion = search(&app, token, "cancion").await;
    let beyonce = search(&app, token, "BEYONCE").await;
    let prefix = search(&app, token, "canc").await;
    let two_words = search(&app, token, "prueba canc").await;
    let album = search(&app, token, "album mp").await;
    let bjork = search(&app, token, "bjork").await;

    assert_eq!(song_titles(&cancion), ["Canción de prueba"]);
    assert_eq!(cancion.query, "cancion");
    assert_eq!(beyonce.artists[0].name, "Beyoncé");
    assert_eq!(
        song_titles(&beyonce),
        ["Canción de prueba"],
        "by its artist"
    );
    assert_eq!(song_titles(&prefix), ["Canción de prueba"]);
    assert_eq!(
        song_titles(&two_words),
        ["Canción de prueba"],
        "every word, any order"
    );
    assert_eq!(album.albums[0].title, "Álbum MP3");
    assert_eq!(album.albums[0].id, tagged.album.expect("album").id);
    assert_eq!(bjork.artists[0].name, "Björk");
    assert_eq!(song_titles(&bjork), ["Jóga"]);
    assert!(search(&app, token, "zzz").await.songs.is_empty());
}

#[tokio::test]
async fn exact_names_come_first_then_prefixes_then_other_matches() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;
    for (file, content_type, title, artist) in [
        ("tone.flac", "audio/flac", "Crazy in Love", "Beyoncé"),
        ("tone.ogg", "audio/ogg", "Walk", "Love Unlimited"),
        ("tone.wav", "audio/wav", "Lovely Day", "Bill Withers"),
        ("tone.mp3", "audio/mpeg", "Love", "Lana Del Rey"),
    ] {
        create_song(
            &app,
            token,
            file,
            content_type,
            json!({"title": title, "artist": artist, "album": format!("{title} (single)")}),
        )
        .await;
    }

    let results = search(&app, token, "LOVE").await;

    assert_eq!(
        song_titles(&results),
        ["Love", "Lovely Day", "Crazy in Love", "Walk"],
        "exact, prefix, in the title, by the artist"
    );
    assert_eq!(results.artists[0].name, "Love Unlimited");
    let limited = app
        .authed(Method::GET, "/api/v1/search?q=love&limit=2", token)
        .send()
        .await
        .expect("sent")
        .json::<SearchResults>()
        .await
        .expect("results");
    assert_eq!(song_titles(&limited), ["Love", "Lovely Day"]);
}

#[tokio::test]
async fn beyond_the_names_that_start_with_the_query_matches_come_newest_first() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;
    // Oldest first; each tier below the name prefixes lists newest first.
    for (file, content_type, title, artist) in [
        ("tone.flac", "audio/flac", "My Love", "Adele"),
        ("tone.ogg", "audio/ogg", "Walk", "Lovebirds"),
        ("tone.wav", "audio/wav", "Endless Love", "Diana Ross"),
        ("tone.mp3", "audio/mpeg", "Run", "Love Unlimited"),
        ("tone.opus", "audio/ogg", "Lovesong", "The Cure"),
    ] {
        create_song(
            &app,
            token,
            file,
            content_type,
            json!({"title": title, "artist": artist}),
        )
        .await;
    }

    let results = search(&app, token, "love").await;

    assert_eq!(
        song_titles(&results),
        ["Lovesong", "Endless Love", "My Love", "Run", "Walk"],
        "names starting with the query, then in the name, then by the artist"
    );
    // Renaming keeps a song's place in time, not its old name.
    let run = &results.songs[3];
    rename_song(&app, token, &run.id, "Run to Love").await;
    assert_eq!(
        song_titles(&search(&app, token, "love").await),
        ["Lovesong", "Run to Love", "Endless Love", "My Love", "Walk"]
    );
}

#[tokio::test]
async fn renamed_and_deleted_songs_leave_the_index() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;
    let song = create_song(
        &app,
        token,
        "tone.flac",
        "audio/flac",
        json!({"title": "Yesterday"}),
    )
    .await;
    let other = create_song(
        &app,
        token,
        "tone.ogg",
        "audio/ogg",
        json!({"title": "Yellow"}),
    )
    .await;

    rename_song(&app, token, &song.id, "Tomorrow").await;
    let deleted = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/songs/{}", other.id),
            token,
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status().as_u16(), 204);

    assert!(song_titles(&search(&app, token, "ye").await).is_empty());
    assert_eq!(
        song_titles(&search(&app, token, "tomor").await),
        ["Tomorrow"]
    );
}

/// Catalogue matches are kept per instance while the catalogue's version
/// holds: a change made on another instance must show in the next search.
#[tokio::test]
async fn searches_follow_every_change_made_on_any_instance() {
    let TwoInstances {
        first,
        second,
        token,
        song,
    } = two_instances_with_a_song().await;
    let token = &token;
    // Asked twice, so the first instance answers the second time from what it kept.
    for _ in 0..2 {
        let found = search(&first, token, "ye").await;
        assert_eq!(song_titles(&found), ["Yesterday"]);
        assert!(found.playlists.is_empty());
    }

    // A song added and one renamed on the second instance.
    create_song(
        &second,
        token,
        "tone.ogg",
        "audio/ogg",
        json!({"title": "Yellow", "artist": "The Beatels", "album": "Help"}),
    )
    .await;
    assert_eq!(
        song_titles(&search(&first, token, "ye").await),
        ["Yellow", "Yesterday"]
    );
    rename_song(&second, token, &song.id, "Tomorrow").await;
    assert_eq!(song_titles(&search(&first, token, "ye").await), ["Yellow"]);

    // An artist renamed there: the kept artists and the songs' artist too.
    let artist = second
        .authed(
            Method::PATCH,
            &format!("/api/v1/artists/{}", song.artist.id),
            token,
        )
        .json(&json!({"name": "The Beatles"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(artist.status().as_u16(), 200);
    let found = search(&first, token, "the beat").await;
    let artists: Vec<_> = found.artists.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(artists, ["The Beatles"]);
    assert_eq!(found.songs.len(), 2, "both songs, by their artist");
    assert!(found.songs.iter().all(|s| s.artist.name == "The Beatles"));

    // Playlists are not kept with the catalogue's matches: a new one shows at once.
    create_playlist(&second, token, json!({"name": "Yeah Yeah Yeah"})).await;
    let found = search(&first, token, "ye").await;
    assert_eq!(song_titles(&found), ["Yellow"]);
    let playlists: Vec<_> = found.playlists.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(playlists, ["Yeah Yeah Yeah"]);
}

#[tokio::test]
async fn playlists_are_found_only_where_the_searcher_may_see_them() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let bob = app.register("bob").await;
    create_playlist(
        &app,
        &ana.access_token,
        json!({"name": "Road trip", "is_public": true}),
    )
    .await;
    create_playlist(&app, &ana.access_token, json!({"name": "Road secrets"})).await;
    let bobs = create_playlist(&app, &bob.access_token, json!({"name": "Roadhouse blues"})).await;

    let found_by_bob = search(&app, &bob.access_token, "road").await;
    let found_by_ana = search(&app, &ana.access_token, "road").await;

    let names = |r: &SearchResults| {
        let mut names: Vec<String> = r.playlists.iter().map(|p| p.name.clone()).collect();
        names.sort();
        names
    };
    assert_eq!(names(&found_by_bob), ["Road trip", "Roadhouse blues"]);
    assert_eq!(names(&found_by_ana), ["Road secrets", "Road trip"]);
    let published = app
        .authed(Method::PATCH, &format!("/api/v1/playlists/{}", bobs.id), &bob.access_token)
        .json(&json!({"is_public": true, "name": "Blues road", "description": "Roadhouse favourites"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(published.status().as_u16(), 200);
    let after = search(&app, &ana.access_token, "roadhouse").await;
    assert_eq!(
        names(&after),
        ["Blues road"],
        "found by its description, once public"
    );
}

#[tokio::test]
async fn a_query_must_have_words_and_a_caller() {
    let app = spawn_app().await;
    let listener = app.register("ana").await;
    let token = &listener.access_token;

    for (query, field) in [
        ("q=", "q"),
        ("q=%21%3F%2A", "q"),
        (&format!("q={}", "a".repeat(201)) as &str, "q"),
        ("q=love&limit=0", "limit"),
        ("q=love&limit=51", "limit"),
    ] {
        let response = app
            .authed(Method::GET, &format!("/api/v1/search?{query}"), token)
            .send()
            .await
            .expect("sent");
        let problem = assert_problem(response, 422).await;
        assert_eq!(problem.errors[0].field, field, "{query}");
    }
    let missing = app
        .authed(Method::GET, "/api/v1/search", token)
        .send()
        .await
        .expect("sent");
    assert_problem(missing, 400).await;
    assert_problem(app.get("/api/v1/search?q=love").await, 401).await;
    // Operators of either engine are plain words, never a 500.
    for query in ["\"", "a OR b", "NEAR(a b)", "a:*", "!a & b", "a'b", "*"] {
        let response = app
            .authed(Method::GET, "/api/v1/search", token)
            .query(&[("q", query)])
            .send()
            .await
            .expect("sent");
        assert!(
            matches!(response.status().as_u16(), 200 | 422),
            "{query:?}: {}",
            response.status()
        );
    }
}
