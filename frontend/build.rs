//! Compiles the interface texts (`locales/<lang>.json`) into the `i18n`
//! module that `src/i18n.rs` includes, the way `leptos_i18n_build` does,
//! with two differences:
//!
//! - it does not pull in `leptos_i18n_build`, whose ICU data generator
//!   (a CLDR downloader and a wasm interpreter among its dependencies) we do
//!   not use: the plural rules come compiled into `leptos_i18n`;
//! - every diagnostic fails the build: a key missing from a locale (or one
//!   the reference locale does not have) is an error, never a silent
//!   fallback to English.

use std::path::PathBuf;

use leptos_i18n_codegen::gen_code;
use leptos_i18n_parser::parse_locales::options::{Config, ParseOptions};
use leptos_i18n_parser::parse_locales::parse_locales;

/// The reference locale: every other one must have exactly its keys.
const DEFAULT_LOCALE: &str = "en";
const OTHER_LOCALES: &[&str] = &["es"];

fn main() {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    let mut config = Config::new(DEFAULT_LOCALE)
        .and_then(|config| config.add_locales(OTHER_LOCALES))
        .unwrap_or_else(|error| panic!("locale configuration: {error}"));
    // `t_string!` with interpolations (page titles, "1 song"/"2 songs").
    config.options = ParseOptions::default().interpolate_display(true);

    let parsed = parse_locales(Some(manifest_dir), config)
        .unwrap_or_else(|error| panic!("locales/*.json: {error}"));
    for file in parsed.tracked_files.iter().flatten() {
        println!("cargo::rerun-if-changed={file}");
    }
    let problems: Vec<String> = parsed
        .diag
        .errors()
        .iter()
        .map(ToString::to_string)
        .chain(parsed.diag.warnings().iter().map(ToString::to_string))
        .collect();
    if !problems.is_empty() {
        panic!("locales/*.json:\n  {}", problems.join("\n  "));
    }

    let code = gen_code(&parsed, None, false, None, false)
        .unwrap_or_else(|error| panic!("generating the i18n module: {error}"));
    let module = out_dir.join("i18n.rs");
    std::fs::write(&module, code.to_string())
        .unwrap_or_else(|error| panic!("writing {}: {error}", module.display()));
}
