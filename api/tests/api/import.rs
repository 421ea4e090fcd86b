//! `soundstream import DIR`, run as the real binary against a running
//! deployment's database and storage: tags become songs, duplicates and
//! other files are skipped, a corrupt file is reported with its reason,
//! and a second run adds nothing.

use std::path::Path;
use std::process::{Command, Output};

use reqwest::Method;
use soundstream_types::{Page, PlaybackUrl, Song};

use crate::helpers::{TEST_JWT_SECRET, TestApp, spawn_app};
use crate::uploads::fixture;

fn import(app: &TestApp, dir: &Path) -> Output {
    import_with(app, dir, &[])
}

fn import_with(app: &TestApp, dir: &Path, options: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_soundstream"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.database_url)
        .env("SOUNDSTREAM_DATA_DIR", app.data_dir())
        .env("SOUNDSTREAM_JWT_SECRET", TEST_JWT_SECRET)
        .env("SOUNDSTREAM_LOG", "error")
        .arg("import")
        .args(options)
        .arg(dir)
        .output()
        .expect("runs")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, bytes).expect("written");
}

async fn songs(app: &TestApp, token: &str) -> Vec<Song> {
    let page: Page<Song> = app
        .authed(Method::GET, "/api/v1/songs?limit=200", token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("page");
    page.items
}

#[tokio::test]
async fn a_folder_is_imported_once_with_failures_named() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let folder = tempfile::tempdir().expect("folder");
    let dir = folder.path();
    write(dir, "tone.mp3", &fixture("tone.mp3"));
    write(dir, "Copy of tone.MP3", &fixture("tone.mp3"));
    write(dir, "a/tone.flac", &fixture("tone.flac"));
    write(dir, "a/tone.ogg", &fixture("tone.ogg"));
    write(dir, "a/b/tone.opus", &fixture("tone.opus"));
    write(dir, "a/b/tone.wav", &fixture("tone.wav"));
    write(
        dir,
        "a/b/broken.m4a",
        b"this is not an MP4 file at all, only text",
    );
    write(dir, "a/cover.jpg", &fixture("cover.jpg"));
    write(dir, "notes.txt", b"liner notes");

    let first = import(&app, dir);
    let second = import(&app, dir);

    let out = String::from_utf8_lossy(&first.stdout);
    assert_eq!(
        first.status.code(),
        Some(1),
        "a failed file fails the run\n{out}"
    );
    assert!(
        out.contains(
            "Imported 5 file(s), 1 already in the library, 1 failed, 2 other file(s) ignored."
        ),
        "{out}"
    );
    assert!(out.contains("broken.m4a: not audio"), "{out}");
    assert!(out.contains("files/s"), "{out}");
    let again = String::from_utf8_lossy(&second.stdout);
    assert!(
        again.contains("Imported 0 file(s), 6 already in the library, 1 failed"),
        "{again}"
    );

    let token = &admin.access_token;
    let library = songs(&app, token).await;
    assert_eq!(library.len(), 5, "no song twice");
    let mp3 = library
        .iter()
        .find(|song| song.title == "Canción de prueba")
        .expect("the MP3's tagged title");
    assert_eq!(mp3.artist.name, "Beyoncé");
    let cover = app
        .client
        .get(
            mp3.cover_url
                .as_deref()
                .expect("embedded art became the cover"),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(cover.status(), 200);
    assert!(
        !cover.bytes().await.expect("cover bytes").is_empty(),
        "the cover's object is stored"
    );
    let (pending,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM uploads WHERE status <> 'complete'")
            .fetch_one(app.state.db.pool())
            .await
            .expect("count");
    assert_eq!(pending, 0, "every upload the import reserved was completed");
    let stream: PlaybackUrl = app
        .authed(
            Method::GET,
            &format!("/api/v1/songs/{}/stream", mp3.id),
            token,
        )
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("url");
    let audio = app
        .client
        .get(&stream.url)
        .send()
        .await
        .expect("sent")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(audio.as_ref(), fixture("tone.mp3").as_slice());
}

#[tokio::test]
async fn import_needs_an_administrator_and_a_folder() {
    let app = spawn_app().await;
    let folder = tempfile::tempdir().expect("folder");
    write(folder.path(), "tone.mp3", &fixture("tone.mp3"));

    let no_admin = import(&app, folder.path());
    let no_folder = import(&app, &folder.path().join("missing"));

    assert_eq!(no_admin.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&no_admin.stderr).contains("soundstream admin create"),
        "{}",
        String::from_utf8_lossy(&no_admin.stderr)
    );
    assert_eq!(no_folder.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_folder.stderr).contains("is not a folder"));
}

