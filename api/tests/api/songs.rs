//! Songs from audio uploads: tags as defaults, artists matched ignoring
//! case and accents, playback URLs, lyrics and their translation, deletion
//! that takes the media with it, and who may do what.

use std::sync::Arc;

use aws_sdk_translate::Client;
use aws_sdk_translate::operation::translate_text::TranslateTextOutput;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use reqwest::Method;
use serde_json::json;
use soundstream_translate::{AwsTranslator, Translator};
use soundstream_types::{CompletedUpload, Lyrics, PlaybackUrl, Song, TokenResponse};

use crate::helpers::{TestApp, TestOptions, assert_problem, spawn_app, spawn_app_with};
use crate::uploads::{fixture, upload};

async fn audio_upload(
    app: &TestApp,
    admin: &TokenResponse,
    file: &str,
    content_type: &str,
) -> String {
    let completed: CompletedUpload = upload(
        app,
        &admin.access_token,
        "audio",
        content_type,
        fixture(file),
    )
    .await
    .json()
    .await
    .expect("completed upload");
    completed.id
}

/// A song made from a fixture, with `fields` on top of its tags.
pub async fn create_song(
    app: &TestApp,
    token: &str,
    file: &str,
    content_type: &str,
    fields: serde_json::Value,
) -> Song {
    let completed: CompletedUpload = upload(app, token, "audio", content_type, fixture(file))
        .await
        .json()
        .await
        .expect("upload");
    let mut body = fields;
    body["upload_id"] = json!(completed.id);
    create(app, token, body).await.json().await.expect("song")
}

async fn create(app: &TestApp, token: &str, body: serde_json::Value) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/songs", token)
        .json(&body)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_song_takes_its_fields_from_the_tags_unless_given() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let mp3 = audio_upload(&app, &admin, "tone.mp3", "audio/mpeg").await;
    let flac = audio_upload(&app, &admin, "tone.flac", "audio/flac").await;

    let tagged: Song = create(&app, &admin.access_token, json!({"upload_id": mp3}))
        .await
        .json()
        .await
        .expect("song");
    let edited: Song = create(
        &app,
        &admin.access_token,
        json!({"upload_id": flac, "title": "  My   title ", "artist": "BEYONCE", "track_number": 7}),
    )
    .await
    .json()
    .await
    .expect("song");

    assert_eq!(tagged.title, "Canción de prueba");
    assert_eq!(tagged.artist.name, "Beyoncé");
    assert_eq!(
        tagged.album.as_ref().map(|a| a.title.as_str()),
        Some("Álbum MP3")
    );
    assert!((2_400..=2_600).contains(&tagged.duration_ms));
    assert!(
        tagged.cover_url.is_some(),
        "the embedded art became the cover"
    );
    assert_eq!(edited.title, "My title");
    assert_eq!(edited.artist.id, tagged.artist.id, "BEYONCE is Beyoncé");
    assert_eq!(edited.track_number, Some(7));
}

#[tokio::test]
async fn one_upload_makes_one_song_and_only_admins_make_songs() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let listener = app.register("ana").await;
    let mp3 = audio_upload(&app, &admin, "tone.mp3", "audio/mpeg").await;

    let by_listener = create(&app, &listener.access_token, json!({"upload_id": mp3})).await;
    let first = create(&app, &admin.access_token, json!({"upload_id": mp3})).await;
    let again = create(&app, &admin.access_token, json!({"upload_id": mp3})).await;
    let unknown = create(&app, &admin.access_token, json!({"upload_id": "nope"})).await;

    assert_problem(by_listener, 403).await;
    assert_eq!(first.status().as_u16(), 201);
    assert_problem(again, 409).await;
    assert_problem(unknown, 422).await;
}

