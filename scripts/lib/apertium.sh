# shellcheck shell=bash
# Apertium, the offline translation provider: Debian's APy server and the
# English–Spanish pair, installed with apt when missing (needs common.sh).
# The tests start it themselves: apertium-apy -p PORT /usr/share/apertium

ensure_apertium() {
  # APy's recommended packages are listed too: common.sh installs without
  # recommends, and APy imports streamparser and chardet in some handlers.
  ensure_apt_packages apertium-apy apertium-eng-spa python3-streamparser python3-chardet
}