/// A valid WAV of `data_bytes` bytes of silence, written in chunks.
fn write_big_wav(path: &Path, data_bytes: u32) {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("created"));
    let (channels, rate, bits) = (2_u16, 44_100_u32, 16_u16);
    let block = channels * bits / 8;
    file.write_all(b"RIFF").expect("written");
    file.write_all(&(36 + data_bytes).to_le_bytes())
        .expect("written");
    file.write_all(b"WAVEfmt ").expect("written");
    file.write_all(&16_u32.to_le_bytes()).expect("written");
    file.write_all(&1_u16.to_le_bytes()).expect("written");
    file.write_all(&channels.to_le_bytes()).expect("written");
    file.write_all(&rate.to_le_bytes()).expect("written");
    file.write_all(&(rate * u32::from(block)).to_le_bytes())
        .expect("written");
    file.write_all(&block.to_le_bytes()).expect("written");
    file.write_all(&bits.to_le_bytes()).expect("written");
    file.write_all(b"data").expect("written");
    file.write_all(&data_bytes.to_le_bytes()).expect("written");
    let chunk = vec![0_u8; 1 << 20];
    let mut left = data_bytes as usize;
    while left > 0 {
        let n = left.min(chunk.len());
        file.write_all(&chunk[..n]).expect("written");
        left -= n;
    }
    file.flush().expect("flushed");
}

#[tokio::test]
async fn big_files_are_streamed_not_held_in_memory() {
    const DATA: u32 = 150 * 1024 * 1024;
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let folder = tempfile::tempdir().expect("folder");
    write_big_wav(&folder.path().join("long silence.wav"), DATA);

    let mut child = Command::new(env!("CARGO_BIN_EXE_soundstream"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.database_url)
        .env("SOUNDSTREAM_DATA_DIR", app.data_dir())
        .env("SOUNDSTREAM_JWT_SECRET", TEST_JWT_SECRET)
        .env("SOUNDSTREAM_LOG", "error")
        .arg("import")
        .arg(folder.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let mut peak = 0_u64;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        if let Some(rss) = peak_rss(child.id()) {
            peak = peak.max(rss);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };

    assert!(status.success());
    assert!(
        peak < u64::from(DATA) / 2,
        "peak RSS {} MB while importing a {} MB file",
        peak >> 20,
        DATA >> 20
    );
    let imported = songs(&app, &admin.access_token).await;
    assert_eq!(imported.len(), 1);
    assert_eq!(imported[0].title, "long silence");
    eprintln!(
        "imported {} MB with a peak RSS of {} MB",
        DATA >> 20,
        peak >> 20
    );
}

/// The process's peak resident memory (VmHWM) so far, while it lives.
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: u64 = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib * 1024)
}

#[tokio::test]
async fn a_folder_larger_than_a_batch_is_imported_once_in_parallel() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let folder = tempfile::tempdir().expect("folder");
    let dir = folder.path();
    let flac = fixture("tone.flac");
    // 150 distinct files (more than two batches of 64), each also copied
    // under another name further on, so copies land in other batches.
    for i in 0..150 {
        let mut bytes = flac.clone();
        bytes.extend_from_slice(format!("distinct-{i:04}").as_bytes());
        write(dir, &format!("a/{i:04}.flac"), &bytes);
        if i % 10 == 0 {
            write(dir, &format!("z/copy-{i:04}.flac"), &bytes);
        }
    }

    let first = import(&app, dir);
    let second = import(&app, dir);

    let out = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{out}");
    assert!(
        out.contains("Imported 150 file(s), 15 already in the library, 0 failed"),
        "{out}"
    );
    let again = String::from_utf8_lossy(&second.stdout);
    assert!(
        again.contains("Imported 0 file(s), 165 already in the library, 0 failed"),
        "{again}"
    );
    assert_eq!(songs(&app, &admin.access_token).await.len(), 150);
}

#[tokio::test]
async fn the_most_jobs_allowed_import_a_folder_without_running_out_of_connections() {
    let app = spawn_app().await;
    // The songs' owner.
    app.admin("boss").await;
    let folder = tempfile::tempdir().expect("folder");
    let dir = folder.path();
    let flac = fixture("tone.flac");
    // Far more files than the pool has connections and the examining stage
    // may run ahead of filing, so it has to wait for it.
    for i in 0..600 {
        let mut bytes = flac.clone();
        bytes.extend_from_slice(format!("distinct-{i:04}").as_bytes());
        write(dir, &format!("{:02}/{i:04}.flac", i / 100), &bytes);
    }

    let imported = import_with(&app, dir, &["--jobs", "64"]);

    let out = String::from_utf8_lossy(&imported.stdout);
    let err = String::from_utf8_lossy(&imported.stderr);
    assert!(imported.status.success(), "{out}\n{err}");
    assert!(
        out.contains("Imported 600 file(s), 0 already in the library, 0 failed"),
        "{out}"
    );
}
