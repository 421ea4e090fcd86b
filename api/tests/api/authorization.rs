//! The authorization matrix: every operation of the published contract,
//! called by an anonymous client, the owner of the resources involved,
//! another listener and an admin, each against a world of their own (so
//! one caller's deletes cannot mask another's answer). A new operation
//! fails this test until it is given its rule here.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};
use soundstream_types::{
    AddedPlaylistEntries, CreatedAppPassword, PlaybackUrl, Song, TokenResponse, UploadTicket,
};

use crate::helpers::{TestApp, spawn_app};
use crate::opensubsonic_schema::assert_answer_matches_spec;
use crate::search::create_playlist;
use crate::songs::create_song;
use crate::uploads::{fixture, start_upload};

/// What a caller may expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Past authentication and authorization: anything but 401, 403 and
    /// 404 (and no 5xx but 503 from a disabled provider).
    Allowed,
    Status(u16),
}

use Expect::{Allowed, Status};

/// Expectations for [anonymous, owner, another listener, admin].
type Rule = [Expect; 4];
const PUBLIC: Rule = [Allowed, Allowed, Allowed, Allowed];
const MEMBERS: Rule = [Status(401), Allowed, Allowed, Allowed];
const ADMINS: Rule = [Status(401), Status(403), Status(403), Allowed];
const OWN_UPLOAD: Rule = [Status(401), Allowed, Status(404), Status(404)];
const OWN_APP_PASSWORD: Rule = OWN_UPLOAD;
/// Each listener's own saved queue: another listener (and an admin, who
/// saved none) finds none.
const OWN_PLAY_QUEUE: Rule = [Status(401), Allowed, Status(404), Status(404)];
const PRIVATE_READ: Rule = [Status(401), Allowed, Status(404), Allowed];
const PRIVATE_EDIT: Rule = [Status(401), Allowed, Status(404), Status(403)];
const PRIVATE_DELETE: Rule = [Status(401), Allowed, Status(404), Allowed];
const PUBLIC_READ: Rule = [Status(401), Allowed, Allowed, Allowed];
const PUBLIC_EDIT: Rule = [Status(401), Allowed, Status(403), Status(403)];
const PUBLIC_DELETE: Rule = [Status(401), Allowed, Status(403), Allowed];
/// A listeners-only station: as if it did not exist to anonymous callers.
const LISTENERS_ONLY: Rule = [Status(404), Allowed, Allowed, Allowed];

/// One caller's resources, all owned by the listener "owner" except the
/// song (an admin's).
struct World {
    song: Song,
    /// The playlists' ids and their one entry's.
    private: (String, String),
    public: (String, String),
    pending_upload: UploadTicket,
    /// One of the owner's app passwords (the Subsonic API's).
    app_password_id: String,
    other_user_id: String,
    /// An admin's stations: a public one and a listeners-only one.
    public_station: String,
    members_station: String,
}

