//! The listener's bundle (`data-bin="soundstream-web"` in `index.html`):
//! the player without the admin pages and the radio page, which live in
//! `soundstream-admin`.

fn main() {
    soundstream_web::start_listener();
}
