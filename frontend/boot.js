// Starts the web player. Trunk would put this in an inline <script>; it
// lives in a file so the Content-Security-Policy can forbid inline script
// altogether. Trunk.toml's `pattern_script` writes the hashed names of the
// wasm-bindgen module and the wasm binary onto the tag that loads this file;
// the build (scripts/lib/frontend.sh) adds those of the admin bundle (the
// whole player), which starts instead under /admin and /radio, so a
// listener's first load never fetches it.
const tag = document.querySelector('script[data-soundstream-wasm]');
const admin = /^\/(admin|radio)(\/|$)/.test(location.pathname) && tag.dataset.soundstreamAdminWasm;
const js = admin ? tag.dataset.soundstreamAdminJs : tag.dataset.soundstreamJs;
const wasm = admin ? tag.dataset.soundstreamAdminWasm : tag.dataset.soundstreamWasm;
const { default: init } = await import(js);
await init({ module_or_path: wasm });
