#!/usr/bin/env bash
# The test command (README): the lint (scripts/lint.sh), then a throwaway
# database with the addon installed, the whole suite (Odoo tests with
# pytest-odoo + pure-Python reader tests), then the database is dropped.
# Exits non-zero on a lint finding, on any failure, when no test ran, and
# when a browser test was skipped.  Extra arguments go to pytest; LINT=0
# skips the lint (to re-run a few tests quickly; CI never sets it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ "${LINT:-1}" != 0 ]; then
    bash "$REPO_DIR/scripts/lint.sh" || die "Lint failed: fix what it lists above (see scripts/lint.sh), then run the tests again."
fi

ensure_odoo
ensure_postgres
ensure_python_tools
ensure_chromium
ensure_oca_reconcile

DB="autoreg_test_$(date +%s)_$$"
CONF="$(write_odoo_config "$DB")"
cleanup() { drop_db "$DB" || true; rm -f "$CONF"; }
trap cleanup EXIT

cd "$REPO_DIR"
start=$(date +%s)
log "Creating database $DB and installing l10n_it_autoreg"
odoo_cmd -c "$CONF" -d "$DB" -i "l10n_it_autoreg,$OCA_RECONCILE_ADDONS" --without-demo=all \
    --stop-after-init --log-level=warn --no-http
log "Installed in $(( $(date +%s) - start )) s; running the tests"

set +e
"$PYTHON" -m pytest -p no:cacheprovider \
    --odoo-config="$CONF" --odoo-database="$DB" --odoo-http \
    --odoo-log-level=warn \
    -r fEs "${@:-l10n_it_autoreg/tests}"
status=$?
set -e
if [ "$status" = 5 ]; then
    log "No test was collected: this counts as a failure."
    status=1
fi
log "Tests ended with status $status in $(( $(date +%s) - start )) s"
exit "$status"
