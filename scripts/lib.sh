# Shared by scripts/demo.sh and scripts/test.sh: find Odoo 18.0, start
# PostgreSQL, install the Python test tools.  Sourced, not executed.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
# Where the scripts put Odoo 18.0 when python3 cannot import it: beside the
# project, never inside it.
ODOO_SRC_DIR="${ODOO_SRC_DIR:-$(dirname "$REPO_DIR")/odoo-18.0}"
DB_HOST="${DB_HOST:-localhost}"
DB_PORT="${DB_PORT:-5432}"
DB_USER="${DB_USER:-odoo}"
DB_PASSWORD="${DB_PASSWORD:-odoo}"

log() { printf '\033[1m[autoreg]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[autoreg] %s\033[0m\n' "$*" >&2; exit 1; }

odoo_importable() {
    "$PYTHON" -c 'import odoo.release, sys; sys.exit(odoo.release.version_info[0] != 18)' 2>/dev/null
}

# Odoo is a prerequisite: use the one python3 imports; otherwise get 18.0
# from upstream (shallow clone) into ODOO_SRC_DIR and install it.
ensure_odoo() {
    if odoo_importable; then
        return 0
    fi
    log "Odoo 18.0 is not importable by $PYTHON: getting it into $ODOO_SRC_DIR"
    if [ ! -f "$ODOO_SRC_DIR/odoo/release.py" ]; then
        git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$ODOO_SRC_DIR" \
            || die "Could not download Odoo 18.0 (no network?). Provide it yourself: clone
    https://github.com/odoo/odoo (branch 18.0) anywhere, install its requirements, and make
    it importable by $PYTHON (pip install -e <odoo dir>), or set ODOO_SRC_DIR=<odoo dir>."
    fi
    install_odoo_requirements "$ODOO_SRC_DIR/requirements.txt"
    # Make the checkout importable (like `pip install -e`, without building it).
    local site
    site="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    echo "$ODOO_SRC_DIR" > "$site/odoo18-src.pth"
    odoo_importable || die "Odoo 18.0 in $ODOO_SRC_DIR is still not importable by $PYTHON"
}

# Odoo's pins for Python 3.10/3.11 build sdists that no longer compile; its
# Python >= 3.12 pins install as wheels on 3.10-3.12 and work.  python-ldap
# (optional, auth_ldap) is skipped, psycopg2 comes as its binary wheel.
install_odoo_requirements() {
    local req="$1" tmp
    tmp="$(mktemp)"
    "$PYTHON" - "$req" "$tmp" <<'PY'
import sys
from packaging.requirements import Requirement
out = []
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.marker is None or req.marker.evaluate({"python_version": "3.12", "sys_platform": "linux"}):
        spec = str(req).split(";")[0].strip()
        if spec.startswith("python-ldap"):
            continue
        out.append(spec.replace("psycopg2==", "psycopg2-binary=="))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
    "$PYTHON" -m pip install -q -r "$tmp"
    rm -f "$tmp"
}

odoo_addons_path() {
    "$PYTHON" - "$REPO_DIR" <<'PY'
import os, sys
import odoo
root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))
paths = [os.path.join(root, "addons"), os.path.join(root, "odoo", "addons"), sys.argv[1]]
print(",".join(p for p in paths if os.path.isdir(p)))
PY
}

pg_running() {
    pg_isready -q -h "$DB_HOST" -p "$DB_PORT" 2>/dev/null
}

# Start the local PostgreSQL cluster when needed and make sure the Odoo role exists.
ensure_postgres() {
    if ! pg_running; then
        command -v pg_lsclusters >/dev/null || die "PostgreSQL is not running and pg_ctlcluster is not available: start PostgreSQL (>= 12) on $DB_HOST:$DB_PORT"
        local version
        version="$(pg_lsclusters -h | awk 'NR==1 {print $1}')"
        [ -n "$version" ] || die "No PostgreSQL cluster found (pg_lsclusters)."
        log "Starting PostgreSQL $version"
        pg_ctlcluster "$version" main start
        for _ in $(seq 1 30); do pg_running && break; sleep 1; done
        pg_running || die "PostgreSQL did not start"
    fi
    if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
        runuser -u postgres -- psql -q -p "$DB_PORT" -tc \
            "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'" | grep -q 1 \
            || runuser -u postgres -- psql -q -p "$DB_PORT" -c \
            "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
    fi
}

