//! Radio: stations, their schedule (the same on every instance), and the
//! Icecast-compatible stream, read by real clients from two instances and
//! decoded by ffmpeg.
//!
//! Songs are filed from ffmpeg-made tones and get their `mp3-128`
//! renditions from the real job queue; each test waits for it to settle.

use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use soundstream_types::{
    Page, Playlist, Song, Station, StationNow, StationStreamUrls, TokenResponse,
};

use crate::helpers::{TestApp, TestOptions, spawn_app_with, spawn_second_instance};
use crate::opensubsonic_schema::assert_answer_matches_spec;
use crate::renditions::jobs_settled;
use crate::search::create_playlist;
use crate::uploads::upload;

/// An instance that makes renditions (test instances make none unless
/// told).
fn with_a_worker() -> TestOptions {
    TestOptions {
        extra_env: vec![("SOUNDSTREAM_JOB_WORKERS", "1".into())],
        ..TestOptions::default()
    }
}

/// A `seconds`-long sine at `frequency` Hz, as MP3.
fn mp3_tone(frequency: u32, seconds: u32) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tone.mp3");
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("sine=f={frequency}:d={seconds}"))
        .args([
            "-ac",
            "2",
            "-ar",
            "44100",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "128k",
            "-id3v2_version",
            "0",
            "-write_id3v1",
            "0",
        ])
        .arg(&path)
        .status()
        .expect("ffmpeg runs (Debian package ffmpeg)");
    assert!(status.success(), "ffmpeg made the tone");
    std::fs::read(path).expect("tone")
}

/// A song of a `seconds`-long tone. Its `mp3-128` rendition is made by the
/// job queue: wait for [`jobs_settled`] before putting it on air.
pub async fn radio_song(
    app: &TestApp,
    admin: &TokenResponse,
    title: &str,
    frequency: u32,
    seconds: u32,
) -> Song {
    let completed: Value = upload(
        app,
        &admin.access_token,
        "audio",
        "audio/mpeg",
        mp3_tone(frequency, seconds),
    )
    .await
    .json()
    .await
    .expect("upload");
    let response = app
        .authed(Method::POST, "/api/v1/songs", &admin.access_token)
        .json(&json!({
            "upload_id": completed["id"],
            "title": title,
            "artist": "Radio Tester",
            "genre": "Tones",
        }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201, "song filed");
    response.json().await.expect("song")
}

/// A playlist of `songs`, in order.
async fn playlist_of(app: &TestApp, admin: &TokenResponse, songs: &[&Song]) -> Playlist {
    let playlist = create_playlist(app, &admin.access_token, json!({"name": "On air"})).await;
    let added = app
        .authed(
            Method::POST,
            &format!("/api/v1/playlists/{}/songs", playlist.id),
            &admin.access_token,
        )
        .json(&json!({"song_ids": songs.iter().map(|s| s.id.clone()).collect::<Vec<_>>()}))
        .send()
        .await
        .expect("sent");
    assert_eq!(added.status().as_u16(), 201);
    playlist
}

pub async fn create_station(app: &TestApp, token: &str, body: Value) -> Station {
    let response = app
        .authed(Method::POST, "/api/v1/stations", token)
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201, "station created");
    response.json().await.expect("station")
}

async fn now(app: &TestApp, station: &str) -> StationNow {
    let response = app.get(&format!("/api/v1/stations/{station}/now")).await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("now")
}

