//! Integration tests: each starts the real application on 127.0.0.1:0 with a
//! fresh database (SQLite by default; PostgreSQL when
//! `SOUNDSTREAM_TEST_POSTGRES_URL` names a server) and talks HTTP to it.

mod admin;
mod auth;
mod authorization;
mod browser_defences;
mod cli;
mod database;
mod docs;
mod documented_statuses;
mod face;
mod face_liveness;
#[cfg(feature = "face-local")]
mod face_local;
mod first_admin;
mod helpers;
mod import;
mod ingest;
mod library;
mod listening;
mod me;
mod metrics;
mod opensubsonic_schema;
mod pagination;
mod playlists;
mod problems;
mod renditions;
mod request_bodies;
mod s3_storage;
mod search;
mod service;
mod sessions;
mod shutdown;
mod sign_in_abuse;
mod songs;
mod stations;
mod subsonic;
mod subsonic_listeners;
mod tokens;
mod translation;
mod upload_integrity;
mod uploads;
mod web_player;
