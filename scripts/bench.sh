#!/usr/bin/env bash
# Run a benchmark of scripts/ on its bench databases, made when missing:
# autoreg_bench (l10n_it_autoreg installed) and autoreg_bench_stock (stock
# Odoo: l10n_it_edi and l10n_it_edi_withholding, not the addon).  They are
# kept between runs (BENCH_FRESH=1 makes them again); BENCH_DB /
# BENCH_STOCK_DB name other ones.
#     bash scripts/bench.sh bench_end_to_end.py -n 200 --rounds 3
#     bash scripts/bench.sh bench_volume.py --steps 100,1000,10000
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -ge 1 ] || die "usage: bash scripts/bench.sh SCRIPT.py [ARGS...]"
script="$REPO_DIR/scripts/$1"
shift
[ -f "$script" ] || die "no such benchmark: $script"

export BENCH_DB="${BENCH_DB:-autoreg_bench}"
export BENCH_STOCK_DB="${BENCH_STOCK_DB:-autoreg_bench_stock}"

ensure_odoo
ensure_postgres

CONF="$(write_odoo_config "$BENCH_DB")"
trap 'rm -f "$CONF"' EXIT
# one configuration for both databases (the benchmarks open each by name)
sed -i '/^dbfilter/d' "$CONF"

db_exists() {
    PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

bench_db() {
    local db="$1" modules="$2"
    if [ -n "${BENCH_FRESH:-}" ]; then
        drop_db "$db"
    fi
    if ! db_exists "$db"; then
        log "Creating bench database $db ($modules)"
        odoo_cmd -c "$CONF" -d "$db" -i "$modules" --without-demo=all --stop-after-init \
            --log-level=warn --no-http
    fi
}

cd "$REPO_DIR"
bench_db "$BENCH_DB" l10n_it_autoreg
bench_db "$BENCH_STOCK_DB" l10n_it_edi,l10n_it_edi_withholding
"$PYTHON" "$script" -c "$CONF" "$@"
