//! The OpenSubsonic API at `/rest`: the envelope in XML, JSON and JSONP,
//! app passwords (three ways to present one, never the account password,
//! throttled like sign-ins), and the methods, called as an app would.

use std::time::Duration;

use md5::{Digest, Md5};
use reqwest::Method;
use serde_json::{Value, json};
use soundstream_api::config::ThrottlePolicy;
use soundstream_types::{AppPassword, CreatedAppPassword, Song, TokenResponse};

use crate::helpers::{
    GOOD_PASSWORD, TestApp, TestOptions, assert_problem, spawn_app, spawn_app_with,
};
use crate::opensubsonic_schema::assert_answer_matches_spec;
use crate::songs::create_song;
use crate::uploads::{fixture, upload};

pub async fn app_password(app: &TestApp, user: &TokenResponse, name: &str) -> CreatedAppPassword {
    let response = app
        .authed(Method::POST, "/api/v1/me/app-passwords", &user.access_token)
        .json(&json!({"name": name}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201);
    response.json().await.expect("created app password")
}

/// GET `/rest/{method}` with `params`; the raw response.
pub async fn rest_raw(app: &TestApp, method: &str, params: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/rest/{method}")))
        .query(params)
        .send()
        .await
        .expect("sent")
}

/// A JSON call: HTTP 200 always; the `subsonic-response` object.
pub async fn rest(app: &TestApp, method: &str, params: &[(&str, &str)]) -> Value {
    let mut all = params.to_vec();
    all.push(("f", "json"));
    let response = rest_raw(app, method, &all).await;
    assert_eq!(response.status().as_u16(), 200, "{method} answers 200");
    let body: Value = response.json().await.expect("json");
    assert_answer_matches_spec(method, &body);
    let inner = body["subsonic-response"].clone();
    assert_eq!(inner["version"], "1.16.1");
    assert_eq!(inner["type"], "soundstream");
    assert_eq!(inner["openSubsonic"], true);
    assert!(inner["serverVersion"].is_string());
    inner
}

/// A call that must succeed.
pub async fn ok(app: &TestApp, method: &str, params: &[(&str, &str)]) -> Value {
    let answer = rest(app, method, params).await;
    assert_eq!(answer["status"], "ok", "{method}: {answer}");
    answer
}

/// A call that must fail with `code`.
pub async fn failed(app: &TestApp, method: &str, params: &[(&str, &str)], code: u64) -> String {
    let answer = rest(app, method, params).await;
    assert_eq!(answer["status"], "failed", "{method}: {answer}");
    assert_eq!(answer["error"]["code"], code, "{method}: {answer}");
    answer["error"]["message"]
        .as_str()
        .expect("a message")
        .to_owned()
}

/// `u` and `p` for a user's app password.
pub fn creds<'a>(username: &'a str, secret: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("u", username), ("p", secret)]
}

pub fn with<'a>(
    mut base: Vec<(&'a str, &'a str)>,
    more: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    base.extend_from_slice(more);
    base
}

pub async fn library(app: &TestApp, admin: &TokenResponse) -> Vec<Song> {
    let mut songs = Vec::new();
    for (file, content_type, fields) in [
        (
            "tone.mp3",
            "audio/mpeg",
            json!({"title": "Alpha", "artist": "Zed", "album": "First", "year": 1999, "track_number": 1,
                   "genre": "Rock"}),
        ),
        (
            "tone.flac",
            "audio/flac",
            json!({"title": "Beta", "artist": "Zed", "album": "First", "year": 1999, "track_number": 2,
                   "genre": "Rock"}),
        ),
        (
            "tone.ogg",
            "audio/ogg",
            json!({"title": "Gamma", "artist": "Abba", "album": "Second", "year": 2005,
                   "genre": "Pop", "lyrics": "one line\nanother line", "lyrics_language": "en"}),
        ),
    ] {
        songs.push(create_song(app, &admin.access_token, file, content_type, fields).await);
    }
    songs
}

