//! The OpenSubsonic methods over what each listener keeps (stars on
//! albums and artists, ratings, bookmarks, the saved play queue, "now
//! playing") and over genres, top and similar songs, artist and album
//! information, lyrics by name, avatars and playlist replacement; and that
//! no listener reads or changes another's through `/rest`.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::subsonic::{app_password, creds, failed, library, ok, rest_raw, with};
use crate::uploads::{fixture, upload};

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn titles(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["title"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A new listener's app password secret.
async fn listener(app: &TestApp, username: &str) -> String {
    let user = app.register(username).await;
    app_password(app, &user, "Phone").await.secret
}

#[tokio::test]
async fn genres_are_counted_listed_and_browsed() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let secret = listener(&app, "ana").await;
    let auth = creds("ana", &secret);

    let genres = ok(&app, "getGenres", &auth).await;
    assert_eq!(
        genres["genres"]["genre"],
        json!([
            {"value": "Pop", "songCount": 1, "albumCount": 1},
            {"value": "Rock", "songCount": 2, "albumCount": 1},
        ])
    );
    let rock = ok(
        &app,
        "getSongsByGenre",
        &with(
            auth.clone(),
            &[("genre", "Rock"), ("count", "1"), ("offset", "1")],
        ),
    )
    .await;
    assert_eq!(titles(&rock["songsByGenre"]["song"]), ["Beta"]);
    assert_eq!(rock["songsByGenre"]["song"][0]["genre"], "Rock");
    assert_eq!(
        rock["songsByGenre"]["song"][0]["genres"],
        json!([{"name": "Rock"}])
    );
    let albums = ok(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "byGenre"), ("genre", "Pop")]),
    )
    .await;
    let names: Vec<&str> = albums["albumList2"]["album"]
        .as_array()
        .expect("albums")
        .iter()
        .filter_map(|album| album["name"].as_str())
        .collect();
    assert_eq!(names, ["Second"]);
    failed(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "byGenre")]),
        10,
    )
    .await;

    // Admins change a genre through the JSON API; null removes it.
    let changed = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/songs/{}", songs[2].id),
            &admin.access_token,
        )
        .json(&json!({"genre": null}))
        .send()
        .await
        .expect("sent");
    assert_eq!(changed.status().as_u16(), 200);
    let genres = ok(&app, "getGenres", &auth).await;
    assert_eq!(genres["genres"]["genre"].as_array().map(Vec::len), Some(1));
    let song = ok(
        &app,
        "getSong",
        &with(auth.clone(), &[("id", &songs[2].id)]),
    )
    .await;
    assert!(song["song"].get("genre").is_none(), "{song}");
}

#[tokio::test]
async fn songs_carry_the_bit_rate_and_sample_rate_read_at_ingest() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let secret = listener(&app, "ana").await;
    let auth = creds("ana", &secret);

    // tone.flac is 8 kHz mono, tone.ogg 22.05 kHz (scripts/make-audio-fixtures).
    let flac = ok(
        &app,
        "getSong",
        &with(auth.clone(), &[("id", &songs[1].id)]),
    )
    .await;
    assert_eq!(flac["song"]["samplingRate"], 8_000);
    assert!(
        flac["song"]["bitRate"]
            .as_u64()
            .is_some_and(|kbps| kbps > 0)
    );
    let vorbis = ok(
        &app,
        "getSong",
        &with(auth.clone(), &[("id", &songs[2].id)]),
    )
    .await;
    assert_eq!(vorbis["song"]["samplingRate"], 22_050);
    // The JSON API shows the same.
    assert_eq!(songs[1].sample_rate_hz, Some(8_000));
}

