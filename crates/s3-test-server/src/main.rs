//! The test S3 server as a process, for tests that run several API
//! instances (scale-out) or deploy scripts against one bucket store:
//!
//! `soundstream-s3-server ADDRESS ROOT BUCKET...` serves the buckets
//! (created as directories under ROOT when missing) at ADDRESS with the
//! fixed test credentials of this crate, until SIGTERM or Ctrl-C.

use std::path::PathBuf;
use std::process::ExitCode;

use soundstream_s3_test_server::serve;
use tokio::net::TcpListener;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (address, root, buckets) = match args.as_slice() {
        [address, root, buckets @ ..] if !buckets.is_empty() => (address, root, buckets),
        _ => {
            eprintln!("usage: soundstream-s3-server ADDRESS ROOT BUCKET...");
            return ExitCode::from(2);
        }
    };
    let root = PathBuf::from(root);
    for bucket in buckets {
        if let Err(error) = std::fs::create_dir_all(root.join(bucket)) {
            eprintln!("soundstream-s3-server: cannot create bucket {bucket}: {error}");
            return ExitCode::FAILURE;
        }
    }
    let listener = match TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("soundstream-s3-server: cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let endpoint = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    eprintln!(
        "soundstream-s3-server: http://{endpoint} serving {}",
        buckets.join(", ")
    );
    let mut terminate =
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(error) => {
                eprintln!("soundstream-s3-server: cannot watch SIGTERM: {error}");
                return ExitCode::FAILURE;
            }
        };
    tokio::select! {
        () = serve(listener, root) => {}
        _ = terminate.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    ExitCode::SUCCESS
}
