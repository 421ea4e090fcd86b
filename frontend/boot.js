// Starts the web player. Trunk would put this in an inline <script>; it
// lives in a file so the Content-Security-Policy can forbid inline script
// altogether. Trunk.toml's `pattern_script` writes the hashed names of the
// wasm-bindgen module and the wasm binary onto the tag that loads this file.
const tag = document.querySelector('script[data-soundstream-wasm]');
const { default: init } = await import(tag.dataset.soundstreamJs);
await init({ module_or_path: tag.dataset.soundstreamWasm });
