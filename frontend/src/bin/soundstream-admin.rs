//! The administrator's bundle (`data-bin="soundstream-admin"` in
//! `admin.html`): the whole player plus the admin pages and the radio page.
//! `boot.js` loads it instead of the listener's for `/admin…` and `/radio`.

fn main() {
    soundstream_web::start_admin();
}