#[tokio::test]
async fn admins_manage_stations_and_listeners_only_ones_are_hidden_from_strangers() {
    let app = spawn_app_with(with_a_worker()).await;
    let admin = app.admin("boss").await;
    let listener = app.register("listener").await;
    let song = radio_song(&app, &admin, "One", 440, 3).await;
    let playlist = playlist_of(&app, &admin, &[&song]).await;
    let body =
        json!({"name": "Members", "source": {"kind": "playlist", "playlist_id": playlist.id}});

    jobs_settled(&app, &admin.access_token).await;

    let refused = app
        .authed(Method::POST, "/api/v1/stations", &listener.access_token)
        .json(&body)
        .send()
        .await
        .expect("sent");
    let members = create_station(&app, &admin.access_token, body).await;
    let public = create_station(
        &app,
        &admin.access_token,
        json!({"name": "Open", "description": "For all", "is_public": true, "source": {"kind": "genre", "genre": "tones"}}),
    )
    .await;
    let invalid = app
        .authed(Method::POST, "/api/v1/stations", &admin.access_token)
        .json(&json!({"name": " ", "source": {"kind": "playlist", "playlist_id": "nope"}}))
        .send()
        .await
        .expect("sent");
    let anonymous: Page<Station> = app
        .get("/api/v1/stations")
        .await
        .json()
        .await
        .expect("page");
    let signed_in: Page<Station> = app
        .authed(Method::GET, "/api/v1/stations", &listener.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("page");
    let hidden = app.get(&format!("/api/v1/stations/{}", members.id)).await;
    let renamed: Station = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/stations/{}", public.id),
            &admin.access_token,
        )
        .json(&json!({"name": "Renamed", "description": null, "source": {"kind": "library"}}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("station");
    let deleted = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/stations/{}", members.id),
            &admin.access_token,
        )
        .send()
        .await
        .expect("sent");
    let gone = app
        .authed(
            Method::GET,
            &format!("/api/v1/stations/{}", members.id),
            &admin.access_token,
        )
        .send()
        .await
        .expect("sent");

    assert_eq!(refused.status().as_u16(), 403);
    let problem = crate::helpers::assert_problem(invalid, 422).await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "source.playlist_id"]);
    assert_eq!(
        anonymous
            .items
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Open"]
    );
    assert_eq!(signed_in.items.len(), 2);
    assert_eq!(hidden.status().as_u16(), 404);
    assert_eq!(
        public.stream_path,
        format!("/api/v1/stations/{}/stream", public.id)
    );
    assert_eq!(renamed.name, "Renamed");
    assert_eq!(renamed.description, None);
    assert_eq!(renamed.source, soundstream_types::StationSource::Library);
    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(gone.status().as_u16(), 404);
}

#[tokio::test]
async fn now_answers_the_same_on_every_instance() {
    let first = spawn_app_with(with_a_worker()).await;
    let second = spawn_second_instance(&first, &TestOptions::default()).await;
    let admin = first.admin("boss").await;
    let mut songs = Vec::new();
    for (index, frequency) in [330, 440, 550].into_iter().enumerate() {
        songs.push(radio_song(&first, &admin, &format!("Tone {index}"), frequency, 4).await);
    }
    let playlist = playlist_of(&first, &admin, &songs.iter().collect::<Vec<_>>()).await;
    jobs_settled(&first, &admin.access_token).await;
    let station = create_station(
        &first,
        &admin.access_token,
        json!({"name": "Sync", "is_public": true, "source": {"kind": "playlist_shuffled", "playlist_id": playlist.id}}),
    )
    .await;

    let (a, b) = tokio::join!(now(&first, &station.id), now(&second, &station.id));

    let a_current = a.current.as_ref().expect("something on air");
    let b_current = b.current.as_ref().expect("something on air");
    // Both answered within the same song (they ran at the same moment).
    assert_eq!(a_current.song.id, b_current.song.id);
    assert_eq!(a_current.starts_at_ms, b_current.starts_at_ms);
    let schedule = |now: &StationNow| -> Vec<(String, i64)> {
        now.next
            .iter()
            .map(|entry| (entry.song.id.clone(), entry.starts_at_ms))
            .collect()
    };
    assert_eq!(schedule(&a), schedule(&b));
    assert_eq!(a.next.len(), 5, "the next five songs");
    assert!(a_current.starts_at_ms <= a.server_time_ms);
    assert!(a.server_time_ms < a_current.starts_at_ms + a_current.duration_ms as i64);
    // Shuffled once, then cycling: every song comes up in three slots.
    let ids: Vec<&str> = a.next.iter().map(|entry| entry.song.id.as_str()).collect();
    assert_eq!(ids[0], ids[3]);
    assert_ne!(ids[0], ids[1]);
    for pair in a.next.windows(2) {
        assert_eq!(
            pair[0].starts_at_ms + pair[0].duration_ms as i64,
            pair[1].starts_at_ms,
            "back to back"
        );
    }
}