#[tokio::test]
async fn the_envelope_comes_in_xml_json_and_jsonp_with_http_200() {
    let app = spawn_app().await;

    let xml = rest_raw(&app, "ping.view", &[]).await;
    assert_eq!(xml.status().as_u16(), 200);
    assert!(
        xml.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("application/xml")
    );
    let text = xml.text().await.expect("body");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "subsonic-response");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://subsonic.org/restapi")
    );
    assert_eq!(root.attribute("status"), Some("ok"));
    assert_eq!(root.attribute("version"), Some("1.16.1"));
    assert_eq!(root.attribute("type"), Some("soundstream"));
    assert_eq!(root.attribute("openSubsonic"), Some("true"));
    assert!(root.attribute("serverVersion").is_some());

    let json = ok(&app, "ping", &[]).await;
    assert!(json.get("error").is_none());

    let jsonp = rest_raw(&app, "ping", &[("f", "jsonp"), ("callback", "cb")])
        .await
        .text()
        .await
        .expect("body");
    let inner = jsonp
        .strip_prefix("cb(")
        .and_then(|rest| rest.strip_suffix(");"))
        .expect("wrapped in the callback");
    let parsed: Value = serde_json::from_str(inner).expect("json inside");
    assert_eq!(parsed["subsonic-response"]["status"], "ok");

    let extensions = ok(&app, "getOpenSubsonicExtensions", &[]).await;
    let names: Vec<&str> = extensions["openSubsonicExtensions"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(names.contains(&"apiKeyAuthentication"));
    assert!(names.contains(&"formPost"));
    assert_eq!(ok(&app, "getLicense", &[]).await["license"]["valid"], true);
}

#[tokio::test]
async fn errors_carry_subsonic_codes_in_every_format() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    let auth = creds("ana", &key.secret);

    failed(&app, "getSong", &auth, 10).await;
    failed(&app, "getSong", &with(auth.clone(), &[("id", "nope")]), 70).await;
    failed(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "mostLoved")]),
        0,
    )
    .await;
    let message = failed(&app, "getPodcasts", &auth, 70).await;
    assert!(message.contains("getPodcasts"), "{message}");

    let mut xml_params = auth.clone();
    xml_params.push(("id", "nope"));
    let text = rest_raw(&app, "getSong", &xml_params)
        .await
        .text()
        .await
        .expect("body");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    assert_eq!(doc.root_element().attribute("status"), Some("failed"));
    let error = doc
        .root_element()
        .children()
        .find(|node| node.has_tag_name("error"))
        .expect("an error element");
    assert_eq!(error.attribute("code"), Some("70"));
    assert!(error.attribute("message").is_some());
}

#[tokio::test]
async fn an_app_password_works_three_ways_and_the_account_password_never() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;

    ok(&app, "getUser", &creds("ana", &key.secret)).await;
    let hex_secret: String = key.secret.bytes().map(|b| format!("{b:02x}")).collect();
    let encoded = format!("enc:{hex_secret}");
    ok(&app, "getUser", &creds("ana", &encoded)).await;
    let salt = "c19b2d";
    let token = hex_md5(&format!("{}{salt}", key.secret));
    let user = ok(&app, "getUser", &[("u", "ana"), ("t", &token), ("s", salt)]).await;
    assert_eq!(user["user"]["username"], "ana");
    ok(&app, "getUser", &[("apiKey", &key.secret)]).await;

    failed(&app, "getUser", &creds("ana", GOOD_PASSWORD), 40).await;
    let wrong_token = hex_md5(&format!("{GOOD_PASSWORD}{salt}"));
    failed(
        &app,
        "getUser",
        &[("u", "ana"), ("t", &wrong_token), ("s", salt)],
        40,
    )
    .await;
    failed(&app, "getUser", &[("apiKey", "not-a-key")], 44).await;
    failed(
        &app,
        "getUser",
        &[("apiKey", &key.secret), ("u", "ana")],
        43,
    )
    .await;
    failed(
        &app,
        "getUser",
        &[("u", "ana"), ("p", &key.secret), ("t", &token), ("s", salt)],
        43,
    )
    .await;
    failed(&app, "getUser", &[("p", &key.secret)], 10).await;
    // Ping checks credentials when it is given some (apps test a login with it).
    failed(&app, "ping", &creds("ana", "wrong"), 40).await;
    ok(&app, "ping", &creds("ana", &key.secret)).await;

    // Another user's secret does not work with ana's name.
    let bea = app.register("bea").await;
    let beas = app_password(&app, &bea, "Tablet").await;
    failed(&app, "getUser", &creds("ana", &beas.secret), 40).await;
}