ensure_python_tools() {
    "$PYTHON" -c 'import pytest_odoo, websocket' 2>/dev/null \
        || "$PYTHON" -m pip install -q "pytest-odoo>=2.1" websocket-client
}

# OCA account_reconcile_oca (18.0, from PyPI) brings the bank reconciliation
# screen that Odoo 18 Community lacks: an optional companion of the addon,
# installed in the demo and test databases.  --no-deps: its wheels require
# the `odoo` distribution, which is installed from source, not by pip.
OCA_RECONCILE_ADDONS="account_reconcile_oca"
ensure_oca_reconcile() {
    "$PYTHON" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("odoo.addons.account_reconcile_oca") is None)' 2>/dev/null && return 0
    log "Installing OCA account_reconcile_oca (optional bank reconciliation screen)"
    "$PYTHON" -m pip install -q --no-deps \
        "odoo-addon-account_reconcile_oca==18.0.*" \
        "odoo-addon-account_reconcile_model_oca==18.0.*" \
        "odoo-addon-account_statement_base==18.0.*"
}

# OCA queue_job (18.0, from PyPI): the job queue that l10n_it_autoreg_queue
# (this repository's glue module, auto-installed with it) hands registration
# runs to.  Installed in the test database.  The pin: queue_job 18.0 releases
# from 18.0.1.7.1 (July 2025) on decorate methods with odoo.api.private,
# which Odoo 18.0 gained in February 2025: on an older 18.0 (such as the one
# of November 2024 these machines run) their registry fails to load.
# 18.0.1.7.0.x is the last release without it and loads on every 18.0, old
# or current.  --no-deps, as above.
OCA_QUEUE_ADDONS="queue_job,l10n_it_autoreg_queue"
OCA_QUEUE_JOB_VERSIONS="==18.0.1.7.0.*"
ensure_oca_queue_job() {
    # an installed queue_job is kept when it loads on this Odoo: the pinned
    # release, or any release when this Odoo has odoo.api.private
    "$PYTHON" - "$OCA_QUEUE_JOB_VERSIONS" <<'PY' 2>/dev/null && return 0
import sys
from importlib.metadata import version

from packaging.specifiers import SpecifierSet

import odoo.api

installed = version("odoo-addon-queue_job")
sys.exit(not (hasattr(odoo.api, "private") or installed in SpecifierSet(sys.argv[1])))
PY
    log "Installing OCA queue_job (odoo-addon-queue_job$OCA_QUEUE_JOB_VERSIONS)"
    "$PYTHON" -m pip install -q --no-deps "odoo-addon-queue_job$OCA_QUEUE_JOB_VERSIONS"
}

# Write an Odoo configuration file for database $1 and print its path.  Its
# HTTP port is a free one: two test runs at once (the browser tests serve
# HTTP) must not talk to each other's server; the demo passes its own port.
write_odoo_config() {
    local db="$1" conf
    conf="$(mktemp --suffix=.odoo.conf)"
    cat > "$conf" <<CONF
[options]
addons_path = $(odoo_addons_path)
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
db_name = $db
dbfilter = ^$db\$
list_db = False
admin_passwd = admin
http_port = $(free_port)
CONF
    echo "$conf"
}

# A TCP port free now on this machine (Odoo's runner always starts its
# HTTP server, also with --no-http: two runs must not share 8069).
free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

odoo_cmd() {
    "$PYTHON" -m odoo "$@"
}

drop_db() {
    PGPASSWORD="$DB_PASSWORD" dropdb --if-exists -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$1"
}

# Browser tests (tours) need Chromium; without it Odoo *skips* them, which
# the test command then refuses (see conftest.py).
ensure_chromium() {
    if command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
            || command -v google-chrome >/dev/null; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "Installing Chromium for the browser tests"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
            || die "Could not install Chromium (Debian package chromium)"
    else
        die "Chromium is needed by the browser tests: install it (Debian: apt-get install chromium)"
    fi
}
