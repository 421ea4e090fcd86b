//! Catalogue queries over a seeded library of 10,000 songs: the first and
//! a deep page of the songs list, artists, and search as you type. Runs
//! on SQLite, and on PostgreSQL too when `SOUNDSTREAM_BENCH_POSTGRES_URL`
//! names an empty database. `scripts/bench` runs it.

use criterion::{Criterion, criterion_group, criterion_main};
use soundstream_api::commands::admin::{NewAdmin, create_admin};
use soundstream_api::commands::seed::seed_library;
use soundstream_api::config::DatabaseUrl;
use soundstream_api::config::StorageSettings;
use soundstream_api::db::Database;
use soundstream_api::domain::SearchTerms;
use soundstream_api::persistence::songs::{self, After, SongOrder, SongQuery};
use soundstream_api::persistence::{library, search};
use soundstream_api::storage::MediaStorage;

const SONGS: usize = 10_000;

async fn seeded(url: DatabaseUrl, media: &std::path::Path) -> Database {
    let db = Database::connect(&url).await.expect("database");
    db.migrate().await.expect("migrations");
    let owner = create_admin(
        &db,
        NewAdmin {
            username: "bench",
            email: "bench@example.com",
            display_name: None,
            password: "correct horse battery staple",
        },
    )
    .await
    .expect("admin");
    let storage = MediaStorage::connect(
        &StorageSettings::Local {
            root: media.to_owned(),
        },
        b"bench-signing-key-0123456789abcdef",
    )
    .await
    .expect("storage");
    seed_library(&db, &storage, &owner, SONGS)
        .await
        .expect("seeded");
    db
}

fn queries(c: &mut Criterion, name: &str, runtime: &tokio::runtime::Runtime, db: &Database) {
    let mut group = c.benchmark_group(name);
    let page = |after: Option<After>| SongQuery {
        order: SongOrder::Title,
        descending: false,
        artist_id: None,
        album_id: None,
        genre: None,
        after,
        limit: 51,
    };
    group.bench_function("songs: first page by title", |b| {
        b.to_async(runtime).iter(|| async {
            let mut conn = db.acquire().await.expect("connection");
            songs::list(&mut conn, &page(None)).await.expect("page")
        });
    });
    group.bench_function("songs: a page deep in the list (keyset)", |b| {
        b.to_async(runtime).iter(|| async {
            let mut conn = db.acquire().await.expect("connection");
            let after = After::Text("paper storm 9000".into(), "z".into());
            songs::list(&mut conn, &page(Some(after)))
                .await
                .expect("page")
        });
    });
    group.bench_function("artists: first page", |b| {
        b.to_async(runtime).iter(|| async {
            let mut conn = db.acquire().await.expect("connection");
            library::artists(&mut conn, None, 51).await.expect("page")
        });
    });
    for typed in ["l", "lov", "cancion", "corazon noche"] {
        let terms = SearchTerms::parse("q", typed).expect("terms");
        group.bench_function(format!("search songs: {typed:?}"), |b| {
            b.to_async(runtime).iter(|| async {
                let mut conn = db.acquire().await.expect("connection");
                search::songs(&mut conn, &terms, 10).await.expect("results")
            });
        });
    }
    group.finish();
}

fn catalogue(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = runtime.block_on(seeded(
        DatabaseUrl::Sqlite(format!("sqlite://{}/bench.db", dir.path().display())),
        &dir.path().join("media"),
    ));
    queries(c, "sqlite", &runtime, &sqlite);
    if let Ok(url) = std::env::var("SOUNDSTREAM_BENCH_POSTGRES_URL") {
        let postgres = runtime.block_on(seeded(
            DatabaseUrl::Postgres(url),
            &dir.path().join("media"),
        ));
        queries(c, "postgres", &runtime, &postgres);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = catalogue
}
criterion_main!(benches);