fn hex_md5(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn app_passwords_are_shown_once_listed_with_last_use_and_revoked() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    assert!(key.secret.len() >= 20);

    let list = |app: &TestApp| {
        app.authed(Method::GET, "/api/v1/me/app-passwords", &ana.access_token)
            .send()
    };
    let listed: Value = list(&app).await.expect("sent").json().await.expect("json");
    assert!(
        !listed.to_string().contains(&key.secret),
        "the secret is shown once"
    );
    let listed: Vec<AppPassword> = serde_json::from_value(listed).expect("app passwords");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "Phone");
    assert_eq!(listed[0].last_used_at, None);

    ok(&app, "ping", &creds("ana", &key.secret)).await;
    let listed: Vec<AppPassword> = list(&app).await.expect("sent").json().await.expect("json");
    assert!(listed[0].last_used_at.is_some(), "last use recorded");

    let bad = app
        .authed(Method::POST, "/api/v1/me/app-passwords", &ana.access_token)
        .json(&json!({"name": "  "}))
        .send()
        .await
        .expect("sent");
    assert_problem(bad, 422).await;

    // Another user cannot revoke it.
    let bea = app.register("bea").await;
    let path = format!("/api/v1/me/app-passwords/{}", key.id);
    let theirs = app
        .authed(Method::DELETE, &path, &bea.access_token)
        .send()
        .await
        .expect("sent");
    assert_problem(theirs, 404).await;
    ok(&app, "ping", &creds("ana", &key.secret)).await;

    let revoked = app
        .authed(Method::DELETE, &path, &ana.access_token)
        .send()
        .await
        .expect("sent");
    assert_eq!(revoked.status().as_u16(), 204);
    failed(&app, "ping", &creds("ana", &key.secret), 40).await;
    failed(&app, "ping", &[("apiKey", &key.secret)], 44).await;
}

#[tokio::test]
async fn app_passwords_are_sealed_at_rest() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    let db =
        soundstream_api::db::Database::connect(&crate::helpers::database_url(&app.database_url))
            .await
            .expect("connect");
    let mut conn = db.acquire().await.expect("conn");
    let (sealed, hash): (String, String) =
        sqlx::query_as("SELECT secret_sealed, secret_hash FROM app_passwords")
            .fetch_one(&mut *conn)
            .await
            .expect("row");
    let hex_secret: String = key.secret.bytes().map(|b| format!("{b:02x}")).collect();
    assert!(!sealed.contains(&key.secret) && !sealed.contains(&hex_secret));
    assert!(!hash.contains(&key.secret));
}

#[tokio::test]
async fn failed_attempts_share_the_login_throttle() {
    let app = spawn_app_with(TestOptions {
        throttle: Some(ThrottlePolicy {
            account_free_failures: 3,
            spread_free_failures: 6,
            address_free_failures: 10,
            first_lockout: Duration::from_secs(30),
            max_lockout: Duration::from_secs(60),
            window: Duration::from_secs(60),
        }),
        ..Default::default()
    })
    .await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    for _ in 0..3 {
        failed(&app, "ping", &creds("ana", "guess"), 40).await;
    }
    failed(&app, "ping", &creds("ana", "guess"), 40).await;

    let message = failed(&app, "ping", &creds("ana", &key.secret), 40).await;
    assert!(message.contains("Too many"), "{message}");
    let login = app.login("ana", GOOD_PASSWORD).await;
    assert_problem(login, 429).await;
}

