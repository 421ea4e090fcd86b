//! Background work on real audio (ffmpeg, installed by `scripts/test`):
//! renditions and loudness made after upload, playback choosing among
//! them, jobs done once across instances and taken over from a dead
//! worker, bad audio failing its job with a reason, and clean-up.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use soundstream_api::clock::now_millis;
use soundstream_api::persistence::jobs;
use soundstream_api::services::maintenance;
use soundstream_types::{JobsOverview, PlaybackUrl, Song};

use crate::helpers::{TestApp, TestOptions, assert_problem, spawn_app_with, spawn_second_instance};
use crate::uploads::upload;

fn with_workers(workers: u32) -> TestOptions {
    TestOptions {
        extra_env: vec![("SOUNDSTREAM_JOB_WORKERS", workers.to_string())],
        ..TestOptions::default()
    }
}

/// Seconds of pink noise as stereo FLAC, tagged.
fn noise_flac(seconds: u32, amplitude: f64, title: &str, album: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("noise.flac");
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!(
            "anoisesrc=d={seconds}:c=pink:r=44100:a={amplitude}:s=3"
        ))
        .args(["-ac", "2", "-c:a", "flac"])
        .args(["-metadata", &format!("title={title}")])
        .args(["-metadata", "artist=Noise Ensemble"])
        .args(["-metadata", &format!("album={album}")])
        .args(["-metadata", "genre=Ambient"])
        .arg(&path)
        .status()
        .expect("ffmpeg must be installed (scripts/test installs it)");
    assert!(status.success());
    std::fs::read(&path).expect("flac")
}

