#!/usr/bin/env bash
# The pull-request check, run with the govpub of the base commit — never the pull request's.
#
# Usage (from the root of the pull request's checkout, full history):
#   bash pr-check.sh BASE_REF [text|github|json]
#
#   1. a git worktree of BASE_REF in a temporary folder;
#   2. a virtual environment with govpub installed from that worktree;
#   3. that govpub runs `govpub check --changed-since BASE_REF` and `govpub build --strict`
#      on the pull request's tree. It judges with the base's policy too (reviewers, keys,
#      levels, policy owners, rule severities, link approvals: see docs/review.md).
#
# A pull request that edits the checker (src/govpub/) therefore cannot pass its own check.
# CI runs the *base's* copy of this script (`git show BASE_REF:scripts/pr-check.sh`), so a
# pull request cannot change how it is checked either; `.github/` and this file are the
# code owners' (CODEOWNERS).
#
# GOVPUB_CHECK_VENV  an existing virtual environment to install the base's govpub into
#                    (default: a new one in the temporary folder)
# GOVPUB_PIP_ARGS    extra arguments for `pip install` (e.g. a wheel cache or --no-deps)
set -euo pipefail

base_ref=${1:?usage: pr-check.sh BASE_REF [text|github|json]}
format=${2:-text}
site_root=$(pwd -P)

if ! base=$(git rev-parse --verify --quiet --end-of-options "${base_ref}^{commit}"); then
  echo "pr-check: unknown base revision '${base_ref}' — fetch it first (git fetch origin), with full history" >&2
  exit 2
fi
top=$(git rev-parse --show-toplevel)
if [[ ! -f "$top/pyproject.toml" ]] || ! git cat-file -e "${base}:pyproject.toml" 2>/dev/null; then
  echo "pr-check: the base ${base_ref} has no pyproject.toml at the top of the repository, so there is no govpub to install from it" >&2
  exit 2
fi

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/govpub-base.XXXXXX")
cleanup() {
  git -C "$top" worktree remove --force "$work/base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

git -C "$top" worktree add --detach --quiet "$work/base" "$base"
venv=${GOVPUB_CHECK_VENV:-$work/venv}
if [[ ! -x "$venv/bin/python" ]]; then
  "${PYTHON:-python3}" -m venv "$venv"
fi
# shellcheck disable=SC2086  # GOVPUB_PIP_ARGS is a list of words
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check ${GOVPUB_PIP_ARGS:-} "$work/base"

# Nothing from the pull request's tree or environment may shadow the installed package.
run_base_govpub() {
  env -u PYTHONPATH -u PYTHONHOME -u PYTHONSTARTUP -C "$site_root" \
    "$venv/bin/python" -I -m govpub --root "$site_root" "$@"
}
installed=$(env -u PYTHONPATH -C "$work" "$venv/bin/python" -I -c \
  'import govpub, os; print(os.path.realpath(govpub.__file__))')
case "$installed" in
  "$(realpath "$venv")"/*) ;;
  *) echo "pr-check: govpub resolves to $installed, not to the base's installation" >&2; exit 2 ;;
esac
echo "pr-check: govpub of ${base_ref} (${base:0:12}), installed in $venv" >&2

run_base_govpub check --changed-since "$base_ref" --format "$format"
run_base_govpub build --strict --site-dir "$work/site"
