#!/bin/sh
# Verify the live site against its signed manifest and alert on-duty staff on
# any alteration. Run from cron, e.g. every 15 minutes:
#
#   */15 * * * * /srv/govpub/scripts/verify-live-site.sh >>/var/log/govpub-verify.log 2>&1
#
# Settings (environment, or /etc/govpub/verify.env):
#   GOVPUB_REPO        the site repository (holds site_config/manifest-key.pub)
#   GOVPUB_SITE_URL    the live site, e.g. https://www.example.gov.cn/
#   GOVPUB_DEPLOY_DIR  optional: the deployed folder on the web server, checked
#                      too, because added files can only be found in a folder
#   GOVPUB_ALERT_URLS  apprise URLs of the on-duty channels (mailto://, wecombot://,
#                      dingtalk://, json:// ...), space-separated. The apprise CLI
#                      does not see a bot refusing a message with HTTP 200 (the
#                      watcher does: docs/watcher.md); always include a mail target.
set -u
[ -f /etc/govpub/verify.env ] && . /etc/govpub/verify.env
REPO=${GOVPUB_REPO:?set GOVPUB_REPO}
URL=${GOVPUB_SITE_URL:?set GOVPUB_SITE_URL}
GOVPUB=${GOVPUB:-$REPO/.venv/bin/govpub}
APPRISE=${APPRISE:-$REPO/.venv/bin/apprise}
REPORT=$(mktemp)
trap 'rm -f "$REPORT"' EXIT

status=0
"$GOVPUB" --root "$REPO" verify "$URL" >"$REPORT" 2>&1 || status=$?
if [ -n "${GOVPUB_DEPLOY_DIR:-}" ]; then
    "$GOVPUB" --root "$REPO" verify "$GOVPUB_DEPLOY_DIR" >>"$REPORT" 2>&1 || status=$?
fi
date -u +"%Y-%m-%dT%H:%M:%SZ verify exit $status"
if [ "$status" -ne 0 ]; then
    cat "$REPORT"
    if [ -n "${GOVPUB_ALERT_URLS:-}" ]; then
        # shellcheck disable=SC2086  # several URLs, split on purpose
        "$APPRISE" -t "网站完整性告警 / site integrity alert: $URL" \
            -b "$(head -n 60 "$REPORT")" $GOVPUB_ALERT_URLS
    fi
fi
exit "$status"
