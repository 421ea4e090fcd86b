//! Bearer access tokens (JWT, `auth::tokens`), refresh-token successors and
//! signed radio stream URLs (`auth::stream_urls`): whatever a client sends
//! is refused unless we signed it, and what we sign verifies.
#![no_main]

#[path = "common/lines.rs"]
mod lines;

use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use lines::lines;
use soundstream_api::auth::secret::JwtSecret;
use soundstream_api::auth::stream_urls::StreamUrlSigner;
use soundstream_api::auth::tokens::{AUDIENCE, AccessGrant, ISSUER, TokenKeys};
use soundstream_types::Role;

struct Keys {
    current: TokenKeys,
    /// Knows the same secret only as the previous one, after a rotation.
    rotated: TokenKeys,
    /// Another server's.
    foreign: TokenKeys,
    streams: StreamUrlSigner,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

static KEYS: LazyLock<Keys> = LazyLock::new(|| {
    let secret = JwtSecret::from_configured("fuzzing-secret-long-enough-for-the-policy-000");
    let newer = JwtSecret::from_configured("fuzzing-newer-secret-long-enough-for-policy-111");
    let other = JwtSecret::from_configured("fuzzing-other-secret-long-enough-for-policy-222");
    Keys {
        current: TokenKeys::new(&secret, None),
        rotated: TokenKeys::new(&newer, Some(&secret)),
        foreign: TokenKeys::new(&other, None),
        streams: StreamUrlSigner::new(&secret),
    }
});

fuzz_target!(|input: &str| {
    let [token, user_id, session_id, expires, role] = lines(input);
    let expires: u64 = expires.parse().unwrap_or_default();
    let admin = role == "admin";
    let keys = &*KEYS;

    // A presented token: if it verifies, its claims are ours and current.
    for verifier in [&keys.current, &keys.rotated, &keys.foreign] {
        if let Ok(claims) = verifier.verify_access_token(token) {
            assert_eq!(
                (claims.iss.as_str(), claims.aud.as_str()),
                (ISSUER, AUDIENCE)
            );
            assert!(claims.exp + 30 >= unix_now(), "expired");
        }
    }

    // A token we issue verifies with its key and after a rotation, carrying
    // the same claims, and with no other key.
    let grant = AccessGrant {
        user_id,
        role: if admin { Role::Admin } else { Role::Listener },
        session_id,
        issued_at: unix_now(),
        token_id: token,
    };
    let issued = keys
        .current
        .issue_access_token(&grant)
        .expect("signing cannot fail");
    let claims = keys
        .current
        .verify_access_token(&issued)
        .expect("our token verifies");
    assert_eq!(
        (
            claims.sub.as_str(),
            claims.sid.as_str(),
            claims.jti.as_str(),
            claims.role
        ),
        (user_id, session_id, token, grant.role)
    );
    assert_eq!(keys.rotated.verify_access_token(&issued).ok(), Some(claims));
    assert!(
        keys.foreign.verify_access_token(&issued).is_err(),
        "another key verified"
    );

    // Refresh tokens are opaque: the successor is a function of the token.
    assert_eq!(
        keys.current.successor_refresh_token(token),
        keys.current.successor_refresh_token(token)
    );

    // Stream URLs: `sig` from the query string opens nothing it was not
    // signed for; our own signature opens its station until it expires.
    let station = user_id;
    let signature = keys.streams.sign(station, expires);
    assert_eq!(
        keys.streams.verify(station, expires, token, 0),
        expires > 0 && token.eq_ignore_ascii_case(&signature),
        "sig={token:?}"
    );
    assert!(!keys.streams.verify(station, expires, &signature, expires));
});
