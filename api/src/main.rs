//! The `soundstream` command: serve (default), migrate, openapi.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use soundstream_api::commands::admin::{NewAdmin, create_admin};
use soundstream_api::config::Settings;
use soundstream_api::db::Database;
use soundstream_api::http::openapi;
use soundstream_api::startup::Application;
use soundstream_api::telemetry;

#[derive(Debug, Parser)]
#[command(
    name = "soundstream",
    version,
    about = "SoundStream: a self-hostable music streaming service",
    long_about = "SoundStream: a self-hostable music streaming service.\n\n\
Configuration comes from environment variables (and a .env file when present): \
SOUNDSTREAM_BIND, SOUNDSTREAM_DATA_DIR, DATABASE_URL, SOUNDSTREAM_STORAGE, \
SOUNDSTREAM_WEB_DIR, SOUNDSTREAM_CORS_ORIGINS, SOUNDSTREAM_LOG, SOUNDSTREAM_LOG_FORMAT and more; \
see README.md. With none set it runs on SQLite and local files under ./data."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP API (the default when no command is given).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Print the OpenAPI document as YAML.
    Openapi,
    /// Import a folder of audio files (recursively) into the library, with
    /// a progress bar. Files already imported (same content) are skipped,
    /// so it can be run again after an interruption. Exits 1 if any file
    /// failed, after listing each with its reason.
    Import {
        /// The folder to import.
        dir: std::path::PathBuf,
        /// The administrator the songs are filed under (default: the
        /// oldest administrator).
        #[arg(long, value_name = "USERNAME")]
        owner: Option<String>,
        /// Files processed at once.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
        jobs: u16,
    },
    /// Make songs' renditions and loudness analysis again, working the job
    /// queue here (with a progress bar) until it is empty. Exits 1 if any
    /// job failed, after listing each with its reason.
    Renditions {
        /// Every song: renditions made again, loudness measured again.
        #[arg(long, conflicts_with = "missing")]
        all: bool,
        /// Only songs lacking a rendition or their loudness (the default).
        #[arg(long)]
        missing: bool,
        /// Jobs run at once here.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
        workers: u16,
    },
    /// Add N generated songs to the library, for performance work. They
    /// all play one short silent tone.
    Seed {
        #[arg(long, default_value_t = 10_000)]
        songs: usize,
        /// The administrator the songs are filed under (default: the
        /// oldest administrator).
        #[arg(long, value_name = "USERNAME")]
        owner: Option<String>,
    },
    /// Administration from the command line.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an administrator. The password is read from the first line of
    /// standard input, or from the variable named by --password-env.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// Shown in the player; defaults to the username.
        #[arg(long)]
        display_name: Option<String>,
        /// Name of an environment variable holding the password.
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
}

