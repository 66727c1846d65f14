#!/usr/bin/env bash
# Sign off the bundled demo content as its demo reviewers, the way real reviewers do:
# each reviewer's own git identity, `govpub review approve`, one commit per reviewer.
# Policies need two reviewers (site_config/reviewers.yml: column_levels), so a second
# reviewer approves whatever still awaits review after the first.
#
# Usage: scripts/sign-demo.sh        (from the repository root, after committing content)
set -euo pipefail
cd "$(dirname "$0")/.."
GOVPUB=${GOVPUB:-.venv/bin/govpub}

as_reviewer() {
  local email=$1 name=$2
  shift 2
  GIT_CONFIG_COUNT=2 \
  GIT_CONFIG_KEY_0=user.email GIT_CONFIG_VALUE_0="$email" \
  GIT_CONFIG_KEY_1=user.name GIT_CONFIG_VALUE_1="$name" \
    "$@"
}

for reviewer in "li-wei@cnipa.gov.cn 李伟" "zhang-min@cnipa.gov.cn 张敏"; do
  set -- $reviewer
  if "$GOVPUB" review status --format json | grep -q '"path"'; then
    as_reviewer "$1" "$2" "$GOVPUB" review approve content --yes --commit \
      --note "demo content checked for disclosure"
  fi
done
"$GOVPUB" check