#[tokio::test]
async fn browsing_the_library_by_id3_and_by_folder() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    let auth = creds("ana", &key.secret);
    let alpha = &songs[0];
    let first = alpha.album.as_ref().expect("album").id.clone();

    let folders = ok(&app, "getMusicFolders", &auth).await;
    assert_eq!(folders["musicFolders"]["musicFolder"][0]["id"], 1);

    let artists = ok(&app, "getArtists", &auth).await;
    let index = artists["artists"]["index"].as_array().expect("index");
    assert_eq!(index[0]["name"], "A");
    assert_eq!(index[0]["artist"][0]["name"], "Abba");
    assert_eq!(index[1]["name"], "Z");
    assert_eq!(index[1]["artist"][0]["albumCount"], 1);
    let indexes = ok(&app, "getIndexes", &auth).await;
    assert_eq!(indexes["indexes"]["index"][1]["artist"][0]["name"], "Zed");

    let artist = ok(
        &app,
        "getArtist",
        &with(auth.clone(), &[("id", &alpha.artist.id)]),
    )
    .await;
    assert_eq!(artist["artist"]["name"], "Zed");
    assert_eq!(artist["artist"]["album"][0]["name"], "First");
    assert_eq!(artist["artist"]["album"][0]["songCount"], 2);

    let album = ok(&app, "getAlbum", &with(auth.clone(), &[("id", &first)])).await;
    let tracks = album["album"]["song"].as_array().expect("songs");
    assert_eq!(tracks.len(), 2);
    assert_eq!(tracks[0]["title"], "Alpha");
    assert_eq!(tracks[1]["title"], "Beta");
    assert_eq!(tracks[0]["suffix"], "mp3");
    assert_eq!(tracks[0]["isDir"], false);
    assert_eq!(album["album"]["year"], 1999);
    assert!(album["album"]["created"].is_string());
    assert!(album["album"]["duration"].as_u64().is_some());

    let song = ok(&app, "getSong", &with(auth.clone(), &[("id", &alpha.id)])).await;
    assert_eq!(song["song"]["albumId"], first.as_str());
    assert_eq!(song["song"]["contentType"], "audio/mpeg");

    let by_artist = ok(
        &app,
        "getMusicDirectory",
        &with(auth.clone(), &[("id", &alpha.artist.id)]),
    )
    .await;
    assert_eq!(by_artist["directory"]["child"][0]["isDir"], true);
    let by_album = ok(
        &app,
        "getMusicDirectory",
        &with(auth.clone(), &[("id", &first)]),
    )
    .await;
    assert_eq!(
        by_album["directory"]["child"]
            .as_array()
            .expect("songs")
            .len(),
        2
    );
    failed(
        &app,
        "getMusicDirectory",
        &with(auth.clone(), &[("id", "nope")]),
        70,
    )
    .await;

    // The same in XML: elements and attributes as the specification names them.
    let text = rest_raw(&app, "getAlbum", &with(auth.clone(), &[("id", &first)]))
        .await
        .text()
        .await
        .expect("body");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let album = doc
        .descendants()
        .find(|node| node.has_tag_name("album"))
        .expect("album element");
    assert_eq!(album.attribute("name"), Some("First"));
    let titles: Vec<&str> = album
        .children()
        .filter(|node| node.has_tag_name("song"))
        .filter_map(|node| node.attribute("title"))
        .collect();
    assert_eq!(titles, ["Alpha", "Beta"]);
}