#[tokio::test]
async fn a_listener_streams_a_song() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let listener = app.register("ana").await;
    let mp3 = audio_upload(&app, &admin, "tone.mp3", "audio/mpeg").await;
    let song: Song = create(&app, &admin.access_token, json!({"upload_id": mp3}))
        .await
        .json()
        .await
        .expect("song");
    let path = format!("/api/v1/songs/{}/stream", song.id);

    let playback: PlaybackUrl = app
        .authed(Method::GET, &path, &listener.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("url");
    let redirect = app
        .authed(
            Method::GET,
            &format!("{path}?redirect=true"),
            &listener.access_token,
        )
        .send()
        .await
        .expect("sent");
    let audio = app.client.get(&playback.url).send().await.expect("sent");
    let anonymous = app.get(&path).await;

    assert_eq!(redirect.status().as_u16(), 302);
    assert_eq!(redirect.headers()["location"], playback.url.as_str());
    assert_eq!(audio.headers()["content-type"], "audio/mpeg");
    assert_eq!(
        audio.bytes().await.expect("bytes").to_vec(),
        fixture("tone.mp3")
    );
    assert_problem(anonymous, 401).await;
}

#[tokio::test]
async fn deleting_a_song_removes_it_and_its_media() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let mp3 = audio_upload(&app, &admin, "tone.mp3", "audio/mpeg").await;
    let song: Song = create(&app, &admin.access_token, json!({"upload_id": mp3}))
        .await
        .json()
        .await
        .expect("song");
    let path = format!("/api/v1/songs/{}", song.id);

    let deleted = app
        .authed(Method::DELETE, &path, &admin.access_token)
        .send()
        .await
        .expect("sent");
    let report = soundstream_api::services::maintenance::sweep(&app.state)
        .await
        .expect("sweep");
    let again = app
        .authed(Method::DELETE, &path, &admin.access_token)
        .send()
        .await
        .expect("sent");
    let gone = app
        .authed(Method::GET, &path, &admin.access_token)
        .send()
        .await
        .expect("sent");

    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(report.garbage_objects, 2, "the audio and the cover");
    let media = app.state.settings.data_dir.join("media/audio");
    assert_eq!(std::fs::read_dir(&media).map(|d| d.count()).unwrap_or(0), 0);
    assert_problem(again, 404).await;
    assert_problem(gone, 404).await;
}

fn spanish_translator() -> (Arc<dyn Translator>, aws_smithy_mocks::Rule) {
    let rule = mock!(Client::translate_text)
        .match_requests(|r| {
            r.source_language_code() == Some("en") && r.target_language_code() == Some("es")
        })
        .then_output(|| {
            TranslateTextOutput::builder()
                .translated_text("Hola mi amor\nBuenas noches")
                .source_language_code("en")
                .target_language_code("es")
                .build()
                .expect("a complete output")
        });
    let client = mock_client!(aws_sdk_translate, RuleMode::MatchAny, [&rule]);
    (Arc::new(AwsTranslator::with_client(client)), rule)
}

