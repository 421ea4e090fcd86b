//! SoundStream's API service: a stateless actix-web JSON API over SQLite or
//! PostgreSQL. `startup` builds the server; `routes` holds the handlers;
//! `error` turns every failure into an RFC 9457 problem document.

pub mod auth;
pub mod body;
pub mod clock;
pub mod commands;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod lifecycle;
pub mod maintenance;
pub mod media_urls;
pub mod metrics;
pub mod openapi;
pub mod pagination;
pub mod persistence;
pub mod routes;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod web_player;