#[tokio::test]
async fn a_source_edit_applies_at_a_song_boundary_never_mid_song() {
    let app = spawn_app_with(with_a_worker()).await;
    let admin = app.admin("boss").await;
    let old = radio_song(&app, &admin, "Old", 330, 4).await;
    let new = radio_song(&app, &admin, "New", 660, 4).await;
    let old_list = playlist_of(&app, &admin, &[&old]).await;
    let new_list = playlist_of(&app, &admin, &[&new]).await;
    jobs_settled(&app, &admin.access_token).await;
    let station = create_station(
        &app,
        &admin.access_token,
        json!({"name": "Edit", "is_public": true, "source": {"kind": "playlist", "playlist_id": old_list.id}}),
    )
    .await;
    let before = now(&app, &station.id).await;

    let edited_at = soundstream_api::clock::now_millis();
    let edited = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/stations/{}", station.id),
            &admin.access_token,
        )
        .json(&json!({"source": {"kind": "playlist", "playlist_id": new_list.id}}))
        .send()
        .await
        .expect("sent");
    let after = now(&app, &station.id).await;

    assert_eq!(edited.status().as_u16(), 200);
    let (was, is) = (
        before.current.expect("on air"),
        after.current.expect("on air"),
    );
    assert_eq!(was.song.id, is.song.id, "the song on air plays on");
    assert_eq!(was.starts_at_ms, is.starts_at_ms);
    let lead = edited_at + soundstream_api::services::stations::CHANGE_LEAD_MS;
    let switch = after
        .next
        .iter()
        .position(|entry| entry.song.id == new.id)
        .expect("the new source comes on");
    for (index, entry) in after.next.iter().enumerate() {
        if index < switch {
            assert_eq!(entry.song.id, old.id);
            assert!(entry.starts_at_ms < lead, "old songs only before the lead");
        } else {
            assert_eq!(entry.song.id, new.id, "then only the new source");
        }
    }
    let first_new = &after.next[switch];
    assert!(
        first_new.starts_at_ms >= lead,
        "at a boundary past the lead"
    );
    let previous_end = match switch {
        0 => is.starts_at_ms + is.duration_ms as i64,
        n => after.next[n - 1].starts_at_ms + after.next[n - 1].duration_ms as i64,
    };
    assert_eq!(
        first_new.starts_at_ms, previous_end,
        "exactly at a boundary"
    );
}

/// MPEG frames of a stream: `(offset, length)`, and whether every byte
/// belongs to one.
fn frames(audio: &[u8]) -> (Vec<&[u8]>, bool) {
    let mut frames = Vec::new();
    let mut at = 0;
    while at + 4 <= audio.len() {
        let Some(length) = soundstream_api::domain::radio::mp3_frame_length(&audio[at..]) else {
            return (frames, false);
        };
        if at + length > audio.len() {
            // The last frame may be cut by the end of the read.
            return (frames, true);
        }
        frames.push(&audio[at..at + length]);
        at += length;
    }
    (frames, true)
}

/// Splits an ICY stream into its audio and the titles announced, with the
/// audio offset of each.
fn strip_icy(body: &[u8], metaint: usize) -> (Vec<u8>, Vec<(usize, String)>) {
    let mut audio = Vec::with_capacity(body.len());
    let mut titles = Vec::new();
    let mut at = 0;
    while at < body.len() {
        let take = metaint.min(body.len() - at);
        audio.extend_from_slice(&body[at..at + take]);
        at += take;
        let Some(&blocks) = body.get(at) else { break };
        let length = usize::from(blocks) * 16;
        let Some(block) = body.get(at + 1..at + 1 + length) else {
            break;
        };
        at += 1 + length;
        if length > 0 {
            let text = String::from_utf8_lossy(block);
            let title = text
                .trim_end_matches('\0')
                .strip_prefix("StreamTitle='")
                .and_then(|rest| rest.strip_suffix("';"))
                .unwrap_or_else(|| panic!("a StreamTitle block: {text:?}"))
                .to_owned();
            titles.push((audio.len(), title));
        }
    }
    (audio, titles)
}