#[tokio::test]
async fn albums_and_artists_are_starred_and_everything_is_rated() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let secret = listener(&app, "ana").await;
    let auth = creds("ana", &secret);
    let bea_secret = listener(&app, "bea").await;
    let bea = creds("bea", &bea_secret);
    let first = songs[0].album.as_ref().expect("album").id.clone();
    let second = songs[2].album.as_ref().expect("album").id.clone();
    let zed = songs[0].artist.id.clone();

    ok(
        &app,
        "star",
        &with(
            auth.clone(),
            &[
                ("albumId", &second),
                ("albumId", &first),
                ("artistId", &zed),
            ],
        ),
    )
    .await;
    ok(&app, "unstar", &with(auth.clone(), &[("albumId", &second)])).await;
    let starred = ok(&app, "getStarred2", &auth).await;
    assert_eq!(ids(&starred["starred2"]["album"]), [first.as_str()]);
    assert_eq!(ids(&starred["starred2"]["artist"]), [zed.as_str()]);
    assert!(starred["starred2"]["album"][0]["starred"].is_string());
    let list = ok(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "starred")]),
    )
    .await;
    assert_eq!(ids(&list["albumList2"]["album"]), [first.as_str()]);
    failed(
        &app,
        "star",
        &with(auth.clone(), &[("artistId", "nope")]),
        70,
    )
    .await;
    // Stars are each listener's own.
    let beas = ok(&app, "getStarred2", &bea).await;
    assert_eq!(beas["starred2"]["album"], json!([]));
    assert_eq!(beas["starred2"]["artist"], json!([]));

    ok(
        &app,
        "setRating",
        &with(auth.clone(), &[("id", &second), ("rating", "5")]),
    )
    .await;
    ok(
        &app,
        "setRating",
        &with(auth.clone(), &[("id", &first), ("rating", "2")]),
    )
    .await;
    ok(
        &app,
        "setRating",
        &with(auth.clone(), &[("id", &songs[1].id), ("rating", "4")]),
    )
    .await;
    ok(
        &app,
        "setRating",
        &with(auth.clone(), &[("id", &zed), ("rating", "3")]),
    )
    .await;
    let highest = ok(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "highest")]),
    )
    .await;
    assert_eq!(
        ids(&highest["albumList2"]["album"]),
        [second.clone(), first.clone()]
    );
    assert_eq!(highest["albumList2"]["album"][0]["userRating"], 5);
    let song = ok(
        &app,
        "getSong",
        &with(auth.clone(), &[("id", &songs[1].id)]),
    )
    .await;
    assert_eq!(song["song"]["userRating"], 4);
    let artist = ok(&app, "getArtist", &with(auth.clone(), &[("id", &zed)])).await;
    assert_eq!(artist["artist"]["userRating"], 3);
    assert!(artist["artist"]["starred"].is_string());
    // 0 removes a rating; out of range, or naming nothing, is refused.
    ok(
        &app,
        "setRating",
        &with(auth.clone(), &[("id", &first), ("rating", "0")]),
    )
    .await;
    let highest = ok(
        &app,
        "getAlbumList2",
        &with(auth.clone(), &[("type", "highest")]),
    )
    .await;
    assert_eq!(ids(&highest["albumList2"]["album"]), [second.as_str()]);
    failed(
        &app,
        "setRating",
        &with(auth.clone(), &[("id", &first), ("rating", "6")]),
        0,
    )
    .await;
    failed(
        &app,
        "setRating",
        &with(auth.clone(), &[("id", "nope"), ("rating", "1")]),
        70,
    )
    .await;
    failed(
        &app,
        "setRating",
        &with(auth.clone(), &[("id", &first)]),
        10,
    )
    .await;
    let beas = ok(
        &app,
        "getAlbumList2",
        &with(bea.clone(), &[("type", "highest")]),
    )
    .await;
    assert_eq!(beas["albumList2"]["album"], json!([]));
}

