#!/usr/bin/env bash
# The test command (README): the lint (scripts/lint.sh), then a throwaway
# database with the addon installed, the whole suite (Odoo tests with
# pytest-odoo + pure-Python reader tests), then the database-free cases
# (tests/pure.py) again under Odoo's own runner (--test-enable, as OCA CI
# runs them), then the database is dropped.
# Exits non-zero on a lint finding, on any failure, when no test ran, and
# when a browser test was skipped.  Extra arguments go to pytest (and skip
# the pass under Odoo's runner unless ODOO_RUNNER=1); LINT=0 skips the lint
# (to re-run a few tests quickly; CI never sets either).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ "${LINT:-1}" != 0 ]; then
    bash "$REPO_DIR/scripts/lint.sh" || die "Lint failed: fix what it lists above (see scripts/lint.sh), then run the tests again."
fi

ensure_odoo
ensure_postgres
ensure_python_tools
ensure_chromium
ensure_oca_reconcile
ensure_oca_queue_job

DB="autoreg_test_$(date +%s)_$$"
CONF="$(write_odoo_config "$DB")"
cleanup() { drop_db "$DB" || true; rm -f "$CONF"; }
trap cleanup EXIT

cd "$REPO_DIR"
start=$(date +%s)
log "Creating database $DB and installing l10n_it_autoreg (and l10n_it_autoreg_queue, with OCA queue_job)"
odoo_cmd -c "$CONF" -d "$DB" -i "l10n_it_autoreg,$OCA_RECONCILE_ADDONS,$OCA_QUEUE_ADDONS" --without-demo=all \
    --stop-after-init --log-level=warn --no-http
log "Installed in $(( $(date +%s) - start )) s; running the tests"

# the glue module's tests too, in a whole-suite run
DEFAULT_EXTRA=()
[ $# = 0 ] && DEFAULT_EXTRA=(l10n_it_autoreg_queue/tests)
set +e
"$PYTHON" -m pytest -p no:cacheprovider \
    --odoo-config="$CONF" --odoo-database="$DB" --odoo-http \
    --odoo-log-level=warn \
    -r fEs "${@:-l10n_it_autoreg/tests}" "${DEFAULT_EXTRA[@]}"
status=$?
set -e
if [ "$status" = 5 ]; then
    log "No test was collected: this counts as a failure."
    status=1
fi

# The pure cases under Odoo's runner: post_install tests run on a database
# that is merely loaded (odoo/service/server.py preload_registries).  The
# exit status says whether a test failed; the runner's summary line
# ("F failed, E error(s) of N tests when loading database ...") is read too,
# so that a run of no test fails as well.
odoo_runner_pure() {
    local out rc summary failed errors total skipped t0
    out="$(mktemp --suffix=.odoo-runner.log)"
    t0=$(date +%s)
    set +e
    odoo_cmd -c "$CONF" -d "$DB" --test-enable --test-tags l10n_it_autoreg_pure \
        --stop-after-init --no-http --http-port="$(free_port)" >"$out" 2>&1
    rc=$?
    set -e
    # the warning and error records (failures with their traceback)
    awk '/^[0-9-]+ [0-9:,]+ [0-9]+ [A-Z]+ /{show = ($4 ~ /^(WARNING|ERROR|CRITICAL)$/)} show' "$out" >&2
    summary="$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$out" | tail -n 1 || true)"
    skipped="$(grep -cE ' INFO [^ ]+ odoo\.addons\.l10n_it_autoreg\.tests\.[a-z_]+: skipped ' "$out" || true)"
    rm -f "$out"
    if ! [[ "$summary" =~ ^([0-9]+)\ failed,\ ([0-9]+)\ error\(s\)\ of\ ([0-9]+)\ tests$ ]]; then
        log "Odoo's runner printed no test summary (exit status $rc): it failed before its tests."
        return 1
    fi
    failed="${BASH_REMATCH[1]}" errors="${BASH_REMATCH[2]}" total="${BASH_REMATCH[3]}"
    log "Odoo's runner, database-free cases (--test-tags l10n_it_autoreg_pure): $total tests, $failed failed, $errors error(s), $skipped skipped, in $(( $(date +%s) - t0 )) s"
    if [ "$total" = 0 ]; then
        log "Odoo's runner ran no test: this counts as a failure."
        return 1
    fi
    if [ "$rc" != 0 ] || [ "$failed" != 0 ] || [ "$errors" != 0 ]; then
        log "Odoo's runner failed (exit status $rc): see its records above."
        return 1
    fi
}
if [ "${ODOO_RUNNER:-$([ $# = 0 ] && echo 1 || echo 0)}" = 1 ]; then
    odoo_runner_pure || status=1
fi
log "Tests ended with status $status in $(( $(date +%s) - start )) s"
exit "$status"