#[tokio::test]
async fn lyrics_are_read_and_translated_keeping_their_stanzas() {
    let (translator, rule) = spanish_translator();
    let app = spawn_app_with(TestOptions {
        translator: Some(translator),
        ..Default::default()
    })
    .await;
    let admin = app.admin("boss").await;
    let listener = app.register("ana").await;
    let mp3 = audio_upload(&app, &admin, "tone.mp3", "audio/mpeg").await;
    let song: Song = create(&app, &admin.access_token, json!({"upload_id": mp3}))
        .await
        .json()
        .await
        .expect("song");
    let patch = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/songs/{}", song.id),
            &admin.access_token,
        )
        .json(&json!({"lyrics": "Hello my love\n\nGood night", "lyrics_language": "en"}))
        .send()
        .await
        .expect("sent");
    let lyrics_path = format!("/api/v1/songs/{}/lyrics", song.id);

    let original: Lyrics = app
        .authed(Method::GET, &lyrics_path, &listener.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("lyrics");
    let translated: Lyrics = app
        .authed(
            Method::GET,
            &format!("{lyrics_path}?lang=es"),
            &listener.access_token,
        )
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("lyrics");
    let again: Lyrics = app
        .authed(
            Method::GET,
            &format!("{lyrics_path}?lang=es"),
            &listener.access_token,
        )
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("lyrics");

    assert!(patch.json::<Song>().await.expect("song").has_lyrics);
    assert_eq!(original.lyrics, "Hello my love\n\nGood night");
    assert_eq!(original.language.as_deref(), Some("en"));
    assert!(original.translation.is_none());
    let translation = translated.translation.expect("a translation");
    assert_eq!(translation.text, "Hola mi amor\n\nBuenas noches");
    assert_eq!(translation.target, "es");
    assert!(again.translation.expect("cached").cached);
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn lyrics_edge_cases_are_clear_problems() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let mp3 = audio_upload(&app, &admin, "tone.mp3", "audio/mpeg").await;
    let song: Song = create(&app, &admin.access_token, json!({"upload_id": mp3}))
        .await
        .json()
        .await
        .expect("song");
    let lyrics_path = format!("/api/v1/songs/{}/lyrics", song.id);

    let none_yet = app
        .authed(Method::GET, &lyrics_path, &admin.access_token)
        .send()
        .await
        .expect("sent");
    app.authed(
        Method::PATCH,
        &format!("/api/v1/songs/{}", song.id),
        &admin.access_token,
    )
    .json(&json!({"lyrics": "Hello"}))
    .send()
    .await
    .expect("sent");
    let bad_language = app
        .authed(
            Method::GET,
            &format!("{lyrics_path}?lang=klingon"),
            &admin.access_token,
        )
        .send()
        .await
        .expect("sent");
    let no_translator = app
        .authed(
            Method::GET,
            &format!("{lyrics_path}?lang=es"),
            &admin.access_token,
        )
        .send()
        .await
        .expect("sent");
    let unknown_song = app
        .authed(
            Method::GET,
            "/api/v1/songs/nope/lyrics",
            &admin.access_token,
        )
        .send()
        .await
        .expect("sent");

    assert_problem(none_yet, 404).await;
    assert_problem(bad_language, 422).await;
    assert_problem(no_translator, 503).await;
    assert_problem(unknown_song, 404).await;
}

async fn page_through(app: &TestApp, token: &str, query: &str) -> Vec<Song> {
    page_through_from(app, token, query, None).await
}

async fn page_through_from(
    app: &TestApp,
    token: &str,
    query: &str,
    mut cursor: Option<String>,
) -> Vec<Song> {
    let mut songs = Vec::new();
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/api/v1/songs?{query}&limit=2&cursor={cursor}"),
            None => format!("/api/v1/songs?{query}&limit=2"),
        };
        let response = app
            .authed(Method::GET, &path, token)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let page: soundstream_types::Page<Song> = response.json().await.expect("page");
        assert!(page.items.len() <= 2);
        songs.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return songs,
        }
    }
}

async fn library(app: &TestApp, admin: &TokenResponse) -> Vec<Song> {
    let mut songs = Vec::new();
    for (file, content_type) in [
        ("tone.mp3", "audio/mpeg"),
        ("tone.flac", "audio/flac"),
        ("tone.ogg", "audio/ogg"),
        ("tone.opus", "audio/opus"),
        ("tone.m4a", "audio/mp4"),
    ] {
        songs.push(create_song(app, &admin.access_token, file, content_type, json!({})).await);
    }
    songs
}

fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[tokio::test]
async fn songs_page_in_every_order_without_repeats_or_gaps() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let created = library(&app, &admin).await;
    let token = &admin.access_token;

    let by_title = page_through(&app, token, "sort=title").await;
    let by_title_desc = page_through(&app, token, "sort=title&order=desc").await;
    let by_artist = page_through(&app, token, "sort=artist").await;
    let by_album = page_through(&app, token, "sort=album").await;
    let by_added = page_through(&app, token, "sort=added&order=desc").await;

    let mut expected: Vec<String> = created.iter().map(|s| fold(&s.title)).collect();
    expected.sort();
    let titles: Vec<String> = by_title.iter().map(|s| fold(&s.title)).collect();
    assert_eq!(titles, expected);
    let mut reversed: Vec<String> = by_title_desc.iter().map(|s| fold(&s.title)).collect();
    reversed.reverse();
    assert_eq!(reversed, expected);
    let artists: Vec<String> = by_artist.iter().map(|s| fold(&s.artist.name)).collect();
    assert!(artists.windows(2).all(|w| w[0] <= w[1]), "{artists:?}");
    assert_eq!(by_album.len(), created.len());
    let newest_first: Vec<&str> = by_added.iter().map(|s| s.id.as_str()).collect();
    let mut ids: Vec<&str> = created.iter().map(|s| s.id.as_str()).collect();
    ids.reverse();
    assert_eq!(newest_first, ids, "UUIDv7 ids and created_at agree");
}

#[tokio::test]
async fn songs_added_while_paging_cause_no_repeats_or_gaps() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let created = library(&app, &admin).await;
    let token = &admin.access_token;
    let first: soundstream_types::Page<Song> = app
        .authed(Method::GET, "/api/v1/songs?sort=duration&limit=2", token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("page");
    let wav = audio_upload(&app, &admin, "tone.wav", "audio/wav").await;
    create(&app, token, json!({"upload_id": wav})).await;

    let rest = page_through_from(&app, token, "sort=duration", first.next_cursor).await;

    let mut seen: Vec<&str> = first
        .items
        .iter()
        .chain(&rest)
        .map(|s| s.id.as_str())
        .collect();
    let total = seen.len();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), total, "no repeats");
    for song in &created {
        assert!(seen.contains(&song.id.as_str()), "no gaps: {}", song.title);
    }
}

#[tokio::test]
async fn songs_filter_by_artist_and_album_and_refuse_bad_parameters() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let created = library(&app, &admin).await;
    let token = &admin.access_token;
    let bjork = created
        .iter()
        .find(|s| s.artist.name == "Björk")
        .expect("Björk");
    let album_id = bjork.album.as_ref().expect("album").id.clone();

    let by_artist = page_through(&app, token, &format!("artist_id={}", bjork.artist.id)).await;
    let by_album = page_through(&app, token, &format!("album_id={album_id}")).await;
    let first: soundstream_types::Page<Song> = app
        .authed(Method::GET, "/api/v1/songs?sort=title&limit=1", token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("page");
    let foreign_cursor = format!(
        "/api/v1/songs?sort=duration&cursor={}",
        first.next_cursor.expect("cursor")
    );

    assert_eq!(
        by_artist.iter().map(|s| &s.id).collect::<Vec<_>>(),
        [&bjork.id]
    );
    assert_eq!(
        by_album.iter().map(|s| &s.id).collect::<Vec<_>>(),
        [&bjork.id]
    );
    for path in [
        "/api/v1/songs?sort=colour".to_owned(),
        "/api/v1/songs?order=sideways".to_owned(),
        "/api/v1/songs?limit=0".to_owned(),
        foreign_cursor,
    ] {
        let response = app
            .authed(Method::GET, &path, token)
            .send()
            .await
            .expect("sent");
        assert_problem(response, 422).await;
    }
}

