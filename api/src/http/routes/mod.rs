//! HTTP handlers, one file per resource. [`configure`] registers them all;
//! the OpenAPI document is collected from the same registration, so the
//! served routes and the published contract cannot drift apart.

pub mod admin_jobs;
pub mod admin_stats;
pub mod admin_users;
pub mod app_passwords;
pub mod auth;
pub mod face;
pub mod fallback;
pub mod health;
pub mod library;
pub mod listening;
pub mod me;
pub mod media;
pub mod playlists;
pub mod search;
pub mod service_config;
pub mod songs;
pub mod stations;
pub mod translation;
pub mod uploads;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Mounts every documented route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(media::download)
        .service(media::upload)
        .service(
            scope("/api/v1")
                .service(service_config::get_service_config)
                .service(auth::register)
                .service(auth::create_first_admin)
                .service(auth::login)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::logout_everywhere)
                .service(auth::confirm)
                .service(face::face_challenge)
                .service(face::face_login)
                .service(me::get_me)
                .service(me::update_me)
                .service(me::change_password)
                .service(app_passwords::create_app_password)
                .service(app_passwords::list_app_passwords)
                .service(app_passwords::revoke_app_password)
                .service(listening::list_favorites)
                .service(listening::favorite_ids)
                .service(listening::add_favorite)
                .service(listening::remove_favorite)
                .service(listening::record_play)
                .service(listening::recently_played)
                .service(listening::get_play_queue)
                .service(listening::save_play_queue)
                .service(face::get_face)
                .service(face::enrol_face)
                .service(face::delete_face)
                .service(library::list_artists)
                .service(library::get_artist)
                .service(library::list_albums)
                .service(library::get_album)
                .service(library::update_artist)
                .service(library::update_album)
                .service(songs::list_songs)
                .service(songs::create_song)
                .service(songs::get_song)
                .service(songs::update_song)
                .service(songs::delete_song)
                .service(songs::stream_song)
                .service(songs::get_lyrics)
                .service(playlists::list_playlists)
                .service(playlists::create_playlist)
                .service(playlists::get_playlist)
                .service(playlists::list_playlist_entries)
                .service(playlists::update_playlist)
                .service(playlists::delete_playlist)
                .service(playlists::add_playlist_songs)
                .service(playlists::remove_playlist_entry)
                .service(playlists::reorder_playlist)
                .service(stations::list_stations)
                .service(stations::create_station)
                .service(stations::get_station)
                .service(stations::update_station)
                .service(stations::delete_station)
                .service(stations::now_playing)
                .service(stations::stream_url)
                .service(stations::stream)
                .service(stations::stream_m3u)
                .service(stations::stream_pls)
                .service(search::search_catalogue)
                .service(translation::list_languages)
                .service(translation::translate)
                .service(uploads::create_upload)
                .service(uploads::complete_upload)
                .service(admin_users::list_users)
                .service(admin_stats::library_stats)
                .service(admin_jobs::jobs_overview)
                .service(admin_users::update_user),
        );
}