#[tokio::test]
async fn bookmarks_are_saved_moved_listed_and_deleted_by_their_owner_only() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let secret = listener(&app, "ana").await;
    let auth = creds("ana", &secret);
    let bea_secret = listener(&app, "bea").await;
    let bea = creds("bea", &bea_secret);

    ok(
        &app,
        "createBookmark",
        &with(
            auth.clone(),
            &[
                ("id", &songs[0].id),
                ("position", "1500"),
                ("comment", "chorus"),
            ],
        ),
    )
    .await;
    ok(
        &app,
        "createBookmark",
        &with(auth.clone(), &[("id", &songs[0].id), ("position", "2000")]),
    )
    .await;
    let listed = ok(&app, "getBookmarks", &auth).await;
    let bookmarks = listed["bookmarks"]["bookmark"]
        .as_array()
        .expect("list")
        .clone();
    assert_eq!(bookmarks.len(), 1);
    assert_eq!(bookmarks[0]["position"], 2000);
    assert_eq!(bookmarks[0]["username"], "ana");
    assert!(
        bookmarks[0].get("comment").is_none(),
        "a move replaces the comment"
    );
    assert_eq!(bookmarks[0]["entry"]["id"], songs[0].id.as_str());
    assert!(bookmarks[0]["created"].is_string() && bookmarks[0]["changed"].is_string());

    // Another listener sees none of them and cannot delete them.
    let beas = ok(&app, "getBookmarks", &bea).await;
    assert_eq!(beas["bookmarks"]["bookmark"], json!([]));
    failed(
        &app,
        "deleteBookmark",
        &with(bea.clone(), &[("id", &songs[0].id)]),
        70,
    )
    .await;
    let still = ok(&app, "getBookmarks", &auth).await;
    assert_eq!(
        still["bookmarks"]["bookmark"].as_array().map(Vec::len),
        Some(1)
    );

    failed(
        &app,
        "createBookmark",
        &with(auth.clone(), &[("id", &songs[1].id)]),
        10,
    )
    .await;
    failed(
        &app,
        "createBookmark",
        &with(auth.clone(), &[("id", &songs[1].id), ("position", "-1")]),
        0,
    )
    .await;
    failed(
        &app,
        "createBookmark",
        &with(auth.clone(), &[("id", "nope"), ("position", "1")]),
        70,
    )
    .await;
    ok(
        &app,
        "deleteBookmark",
        &with(auth.clone(), &[("id", &songs[0].id)]),
    )
    .await;
    let none = ok(&app, "getBookmarks", &auth).await;
    assert_eq!(none["bookmarks"]["bookmark"], json!([]));
    failed(
        &app,
        "deleteBookmark",
        &with(auth.clone(), &[("id", &songs[0].id)]),
        70,
    )
    .await;
}

/// The answer for a listener without a saved queue: an empty one.
fn assert_never_saved(answer: &Value) {
    let queue = &answer["playQueue"];
    assert_eq!(queue["entry"], json!([]), "{answer}");
    assert!(queue.get("current").is_none(), "{answer}");
    assert_eq!(queue["changedBy"], "", "{answer}");
}

#[tokio::test]
async fn the_play_queue_is_saved_restored_and_each_listeners_own() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let secret = listener(&app, "ana").await;
    let auth = creds("ana", &secret);
    let bea_secret = listener(&app, "bea").await;
    let bea = creds("bea", &bea_secret);

    let empty = ok(&app, "getPlayQueue", &auth).await;
    assert_never_saved(&empty);
    ok(
        &app,
        "savePlayQueue",
        &with(
            auth.clone(),
            &[
                ("id", &songs[2].id),
                ("id", &songs[0].id),
                ("id", &songs[2].id),
                ("current", &songs[0].id),
                ("position", "1234"),
                ("c", "DSub"),
            ],
        ),
    )
    .await;
    let queue = ok(&app, "getPlayQueue", &auth).await;
    let queue = &queue["playQueue"];
    assert_eq!(titles(&queue["entry"]), ["Gamma", "Alpha", "Gamma"]);
    assert_eq!(queue["current"], songs[0].id.as_str());
    assert_eq!(queue["position"], 1234);
    assert_eq!(queue["changedBy"], "DSub");
    assert_eq!(queue["username"], "ana");
    assert!(queue["changed"].is_string());

    // Bea has her own (none), and saving hers leaves Ana's alone.
    let beas = ok(&app, "getPlayQueue", &bea).await;
    assert_never_saved(&beas);
    ok(
        &app,
        "savePlayQueue",
        &with(bea.clone(), &[("id", &songs[1].id)]),
    )
    .await;
    let anas = ok(&app, "getPlayQueue", &auth).await;
    assert_eq!(
        titles(&anas["playQueue"]["entry"]),
        ["Gamma", "Alpha", "Gamma"]
    );

    failed(
        &app,
        "savePlayQueue",
        &with(
            auth.clone(),
            &[("id", &songs[0].id), ("current", &songs[1].id)],
        ),
        0,
    )
    .await;
    failed(
        &app,
        "savePlayQueue",
        &with(auth.clone(), &[("id", "nope")]),
        70,
    )
    .await;
    // A refused save changes nothing; no ids clears the queue.
    let kept = ok(&app, "getPlayQueue", &auth).await;
    assert_eq!(kept["playQueue"]["entry"].as_array().map(Vec::len), Some(3));
    ok(&app, "savePlayQueue", &auth).await;
    let cleared = ok(&app, "getPlayQueue", &auth).await;
    assert_never_saved(&cleared);
}