#[tokio::test]
async fn every_field_of_a_song_can_be_edited_and_cleared() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;
    let song = create_song(&app, token, "tone.mp3", "audio/mpeg", json!({})).await;
    let cover: CompletedUpload = upload(&app, token, "image", "image/png", fixture("cover.png"))
        .await
        .json()
        .await
        .expect("cover");
    let patch = |body: serde_json::Value| {
        let request = app
            .authed(Method::PATCH, &format!("/api/v1/songs/{}", song.id), token)
            .json(&body);
        async move { request.send().await.expect("sent") }
    };
    let old_cover = song.cover_url.clone().expect("embedded cover");

    let edited: Song = patch(json!({
        "artist": "Rosalía", "album": "Motomami", "track_number": 3, "disc_number": 2,
        "year": 2022, "cover_upload_id": cover.id
    }))
    .await
    .json()
    .await
    .expect("song");
    let cleared: Song = patch(json!({
        "album": null, "track_number": null, "disc_number": null, "year": null,
        "cover_upload_id": null
    }))
    .await
    .json()
    .await
    .expect("song");

    assert_eq!(edited.title, "Canción de prueba", "untouched");
    assert_eq!(edited.artist.name, "Rosalía");
    assert_eq!(
        edited.album.as_ref().map(|a| a.title.as_str()),
        Some("Motomami")
    );
    assert_eq!(
        (edited.track_number, edited.disc_number, edited.year),
        (Some(3), Some(2), Some(2022))
    );
    assert!(edited.cover_url.is_some() && edited.cover_url != Some(old_cover.clone()));
    assert_eq!(cleared.album, None);
    assert_eq!(
        (cleared.track_number, cleared.disc_number, cleared.year),
        (None, None, None)
    );
    assert_eq!(cleared.cover_url, None);
    assert_eq!(cleared.artist.name, "Rosalía");
    for (body, field) in [
        (json!({"track_number": 0}), "track_number"),
        (json!({"artist": ""}), "artist"),
        (json!({"album": "x".repeat(201)}), "album"),
        (
            json!({"cover_upload_id": "someone-elses"}),
            "cover_upload_id",
        ),
        (
            json!({"lyrics_language": "not a language"}),
            "lyrics_language",
        ),
    ] {
        let problem = assert_problem(patch(body.clone()).await, 422).await;
        assert_eq!(problem.errors[0].field, field, "{body}");
    }
    let unknown = app
        .authed(Method::PATCH, "/api/v1/songs/no-such-song", token)
        .json(&json!({"year": 2000}))
        .send()
        .await
        .expect("sent");
    assert_problem(unknown, 404).await;
}

#[tokio::test]
async fn renaming_an_artist_or_an_album_moves_its_songs_in_the_sorted_lists() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let token = &admin.access_token;
    let zed = create_song(
        &app,
        token,
        "tone.mp3",
        "audio/mpeg",
        json!({"title": "One", "artist": "Zed", "album": "Zenith"}),
    )
    .await;
    create_song(
        &app,
        token,
        "tone.ogg",
        "audio/ogg",
        json!({"title": "Two", "artist": "Mia", "album": "Middle"}),
    )
    .await;
    let first = |query: &'static str| {
        let app = &app;
        async move { page_through(app, token, query).await[0].title.clone() }
    };
    assert_eq!(first("sort=artist").await, "Two");
    assert_eq!(first("sort=album").await, "Two");

    let album_id = zed.album.as_ref().expect("album").id.clone();
    for (path, body) in [
        (
            format!("/api/v1/artists/{}", zed.artist.id),
            json!({"name": "Ábba"}),
        ),
        (
            format!("/api/v1/albums/{album_id}"),
            json!({"title": "Arrival"}),
        ),
    ] {
        let changed = app
            .authed(Method::PATCH, &path, token)
            .json(&body)
            .send()
            .await
            .expect("sent");
        assert_eq!(changed.status().as_u16(), 200);
    }

    assert_eq!(first("sort=artist").await, "One", "Ábba sorts before Mia");
    assert_eq!(
        first("sort=album").await,
        "One",
        "Arrival sorts before Middle"
    );
}

/// The first page of the library as one instance answers it.
/// Two instances of one deployment, an admin's token, and "Yesterday" by
/// The Beatels created on the first: where the tests of what each
/// instance keeps start.
pub struct TwoInstances {
    pub first: TestApp,
    pub second: TestApp,
    pub token: String,
    pub song: Song,
}

