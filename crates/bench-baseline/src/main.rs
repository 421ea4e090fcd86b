//! The upper bound for any SoundStream endpoint: an actix-web handler that
//! answers a small JSON object and does nothing else, built with the same
//! actix-web version, release profile and server settings (default
//! workers, 30 s keep-alive) as `soundstream serve`. `scripts/bench`
//! measures it beside the API in the same run; it is not part of the
//! product.
//!
//! Its own crate, outside the default members, so that it builds with
//! nothing but actix-web and serde_json and never ships.
//!
//! Usage: `bench-hello-json 127.0.0.1:PORT`

use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, get};

#[get("/hello")]
async fn hello() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "message": "Hello, world!" }))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8089".to_owned());
    HttpServer::new(|| App::new().service(hello))
        .keep_alive(Duration::from_secs(30))
        .bind(bind)?
        .run()
        .await
}