#[tokio::test]
async fn now_playing_shows_what_listeners_report_and_not_plays() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let secret = listener(&app, "ana").await;
    let auth = creds("ana", &secret);
    let bea_secret = listener(&app, "bea").await;
    let bea = creds("bea", &bea_secret);

    let nothing = ok(&app, "getNowPlaying", &bea).await;
    assert_eq!(nothing["nowPlaying"]["entry"], json!([]));
    ok(
        &app,
        "scrobble",
        &with(
            auth.clone(),
            &[
                ("id", &songs[1].id),
                ("submission", "false"),
                ("c", "Tempo"),
            ],
        ),
    )
    .await;
    let playing = ok(&app, "getNowPlaying", &bea).await;
    let entries = playing["nowPlaying"]["entry"]
        .as_array()
        .expect("entries")
        .clone();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["id"], songs[1].id.as_str());
    assert_eq!(entries[0]["username"], "ana");
    assert_eq!(entries[0]["playerName"], "Tempo");
    assert_eq!(entries[0]["minutesAgo"], 0);
    assert!(entries[0]["playerId"].is_u64());
    // A later report replaces the earlier one.
    ok(
        &app,
        "scrobble",
        &with(
            auth.clone(),
            &[
                ("id", &songs[2].id),
                ("submission", "false"),
                ("c", "Tempo"),
            ],
        ),
    )
    .await;
    let playing = ok(&app, "getNowPlaying", &auth).await;
    assert_eq!(ids(&playing["nowPlaying"]["entry"]), [songs[2].id.clone()]);
    failed(
        &app,
        "scrobble",
        &with(auth.clone(), &[("id", "nope"), ("submission", "false")]),
        70,
    )
    .await;
}