async fn world(
    app: &TestApp,
    admin: &TokenResponse,
    owner: &TokenResponse,
    other: &TokenResponse,
) -> World {
    let song = create_song(
        app,
        &admin.access_token,
        "tone.ogg",
        "audio/ogg",
        json!({"title": "Matrix", "lyrics": "la la la", "lyrics_language": "es"}),
    )
    .await;
    let mut playlists = Vec::new();
    for public in [false, true] {
        let playlist = create_playlist(
            app,
            &owner.access_token,
            json!({"name": "P", "is_public": public}),
        )
        .await;
        let added: AddedPlaylistEntries = app
            .authed(
                Method::POST,
                &format!("/api/v1/playlists/{}/songs", playlist.id),
                &owner.access_token,
            )
            .json(&json!({"song_ids": [song.id]}))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("added");
        playlists.push((playlist.id, added.entry_ids[0].clone()));
    }
    let public = playlists.pop().expect("public");
    let private = playlists.pop().expect("private");
    let pending_upload = start_upload(app, &owner.access_token, "image", "image/png", 100)
        .await
        .json()
        .await
        .expect("ticket");
    let saved = app
        .authed(Method::PUT, "/api/v1/me/play-queue", &owner.access_token)
        .json(&json!({"song_ids": [song.id], "client": "matrix"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(saved.status().as_u16(), 204, "the owner's queue is saved");
    let app_password: CreatedAppPassword = app
        .authed(
            Method::POST,
            "/api/v1/me/app-passwords",
            &owner.access_token,
        )
        .json(&json!({"name": "phone"}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("app password");
    let mut stations = Vec::new();
    for public in [true, false] {
        let station = crate::stations::create_station(
            app,
            &admin.access_token,
            json!({"name": "Radio", "is_public": public, "source": {"kind": "library"}}),
        )
        .await;
        stations.push(station.id);
    }
    World {
        song,
        private,
        public,
        pending_upload,
        app_password_id: app_password.id,
        other_user_id: other.user.id.clone(),
        members_station: stations.pop().expect("listeners-only station"),
        public_station: stations.pop().expect("public station"),
    }
}

/// Every operation with its rule, its path filled from `world`, and a
/// body that is valid where validity is checked before authorization.
fn operations(w: &World) -> Vec<(Method, &'static str, String, Rule, Value)> {
    let song = &w.song.id;
    let artist = &w.song.artist.id;
    let album = &w
        .song
        .album
        .as_ref()
        .map(|a| a.id.clone())
        .unwrap_or_default();
    let ((private, private_entry), (public, public_entry)) = (&w.private, &w.public);
    let upload = &w.pending_upload.id;
    let app_password = &w.app_password_id;
    let user = &w.other_user_id;
    let (open, members) = (&w.public_station, &w.members_station);
    let none = json!({});
    vec![
        (
            Method::GET,
            "/api/v1/stations",
            "/api/v1/stations".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/stations",
            "/api/v1/stations".into(),
            ADMINS,
            json!({"name": "New", "source": {"kind": "library"}}),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}",
            format!("/api/v1/stations/{open}"),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}",
            format!("/api/v1/stations/{members}"),
            LISTENERS_ONLY,
            none.clone(),
        ),
        (
            Method::PATCH,
            "/api/v1/stations/{id}",
            format!("/api/v1/stations/{members}"),
            ADMINS,
            json!({"name": "Renamed"}),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}/now",
            format!("/api/v1/stations/{open}/now"),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}/now",
            format!("/api/v1/stations/{members}/now"),
            LISTENERS_ONLY,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}/stream-url",
            format!("/api/v1/stations/{members}/stream-url"),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}/stream",
            format!("/api/v1/stations/{open}/stream"),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}/stream",
            format!("/api/v1/stations/{members}/stream"),
            LISTENERS_ONLY,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}/stream.m3u",
            format!("/api/v1/stations/{open}/stream.m3u"),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}/stream.m3u",
            format!("/api/v1/stations/{members}/stream.m3u"),
            LISTENERS_ONLY,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}/stream.pls",
            format!("/api/v1/stations/{open}/stream.pls"),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/stations/{id}/stream.pls",
            format!("/api/v1/stations/{members}/stream.pls"),
            LISTENERS_ONLY,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/me/app-passwords",
            "/api/v1/me/app-passwords".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/me/app-passwords",
            "/api/v1/me/app-passwords".into(),
            MEMBERS,
            json!({"name": "tablet"}),
        ),
        (
            Method::DELETE,
            "/api/v1/me/app-passwords/{id}",
            format!("/api/v1/me/app-passwords/{app_password}"),
            OWN_APP_PASSWORD,
            none.clone(),
        ),
        (
            Method::GET,
            "/healthz",
            "/healthz".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::GET,
            "/readyz",
            "/readyz".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/config",
            "/api/v1/config".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/languages",
            "/api/v1/languages".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/auth/register",
            "/api/v1/auth/register".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/setup/first-admin",
            "/api/v1/setup/first-admin".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/auth/login",
            "/api/v1/auth/login".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/auth/face-login/challenge",
            "/api/v1/auth/face-login/challenge".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/auth/face-login",
            "/api/v1/auth/face-login".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/auth/refresh",
            "/api/v1/auth/refresh".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/auth/logout",
            "/api/v1/auth/logout".into(),
            PUBLIC,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/me",
            "/api/v1/me".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::PATCH,
            "/api/v1/me",
            "/api/v1/me".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::PUT,
            "/api/v1/me/password",
            "/api/v1/me/password".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/me/face",
            "/api/v1/me/face".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::PUT,
            "/api/v1/me/face",
            "/api/v1/me/face".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/me/favorites",
            "/api/v1/me/favorites".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::PUT,
            "/api/v1/me/favorites/{song_id}",
            format!("/api/v1/me/favorites/{song}"),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/me/favorites/ids",
            "/api/v1/me/favorites/ids".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/me/history",
            "/api/v1/me/history".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/me/history",
            "/api/v1/me/history".into(),
            MEMBERS,
            json!({"song_id": song}),
        ),
        (
            Method::GET,
            "/api/v1/me/play-queue",
            "/api/v1/me/play-queue".into(),
            OWN_PLAY_QUEUE,
            none.clone(),
        ),
        (
            Method::PUT,
            "/api/v1/me/play-queue",
            "/api/v1/me/play-queue".into(),
            MEMBERS,
            json!({"song_ids": [song], "client": "matrix"}),
        ),
        (
            Method::POST,
            "/api/v1/uploads",
            "/api/v1/uploads".into(),
            MEMBERS,
            json!({"kind": "image", "content_type": "image/png", "size": 10}),
        ),
        (
            Method::POST,
            "/api/v1/uploads/{id}/complete",
            format!("/api/v1/uploads/{upload}/complete"),
            OWN_UPLOAD,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/songs",
            "/api/v1/songs".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/songs",
            "/api/v1/songs".into(),
            ADMINS,
            json!({"upload_id": "none"}),
        ),
        (
            Method::GET,
            "/api/v1/songs/{id}",
            format!("/api/v1/songs/{song}"),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::PATCH,
            "/api/v1/songs/{id}",
            format!("/api/v1/songs/{song}"),
            ADMINS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/songs/{id}/stream",
            format!("/api/v1/songs/{song}/stream"),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/songs/{id}/lyrics",
            format!("/api/v1/songs/{song}/lyrics"),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/artists",
            "/api/v1/artists".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/artists/{id}",
            format!("/api/v1/artists/{artist}"),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/albums",
            "/api/v1/albums".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/albums/{id}",
            format!("/api/v1/albums/{album}"),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::PATCH,
            "/api/v1/artists/{id}",
            format!("/api/v1/artists/{artist}"),
            ADMINS,
            json!({"name": "Renamed"}),
        ),
        (
            Method::PATCH,
            "/api/v1/albums/{id}",
            format!("/api/v1/albums/{album}"),
            ADMINS,
            json!({"year": 2001}),
        ),
        (
            Method::GET,
            "/api/v1/search",
            "/api/v1/search?q=matrix".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/translate",
            "/api/v1/translate".into(),
            MEMBERS,
            json!({"text": "hola", "target": "en"}),
        ),
        (
            Method::GET,
            "/api/v1/playlists",
            "/api/v1/playlists".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/playlists",
            "/api/v1/playlists".into(),
            MEMBERS,
            json!({"name": "New"}),
        ),
        (
            Method::GET,
            "/api/v1/playlists/{id}",
            format!("/api/v1/playlists/{private}"),
            PRIVATE_READ,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/playlists/{id}",
            format!("/api/v1/playlists/{public}"),
            PUBLIC_READ,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/playlists/{id}/entries",
            format!("/api/v1/playlists/{private}/entries"),
            PRIVATE_READ,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/playlists/{id}/entries",
            format!("/api/v1/playlists/{public}/entries"),
            PUBLIC_READ,
            none.clone(),
        ),
        (
            Method::PATCH,
            "/api/v1/playlists/{id}",
            format!("/api/v1/playlists/{private}"),
            PRIVATE_EDIT,
            json!({"name": "Renamed"}),
        ),
        (
            Method::PATCH,
            "/api/v1/playlists/{id}",
            format!("/api/v1/playlists/{public}"),
            PUBLIC_EDIT,
            json!({"name": "Renamed"}),
        ),
        (
            Method::POST,
            "/api/v1/playlists/{id}/songs",
            format!("/api/v1/playlists/{private}/songs"),
            PRIVATE_EDIT,
            json!({"song_ids": [song]}),
        ),
        (
            Method::POST,
            "/api/v1/playlists/{id}/songs",
            format!("/api/v1/playlists/{public}/songs"),
            PUBLIC_EDIT,
            json!({"song_ids": [song]}),
        ),
        (
            Method::PUT,
            "/api/v1/playlists/{id}/order",
            format!("/api/v1/playlists/{private}/order"),
            PRIVATE_EDIT,
            json!({"entry_id": private_entry}),
        ),
        (
            Method::PUT,
            "/api/v1/playlists/{id}/order",
            format!("/api/v1/playlists/{public}/order"),
            PUBLIC_EDIT,
            json!({"entry_id": public_entry}),
        ),
        (
            Method::GET,
            "/api/v1/admin/users",
            "/api/v1/admin/users".into(),
            ADMINS,
            none.clone(),
        ),
        (
            Method::PATCH,
            "/api/v1/admin/users/{id}",
            format!("/api/v1/admin/users/{user}"),
            ADMINS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/admin/stats",
            "/api/v1/admin/stats".into(),
            ADMINS,
            none.clone(),
        ),
        (
            Method::GET,
            "/api/v1/admin/jobs",
            "/api/v1/admin/jobs".into(),
            ADMINS,
            none.clone(),
        ),
        // Deletions last, the most specific first.
        (
            Method::DELETE,
            "/api/v1/stations/{id}",
            format!("/api/v1/stations/{members}"),
            ADMINS,
            none.clone(),
        ),
        (
            Method::DELETE,
            "/api/v1/playlists/{id}/songs/{entry_id}",
            format!("/api/v1/playlists/{private}/songs/{private_entry}"),
            PRIVATE_EDIT,
            none.clone(),
        ),
        (
            Method::DELETE,
            "/api/v1/playlists/{id}/songs/{entry_id}",
            format!("/api/v1/playlists/{public}/songs/{public_entry}"),
            PUBLIC_EDIT,
            none.clone(),
        ),
        (
            Method::DELETE,
            "/api/v1/playlists/{id}",
            format!("/api/v1/playlists/{private}"),
            PRIVATE_DELETE,
            none.clone(),
        ),
        (
            Method::DELETE,
            "/api/v1/playlists/{id}",
            format!("/api/v1/playlists/{public}"),
            PUBLIC_DELETE,
            none.clone(),
        ),
        (
            Method::DELETE,
            "/api/v1/me/favorites/{song_id}",
            format!("/api/v1/me/favorites/{song}"),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::DELETE,
            "/api/v1/me/face",
            "/api/v1/me/face".into(),
            MEMBERS,
            none.clone(),
        ),
        (
            Method::DELETE,
            "/api/v1/songs/{id}",
            format!("/api/v1/songs/{song}"),
            ADMINS,
            none.clone(),
        ),
        (
            Method::POST,
            "/api/v1/auth/confirm",
            "/api/v1/auth/confirm".into(),
            MEMBERS,
            json!({ "password": crate::helpers::GOOD_PASSWORD }),
        ),
        // Last: it ends the caller's sessions.
        (
            Method::POST,
            "/api/v1/auth/logout-everywhere",
            "/api/v1/auth/logout-everywhere".into(),
            MEMBERS,
            none,
        ),
    ]
}