struct Received {
    body: Vec<u8>,
    first_frame_at_ms: i64,
    metaint: Option<usize>,
    icy_name: Option<String>,
}

/// Reads a stream for `duration`.
async fn listen(app: &TestApp, path: &str, icy: bool, duration: Duration) -> Received {
    let mut request = app.client.get(app.url(path));
    if icy {
        request = request.header("Icy-MetaData", "1");
    }
    let mut response = request.send().await.expect("sent");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("content-type").as_deref(), Some("audio/mpeg"));
    let first_frame_at_ms = header("x-soundstream-first-frame-at")
        .and_then(|value| value.parse().ok())
        .expect("first frame instant");
    let metaint = header("icy-metaint").and_then(|value| value.parse().ok());
    let icy_name = header("icy-name");
    let mut body = Vec::new();
    let deadline = Instant::now() + duration;
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline.into(), response.chunk()).await
    {
        body.extend_from_slice(&chunk);
    }
    Received {
        body,
        first_frame_at_ms,
        metaint,
        icy_name,
    }
}

/// ffmpeg's complaints while decoding `audio` (empty when it decodes
/// cleanly), and the decoded length in seconds.
fn decode(audio: &[u8]) -> (String, f64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("stream.mp3");
    std::fs::write(&path, audio).expect("written");
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&path)
        .args(["-f", "s16le", "-ac", "2", "-ar", "44100", "-"])
        .output()
        .expect("ffmpeg runs");
    let seconds = output.stdout.len() as f64 / (44_100.0 * 4.0);
    (
        String::from_utf8_lossy(&output.stderr).into_owned(),
        seconds,
    )
}

#[tokio::test]
async fn two_instances_stream_the_same_audio_at_the_same_moment() {
    let first = spawn_app_with(with_a_worker()).await;
    let second = spawn_second_instance(&first, &TestOptions::default()).await;
    let admin = first.admin("boss").await;
    let mut songs = Vec::new();
    for (index, frequency) in [330, 495, 660].into_iter().enumerate() {
        songs.push(radio_song(&first, &admin, &format!("Tone {index}"), frequency, 5).await);
    }
    let playlist = playlist_of(&first, &admin, &songs.iter().collect::<Vec<_>>()).await;
    jobs_settled(&first, &admin.access_token).await;
    let station = create_station(
        &first,
        &admin.access_token,
        json!({"name": "Twin", "description": "Tones in sync", "is_public": true,
               "source": {"kind": "playlist", "playlist_id": playlist.id}}),
    )
    .await;
    let path = format!("/api/v1/stations/{}/stream", station.id);

    // Two clients on two instances, joining 1.3 s apart, for 20 s each.
    let listen_second = async {
        tokio::time::sleep(Duration::from_millis(1300)).await;
        listen(&second, &path, false, Duration::from_secs(20)).await
    };
    let (a, b) = tokio::join!(
        listen(&first, &path, true, Duration::from_secs(20)),
        listen_second
    );

    assert_eq!(a.icy_name.as_deref(), Some("Twin"));
    assert_eq!(a.metaint, Some(16_000));
    assert_eq!(b.metaint, None);
    let (a_audio, titles) = strip_icy(&a.body, 16_000);
    let (a_frames, a_whole) = frames(&a_audio);
    let (b_frames, b_whole) = frames(&b.body);
    assert!(a_whole && b_whole, "nothing but MPEG frames");
    // 20 s of real time plus the burst: about 23 s of audio each.
    let frame_ms = 1152.0 * 1000.0 / 44_100.0;
    for received in [&a_frames, &b_frames] {
        let seconds = received.len() as f64 * frame_ms / 1000.0;
        assert!((21.5..24.5).contains(&seconds), "{seconds} s of audio");
    }
    // Continuous: no frame of silence between songs, and ffmpeg decodes
    // every byte without a complaint.
    let silence = soundstream_api::domain::radio::silent_frame();
    assert!(
        a_frames
            .iter()
            .chain(&b_frames)
            .all(|f| *f != silence.as_slice())
    );
    for audio in [&a_audio, &b.body] {
        let (complaints, seconds) = decode(audio);
        assert!(complaints.is_empty(), "ffmpeg: {complaints}");
        assert!(seconds > 21.0, "decoded {seconds} s");
    }
    // The title changes at each song (5 s songs: several boundaries).
    let names: Vec<&str> = titles.iter().map(|(_, title)| title.as_str()).collect();
    assert!(names.len() >= 4, "titles {names:?}");
    for pair in names.windows(2) {
        assert_ne!(pair[0], pair[1], "a block only when the song changes");
    }
    for name in &names {
        assert!(name.starts_with("Radio Tester - Tone "), "{name}");
    }
    // The same frame for the same instant: line B up on A by the instants
    // of their first frames (within one frame), then every frame agrees.
    let offset_ms = (b.first_frame_at_ms - a.first_frame_at_ms) as f64;
    let shift = (offset_ms / frame_ms).round() as usize;
    assert!(shift > 20, "B joined later ({offset_ms} ms)");
    let overlap = a_frames.len().saturating_sub(shift).min(b_frames.len());
    assert!(overlap > 500, "{overlap} frames in common");
    for index in 0..overlap {
        assert!(
            a_frames[shift + index] == b_frames[index],
            "frame {index} of B differs from A's {}",
            shift + index
        );
    }
}