#[tokio::test]
async fn album_lists_random_songs_and_searches() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    let auth = creds("ana", &key.secret);
    let names = |answer: &Value, list: &str| -> Vec<String> {
        answer[list]["album"]
            .as_array()
            .expect("albums")
            .iter()
            .map(|album| album["name"].as_str().expect("name").to_owned())
            .collect()
    };

    let by_name = ok(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "alphabeticalByName")]),
    )
    .await;
    assert_eq!(names(&by_name, "albumList2"), ["First", "Second"]);
    // Totals and covers are counted for the page's albums alone, after
    // they are chosen: each album still carries its own.
    let first = &by_name["albumList2"]["album"][0];
    let second = &by_name["albumList2"]["album"][1];
    assert_eq!(first["songCount"], 2);
    assert_eq!(second["songCount"], 1);
    assert_eq!(second["duration"], songs[2].duration_ms.div_ceil(1000));
    assert_eq!(first["artist"], "Zed");
    let by_artist = ok(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "alphabeticalByArtist")]),
    )
    .await;
    assert_eq!(names(&by_artist, "albumList2"), ["Second", "First"]);
    let newest = ok(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "newest"), ("size", "1")]),
    )
    .await;
    assert_eq!(names(&newest, "albumList2"), ["Second"]);
    let paged = ok(
        &app,
        "getAlbumList2",
        &with(
            auth.clone(),
            &[("type", "alphabeticalByName"), ("offset", "1")],
        ),
    )
    .await;
    assert_eq!(names(&paged, "albumList2"), ["Second"]);
    let years = ok(
        &app,
        "getAlbumList2",
        &with(
            auth.clone(),
            &[("type", "byYear"), ("fromYear", "2000"), ("toYear", "2010")],
        ),
    )
    .await;
    assert_eq!(names(&years, "albumList2"), ["Second"]);
    let years_back = ok(
        &app,
        "getAlbumList2",
        &with(
            auth.clone(),
            &[("type", "byYear"), ("fromYear", "2010"), ("toYear", "1990")],
        ),
    )
    .await;
    assert_eq!(names(&years_back, "albumList2"), ["Second", "First"]);
    failed(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "byYear")]),
        10,
    )
    .await;
    let random = ok(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "random")]),
    )
    .await;
    assert_eq!(names(&random, "albumList2").len(), 2);

    ok(
        &app,
        "scrobble",
        &with(auth.clone(), &[("id", &songs[2].id)]),
    )
    .await;
    let recent = ok(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "recent")]),
    )
    .await;
    assert_eq!(names(&recent, "albumList2"), ["Second"]);
    let frequent = ok(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "frequent")]),
    )
    .await;
    assert_eq!(names(&frequent, "albumList2"), ["Second"]);

    let random = ok(
        &app,
        "getRandomSongs",
        &with(auth.clone(), &[("size", "2")]),
    )
    .await;
    assert_eq!(
        random["randomSongs"]["song"]
            .as_array()
            .expect("songs")
            .len(),
        2
    );

    // The empty query apps sync the whole library with, a page at a time.
    let first_page = ok(
        &app,
        "search3",
        &with(
            auth.clone(),
            &[("query", "\"\""), ("songCount", "2"), ("artistCount", "1")],
        ),
    )
    .await;
    let result = &first_page["searchResult3"];
    assert_eq!(result["song"].as_array().expect("songs").len(), 2);
    assert_eq!(result["artist"].as_array().expect("artists").len(), 1);
    assert_eq!(result["album"].as_array().expect("albums").len(), 2);
    let second_page = ok(
        &app,
        "search3",
        &with(
            auth.clone(),
            &[("query", ""), ("songCount", "2"), ("songOffset", "2")],
        ),
    )
    .await;
    assert_eq!(second_page["searchResult3"]["song"][0]["title"], "Gamma");

    let found = ok(&app, "search3", &with(auth.clone(), &[("query", "gam")])).await;
    assert_eq!(found["searchResult3"]["song"][0]["title"], "Gamma");
    assert_eq!(
        found["searchResult3"]["song"]
            .as_array()
            .expect("songs")
            .len(),
        1
    );
}