fn main() -> ExitCode {
    keep_large_allocations_out_of_the_heap();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        return print_openapi();
    }

    let settings = match Settings::from_process_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("soundstream: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init_subscriber(&settings.log, std::io::stdout);
    for warning in &settings.warnings {
        tracing::warn!("{warning}");
    }

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("soundstream: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match command {
            Command::Migrate => migrate(settings).await,
            Command::Admin(AdminCommand::Create {
                username,
                email,
                display_name,
                password_env,
            }) => {
                let password = read_password(password_env.as_deref())?;
                let db = Database::connect(&settings.database_url).await?;
                db.migrate().await?;
                let id = create_admin(
                    &db,
                    NewAdmin {
                        username: &username,
                        email: &email,
                        display_name: display_name.as_deref(),
                        password: &password,
                    },
                )
                .await?;
                db.close().await;
                tracing::info!(user_id = %id, %username, "administrator created");
                Ok(())
            }
            Command::Import { dir, owner, jobs } => {
                import(settings, &dir, owner.as_deref(), jobs.into()).await
            }
            Command::Seed { songs, owner } => seed(settings, songs, owner.as_deref()).await,
            Command::Renditions {
                all,
                missing: _,
                workers,
            } => renditions(settings, all, workers.into()).await,
            Command::Serve | Command::Openapi => Box::pin(serve(settings)).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(
                error = format!("{error:#}"),
                "soundstream stopped on an error"
            );
            eprintln!("soundstream: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// glibc raises its mmap threshold to the size of the largest block freed
/// (up to 32 MiB). After the first password hash (19 MiB of argon2 memory)
/// every later one comes from the heap, where small allocations split the
/// freed blocks, so the heap grew with each login: 544–775 MB under a
/// login flood, never returned. A fixed threshold keeps large blocks in
/// their own mappings, given back to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn keep_large_allocations_out_of_the_heap() {
    // SAFETY: called first thing in `main`, before any other thread
    // exists; mallopt only sets a parameter of glibc's allocator.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_allocations_out_of_the_heap() {}

/// When the server gives back its allocator's free memory: soon after it
/// started, then this often.
const FIRST_TRIM_AFTER: std::time::Duration = std::time::Duration::from_secs(2);
const TRIM_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// glibc keeps freed memory in its arenas unless the top of one is free:
/// what start-up built and dropped (two arenas of 8.6 MB at idle, measured
/// in docs/benchmarks.md) and the buffers of a load peak stayed part of the
/// process. A trim hands those pages back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn give_back_free_memory() {
    // SAFETY: malloc_trim takes each arena's lock and only releases pages
    // of free chunks; glibc allows it from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_back_free_memory() {}

/// Trims the allocator on the blocking pool, soon after start and then
/// regularly, until aborted.
async fn keep_giving_back_free_memory() {
    tokio::time::sleep(FIRST_TRIM_AFTER).await;
    loop {
        if let Err(error) = tokio::task::spawn_blocking(give_back_free_memory).await {
            tracing::warn!(%error, "trimming the allocator failed");
        }
        tokio::time::sleep(TRIM_EVERY).await;
    }
}

async fn seed(settings: Settings, songs: usize, owner: Option<&str>) -> anyhow::Result<()> {
    use soundstream_api::commands::{import, seed};

    let (db, storage) = library_access(&settings).await?;
    let owner_id = import::owner(&db, owner).await?;
    let report = seed::seed_library(&db, &storage, &owner_id, songs).await?;
    db.close().await;
    writeln!(
        std::io::stdout().lock(),
        "Seeded {} songs, {} playlists, {} favourites and {} plays in {:.1} s.",
        report.songs,
        report.playlists,
        report.favorites,
        report.plays,
        report.elapsed.as_secs_f64()
    )?;
    Ok(())
}

/// The database (migrated) and media storage, for commands that change
/// the library.
async fn library_access(
    settings: &Settings,
) -> anyhow::Result<(Database, soundstream_api::storage::MediaStorage)> {
    let db = Database::connect(&settings.database_url).await?;
    db.migrate().await?;
    let storage = soundstream_api::storage::MediaStorage::connect(
        &settings.storage,
        &soundstream_api::auth::secret::JwtSecret::for_settings(settings)?.media_url_key(),
    )
    .await?;
    Ok((db, storage))
}

async fn renditions(settings: Settings, all: bool, workers: usize) -> anyhow::Result<()> {
    use soundstream_api::commands::renditions;
    use soundstream_api::services::audio_work::JobContext;
    use soundstream_api::services::jobs::Reprocess;
    use soundstream_transcode::Ffmpeg;

    let ffmpeg = Ffmpeg::new(&settings.jobs.ffmpeg, &settings.jobs.ffprobe);
    ffmpeg.version().await.context(
        "renditions need ffmpeg and ffprobe (install them, or set SOUNDSTREAM_FFMPEG and SOUNDSTREAM_FFPROBE)",
    )?;
    let (db, storage) = library_access(&settings).await?;
    let ctx = JobContext {
        db: db.clone(),
        store: storage.store,
        ffmpeg,
        metrics: soundstream_api::metrics::job_counter()?,
    };
    let scope = if all {
        Reprocess::All
    } else {
        Reprocess::Missing
    };
    let progress = renditions::progress_bar();
    let summary = renditions::reprocess(&ctx, scope, workers, &progress).await;
    progress.finish_and_clear();
    db.close().await;
    let summary = summary?;
    std::io::stdout()
        .lock()
        .write_all(summary.to_string().as_bytes())?;
    if summary.failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow::anyhow!("{} job(s) failed", summary.failed.len()))
    }
}

async fn import(
    settings: Settings,
    dir: &std::path::Path,
    owner: Option<&str>,
    jobs: usize,
) -> anyhow::Result<()> {
    use soundstream_api::commands::import;

    let (files, ignored) = import::audio_files(dir)?;
    let (db, storage) = library_access(&settings).await?;
    let owner_id = import::owner(&db, owner).await?;
    let released = import::release_interrupted(&db, &storage).await?;
    let progress = import::progress_bar(files.len() as u64);
    let mut summary = import::import_files(&db, &storage, &owner_id, files, jobs, &progress).await;
    progress.finish_and_clear();
    summary.ignored = ignored;
    summary.released = released;
    db.close().await;
    // The summary is the command's output, for people and scripts alike.
    std::io::stdout()
        .lock()
        .write_all(summary.to_string().as_bytes())?;
    if summary.failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "{} file(s) could not be imported",
            summary.failed.len()
        ))
    }
}

fn print_openapi() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(openapi::yaml().as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("soundstream: cannot write the OpenAPI document: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The password from `var`, or the first line of standard input.
fn read_password(var: Option<&str>) -> anyhow::Result<String> {
    match var {
        Some(var) => std::env::var(var)
            .with_context(|| format!("--password-env names {var}, which is not set")),
        None => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("cannot read the password from standard input")?;
            let password = line.trim_end_matches(['\n', '\r']).to_owned();
            anyhow::ensure!(!password.is_empty(), "no password on standard input");
            Ok(password)
        }
    }
}

async fn migrate(settings: Settings) -> anyhow::Result<()> {
    let db = Database::connect(&settings.database_url).await?;
    db.migrate().await?;
    tracing::info!(database = %settings.database_url, "migrations applied");
    db.close().await;
    Ok(())
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let bind = settings.bind;
    let database = settings.database_url.to_string();
    let web_dir = settings.web_dir.clone();
    let app = Application::build(settings)
        .await
        .context("cannot start the API")?;
    tracing::info!(
        address = %format!("{}:{}", bind.ip(), app.port()),
        url = %format!("http://{}:{}/", bind.ip(), app.port()),
        %database,
        web_player = %web_dir.as_deref().map_or("not served".into(), |d| d.display().to_string()),
        "SoundStream listening"
    );
    let shutdown = app.shutdown_controller();
    let signals = tokio::spawn(shutdown.stop_on_signals());
    let trimming = tokio::spawn(keep_giving_back_free_memory());
    app.run_until_stopped().await?;
    trimming.abort();
    signals.abort();
    tracing::info!("SoundStream stopped");
    Ok(())
}
