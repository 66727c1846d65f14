#!/usr/bin/env bash
# Install the system packages govpub's build and tests need, when they are missing:
# Chromium (browser checks, PDF handouts), poppler-utils (pdftotext), git, openssh-client,
# npm (axe-core for the accessibility tests; Lighthouse and the W3C validator for
# `make bench-site`, which also needs Java), PostgreSQL (the tests start a throw-away
# server for the watcher's shared state).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v git >/dev/null 2>&1 || need+=(git)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
command -v npm >/dev/null 2>&1 || need+=(npm)  # axe-core for the accessibility tests (make node-deps)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q . || need+=(fonts-wqy-zenhei)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "govpub: please install these system packages: ${need[*]}" >&2
  exit 1
fi
echo "govpub: installing system packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