#[tokio::test]
async fn stars_scrobbles_lyrics_and_the_scan_status() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    let auth = creds("ana", &key.secret);

    ok(
        &app,
        "star",
        &with(auth.clone(), &[("id", &songs[0].id), ("id", &songs[1].id)]),
    )
    .await;
    ok(&app, "unstar", &with(auth.clone(), &[("id", &songs[1].id)])).await;
    let starred = ok(&app, "getStarred2", &auth).await;
    let starred = starred["starred2"]["song"]
        .as_array()
        .expect("songs")
        .clone();
    assert_eq!(starred.len(), 1);
    assert_eq!(starred[0]["id"], songs[0].id.as_str());
    assert!(starred[0]["starred"].is_string());
    // A search marks the songs it shows, each by its own mark.
    let found = ok(&app, "search3", &with(auth.clone(), &[("query", "a")])).await;
    let marked: Vec<(String, bool)> = found["searchResult3"]["song"]
        .as_array()
        .expect("songs")
        .iter()
        .map(|song| {
            let id = song["id"].as_str().expect("id").to_owned();
            (id, song["starred"].is_string())
        })
        .collect();
    assert!(marked.contains(&(songs[0].id.clone(), true)), "{marked:?}");
    assert!(marked.contains(&(songs[2].id.clone(), false)), "{marked:?}");
    failed(&app, "star", &with(auth.clone(), &[("id", "nope")]), 70).await;
    failed(&app, "star", &with(auth.clone(), &[("albumId", "x")]), 70).await;
    // The JSON API sees the same favourites.
    let ids: Value = app
        .authed(Method::GET, "/api/v1/me/favorites/ids", &ana.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert!(ids.to_string().contains(&songs[0].id));

    ok(
        &app,
        "scrobble",
        &with(
            auth.clone(),
            &[("id", &songs[1].id), ("submission", "false")],
        ),
    )
    .await;
    ok(
        &app,
        "scrobble",
        &with(auth.clone(), &[("id", &songs[2].id)]),
    )
    .await;
    let history: Value = app
        .authed(Method::GET, "/api/v1/me/history", &ana.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let played: Vec<&str> = history["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["song"]["id"].as_str())
        .collect();
    assert_eq!(played, [songs[2].id.as_str()]);

    let lyrics = ok(
        &app,
        "getLyricsBySongId",
        &with(auth.clone(), &[("id", &songs[2].id)]),
    )
    .await;
    let structured = &lyrics["lyricsList"]["structuredLyrics"][0];
    assert_eq!(structured["lang"], "en");
    assert_eq!(structured["synced"], false);
    assert_eq!(structured["line"][1]["value"], "another line");
    let none = ok(
        &app,
        "getLyricsBySongId",
        &with(auth.clone(), &[("id", &songs[0].id)]),
    )
    .await;
    assert_eq!(none["lyricsList"]["structuredLyrics"], json!([]));

    let status = ok(&app, "getScanStatus", &auth).await;
    assert_eq!(status["scanStatus"]["scanning"], false);
    assert_eq!(status["scanStatus"]["count"], 3);
}

#[tokio::test]
async fn playlists_through_rest_respect_owners_and_privacy() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let ana = app.register("ana").await;
    let bea = app.register("bea").await;
    let anas = app_password(&app, &ana, "Phone").await;
    let beas = app_password(&app, &bea, "Phone").await;
    let ana_auth = creds("ana", &anas.secret);
    let bea_auth = creds("bea", &beas.secret);

    // A form post, as the formPost extension allows.
    let form = format!(
        "u=ana&p={}&f=json&name=Road+trip&songId={}&songId={}",
        anas.secret, songs[0].id, songs[1].id
    );
    let created: Value = app
        .client
        .post(app.url("/rest/createPlaylist.view"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let playlist = &created["subsonic-response"]["playlist"];
    assert_eq!(playlist["name"], "Road trip", "{created}");
    assert_eq!(playlist["songCount"], 2);
    assert_eq!(playlist["public"], false);
    let id = playlist["id"].as_str().expect("id").to_owned();

    // Private: another listener can neither see nor change it.
    failed(
        &app,
        "getPlaylist",
        &with(bea_auth.clone(), &[("id", &id)]),
        70,
    )
    .await;
    let listed = ok(&app, "getPlaylists", &bea_auth).await;
    assert!(!listed.to_string().contains(&id));
    failed(
        &app,
        "updatePlaylist",
        &with(bea_auth.clone(), &[("playlistId", &id), ("name", "Mine")]),
        70,
    )
    .await;
    failed(
        &app,
        "deletePlaylist",
        &with(bea_auth.clone(), &[("id", &id)]),
        70,
    )
    .await;

    ok(
        &app,
        "updatePlaylist",
        &with(
            ana_auth.clone(),
            &[
                ("playlistId", &id),
                ("public", "true"),
                ("songIndexToRemove", "0"),
                ("songIdToAdd", &songs[2].id),
            ],
        ),
    )
    .await;
    let public = ok(&app, "getPlaylist", &with(bea_auth.clone(), &[("id", &id)])).await;
    let titles: Vec<&str> = public["playlist"]["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|entry| entry["title"].as_str())
        .collect();
    assert_eq!(titles, ["Beta", "Gamma"]);
    assert_eq!(public["playlist"]["readonly"], true);
    assert_eq!(public["playlist"]["owner"], "ana");
    // Public, yet still not bea's to change.
    failed(
        &app,
        "updatePlaylist",
        &with(bea_auth.clone(), &[("playlistId", &id), ("name", "Mine")]),
        50,
    )
    .await;
    failed(
        &app,
        "deletePlaylist",
        &with(bea_auth.clone(), &[("id", &id)]),
        50,
    )
    .await;

    let mine = ok(&app, "getPlaylists", &ana_auth).await;
    assert_eq!(mine["playlists"]["playlist"][0]["id"], id.as_str());
    ok(
        &app,
        "deletePlaylist",
        &with(ana_auth.clone(), &[("id", &id)]),
    )
    .await;
    failed(
        &app,
        "getPlaylist",
        &with(ana_auth.clone(), &[("id", &id)]),
        70,
    )
    .await;
}

#[tokio::test]
async fn stream_and_cover_art_redirect_to_media_that_plays_to_the_last_byte() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let cover: Value = upload(
        &app,
        &admin.access_token,
        "image",
        "image/png",
        fixture("cover.png"),
    )
    .await
    .json()
    .await
    .expect("cover upload");
    let song = create_song(
        &app,
        &admin.access_token,
        "tone.mp3",
        "audio/mpeg",
        json!({"cover_upload_id": cover["id"]}),
    )
    .await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    let auth = creds("ana", &key.secret);

    let bytes = fixture("tone.mp3");
    for method in ["stream", "download"] {
        let answer = rest_raw(&app, method, &with(auth.clone(), &[("id", &song.id)])).await;
        assert_eq!(answer.status().as_u16(), 302, "{method}");
        let location = answer.headers()[reqwest::header::LOCATION]
            .to_str()
            .expect("ascii")
            .to_owned();
        let whole = app.client.get(&location).send().await.expect("sent");
        assert_eq!(whole.status().as_u16(), 200);
        assert_eq!(
            whole.bytes().await.expect("bytes").as_ref(),
            bytes.as_slice()
        );
        let tail = app
            .client
            .get(&location)
            .header("range", format!("bytes={}-", bytes.len() - 10))
            .send()
            .await
            .expect("sent");
        assert_eq!(tail.status().as_u16(), 206);
        assert_eq!(
            tail.bytes().await.expect("bytes").as_ref(),
            &bytes[bytes.len() - 10..]
        );
    }
    failed(&app, "stream", &with(auth.clone(), &[("id", "nope")]), 70).await;

    let album_id = song.album.as_ref().map(|album| album.id.clone());
    for id in [Some(song.id.clone()), album_id].into_iter().flatten() {
        let answer = rest_raw(&app, "getCoverArt", &with(auth.clone(), &[("id", &id)])).await;
        assert_eq!(answer.status().as_u16(), 302);
        let location = answer.headers()[reqwest::header::LOCATION]
            .to_str()
            .expect("ascii")
            .to_owned();
        let image = app.client.get(&location).send().await.expect("sent");
        assert_eq!(
            image.bytes().await.expect("bytes").as_ref(),
            fixture("cover.png").as_slice()
        );
    }
    let child = ok(&app, "getSong", &with(auth.clone(), &[("id", &song.id)])).await;
    assert_eq!(child["song"]["coverArt"], song.id.as_str());
}

#[tokio::test]
async fn folder_twins_answer_like_their_id3_methods() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    let auth = creds("ana", &key.secret);
    let first = songs[0].album.as_ref().expect("album").id.clone();
    let zed = songs[0].artist.id.clone();

    let list = ok(
        &app,
        "getAlbumList",
        &with(auth.clone(), &[("type", "alphabeticalByName")]),
    )
    .await;
    let albums = list["albumList"]["album"].as_array().expect("albums");
    let titles: Vec<&str> = albums
        .iter()
        .filter_map(|album| album["title"].as_str())
        .collect();
    assert_eq!(titles, ["First", "Second"]);
    assert_eq!(albums[0]["isDir"], true);
    assert_eq!(albums[0]["parent"], zed.as_str());

    let found = ok(&app, "search2", &with(auth.clone(), &[("query", "first")])).await;
    assert_eq!(found["searchResult2"]["album"][0]["id"], first.as_str());
    assert_eq!(found["searchResult2"]["album"][0]["isDir"], true);

    ok(&app, "star", &with(auth.clone(), &[("albumId", &first)])).await;
    let starred = ok(&app, "getStarred", &auth).await;
    assert_eq!(starred["starred"]["album"][0]["id"], first.as_str());
    assert_eq!(starred["starred"]["album"][0]["isDir"], true);

    let similar = ok(
        &app,
        "getSimilarSongs",
        &with(auth.clone(), &[("id", &zed)]),
    )
    .await;
    assert_eq!(
        similar["similarSongs"]["song"].as_array().map(Vec::len),
        Some(2)
    );
    let info = ok(&app, "getArtistInfo", &with(auth.clone(), &[("id", &zed)])).await;
    assert_eq!(info["artistInfo"]["similarArtist"], json!([]));
    let info = ok(&app, "getAlbumInfo", &with(auth.clone(), &[("id", &first)])).await;
    assert_eq!(info["albumInfo"], json!({}));

    let scan = ok(&app, "startScan", &auth).await;
    assert_eq!(scan["scanStatus"]["scanning"], false);
    assert_eq!(scan["scanStatus"]["count"], 3);
    let token = ok(&app, "tokenInfo", &[("apiKey", &key.secret)]).await;
    assert_eq!(token["tokenInfo"]["username"], "ana");
}

/// A `width`×`height` PNG test pattern, made by ffmpeg.
fn test_pattern(width: u32, height: u32) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("pattern.png");
    let status = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("testsrc=size={width}x{height}:rate=1"))
        .args(["-frames:v", "1"])
        .arg(&path)
        .status()
        .expect("ffmpeg must be installed (scripts/test installs it)");
    assert!(status.success());
    std::fs::read(&path).expect("png")
}

