// Starts the web player. Trunk would put this in an inline <script>; it
// lives in a file so the Content-Security-Policy can forbid inline script
// altogether. Trunk.toml's `pattern_script` writes the hashed names of the
// wasm-bindgen module and the wasm binary onto the tag that loads this file;
// the build (scripts/lib/frontend.sh) adds those of the admin bundle (the
// whole player). A signed-in listener's first load fetches only the
// listener's bundle; the whole player starts instead under /admin, /radio
// and /profile, when nobody is signed in (it has the sign-in screens), and
// when the listener's bundle asked for it (src/whole_player.rs).
const tag = document.querySelector('script[data-soundstream-wasm]');
function wholePlayerWanted() {
  if (/^\/(admin|radio|profile)(\/|$)/.test(location.pathname)) return true;
  try {
    return sessionStorage.getItem('soundstream.whole-player') !== null
      || localStorage.getItem('soundstream.session') === null;
  } catch {
    // No storage (a private mode): no session can be kept either.
    return true;
  }
}
const admin = tag.dataset.soundstreamAdminWasm && wholePlayerWanted();
const js = admin ? tag.dataset.soundstreamAdminJs : tag.dataset.soundstreamJs;
const wasm = admin ? tag.dataset.soundstreamAdminWasm : tag.dataset.soundstreamWasm;
// The module and the binary at once (the page preloads neither: it cannot
// know which bundle this code will pick).
const binary = fetch(wasm);
const { default: init } = await import(js);
await init({ module_or_path: binary });
