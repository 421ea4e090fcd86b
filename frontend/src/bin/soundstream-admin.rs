//! The administrator's bundle (`data-bin="soundstream-admin"` in
//! `admin.html`): the whole player plus the admin pages. `boot.js` loads it
//! instead of the listener's for paths under `/admin`.

fn main() {
    soundstream_web::start_admin();
}
