#!/usr/bin/env bash
# The demo command (README): (re)creates the database autoreg_demo with an
# Italian company, installs the addon, receives the sample e-invoices the
# addon ships (l10n_it_autoreg/demo/einvoices), registers them, prints the
# outcome, then serves Odoo on http://localhost:8069 (admin / admin).
# DEMO_NO_SERVE=1 stops after the summary (used by the tests of this script).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="${DEMO_DB:-autoreg_demo}"
PORT="${DEMO_PORT:-8069}"
# The users are Italian accountants: the demo speaks Italian (DEMO_LANG=en_US
# for English).
LANG_CODE="${DEMO_LANG:-it_IT}"

ensure_odoo
ensure_postgres
ensure_oca_reconcile

CONF="$(write_odoo_config "$DB")"
trap 'rm -f "$CONF"' EXIT
cd "$REPO_DIR"
start=$(date +%s)

log "Recreating database $DB"
drop_db "$DB"
# base first, so that the company is Italian before `account` picks its
# chart of accounts (l10n_it, chart "it") at installation.
odoo_cmd -c "$CONF" -d "$DB" -i base --without-demo=all --stop-after-init \
    --log-level=warn --no-http --load-language="$LANG_CODE"
odoo_cmd shell -c "$CONF" -d "$DB" --no-http --log-level=warn <<'PY'
company = env.ref("base.main_company")
company.write({
    "name": "Demo Italia Srl",
    "country_id": env.ref("base.it").id,
    "street": "Via Garibaldi 1",
    "zip": "00185",
    "city": "Roma",
    "vat": "IT07643520567",
})
env.cr.commit()
PY
odoo_cmd shell -c "$CONF" -d "$DB" --no-http --log-level=warn <<PY
lang = "$LANG_CODE"
if env["res.lang"]._lang_get(lang):
    # admin, OdooBot (who runs the scheduled actions) and the company
    for partner in (env.ref("base.user_admin").partner_id, env.ref("base.user_root").partner_id,
                    env.ref("base.main_company").partner_id):
        partner.lang = lang
env.cr.commit()
PY
log "Installing l10n_it_autoreg (with l10n_it, l10n_it_edi, l10n_it_edi_withholding)"
odoo_cmd -c "$CONF" -d "$DB" -i "l10n_it_autoreg,$OCA_RECONCILE_ADDONS" --without-demo=all --stop-after-init \
    --log-level=warn --no-http
log "Receiving and registering the sample e-invoices"
odoo_cmd shell -c "$CONF" -d "$DB" --no-http --log-level=warn < scripts/demo_receive.py
log "Demo ready in $(( $(date +%s) - start )) s"

if [ -n "${DEMO_NO_SERVE:-}" ]; then
    exit 0
fi
log "Serving Odoo on http://localhost:$PORT  (login admin / password admin)"
log "Accounting > Vendors > To register; Ctrl-C to stop."
exec "$PYTHON" -m odoo -c "$CONF" -d "$DB" --http-port "$PORT" --log-level=warn
