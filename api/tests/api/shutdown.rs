//! Graceful shutdown of the real binary: SIGTERM turns readiness to 503 at
//! once, in-flight requests finish, then the process exits cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt;

use crate::helpers::{assert_problem, fresh_database_url};

const BIG_FILE_BYTES: usize = 48 * 1024 * 1024;

pub struct RunningBinary {
    pub child: Child,
    pub address: String,
}

impl Drop for RunningBinary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `soundstream serve` and waits for its "listening" log line.
pub fn start_binary(envs: &[(&str, String)], cwd: &std::path::Path) -> RunningBinary {
    let mut child = Command::new(env!("CARGO_BIN_EXE_soundstream"))
        .arg("serve")
        .current_dir(cwd)
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .env("SOUNDSTREAM_BIND", "127.0.0.1:0")
        .env("SOUNDSTREAM_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the soundstream binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let address = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the binary logs that it is listening");
        let Ok(event) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if event["message"] == "SoundStream listening" {
            break event["address"].as_str().expect("address field").to_owned();
        }
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in rx {});
    RunningBinary { child, address }
}

fn send_sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

#[tokio::test]
async fn sigterm_drains_readiness_finishes_in_flight_requests_and_exits() {
    let data_dir = tempfile::tempdir().expect("data dir");
    let web_dir = tempfile::tempdir().expect("web dir");
    std::fs::write(web_dir.path().join("index.html"), "<!doctype html>").expect("index");
    std::fs::write(web_dir.path().join("big.bin"), vec![7_u8; BIG_FILE_BYTES]).expect("big");
    let database_url = fresh_database_url(data_dir.path()).await;
    let mut server = start_binary(
        &[
            (
                "SOUNDSTREAM_DATA_DIR",
                data_dir.path().display().to_string(),
            ),
            ("SOUNDSTREAM_WEB_DIR", web_dir.path().display().to_string()),
            ("DATABASE_URL", database_url),
            ("SOUNDSTREAM_SHUTDOWN_DRAIN_SECONDS", "2".into()),
        ],
        data_dir.path(),
    );
    let base = format!("http://{}", server.address);
    let downloader = reqwest::Client::new();
    let prober = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    assert_eq!(
        prober
            .get(format!("{base}/readyz"))
            .send()
            .await
            .expect("sent")
            .status(),
        200
    );

    // A download in flight: read one chunk, then stop reading for a while.
    let response = downloader
        .get(format!("{base}/big.bin"))
        .send()
        .await
        .expect("download starts");
    assert_eq!(response.status(), 200);
    let mut body = response.bytes_stream();
    let mut received = body.next().await.expect("a chunk").expect("chunk ok").len();

    send_sigterm(&server.child);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let readiness = prober
        .get(format!("{base}/readyz"))
        .send()
        .await
        .expect("sent");
    let liveness = prober
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("sent");

    let problem = assert_problem(readiness, 503).await;
    assert!(
        problem.detail.contains("shutting down"),
        "{}",
        problem.detail
    );
    assert_eq!(liveness.status(), 200, "still serving while draining");

    // Wait past the drain period: the listener closes, the download goes on.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        prober.get(format!("{base}/healthz")).send().await.is_err(),
        "no new connections after the drain"
    );
    while let Some(chunk) = body.next().await {
        received += chunk.expect("the in-flight download completes").len();
    }
    assert_eq!(received, BIG_FILE_BYTES);
    drop(downloader);

    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the process exits after draining"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "clean exit: {status}");
}