fn documented_operations() -> BTreeSet<(String, String)> {
    let document = soundstream_api::http::openapi::document();
    let mut operations = BTreeSet::new();
    for (path, item) in &document.paths.paths {
        for (method, present) in [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ] {
            if present && !path.starts_with("/media/") {
                operations.insert((method.to_owned(), path.clone()));
            }
        }
    }
    operations
}

async fn signed_in(app: &TestApp, username: &str) -> TokenResponse {
    app.login(username, crate::helpers::GOOD_PASSWORD)
        .await
        .json()
        .await
        .expect("tokens")
}

#[tokio::test]
async fn every_operation_answers_each_kind_of_caller_as_its_rule_says() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let owner = app.register("owner").await;
    let other = app.register("other").await;

    let tested: BTreeSet<(String, String)> = operations(&world(&app, &admin, &owner, &other).await)
        .iter()
        .map(|(method, template, ..)| (method.to_string(), (*template).to_owned()))
        .collect();
    assert_eq!(
        tested,
        documented_operations(),
        "every documented operation has a rule (media URLs are checked by signature below)"
    );

    let callers = ["anonymous", "owner", "another listener", "admin"];
    for (index, caller) in callers.iter().enumerate() {
        // Fresh sessions each round: the last operation signs its caller
        // out everywhere.
        let (admin, owner, other) = (
            signed_in(&app, "boss").await,
            signed_in(&app, "owner").await,
            signed_in(&app, "other").await,
        );
        let token = match index {
            1 => Some(owner.access_token.as_str()),
            2 => Some(other.access_token.as_str()),
            3 => Some(admin.access_token.as_str()),
            _ => None,
        };
        let world = world(&app, &admin, &owner, &other).await;
        for (method, template, path, rule, body) in operations(&world) {
            let request = match token {
                Some(token) => app.authed(method.clone(), &path, token),
                None => app.client.request(method.clone(), app.url(&path)),
            };
            let status = request
                .json(&body)
                .send()
                .await
                .expect("sent")
                .status()
                .as_u16();
            let expected = rule[index];
            let ok = match expected {
                Status(code) => status == code,
                Allowed => !matches!(status, 401 | 403 | 404) && (status < 500 || status == 503),
            };
            assert!(
                ok,
                "{caller}: {method} {template} ({path}) answered {status}, expected {expected:?}"
            );
        }
    }
}

