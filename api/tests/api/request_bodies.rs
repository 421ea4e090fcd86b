//! Compressed request bodies cannot exhaust the service: a few hundred
//! kilobytes of gzip or zstd that would inflate to gigabytes are refused
//! with a 415 before anything inflates them, on the JSON routes and the
//! upload route alike, and the real binary's peak memory barely moves.
//! Media answers are never compressed on the fly.

use std::io::Write;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};

use crate::helpers::{assert_problem, fresh_database_url};
use crate::shutdown::start_binary;

/// Decompressed size of each bomb: 1 GiB of zeros.
const BOMB_INFLATES_TO: usize = 1024 * 1024 * 1024;
const MEMBER: usize = 1024 * 1024;

/// Concatenated gzip members (valid gzip) of 1 MiB of zeros each.
fn gzip_bomb() -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0_u8; MEMBER]).expect("compress");
    let member = encoder.finish().expect("gzip member");
    member.repeat(BOMB_INFLATES_TO / MEMBER)
}

/// Concatenated zstd frames (valid zstd) of 1 MiB of zeros each.
fn zstd_bomb() -> Vec<u8> {
    let frame = zstd::encode_all(&vec![0_u8; MEMBER][..], 19).expect("zstd frame");
    frame.repeat(BOMB_INFLATES_TO / MEMBER)
}

/// The process's peak resident memory (VmHWM), in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .expect("a VmHWM line");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number of kB");
    kib * 1024
}

#[tokio::test]
async fn compression_bombs_are_refused_at_once_without_inflating() {
    let data_dir = tempfile::tempdir().expect("data dir");
    let database_url = fresh_database_url(data_dir.path()).await;
    let server = start_binary(
        &[
            (
                "SOUNDSTREAM_DATA_DIR",
                data_dir.path().display().to_string(),
            ),
            ("DATABASE_URL", database_url),
        ],
        data_dir.path(),
    );
    let base = format!("http://{}", server.address);
    let client = reqwest::Client::new();
    let bombs = [("gzip", gzip_bomb()), ("zstd", zstd_bomb())];
    for (coding, bomb) in &bombs {
        assert!(
            bomb.len() < 4 * 1024 * 1024,
            "{coding}: {} bytes",
            bomb.len()
        );
    }
    // Warm up, then measure from here: the bombs alone must not add memory.
    let ready = client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .expect("sent");
    assert_eq!(ready.status(), 200);
    let before = peak_rss(server.child.id());

    let targets = [
        ("/api/v1/auth/login", "application/json"),
        ("/api/v1/auth/register", "application/json"),
        // The local backend's upload route (a signed URL is not even needed
        // to be refused: the encoding is checked first).
        (
            "/media/audio/0123456789abcdef0123456789abcdef?ct=audio%2Fmpeg&len=1&exp=1&sig=x",
            "audio/mpeg",
        ),
    ];
    for (path, content_type) in targets {
        for (coding, bomb) in &bombs {
            let request = if path.starts_with("/media") {
                client.put(format!("{base}{path}"))
            } else {
                client.post(format!("{base}{path}"))
            };
            let started = Instant::now();
            let response = request
                .header(CONTENT_TYPE, content_type)
                .header(CONTENT_ENCODING, *coding)
                .body(bomb.clone())
                .send()
                .await
                .expect("an answer, not a dropped connection");
            let elapsed = started.elapsed();
            assert_problem(response, 415).await;
            assert!(
                elapsed < Duration::from_secs(1),
                "{coding} bomb to {path} took {elapsed:?}"
            );
        }
    }

    let growth = peak_rss(server.child.id()).saturating_sub(before);
    eprintln!(
        "compression bombs: peak RSS {} MB before, grew by {} KB",
        before / (1024 * 1024),
        growth / 1024
    );
    assert!(
        growth < 50 * 1024 * 1024,
        "peak RSS grew by {} MB under the bombs",
        growth / (1024 * 1024)
    );
    // Still serving.
    let ready = client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .expect("sent");
    assert_eq!(ready.status(), 200);
}

#[tokio::test]
async fn an_identity_content_encoding_is_accepted() {
    let app = crate::helpers::spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header(CONTENT_ENCODING, "identity")
        .json(&serde_json::json!({"login": "nobody", "password": "wrong password"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn media_is_never_compressed_on_the_fly() {
    let app = crate::helpers::spawn_app().await;
    let admin = app.admin("boss").await;
    let song = crate::songs::create_song(
        &app,
        &admin.access_token,
        "tone.wav",
        "audio/wav",
        serde_json::json!({}),
    )
    .await;
    let playback: soundstream_types::PlaybackUrl = app
        .authed(
            reqwest::Method::GET,
            &format!("/api/v1/songs/{}/stream", song.id),
            &admin.access_token,
        )
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("a playback URL");
    let url = playback.url;
    for accept in ["gzip", "br", "zstd", "gzip, deflate, br, zstd"] {
        let response = app
            .client
            .get(&url)
            .header(ACCEPT_ENCODING, accept)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200);
        let encoding = response
            .headers()
            .get(CONTENT_ENCODING)
            .map(|value| value.to_str().unwrap_or_default().to_owned());
        assert!(
            encoding.as_deref().is_none_or(|e| e == "identity"),
            "Accept-Encoding {accept}: answered with Content-Encoding {encoding:?}"
        );
    }
}

/// Reads whatever the server sends until it closes the connection (or
/// `limit` passes), and how long that took.
async fn read_until_closed(
    stream: &mut tokio::net::TcpStream,
    limit: Duration,
) -> (String, Duration) {
    use tokio::io::AsyncReadExt;
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(limit, stream.read_to_end(&mut answer)).await;
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

async fn connect(app: &crate::helpers::TestApp) -> tokio::net::TcpStream {
    let address = app.address.trim_start_matches("http://");
    tokio::net::TcpStream::connect(address)
        .await
        .expect("connected")
}

#[tokio::test]
async fn headers_that_never_finish_are_cut_off() {
    use tokio::io::AsyncWriteExt;
    let app = crate::helpers::spawn_app().await;
    let mut stream = connect(&app).await;

    // A slow-loris: a request line and one header, then silence.
    stream
        .write_all(b"GET /readyz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("sent");
    let (answer, waited) = read_until_closed(&mut stream, Duration::from_secs(20)).await;

    assert!(waited < Duration::from_secs(10), "cut off after {waited:?}");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    let readyz = app.get("/readyz").await;
    assert_eq!(readyz.status().as_u16(), 200);
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_abandoned_with_a_problem() {
    use tokio::io::AsyncWriteExt;
    let app = crate::helpers::spawn_app().await;
    let mut stream = connect(&app).await;

    stream
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{\"login\":",
        )
        .await
        .expect("sent");
    let (answer, waited) = read_until_closed(&mut stream, Duration::from_secs(30)).await;

    assert!(
        waited < soundstream_api::http::body::BODY_IDLE_TIMEOUT + Duration::from_secs(5),
        "abandoned after {waited:?}"
    );
    let status: u16 = answer
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("an HTTP answer, got {answer:?}"));
    assert!((400..500).contains(&status), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
}
