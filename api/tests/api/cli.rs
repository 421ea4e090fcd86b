//! The `soundstream` command line: help, configuration errors, migrate, openapi.

use std::process::Command;

use crate::helpers::fresh_database_url;

fn soundstream() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_soundstream"));
    // A clean environment: only what each test sets, plus PATH.
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

#[test]
fn help_lists_the_commands() {
    let output = soundstream().arg("--help").output().expect("runs");

    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for command in ["serve", "migrate", "openapi"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn bad_configuration_stops_start_up_with_one_clear_line() {
    let dir = tempfile::tempdir().expect("temp dir");

    let output = soundstream()
        .current_dir(dir.path())
        .arg("serve")
        .env("SOUNDSTREAM_BIND", "not-an-address")
        .output()
        .expect("runs");

    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("SOUNDSTREAM_BIND"), "{stderr}");
    assert!(stderr.contains("not-an-address"), "{stderr}");
    assert!(stderr.contains("expected"), "{stderr}");
}

#[tokio::test]
async fn migrate_prepares_a_fresh_database_and_exits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(dir.path()).await;

    let output = soundstream()
        .current_dir(dir.path())
        .arg("migrate")
        .env("SOUNDSTREAM_DATA_DIR", dir.path())
        .env("DATABASE_URL", &url)
        .output()
        .expect("runs");

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("migrations applied"), "{stdout}");
}

#[test]
fn openapi_prints_the_document_as_yaml() {
    let output = soundstream().arg("openapi").output().expect("runs");

    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        soundstream_api::http::openapi::yaml()
    );
}