#[tokio::test]
async fn media_urls_work_only_with_their_signature() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let song = create_song(
        &app,
        &admin.access_token,
        "tone.ogg",
        "audio/ogg",
        json!({}),
    )
    .await;
    let stream: PlaybackUrl = app
        .authed(
            Method::GET,
            &format!("/api/v1/songs/{}/stream", song.id),
            &admin.access_token,
        )
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("url");
    let unsigned = stream.url.split('?').next().expect("path").to_owned();
    let ticket: UploadTicket = start_upload(&app, &admin.access_token, "image", "image/png", 100)
        .await
        .json()
        .await
        .expect("ticket");
    let unsigned_upload = ticket.url.split('?').next().expect("path").to_owned();

    let signed = app.client.get(&stream.url).send().await.expect("sent");
    // Another object's path under this object's signature.
    let borrowed = stream.url.replacen(&unsigned, &format!("{unsigned}x"), 1);
    let forged = app.client.get(&borrowed).send().await.expect("sent");
    let bare = app.client.get(&unsigned).send().await.expect("sent");
    let bare_put = app
        .client
        .put(&unsigned_upload)
        .body(fixture("cover.png"))
        .send()
        .await
        .expect("sent");

    assert_eq!(
        signed.status().as_u16(),
        200,
        "anyone holding the URL may play"
    );
    for response in [bare, forged, bare_put] {
        assert!(
            response.status().is_client_error(),
            "{}: {}",
            response.url(),
            response.status()
        );
    }
}

