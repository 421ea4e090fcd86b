# shellcheck shell=bash
# The tools that check the deployment files (scripts/check-deploy) and run
# the backup round trip (scripts/test-backup), installed when missing:
# Debian packages, and a venv under $SOUNDSTREAM_TOOLS_DIR with pinned PyPI
# packages. Source it after common.sh.

DEPLOY_VENV="$SOUNDSTREAM_TOOLS_DIR/deploy-venv"
# Pinned: kubernetes-validate carries the schemas of the Kubernetes versions
# it knows; the compose-spec schema comes with check-jsonschema; awscli
# syncs S3 media to a backup bucket (scripts/backup, scripts/test-backup).
DEPLOY_PY_PACKAGES=(kubernetes-validate==1.37.0 check-jsonschema==0.39.0 dockerfile-parse==2.0.1 PyYAML==6.0.4 awscli==1.46.3)

ensure_deploy_tools() {
  # promtool (prometheus), haproxy -c, sqlite3 and rsync for backups,
  # systemd-analyze for the units,
  # pg_dump/pg_restore from the PostgreSQL packages.
  ensure_apt_packages prometheus haproxy sqlite3 rsync systemd
  ensure_postgres_installed
  local stamp="$DEPLOY_VENV/.soundstream-packages" want="${DEPLOY_PY_PACKAGES[*]}"
  if [ ! -x "$DEPLOY_VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing deployment checkers into $DEPLOY_VENV: $want"
    python3 -m venv "$DEPLOY_VENV"
    "$DEPLOY_VENV/bin/pip" install --quiet --disable-pip-version-check "${DEPLOY_PY_PACKAGES[@]}"
    printf '%s' "$want" >"$stamp"
  fi
  local tool
  for tool in promtool haproxy sqlite3 rsync pg_dump pg_restore psql \
    "$DEPLOY_VENV/bin/kubernetes-validate" "$DEPLOY_VENV/bin/check-jsonschema" "$DEPLOY_VENV/bin/aws"; do
    command -v "$tool" >/dev/null || die "$tool is missing after installing the deployment tools"
  done
}