async fn file_song(app: &TestApp, token: &str, flac: Vec<u8>) -> Song {
    let completed: soundstream_types::CompletedUpload =
        upload(app, token, "audio", "audio/flac", flac)
            .await
            .json()
            .await
            .expect("upload");
    let response = app
        .authed(Method::POST, "/api/v1/songs", token)
        .json(&json!({"upload_id": completed.id}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201);
    response.json().await.expect("song")
}

async fn overview(app: &TestApp, token: &str) -> JobsOverview {
    let response = app
        .authed(Method::GET, "/api/v1/admin/jobs", token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("overview")
}

/// Waits until no job is queued or running; the overview then.
pub async fn jobs_settled(app: &TestApp, token: &str) -> JobsOverview {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let jobs = overview(app, token).await;
        if jobs.queued == 0 && jobs.running == 0 {
            return jobs;
        }
        assert!(Instant::now() < deadline, "jobs still pending: {jobs:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn song(app: &TestApp, token: &str, id: &str) -> Song {
    app.authed(Method::GET, &format!("/api/v1/songs/{id}"), token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("song")
}

async fn playback(app: &TestApp, token: &str, id: &str, query: &str) -> PlaybackUrl {
    let response = app
        .authed(
            Method::GET,
            &format!("/api/v1/songs/{id}/stream?{query}"),
            token,
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200, "{query}");
    response.json().await.expect("playback")
}

/// ffprobe's view of the bytes at `url`.
async fn probe_url(app: &TestApp, url: &str) -> serde_json::Value {
    let bytes = app
        .client
        .get(url)
        .send()
        .await
        .expect("sent")
        .bytes()
        .await
        .expect("bytes");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("media");
    std::fs::write(&path, &bytes).expect("write");
    probe(&path)
}

fn probe(path: &Path) -> serde_json::Value {
    let output = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .arg(path)
        .output()
        .expect("ffprobe");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn seconds(probe: &serde_json::Value) -> f64 {
    probe["format"]["duration"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(-1.0)
}

#[tokio::test]
async fn a_filed_song_gets_renditions_and_its_loudness() {
    let app = spawn_app_with(with_workers(1)).await;
    let admin = app.admin("renderadmin").await;
    let token = &admin.access_token;
    let filed = file_song(&app, token, noise_flac(6, 0.1, "Quiet Noise", "Noises")).await;
    // Playable at once, in the original.
    assert_eq!(
        playback(&app, token, &filed.id, "quality=low")
            .await
            .rendition,
        "original"
    );

    let jobs = jobs_settled(&app, token).await;
    assert_eq!((jobs.done, jobs.failed), (2, 0), "{jobs:?}");
    let analysed = song(&app, token, &filed.id).await;
    assert_eq!(analysed.channels, Some(2));
    assert_eq!(analysed.genre.as_deref(), Some("Ambient"));
    let loudness = analysed.loudness.expect("measured");
    assert!((loudness.track_gain_db - (-14.0 - loudness.integrated_lufs)).abs() < 0.01);
    assert!(loudness.true_peak_dbtp < 0.0);
    // The only track of its album: the album's figures are the track's.
    assert_eq!(loudness.album_gain_db, Some(loudness.track_gain_db));

    for (query, rendition, codec, kbps) in [
        ("quality=low", "opus-96", "opus", 96.0),
        ("quality=normal", "opus-160", "opus", 160.0),
        ("quality=high", "opus-160", "opus", 160.0),
        ("quality=low&formats=aac,mp3", "aac-128", "aac", 128.0),
        ("quality=normal&formats=mp3", "mp3-128", "mp3", 128.0),
    ] {
        let chosen = playback(&app, token, &filed.id, query).await;
        assert_eq!(chosen.rendition, rendition, "{query}");
        let probed = probe_url(&app, &chosen.url).await;
        assert_eq!(
            probed["streams"][0]["codec_name"].as_str(),
            Some(codec),
            "{query}"
        );
        assert!(
            (seconds(&probed) - 6.0).abs() <= 0.05,
            "{query}: {} s",
            seconds(&probed)
        );
        let bit_rate: f64 = probed["format"]["bit_rate"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.0);
        assert!(
            (bit_rate / 1000.0 / kbps - 1.0).abs() <= 0.10,
            "{query}: {bit_rate} bit/s"
        );
        assert!(chosen.bit_rate_kbps.is_some());
    }
    let original = playback(&app, token, &filed.id, "quality=original").await;
    assert_eq!(
        (original.rendition.as_str(), original.content_type.as_str()),
        ("original", "audio/flac")
    );
    let chosen = playback(&app, token, &filed.id, "").await;
    assert_eq!(chosen.rendition, "original", "the original unless asked");

    // The stored gain brings the low rendition to −14 LUFS.
    let low = playback(&app, token, &filed.id, "quality=low").await;
    let bytes = app
        .client
        .get(&low.url)
        .send()
        .await
        .expect("sent")
        .bytes()
        .await
        .expect("bytes");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("low.opus");
    std::fs::write(&path, &bytes).expect("write");
    let measured = Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-nostats", "-i"])
        .arg(&path)
        .args([
            "-af",
            &format!(
                "volume={}dB,ebur128=framelog=verbose",
                loudness.track_gain_db
            ),
            "-f",
            "null",
            "-",
        ])
        .output()
        .expect("ffmpeg");
    let log = String::from_utf8_lossy(&measured.stderr);
    let summary = &log[log.rfind("Summary:").expect("summary")..];
    let lufs: f64 = summary
        .lines()
        .find_map(|line| line.trim().strip_prefix("I:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("I:");
    assert!((lufs + 14.0).abs() <= 1.0, "{lufs} LUFS after the gain");

    // Genre filter, ignoring case.
    let listed: soundstream_types::Page<Song> = app
        .authed(Method::GET, "/api/v1/songs?genre=ambient", token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("page");
    assert_eq!(listed.items.len(), 1);
    let listed: soundstream_types::Page<Song> = app
        .authed(Method::GET, "/api/v1/songs?genre=Rock", token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("page");
    assert!(listed.items.is_empty());
}

#[tokio::test]
async fn an_unknown_quality_or_codec_is_a_422() {
    let app = spawn_app_with(with_workers(0)).await;
    let admin = app.admin("qualityadmin").await;
    let token = &admin.access_token;
    let filed = file_song(&app, token, noise_flac(1, 0.1, "Short", "Shorts")).await;
    for query in [
        "quality=ultra",
        "formats=opus,flac",
        "quality=best&formats=wma",
    ] {
        let response = app
            .authed(
                Method::GET,
                &format!("/api/v1/songs/{}/stream?{query}", filed.id),
                token,
            )
            .send()
            .await
            .expect("sent");
        let problem = assert_problem(response, 422).await;
        assert!(!problem.errors.is_empty(), "{query}");
    }
    // A listener sees the queue no more than anyone else's business.
    let listener = app.register("queuepeeker").await;
    let response = app
        .authed(Method::GET, "/api/v1/admin/jobs", &listener.access_token)
        .send()
        .await
        .expect("sent");
    assert_problem(response, 403).await;
}

#[tokio::test]
async fn an_album_is_normalised_as_a_whole() {
    let app = spawn_app_with(with_workers(1)).await;
    let admin = app.admin("albumadmin").await;
    let token = &admin.access_token;
    let quiet = file_song(&app, token, noise_flac(4, 0.05, "Soft", "Dynamics")).await;
    let loud = file_song(&app, token, noise_flac(4, 0.4, "Loud", "Dynamics")).await;
    jobs_settled(&app, token).await;
    let quiet = song(&app, token, &quiet.id)
        .await
        .loudness
        .expect("measured");
    let loud = song(&app, token, &loud.id)
        .await
        .loudness
        .expect("measured");
    assert!(
        quiet.track_gain_db > loud.track_gain_db + 10.0,
        "{quiet:?} {loud:?}"
    );
    let album_gain = quiet.album_gain_db.expect("album gain");
    assert_eq!(loud.album_gain_db, Some(album_gain));
    assert!(album_gain > loud.track_gain_db && album_gain < quiet.track_gain_db);
    assert_eq!(quiet.album_peak_dbtp, Some(loud.true_peak_dbtp));
}

#[tokio::test]
async fn two_instances_never_do_the_same_job() {
    let app = spawn_app_with(with_workers(2)).await;
    let second = spawn_second_instance(&app, &with_workers(2)).await;
    let admin = app.admin("pairadmin").await;
    let token = &admin.access_token;
    for n in 0..4 {
        file_song(
            &app,
            token,
            noise_flac(3, 0.1, &format!("Pair {n}"), "Pairs"),
        )
        .await;
    }
    let jobs = jobs_settled(&app, token).await;
    assert_eq!((jobs.done, jobs.failed), (8, 0), "{jobs:?}");
    let mut conn = app.state.db.acquire().await.expect("connection");
    let (attempts,): (i64,) = sqlx::query_as("SELECT CAST(SUM(attempts) AS BIGINT) FROM jobs")
        .fetch_one(&mut *conn)
        .await
        .expect("sum");
    assert_eq!(attempts, 8, "every job claimed once");
    let done_by = |state: &soundstream_api::state::AppState| -> u64 {
        ["analysis", "renditions"]
            .iter()
            .map(|kind| state.job_metrics.with_label_values(&[kind, "done"]).get())
            .sum()
    };
    assert_eq!(done_by(&app.state) + done_by(&second.state), 8);
}

#[tokio::test]
async fn a_job_abandoned_by_a_dead_worker_is_finished_by_another() {
    let app = spawn_app_with(with_workers(0)).await;
    let admin = app.admin("takeoveradmin").await;
    let token = &admin.access_token;
    let filed = file_song(&app, token, noise_flac(3, 0.1, "Orphan", "Orphans")).await;
    // A worker claims a job, then its instance dies (its lease runs out).
    let mut conn = app.state.db.acquire().await.expect("connection");
    let now = now_millis();
    let claimed = jobs::claim(&mut conn, "dead-instance/0", now, now + 1_000)
        .await
        .expect("claim")
        .expect("a job");
    assert_eq!(claimed.subject_id, filed.id);
    drop(conn);
    let _worker = spawn_second_instance(&app, &with_workers(1)).await;
    let jobs = jobs_settled(&app, token).await;
    assert_eq!((jobs.done, jobs.failed), (2, 0), "{jobs:?}");
    let mut conn = app.state.db.acquire().await.expect("connection");
    let (attempts, claimed_by): (i64, String) =
        sqlx::query_as("SELECT attempts, claimed_by FROM jobs WHERE id = $1")
            .bind(&claimed.id)
            .fetch_one(&mut *conn)
            .await
            .expect("job");
    assert_eq!(attempts, 2);
    assert_ne!(claimed_by, "dead-instance/0");
    // The dead worker can no longer settle what it lost.
    assert!(
        !jobs::finish(&mut conn, &claimed, now_millis())
            .await
            .expect("finish")
    );
    assert!(song(&app, token, &filed.id).await.loudness.is_some());
}

#[tokio::test]
async fn cut_short_audio_fails_its_job_with_a_reason_and_work_goes_on() {
    let app = spawn_app_with(with_workers(1)).await;
    let admin = app.admin("badaudioadmin").await;
    let token = &admin.access_token;
    let whole = noise_flac(12, 0.1, "Cut Short", "Broken");
    let cut = whole[..whole.len() / 3].to_vec();
    let broken = file_song(&app, token, cut).await;
    let fine = file_song(&app, token, noise_flac(3, 0.1, "Intact", "Fine")).await;
    let jobs = jobs_settled(&app, token).await;
    assert_eq!(jobs.failed, 1, "{jobs:?}");
    let failure = &jobs.failures[0];
    assert_eq!(failure.kind, "renditions");
    assert_eq!(
        failure.song.as_ref().map(|s| s.id.as_str()),
        Some(broken.id.as_str())
    );
    assert!(failure.error.contains("cut short"), "{}", failure.error);
    // Playable still, in its original; the other song got its renditions.
    assert_eq!(
        playback(&app, token, &broken.id, "quality=low")
            .await
            .rendition,
        "original"
    );
    assert_eq!(
        playback(&app, token, &fine.id, "quality=low")
            .await
            .rendition,
        "opus-96"
    );
    let failed = app
        .state
        .job_metrics
        .with_label_values(&["renditions", "failed"])
        .get();
    assert_eq!(failed, 1);
}

#[tokio::test]
async fn deleting_a_song_deletes_its_renditions() {
    let app = spawn_app_with(with_workers(1)).await;
    let admin = app.admin("deleteadmin").await;
    let token = &admin.access_token;
    let filed = file_song(&app, token, noise_flac(2, 0.1, "Doomed", "Gone")).await;
    jobs_settled(&app, token).await;
    let mut conn = app.state.db.acquire().await.expect("connection");
    let keys: Vec<(String,)> =
        sqlx::query_as("SELECT object_key FROM renditions WHERE song_id = $1")
            .bind(&filed.id)
            .fetch_all(&mut *conn)
            .await
            .expect("keys");
    drop(conn);
    assert_eq!(keys.len(), 4);
    let response = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/songs/{}", filed.id),
            token,
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 204);
    maintenance::sweep(&app.state).await.expect("sweep");
    for (key,) in keys {
        let key = soundstream_storage::ObjectKey::parse(&key).expect("key");
        assert_eq!(
            app.state.storage.store.head(&key).await.expect("head"),
            None,
            "{key}"
        );
    }
}

fn soundstream(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_soundstream"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.database_url)
        .env("SOUNDSTREAM_DATA_DIR", app.data_dir())
        .env("SOUNDSTREAM_JWT_SECRET", crate::helpers::TEST_JWT_SECRET)
        .env("SOUNDSTREAM_LOG", "error")
        .args(args)
        .output()
        .expect("runs")
}

#[tokio::test]
async fn the_renditions_command_works_the_queue_with_failures_named() {
    let app = spawn_app_with(with_workers(0)).await;
    let admin = app.admin("cliadmin").await;
    let token = &admin.access_token;
    let folder = tempfile::tempdir().expect("folder");
    for name in ["tone.mp3", "tone.flac", "tone.ogg"] {
        std::fs::write(folder.path().join(name), crate::uploads::fixture(name)).expect("write");
    }
    let whole = noise_flac(12, 0.1, "Cut In Folder", "Broken");
    std::fs::write(folder.path().join("cut.flac"), &whole[..whole.len() / 3]).expect("write");
    let folder_path = folder.path().to_str().expect("UTF-8 path");
    let imported = soundstream(&app, &["import", folder_path]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stdout)
    );
    // The import queued each song's work; no instance here works on it.
    let jobs = overview(&app, token).await;
    assert_eq!((jobs.queued, jobs.done), (8, 0), "{jobs:?}");

    let first = soundstream(&app, &["renditions"]);
    let out = String::from_utf8_lossy(&first.stdout);
    assert_eq!(
        first.status.code(),
        Some(1),
        "a failed job fails the run\n{out}"
    );
    assert!(
        out.contains("0 song(s) queued; 7 job(s) done here, 1 failed"),
        "{out}"
    );
    assert!(
        out.contains("failed: renditions of song") && out.contains("cut short"),
        "{out}"
    );
    let jobs = overview(&app, token).await;
    assert_eq!(
        (jobs.queued, jobs.running, jobs.done, jobs.failed),
        (0, 0, 7, 1),
        "{jobs:?}"
    );

    // Nothing is missing but the cut song's renditions, which fail again.
    let again = soundstream(&app, &["renditions", "--missing"]);
    let out = String::from_utf8_lossy(&again.stdout);
    assert!(
        out.contains("1 song(s) queued; 0 job(s) done here, 1 failed"),
        "{out}"
    );

    let mut conn = app.state.db.acquire().await.expect("connection");
    let count = |sql: &'static str| {
        let sql = sql.to_owned();
        async move { sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql)) }
    };
    let (renditions_before,): (i64,) = count("SELECT COUNT(*) FROM renditions")
        .await
        .fetch_one(&mut *conn)
        .await
        .expect("count");
    assert_eq!(renditions_before, 12, "three songs, four renditions each");
    drop(conn);

    let all = soundstream(&app, &["renditions", "--all", "--workers", "1"]);
    let out = String::from_utf8_lossy(&all.stdout);
    assert!(
        out.contains("4 song(s) queued; 7 job(s) done here, 1 failed"),
        "{out}"
    );
    let mut conn = app.state.db.acquire().await.expect("connection");
    let (renditions_after,): (i64,) = count("SELECT COUNT(*) FROM renditions")
        .await
        .fetch_one(&mut *conn)
        .await
        .expect("count");
    assert_eq!(renditions_after, 12, "made again, replacing the old ones");
    let (garbage,): (i64,) = count("SELECT COUNT(*) FROM storage_garbage")
        .await
        .fetch_one(&mut *conn)
        .await
        .expect("count");
    assert!(
        garbage >= 12,
        "the replaced renditions are queued for deletion"
    );
    let page: soundstream_types::Page<Song> = app
        .authed(Method::GET, "/api/v1/songs", token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("page");
    assert_eq!(page.items.len(), 4);
    assert!(
        page.items.iter().all(|song| song.loudness.is_some()),
        "{:?}",
        page.items
    );
}

#[tokio::test]
async fn subsonic_stream_from_a_time_offset_starts_on_a_frame_of_the_mp3() {
    use crate::subsonic::{app_password, creds, rest_raw, with};

    let app = spawn_app_with(with_workers(0)).await;
    let admin = app.admin("offsetadmin").await;
    let token = &admin.access_token;
    let filed = file_song(&app, token, noise_flac(6, 0.1, "Seekable", "Offsets")).await;
    let key = app_password(&app, &admin, "Phone").await;
    let auth = creds("offsetadmin", &key.secret);
    // Before its renditions exist the offset is ignored: the original.
    let answer = rest_raw(
        &app,
        "stream",
        &with(auth.clone(), &[("id", &filed.id), ("timeOffset", "3")]),
    )
    .await;
    assert_eq!(answer.status().as_u16(), 302);

    let _worker = spawn_second_instance(&app, &with_workers(1)).await;
    jobs_settled(&app, token).await;
    let answer = rest_raw(
        &app,
        "stream",
        &with(auth.clone(), &[("id", &filed.id), ("timeOffset", "3")]),
    )
    .await;
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(answer.headers()["content-type"], "audio/mpeg");
    let tail = answer.bytes().await.expect("bytes");
    assert_eq!(&tail[..2], &[0xFF, 0xFB], "starts on a frame header");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tail.mp3");
    std::fs::write(&path, &tail).expect("write");
    let probed = probe(&path);
    assert!(
        (seconds(&probed) - 3.0).abs() <= 0.1,
        "{} s left",
        seconds(&probed)
    );

    let past_the_end = rest_raw(
        &app,
        "stream",
        &with(auth.clone(), &[("id", &filed.id), ("timeOffset", "60")]),
    )
    .await;
    assert_eq!(past_the_end.status().as_u16(), 200);
    assert!(past_the_end.bytes().await.expect("bytes").is_empty());
}