/// Every method the OpenSubsonic specification lists
/// (`../shared/opensubsonic/docs/Endpoints`), implemented or not.
const SUBSONIC_METHODS: &[&str] = &[
    "addChatMessage",
    "changePassword",
    "createBookmark",
    "createInternetRadioStation",
    "createPlaylist",
    "createPodcastChannel",
    "createShare",
    "createUser",
    "deleteBookmark",
    "deleteInternetRadioStation",
    "deletePlaylist",
    "deletePodcastChannel",
    "deletePodcastEpisode",
    "deleteShare",
    "deleteUser",
    "download",
    "downloadPodcastEpisode",
    "findSonicPath",
    "getAlbum",
    "getAlbumInfo",
    "getAlbumInfo2",
    "getAlbumList",
    "getAlbumList2",
    "getArtist",
    "getArtistInfo",
    "getArtistInfo2",
    "getArtists",
    "getAvatar",
    "getBookmarks",
    "getCaptions",
    "getChatMessages",
    "getCoverArt",
    "getGenres",
    "getIndexes",
    "getInternetRadioStations",
    "getLicense",
    "getLyrics",
    "getLyricsBySongId",
    "getMusicDirectory",
    "getMusicFolders",
    "getNewestPodcasts",
    "getNowPlaying",
    "getOpenSubsonicExtensions",
    "getPlaylist",
    "getPlaylists",
    "getPlayQueue",
    "getPlayQueueByIndex",
    "getPodcastEpisode",
    "getPodcasts",
    "getRandomSongs",
    "getScanStatus",
    "getShares",
    "getSimilarSongs",
    "getSimilarSongs2",
    "getSong",
    "getSongsByGenre",
    "getSonicSimilarTracks",
    "getStarred",
    "getStarred2",
    "getTopSongs",
    "getTranscodeDecision",
    "getTranscodeStream",
    "getUser",
    "getUsers",
    "getVideoInfo",
    "getVideos",
    "hls",
    "jukeboxControl",
    "ping",
    "refreshPodcasts",
    "reportPlayback",
    "savePlayQueue",
    "savePlayQueueByIndex",
    "scrobble",
    "search",
    "search2",
    "search3",
    "setRating",
    "star",
    "startScan",
    "tokenInfo",
    "unstar",
    "updateInternetRadioStation",
    "updatePlaylist",
    "updateShare",
    "updateUser",
];

