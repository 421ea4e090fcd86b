//! The Apertium provider against the real thing: each test starts Debian's
//! APy server with the English–Spanish pair on a free port and stops it
//! when done. Without APy installed these tests fail, saying how to get it.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use soundstream_translate::{ApertiumTranslator, TranslateError, Translator};

const APY: &str = "apertium-apy";
/// Where Debian's pair packages put their modes (APy searches it deeply).
const PAIRS_PATH: &str = "/usr/share/apertium";
const INSTALL_HINT: &str = "install Apertium with `apt-get install -y apertium-apy apertium-eng-spa` \
     (`ensure_apertium` in scripts/lib/apertium.sh does it)";

/// A running APy, killed on drop.
struct Apy {
    child: Child,
    url: String,
}

impl Drop for Apy {
    fn drop(&mut self) {
        // The process may already be gone; nothing else to do then.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free local port")
        .port()
}

async fn start_apy() -> Apy {
    let port = free_port();
    let child = Command::new(APY)
        .args(["-p", &port.to_string(), PAIRS_PATH])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {APY} ({error}): {INSTALL_HINT}"));
    let apy = Apy {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let list_pairs = format!("{}/listPairs", apy.url);
    loop {
        if let Ok(response) = reqwest::get(&list_pairs).await
            && response.status().is_success()
            && response.text().await.is_ok_and(|body| body.contains("eng"))
        {
            return apy;
        }
        assert!(
            Instant::now() < deadline,
            "{APY} did not list the eng-spa pair within 30 s: {INSTALL_HINT}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn translator(apy: &Apy) -> ApertiumTranslator {
    ApertiumTranslator::new(&apy.url).expect("a valid URL")
}

#[tokio::test]
async fn english_becomes_spanish() {
    let apy = start_apy().await;

    let translation = translator(&apy)
        .translate("The house is red.", Some("en"), "es")
        .await
        .expect("translated");

    assert_eq!(translation.text, "La casa es roja.");
    assert_eq!(translation.source, "en");
}

#[tokio::test]
async fn a_lyric_keeps_its_stanzas_and_surrounding_newlines() {
    let apy = start_apy().await;
    let lyric = "\n\nI walk alone at night\nthe house is red\n\n\
                 And you are gone\nmy heart is broken\n\n\n\
                 Good night\n";

    let translation = translator(&apy)
        .translate(lyric, Some("en"), "es")
        .await
        .expect("translated");

    assert_eq!(
        translation.text,
        "\n\nAndo sólo por la noche\nLa casa es roja\n\n\
         Y estás ido\nMi corazón está roto\n\n\n\
         Noche buena\n"
    );
}

#[tokio::test]
async fn words_do_not_move_across_line_breaks() {
    let apy = start_apy().await;

    // Alone, Apertium answers "La casa\nroja": the adjective crosses the break.
    let translation = translator(&apy)
        .translate("the red\nhouse", Some("en"), "es")
        .await
        .expect("translated");

    assert_eq!(translation.text, "El rojo\nCasa");
}

#[tokio::test]
async fn unknown_words_are_left_unmarked() {
    let apy = start_apy().await;

    let translation = translator(&apy)
        .translate("The flibbertigibbet sings", Some("en"), "es")
        .await
        .expect("translated");

    assert_eq!(translation.text, "El flibbertigibbet canta");
}

#[tokio::test]
async fn a_pair_apertium_lacks_is_unsupported() {
    let apy = start_apy().await;
    let translator = translator(&apy);

    let not_installed = translator.translate("Hello", Some("en"), "fr").await;
    let unknown_code = translator.translate("Hello", Some("tlh"), "es").await;

    assert_eq!(
        not_installed,
        Err(TranslateError::UnsupportedPair {
            source: "en".into(),
            target: "fr".into()
        })
    );
    assert_eq!(
        unknown_code,
        Err(TranslateError::UnsupportedPair {
            source: "tlh".into(),
            target: "es".into()
        })
    );
}

#[tokio::test]
async fn installed_pairs_are_listed_with_bcp47_codes() {
    let apy = start_apy().await;

    let languages = translator(&apy).languages().await.expect("listed");

    assert_eq!(languages.targets(Some("en")), ["es"]);
    assert_eq!(languages.targets(Some("es")), ["en", "en-US"]);
    assert!(!languages.detects_source());
}

#[tokio::test]
async fn without_a_source_the_language_must_be_given() {
    // Debian's APy has no CLD2, so /identifyLang answers `{}`.
    let apy = start_apy().await;

    let outcome = translator(&apy)
        .translate("The house is red.", None, "es")
        .await;

    assert_eq!(outcome, Err(TranslateError::SourceNotDetected));
}

#[tokio::test]
async fn a_server_that_is_not_running_is_unavailable() {
    let port = free_port();
    let translator = ApertiumTranslator::new(&format!("http://127.0.0.1:{port}")).expect("URL");

    let outcome = translator.translate("Hello", Some("en"), "es").await;

    assert!(
        matches!(&outcome, Err(TranslateError::Unavailable { reason, .. }) if reason.contains("reached")),
        "{outcome:?}"
    );
    assert!(matches!(
        translator.languages().await,
        Err(TranslateError::Unavailable { .. })
    ));
}