#[tokio::test]
async fn an_instance_serves_a_bounded_number_of_listeners_and_counts_them() {
    let app = spawn_app_with(TestOptions {
        extra_env: vec![
            ("SOUNDSTREAM_RADIO_MAX_LISTENERS", "1".into()),
            ("SOUNDSTREAM_JOB_WORKERS", "1".into()),
        ],
        ..TestOptions::default()
    })
    .await;
    let admin = app.admin("boss").await;
    radio_song(&app, &admin, "Only", 440, 3).await;
    jobs_settled(&app, &admin.access_token).await;
    let station = create_station(
        &app,
        &admin.access_token,
        json!({"name": "Small", "is_public": true, "source": {"kind": "library"}}),
    )
    .await;
    let path = format!("/api/v1/stations/{}/stream", station.id);

    let mut listening = app.get(&path).await;
    let first_chunk = listening.chunk().await.expect("read");
    let full = app.get(&path).await;
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    drop(listening);

    assert!(first_chunk.is_some_and(|chunk| !chunk.is_empty()));
    let problem = crate::helpers::assert_problem(full, 503).await;
    assert!(
        problem.detail.contains("radio listeners"),
        "{}",
        problem.detail
    );
    assert!(
        metrics.contains("soundstream_radio_listeners 1"),
        "{metrics}"
    );
    assert!(metrics.contains("soundstream_radio_max_listeners 1"));
    // The place is given back once the listener leaves.
    let mut freed = false;
    for _ in 0..50 {
        let metrics = app.get("/metrics").await.text().await.expect("metrics");
        if metrics.contains("soundstream_radio_listeners 0") {
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(freed, "the listener's place is given back");
}

#[tokio::test]
async fn audio_apps_get_absolute_playlists_and_signed_urls_for_listeners_only_stations() {
    let app = spawn_app_with(with_a_worker()).await;
    let admin = app.admin("boss").await;
    let listener = app.register("listener").await;
    radio_song(&app, &admin, "Only", 440, 3).await;
    jobs_settled(&app, &admin.access_token).await;
    let public = create_station(
        &app,
        &admin.access_token,
        json!({"name": "Open", "is_public": true, "source": {"kind": "library"}}),
    )
    .await;
    let members = create_station(
        &app,
        &admin.access_token,
        json!({"name": "Members", "source": {"kind": "library"}}),
    )
    .await;

    let m3u = app
        .get(&format!("/api/v1/stations/{}/stream.m3u", public.id))
        .await;
    let pls = app
        .get(&format!("/api/v1/stations/{}/stream.pls", public.id))
        .await;
    let anonymous = app
        .get(&format!("/api/v1/stations/{}/stream", members.id))
        .await;
    let urls: StationStreamUrls = app
        .authed(
            Method::GET,
            &format!("/api/v1/stations/{}/stream-url", members.id),
            &listener.access_token,
        )
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("urls");
    let mut signed = app.client.get(&urls.stream).send().await.expect("sent");
    let forged = app
        .client
        .get(urls.stream.replace(&members.id, &public.id))
        .send()
        .await
        .expect("sent");
    let signed_m3u = app
        .client
        .get(&urls.m3u)
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("m3u");

    assert_eq!(m3u.status().as_u16(), 200);
    assert_eq!(
        m3u.headers()["content-type"].to_str().expect("text"),
        "audio/x-mpegurl"
    );
    let stream_url = format!("{}/api/v1/stations/{}/stream", app.address, public.id);
    assert_eq!(
        m3u.text().await.expect("m3u"),
        format!("#EXTM3U\n#EXTINF:-1,Open\n{stream_url}\n")
    );
    let pls = pls.text().await.expect("pls");
    assert!(pls.starts_with("[playlist]\nNumberOfEntries=1\n"), "{pls}");
    assert!(pls.contains(&format!("File1={stream_url}\n")), "{pls}");
    assert_eq!(anonymous.status().as_u16(), 404);
    assert!(urls.stream.starts_with(&app.address));
    assert_eq!(signed.status().as_u16(), 200);
    assert!(signed.chunk().await.expect("read").is_some());
    // Another station's path under this signature: the public station
    // needs none, so it plays; the signature is simply not looked at.
    assert_eq!(forged.status().as_u16(), 200);
    assert!(signed_m3u.contains(&urls.stream.split('?').next().expect("path").to_owned()));
    assert!(signed_m3u.contains("sig="), "{signed_m3u}");
}

#[tokio::test]
async fn subsonic_apps_see_the_stations_with_playable_urls() {
    let app = spawn_app_with(with_a_worker()).await;
    let admin = app.admin("boss").await;
    radio_song(&app, &admin, "Only", 440, 3).await;
    jobs_settled(&app, &admin.access_token).await;
    let public = create_station(
        &app,
        &admin.access_token,
        json!({"name": "Open", "is_public": true, "source": {"kind": "library"}}),
    )
    .await;
    create_station(
        &app,
        &admin.access_token,
        json!({"name": "Members", "source": {"kind": "library"}}),
    )
    .await;
    let password: Value = app
        .authed(
            Method::POST,
            "/api/v1/me/app-passwords",
            &admin.access_token,
        )
        .json(&json!({"name": "phone"}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("app password");
    let secret = password["secret"].as_str().expect("secret");

    let answer: Value = app
        .client
        .get(app.url("/rest/getInternetRadioStations"))
        .query(&[
            ("u", "boss"),
            ("p", secret),
            ("f", "json"),
            ("v", "1.16.1"),
            ("c", "test"),
        ])
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");

    assert_answer_matches_spec("getInternetRadioStations", &answer);
    let stations = answer["subsonic-response"]["internetRadioStations"]["internetRadioStation"]
        .as_array()
        .expect("stations");
    assert_eq!(stations.len(), 2);
    assert_eq!(
        stations[0]["streamUrl"],
        format!("{}/api/v1/stations/{}/stream", app.address, public.id)
    );
    let signed = stations[1]["streamUrl"].as_str().expect("url");
    assert!(signed.contains("sig="), "{signed}");
    let heard = app.client.get(signed).send().await.expect("sent");
    assert_eq!(heard.status().as_u16(), 200);
}
