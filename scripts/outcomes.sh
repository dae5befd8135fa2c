#!/usr/bin/env bash
# Outcomes of registration, one stable line per invoice body, to diff two
# versions of the engine:
#   OUTCOMES_FILE=before.txt scripts/outcomes.sh [FOLDER]
# On a fresh throwaway database (scripts/test.sh), the shared samples
# (../shared/fatturapa/samples) then every .xml / .p7m of FOLDER (or
# $AUTOREG_OUTCOMES_DIR) are each received and registered by a company that
# is the file's buyer, in a rolled-back savepoint.  The lines (format in
# l10n_it_autoreg/tests/outcomes_registration.py) go to $OUTCOMES_FILE, or to
# stdout when it is unset; the test run's own output goes to stderr.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE="l10n_it_autoreg/tests/outcomes_registration.py"
[ -f "$HERE/../$MODULE" ] || { echo "$0: $MODULE is missing from this checkout" >&2; exit 2; }
folder="${1:-${AUTOREG_OUTCOMES_DIR:-}}"
if [ -n "$folder" ]; then
    [ -d "$folder" ] || { echo "usage: $0 [FOLDER of .xml / .xml.p7m files]" >&2; exit 2; }
    folder="$(cd "$folder" && pwd)"
fi
target="${OUTCOMES_FILE:-}"
if [ -n "$target" ]; then
    target="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"
fi
tmp="$(mktemp --suffix=.outcomes)"
trap 'rm -f "$tmp"' EXIT
start=$(date +%s)
set +e
AUTOREG_OUTCOMES_DIR="$folder" OUTCOMES_FILE="$tmp" \
    bash "$HERE/test.sh" "$MODULE" -q >&2
status=$?
set -e
if [ "$status" != 0 ] || [ ! -s "$tmp" ]; then
    echo "$0: the registration run failed (status $status)" >&2
    exit 1
fi
echo "[outcomes] $(wc -l < "$tmp") bodies in $(( $(date +%s) - start )) s" >&2
if [ -n "$target" ]; then
    cp "$tmp" "$target"
else
    cat "$tmp"
fi