#[tokio::test]
async fn top_songs_similar_songs_and_information_come_from_the_library() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let secret = listener(&app, "ana").await;
    let auth = creds("ana", &secret);
    let zed = songs[0].artist.id.clone();
    let abba = songs[2].artist.id.clone();

    ok(
        &app,
        "scrobble",
        &with(auth.clone(), &[("id", &songs[1].id)]),
    )
    .await;
    let top = ok(
        &app,
        "getTopSongs",
        &with(auth.clone(), &[("artist", "ZED")]),
    )
    .await;
    assert_eq!(titles(&top["topSongs"]["song"]), ["Beta", "Alpha"]);
    let top = ok(
        &app,
        "getTopSongs",
        &with(auth.clone(), &[("artist", "Zed"), ("count", "1")]),
    )
    .await;
    assert_eq!(titles(&top["topSongs"]["song"]), ["Beta"]);
    let unknown = ok(
        &app,
        "getTopSongs",
        &with(auth.clone(), &[("artist", "Nobody")]),
    )
    .await;
    assert_eq!(unknown["topSongs"]["song"], json!([]));

    let similar = ok(
        &app,
        "getSimilarSongs2",
        &with(auth.clone(), &[("id", &zed)]),
    )
    .await;
    let mut found = titles(&similar["similarSongs2"]["song"]);
    found.sort();
    assert_eq!(found, ["Alpha", "Beta"]);
    failed(
        &app,
        "getSimilarSongs2",
        &with(auth.clone(), &[("id", "nope")]),
        70,
    )
    .await;

    // Zed and Abba share no genre (Rock, Pop) until an admin says so.
    let info = ok(&app, "getArtistInfo2", &with(auth.clone(), &[("id", &zed)])).await;
    assert_eq!(info["artistInfo2"]["similarArtist"], json!([]));
    let changed = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/songs/{}", songs[2].id),
            &admin.access_token,
        )
        .json(&json!({"genre": "Rock"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(changed.status().as_u16(), 200);
    let info = ok(&app, "getArtistInfo2", &with(auth.clone(), &[("id", &zed)])).await;
    assert_eq!(ids(&info["artistInfo2"]["similarArtist"]), [abba.as_str()]);
    let similar = ok(
        &app,
        "getSimilarSongs2",
        &with(auth.clone(), &[("id", &zed)]),
    )
    .await;
    assert_eq!(
        similar["similarSongs2"]["song"].as_array().map(Vec::len),
        Some(3)
    );
    failed(
        &app,
        "getArtistInfo2",
        &with(auth.clone(), &[("id", "nope")]),
        70,
    )
    .await;

    let album = songs[0].album.as_ref().expect("album").id.clone();
    let info = ok(
        &app,
        "getAlbumInfo2",
        &with(auth.clone(), &[("id", &album)]),
    )
    .await;
    assert_eq!(info["albumInfo"], json!({}));
    failed(
        &app,
        "getAlbumInfo2",
        &with(auth.clone(), &[("id", "nope")]),
        70,
    )
    .await;
}

#[tokio::test]
async fn lyrics_are_found_by_artist_and_title() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    library(&app, &admin).await;
    let secret = listener(&app, "ana").await;
    let auth = creds("ana", &secret);

    let found = ok(
        &app,
        "getLyrics",
        &with(auth.clone(), &[("artist", "abba"), ("title", "GAMMA")]),
    )
    .await;
    assert_eq!(found["lyrics"]["artist"], "Abba");
    assert_eq!(found["lyrics"]["title"], "Gamma");
    assert_eq!(found["lyrics"]["value"], "one line\nanother line");
    let by_title = ok(
        &app,
        "getLyrics",
        &with(auth.clone(), &[("title", "Gamma")]),
    )
    .await;
    assert_eq!(by_title["lyrics"]["title"], "Gamma");
    // Another artist's song, or one without lyrics: an empty answer.
    for params in [
        [("artist", "Zed"), ("title", "Gamma")],
        [("artist", "Zed"), ("title", "Alpha")],
    ] {
        let none = ok(&app, "getLyrics", &with(auth.clone(), &params)).await;
        assert_eq!(none["lyrics"], json!({"value": ""}));
    }

    // XML carries the text as the element's content.
    let mut params = with(auth.clone(), &[("title", "Gamma")]);
    params.push(("f", "xml"));
    let xml = rest_raw(&app, "getLyrics", &params)
        .await
        .text()
        .await
        .expect("body");
    let doc = roxmltree::Document::parse(&xml).expect("XML");
    let lyrics = doc
        .descendants()
        .find(|node| node.has_tag_name("lyrics"))
        .expect("a lyrics element");
    assert_eq!(lyrics.attribute("artist"), Some("Abba"));
    assert_eq!(lyrics.text(), Some("one line\nanother line"));
}

#[tokio::test]
async fn the_avatar_is_the_callers_own() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    let auth = creds("ana", &key.secret);
    app.register("bea").await;

    failed(
        &app,
        "getAvatar",
        &with(auth.clone(), &[("username", "ana")]),
        70,
    )
    .await;
    failed(
        &app,
        "getAvatar",
        &with(auth.clone(), &[("username", "bea")]),
        50,
    )
    .await;
    failed(&app, "getAvatar", &auth, 10).await;

    let image = fixture("cover.png");
    let completed: Value = upload(&app, &ana.access_token, "image", "image/png", image.clone())
        .await
        .json()
        .await
        .expect("upload");
    let updated = app
        .authed(Method::PATCH, "/api/v1/me", &ana.access_token)
        .json(&json!({"avatar_upload_id": completed["id"]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(updated.status().as_u16(), 200);
    let redirect = rest_raw(
        &app,
        "getAvatar",
        &with(auth.clone(), &[("username", "ana")]),
    )
    .await;
    assert_eq!(redirect.status().as_u16(), 302);
    let location = redirect.headers()[reqwest::header::LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    let avatar = app.client.get(&location).send().await.expect("sent");
    assert_eq!(avatar.bytes().await.expect("bytes").to_vec(), image);
}

#[tokio::test]
async fn create_playlist_with_an_id_replaces_the_songs_of_ones_own_playlist_only() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let secret = listener(&app, "ana").await;
    let auth = creds("ana", &secret);
    let bea_secret = listener(&app, "bea").await;
    let bea = creds("bea", &bea_secret);

    let created = ok(
        &app,
        "createPlaylist",
        &with(
            auth.clone(),
            &[
                ("name", "Road"),
                ("songId", &songs[0].id),
                ("songId", &songs[1].id),
            ],
        ),
    )
    .await;
    let id = created["playlist"]["id"].as_str().expect("id").to_owned();
    let replaced = ok(
        &app,
        "createPlaylist",
        &with(
            auth.clone(),
            &[
                ("playlistId", &id),
                ("name", "Trip"),
                ("songId", &songs[2].id),
                ("songId", &songs[0].id),
            ],
        ),
    )
    .await;
    assert_eq!(replaced["playlist"]["id"], id.as_str());
    assert_eq!(replaced["playlist"]["name"], "Trip");
    assert_eq!(replaced["playlist"]["songCount"], 2);
    assert_eq!(titles(&replaced["playlist"]["entry"]), ["Gamma", "Alpha"]);

    // Private and Ana's: Bea can neither see nor replace it.
    failed(
        &app,
        "createPlaylist",
        &with(
            bea.clone(),
            &[("playlistId", &id), ("songId", &songs[1].id)],
        ),
        70,
    )
    .await;
    failed(
        &app,
        "createPlaylist",
        &with(auth.clone(), &[("playlistId", &id), ("songId", "nope")]),
        0,
    )
    .await;
    let kept = ok(&app, "getPlaylist", &with(auth.clone(), &[("id", &id)])).await;
    assert_eq!(titles(&kept["playlist"]["entry"]), ["Gamma", "Alpha"]);
    let emptied = ok(
        &app,
        "createPlaylist",
        &with(auth.clone(), &[("playlistId", &id)]),
    )
    .await;
    assert_eq!(emptied["playlist"]["songCount"], 0);
}

#[tokio::test]
async fn the_player_and_subsonic_apps_share_one_play_queue() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let songs = library(&app, &admin).await;
    let ana = app.register("ana").await;
    let key = app_password(&app, &ana, "Phone").await;
    let auth = creds("ana", &key.secret);
    let queue_path = "/api/v1/me/play-queue";

    let none = app
        .authed(Method::GET, queue_path, &ana.access_token)
        .send()
        .await
        .expect("sent");
    assert_eq!(none.status().as_u16(), 404);

    // Saved by an app, read by the player.
    ok(
        &app,
        "savePlayQueue",
        &with(
            auth.clone(),
            &[
                ("id", &songs[1].id),
                ("id", &songs[0].id),
                ("current", &songs[0].id),
                ("position", "900"),
                ("c", "DSub"),
            ],
        ),
    )
    .await;
    let queue: soundstream_types::PlayQueue = app
        .authed(Method::GET, queue_path, &ana.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("a queue");
    let queued: Vec<&str> = queue.songs.iter().map(|song| song.title.as_str()).collect();
    assert_eq!(queued, ["Beta", "Alpha"]);
    assert_eq!(queue.current_song_id.as_deref(), Some(songs[0].id.as_str()));
    assert_eq!(
        (queue.position_ms, queue.changed_by.as_str()),
        (900, "DSub")
    );

    // Saved by the player, read by an app.
    let saved = app
        .authed(Method::PUT, queue_path, &ana.access_token)
        .json(&json!({"song_ids": [songs[2].id], "current_song_id": songs[2].id, "position_ms": 5, "client": "SoundStream web"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(saved.status().as_u16(), 204);
    let restored = ok(&app, "getPlayQueue", &auth).await;
    assert_eq!(titles(&restored["playQueue"]["entry"]), ["Gamma"]);
    assert_eq!(restored["playQueue"]["changedBy"], "SoundStream web");

    // The same rules on both surfaces.
    let refused = app
        .authed(Method::PUT, queue_path, &ana.access_token)
        .json(&json!({"song_ids": [songs[0].id], "current_song_id": songs[1].id, "client": "web"}))
        .send()
        .await
        .expect("sent");
    let problem = assert_problem(refused, 422).await;
    assert!(
        problem.errors.iter().any(|e| e.field == "current_song_id"),
        "{problem:?}"
    );
    let refused = app
        .authed(Method::PUT, queue_path, &ana.access_token)
        .json(&json!({"song_ids": [], "client": " "}))
        .send()
        .await
        .expect("sent");
    let problem = assert_problem(refused, 422).await;
    assert!(
        problem.errors.iter().any(|e| e.field == "client"),
        "{problem:?}"
    );
}
