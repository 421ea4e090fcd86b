//! SoundStream's API service: a stateless actix-web JSON API over SQLite or
//! PostgreSQL. Arrows point one way: `http` (routes, extractors, problem
//! documents) and `commands` call `services` (the rules), which call
//! `persistence` (repositories), which use `db` and `domain`. `state` holds
//! what they share; `config` imports nothing of the app. `startup` builds
//! the server from all of them.

pub mod auth;
pub mod clock;
pub mod commands;
pub mod config;
pub mod db;
pub mod domain;
pub mod http;
pub mod lifecycle;
pub mod metrics;
pub mod persistence;
pub mod services;
pub mod shutdown;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
