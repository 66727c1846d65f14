#!/usr/bin/env bash
# Sign off the bundled demo as its demo reviewers, the way real reviewers do: each
# reviewer's own git identity, `govpub review approve`, one commit per reviewer.
#
# * Content: policies need two reviewers (site_config/reviewers.yml: column_levels), so a
#   second reviewer approves whatever still awaits review after the first.
# * Policy (site_config/, mkdocs.yml, hooks/, overrides/): a member of the policy owners
#   (policy_owners in reviewers.yml, the General Office) signs off every policy file whose
#   sign-off is not current; the records go to review/_policy/.
#
# Safe to re-run at any time (after a merge changed content or policy): only what is not
# signed off yet is signed.
#
# Usage: scripts/sign-demo.sh        (from the repository root, after committing content)
set -euo pipefail
cd "$(dirname "$0")/.."
GOVPUB=${GOVPUB:-.venv/bin/govpub}
PYTHON=${PYTHON:-$(dirname "$GOVPUB")/python}

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
  if "$GOVPUB" --lang en review status --format json | grep -q '"path"'; then
    as_reviewer "$1" "$2" "$GOVPUB" review approve content --yes --commit \
      --note "demo content checked for disclosure"
  fi
done

mapfile -t pending < <("$PYTHON" -c '
from pathlib import Path
from govpub.config import load_policy
from govpub.review.workflow import pending_policy_files
print("\n".join(pending_policy_files(load_policy(Path(".")))))' | sed '/^$/d')
if ((${#pending[@]})); then
  as_reviewer "li-wei@cnipa.gov.cn" "李伟" "$GOVPUB" review approve "${pending[@]}" --yes \
    --commit --note "demo site policy checked by the General Office"
fi
"$GOVPUB" check
