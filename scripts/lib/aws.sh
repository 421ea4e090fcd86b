# shellcheck shell=bash
# AWS tooling for SoundStream's deploy scripts and the template checks:
# Python virtual environments under $SOUNDSTREAM_TOOLS_DIR, each installed
# once at pinned versions (a pins file inside says what is there). Source it
# after common.sh; safe under `set -euo pipefail`.
#
#   aws-venv          boto3 + the AWS CLI: scripts/deploy-aws, scripts/deploy-frontend
#   aws-checks-venv   cfn-lint + moto[server] (with its boto3): the tests
#   checkov-venv      checkov alone (it pins an older boto3 of its own)

AWS_VENV="$SOUNDSTREAM_TOOLS_DIR/aws-venv"
AWS_CHECKS_VENV="$SOUNDSTREAM_TOOLS_DIR/aws-checks-venv"
CHECKOV_VENV="$SOUNDSTREAM_TOOLS_DIR/checkov-venv"
AWS_VENV_PINS=(boto3==1.44.8 awscli==1.46.3)
AWS_CHECKS_VENV_PINS=(cfn-lint==1.58.0 "moto[server]==5.2.5" boto3==1.44.8 brotli==1.2.1)
CHECKOV_VENV_PINS=(checkov==3.3.30)

# ensure_venv DIR PIN...: a virtual environment with exactly these pins,
# created or rebuilt only when the pins differ from what it holds.
ensure_venv() {
  local dir="$1"; shift
  local wanted="$*"
  if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.pins" 2>/dev/null)" = "$wanted" ]; then
    return 0
  fi
  say "installing into $dir: $wanted"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  python3 -m venv "$dir"
  # Bounded: a stalled index must not hold the suite.
  timeout 1200 "$dir/bin/pip" install --quiet --disable-pip-version-check --no-input --timeout 60 "$@"
  printf '%s' "$wanted" >"$dir/.pins"
}

ensure_aws_venv() { ensure_venv "$AWS_VENV" "${AWS_VENV_PINS[@]}"; }
ensure_aws_checks_venv() { ensure_venv "$AWS_CHECKS_VENV" "${AWS_CHECKS_VENV_PINS[@]}"; }
ensure_checkov_venv() { ensure_venv "$CHECKOV_VENV" "${CHECKOV_VENV_PINS[@]}"; }