/// A picture's width and height, as ffprobe reads them.
fn png_or_jpeg_size(bytes: &[u8]) -> (u64, u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("picture");
    std::fs::write(&path, bytes).expect("write");
    let output = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json", "-show_streams"])
        .arg(&path)
        .output()
        .expect("ffprobe");
    let probe: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let stream = &probe["streams"][0];
    (
        stream["width"].as_u64().unwrap_or(0),
        stream["height"].as_u64().unwrap_or(0),
    )
}

#[tokio::test]
async fn cover_art_at_a_size_is_a_thumbnail_made_once() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let big = test_pattern(300, 200);
    let cover: Value = upload(&app, &admin.access_token, "image", "image/png", big.clone())
        .await
        .json()
        .await
        .expect("cover upload");
    let song = create_song(
        &app,
        &admin.access_token,
        "tone.mp3",
        "audio/mpeg",
        json!({"cover_upload_id": cover["id"]}),
    )
    .await;
    let listener = app.register("thumbs").await;
    let key = app_password(&app, &listener, "Phone").await;
    let auth = creds("thumbs", &key.secret);
    let fetch = |size: &'static str| {
        let app = &app;
        let params = with(auth.clone(), &[("id", song.id.as_str()), ("size", size)])
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect::<Vec<_>>();
        async move {
            let borrowed: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let answer = rest_raw(app, "getCoverArt", &borrowed).await;
            assert_eq!(answer.status().as_u16(), 302);
            let location = answer.headers()[reqwest::header::LOCATION]
                .to_str()
                .expect("ascii")
                .to_owned();
            let bytes = app.client.get(&location).send().await.expect("sent");
            (location, bytes.bytes().await.expect("bytes").to_vec())
        }
    };
    let (first, small) = fetch("64").await;
    assert_eq!(
        png_or_jpeg_size(&small),
        (64, 43),
        "fits 64×64, proportions kept"
    );
    let (again, _) = fetch("64").await;
    assert_eq!(first, again, "made once, then served from storage");
    // Sizes round up to a step; beyond the largest, the original.
    let (_, medium) = fetch("100").await;
    assert_eq!(png_or_jpeg_size(&medium), (128, 85));
    let (_, original) = fetch("4000").await;
    assert_eq!(original, big);

    // When the cover goes, its thumbnails follow it.
    let mut conn = app.state.db.acquire().await.expect("connection");
    let keys: Vec<(String,)> = sqlx::query_as("SELECT thumbnail_key FROM cover_thumbnails")
        .fetch_all(&mut *conn)
        .await
        .expect("thumbnails");
    drop(conn);
    assert_eq!(keys.len(), 2);
    let deleted = app
        .authed(
            reqwest::Method::DELETE,
            &format!("/api/v1/songs/{}", song.id),
            &admin.access_token,
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status().as_u16(), 204);
    soundstream_api::services::maintenance::sweep(&app.state)
        .await
        .expect("sweep");
    for (key,) in keys {
        let key = soundstream_storage::ObjectKey::parse(&key).expect("key");
        assert_eq!(
            app.state.storage.store.head(&key).await.expect("head"),
            None
        );
    }
}
