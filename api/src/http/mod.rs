//! The HTTP surface: routes (one file per resource) with their OpenAPI
//! annotations, the extractors that say who is calling, request bodies and
//! their limits, the one mapping from errors to problem documents, the
//! OpenAPI document and the web player. Handlers parse the request, call a
//! service and shape its answer; the rules live in `services`.

pub mod body;
pub mod error;
pub mod extractors;
pub mod file_body;
pub mod openapi;
pub mod panics;
pub mod routes;
pub mod security;
pub mod subsonic;
pub mod web_player;