/// A method, its parameters and what [owner, another listener, admin]
/// may expect.
type RestRule<'a> = (&'a str, Vec<(&'a str, &'a str)>, [RestExpect; 3]);

/// What a `/rest` caller may expect (always with HTTP 200).
#[derive(Debug, Clone, Copy)]
enum RestExpect {
    /// `status="ok"` and the answer names the owner's thing.
    Sees(&'static str),
    /// `status="ok"` without the owner's thing in it.
    Blind(&'static str),
    Ok,
    Code(u64),
}

/// The owner's things in `/rest` terms: a private playlist, a bookmark, a
/// saved queue and a starred album, each recognisable in an answer.
struct RestWorld {
    song: String,
    album: String,
    playlist: String,
}

const BOOKMARK_NOTE: &str = "owner-bookmark-note";
const QUEUE_CLIENT: &str = "owner-queue-client";

async fn rest_call(
    app: &TestApp,
    auth: &[(&str, &str)],
    method: &str,
    params: &[(&str, &str)],
) -> Value {
    let mut query: Vec<(&str, &str)> = auth.to_vec();
    query.extend_from_slice(params);
    query.push(("f", "json"));
    let response = app
        .client
        .get(app.url(&format!("/rest/{method}")))
        .query(&query)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200, "{method}");
    let body: Value = response.json().await.expect("json");
    assert_answer_matches_spec(method, &body);
    body["subsonic-response"].clone()
}

async fn rest_world(app: &TestApp, admin: &TokenResponse, owner: &[(&str, &str)]) -> RestWorld {
    let song = create_song(
        app,
        &admin.access_token,
        "tone.ogg",
        "audio/ogg",
        json!({"title": "Rest matrix", "album": "Rest album"}),
    )
    .await;
    let album = song
        .album
        .as_ref()
        .map(|a| a.id.clone())
        .unwrap_or_default();
    let created = rest_call(
        app,
        owner,
        "createPlaylist",
        &[("name", "Owner's"), ("songId", &song.id)],
    )
    .await;
    let playlist = created["playlist"]["id"]
        .as_str()
        .expect("a playlist")
        .to_owned();
    for (method, params) in [
        (
            "createBookmark",
            vec![
                ("id", song.id.as_str()),
                ("position", "10"),
                ("comment", BOOKMARK_NOTE),
            ],
        ),
        (
            "savePlayQueue",
            vec![("id", song.id.as_str()), ("c", QUEUE_CLIENT)],
        ),
        ("star", vec![("albumId", album.as_str())]),
    ] {
        let answer = rest_call(app, owner, method, &params).await;
        assert_eq!(answer["status"], "ok", "{method}: {answer}");
    }
    RestWorld {
        song: song.id,
        album,
        playlist,
    }
}

async fn rest_password(app: &TestApp, user: &TokenResponse) -> String {
    let created: CreatedAppPassword = app
        .authed(Method::POST, "/api/v1/me/app-passwords", &user.access_token)
        .json(&json!({"name": "matrix"}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("app password");
    created.secret
}

#[tokio::test]
async fn every_rest_method_needs_an_app_password_and_keeps_each_listeners_things_theirs() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let owner = app.register("owner").await;
    let other = app.register("other").await;
    let secrets = [
        rest_password(&app, &owner).await,
        rest_password(&app, &other).await,
        rest_password(&app, &admin).await,
    ];
    let callers: [Vec<(&str, &str)>; 3] = [
        vec![("u", "owner"), ("p", &secrets[0])],
        vec![("u", "other"), ("p", &secrets[1])],
        vec![("u", "boss"), ("p", &secrets[2])],
    ];

    // Every method: anonymous callers are asked for credentials (but for
    // the three public ones); every app password gets past sign-in.
    let public = ["ping", "getLicense", "getOpenSubsonicExtensions"];
    for method in SUBSONIC_METHODS {
        let anonymous = rest_call(&app, &[], method, &[]).await;
        if public.contains(method) {
            assert_eq!(anonymous["status"], "ok", "{method}: {anonymous}");
        } else {
            assert_eq!(anonymous["error"]["code"], 10, "{method}: {anonymous}");
        }
        for caller in &callers {
            let answer = rest_call(&app, caller, method, &[]).await;
            let code = answer["error"]["code"].as_u64();
            assert!(
                !matches!(code, Some(40..=44)),
                "{method} refused {caller:?}'s app password: {answer}"
            );
        }
    }

    // The owner's things, for [owner, another listener, admin]; a world
    // per caller, so one caller's deletes cannot mask another's answer.
    for (index, caller) in callers.iter().enumerate() {
        let world = rest_world(&app, &admin, &callers[0]).await;
        let (song, album, playlist) = (
            world.song.as_str(),
            world.album.as_str(),
            world.playlist.as_str(),
        );
        use RestExpect::{Blind, Code, Ok, Sees};
        let rules: Vec<RestRule> = vec![
            ("getPlaylist", vec![("id", playlist)], [Ok, Code(70), Ok]),
            (
                "getPlaylists",
                vec![],
                [Sees("Owner's"), Blind("Owner's"), Blind("Owner's")],
            ),
            (
                "getBookmarks",
                vec![],
                [
                    Sees(BOOKMARK_NOTE),
                    Blind(BOOKMARK_NOTE),
                    Blind(BOOKMARK_NOTE),
                ],
            ),
            (
                "getPlayQueue",
                vec![],
                [Sees(QUEUE_CLIENT), Blind(QUEUE_CLIENT), Blind(QUEUE_CLIENT)],
            ),
            (
                "getStarred2",
                vec![],
                [Sees("Rest album"), Blind("Rest album"), Blind("Rest album")],
            ),
            (
                "getUser",
                vec![("username", "owner")],
                [Ok, Code(50), Code(50)],
            ),
            (
                "getAvatar",
                vec![("username", "owner")],
                [Code(70), Code(50), Code(50)],
            ),
            (
                "updatePlaylist",
                vec![("playlistId", playlist), ("name", "Renamed")],
                [Ok, Code(70), Code(50)],
            ),
            (
                "createPlaylist",
                vec![("playlistId", playlist), ("songId", song)],
                [Ok, Code(70), Code(50)],
            ),
            (
                "deleteBookmark",
                vec![("id", song)],
                [Ok, Code(70), Code(70)],
            ),
            ("deletePlaylist", vec![("id", playlist)], [Ok, Code(70), Ok]),
            // Unstarring is one's own: the owner's star stays for others.
            ("unstar", vec![("albumId", album)], [Ok, Ok, Ok]),
        ];
        for (method, params, expected) in rules {
            let answer = rest_call(&app, caller, method, &params).await;
            let expected = expected[index];
            let text = answer.to_string();
            let holds = match expected {
                Ok => answer["status"] == "ok",
                Sees(marker) => answer["status"] == "ok" && text.contains(marker),
                Blind(marker) => answer["status"] == "ok" && !text.contains(marker),
                Code(code) => answer["error"]["code"] == code,
            };
            assert!(
                holds,
                "caller {index}: {method} {params:?} answered {answer}, expected {expected:?}"
            );
        }
        if index > 0 {
            let starred = rest_call(&app, &callers[0], "getStarred2", &[]).await;
            assert!(starred.to_string().contains("Rest album"), "{starred}");
        }
    }
}