pub async fn two_instances_with_a_song() -> TwoInstances {
    let first = spawn_app().await;
    let second = crate::helpers::spawn_second_instance(&first, &TestOptions::default()).await;
    let token = first.admin("boss").await.access_token;
    let song = create_song(
        &first,
        &token,
        "tone.flac",
        "audio/flac",
        json!({"title": "Yesterday", "artist": "The Beatels", "album": "Help"}),
    )
    .await;
    TwoInstances {
        first,
        second,
        token,
        song,
    }
}

/// Renames song `id` to `title` on `app`, which must answer 200.
pub async fn rename_song(app: &TestApp, token: &str, id: &str, title: &str) {
    let renamed = app
        .authed(Method::PATCH, &format!("/api/v1/songs/{id}"), token)
        .json(&json!({"title": title}))
        .send()
        .await
        .expect("sent");
    assert_eq!(renamed.status().as_u16(), 200);
}

async fn first_page(app: &TestApp, token: &str, query: &str) -> Vec<Song> {
    let response = app
        .authed(Method::GET, &format!("/api/v1/songs?{query}"), token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    response
        .json::<soundstream_types::Page<Song>>()
        .await
        .expect("page")
        .items
}

#[tokio::test]
async fn pages_of_songs_follow_every_change_made_on_any_instance() {
    let TwoInstances {
        first,
        second,
        token,
        song,
    } = two_instances_with_a_song().await;
    let token = &token;
    let titles = |songs: Vec<Song>| songs.into_iter().map(|s| s.title).collect::<Vec<_>>();
    // Asked twice, so the first instance answers the second time from what it kept.
    for _ in 0..2 {
        assert_eq!(
            titles(first_page(&first, token, "limit=5").await),
            ["Yesterday"]
        );
    }
    let by_artist = first_page(&first, token, "sort=artist&limit=5").await;
    assert_eq!(by_artist[0].artist.name, "The Beatels");

    // A song added, a song renamed and an artist renamed on the second instance.
    create_song(
        &second,
        token,
        "tone.ogg",
        "audio/ogg",
        json!({"title": "Help!", "artist": "The Beatels", "album": "Help"}),
    )
    .await;
    assert_eq!(
        titles(first_page(&first, token, "limit=5").await),
        ["Help!", "Yesterday"]
    );
    rename_song(&second, token, &song.id, "Tomorrow").await;
    assert_eq!(
        titles(first_page(&first, token, "limit=5").await),
        ["Help!", "Tomorrow"]
    );
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
    let by_artist = first_page(&first, token, "sort=artist&limit=5").await;
    assert!(by_artist.iter().all(|s| s.artist.name == "The Beatles"));

    // And a song deleted.
    let deleted = second
        .authed(Method::DELETE, &format!("/api/v1/songs/{}", song.id), token)
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(
        titles(first_page(&first, token, "limit=5").await),
        ["Help!"]
    );
}

/// Requests answered at once share one read of the catalogue's version
/// (`services::catalogue_version`); every request sent after a change
/// was answered on another instance still sees the change.
#[tokio::test]
async fn pages_asked_for_at_once_see_a_change_answered_before_they_were_sent() {
    use std::sync::atomic::{AtomicBool, Ordering};

    let TwoInstances {
        first,
        second,
        token,
        song,
    } = two_instances_with_a_song().await;
    let token = &token;
    let renamed = AtomicBool::new(false);
    // Eight listeners asking for the first page again and again on the
    // first instance, each until it has sent ten requests after the rename.
    let listener = || async {
        let mut after_rename = 0;
        while after_rename < 10 {
            let sent_after_rename = renamed.load(Ordering::SeqCst);
            let title = first_page(&first, token, "limit=5").await[0].title.clone();
            if sent_after_rename {
                assert_eq!(title, "Tomorrow", "a request sent after the rename");
                after_rename += 1;
            }
        }
    };
    let rename = async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        rename_song(&second, token, &song.id, "Tomorrow").await;
        renamed.store(true, Ordering::SeqCst);
    };
    futures_util::future::join(
        futures_util::future::join_all((0..8).map(|_| listener())),
        rename,
    )
    .await;
}
