#!/usr/bin/env bash
# Install the calendar programs the client tests import our .ics files into.
#
# khal comes with the dev dependencies (PyPI); calcurse is a Debian package. It is installed
# only when missing, only as root, and only when asked to (CI=true or ENGAGEMENT_INSTALL_PG=1,
# the switch CI already sets for PostgreSQL), so a developer's machine is never changed behind
# their back. Without calcurse its tests skip, unless ENGAGEMENT_REQUIRE_TOOLS=1.
set -euo pipefail

if command -v calcurse >/dev/null 2>&1; then
    exit 0
fi
if [[ "${CI:-}" != "true" && "${ENGAGEMENT_INSTALL_PG:-0}" != "1" ]]; then
    echo "install-test-tools: calcurse is not installed; its tests will be skipped" >&2
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "install-test-tools: calcurse is missing and installing it needs root" >&2
    exit 1
fi
echo "install-test-tools: installing calcurse from Debian's packages" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq calcurse >/dev/null
command -v calcurse >/dev/null
