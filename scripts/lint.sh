#!/usr/bin/env bash
# Lint like OCA (.pre-commit-config.yaml): ruff, pylint with OCA's
# pylint-odoo, OCA's module and PO checks and pre-commit's file checks, on
# every file git tracks.  Exits non-zero on any finding, after saying what to
# fix.  The test command runs it before the suite.
#
#   bash scripts/lint.sh         check (whitespace hooks fix what they flag)
#   bash scripts/lint.sh --fix   also apply ruff's fixes and ruff format
#
# pre-commit (pinned below) is installed from PyPI into its own virtualenv
# when missing; pre-commit then installs each hook's pinned tool (ruff,
# pylint-odoo, ...) from PyPI into its cache on first use.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PRE_COMMIT_VERSION="4.6.0"
LINT_VENV="${LINT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/l10n_it_autoreg/lint-venv}"

ensure_pre_commit() {
    if "$LINT_VENV/bin/pre-commit" --version 2>/dev/null | grep -qx "pre-commit $PRE_COMMIT_VERSION"; then
        return 0
    fi
    log "Installing pre-commit $PRE_COMMIT_VERSION into $LINT_VENV"
    "$PYTHON" -m venv "$LINT_VENV" || die "Could not create a virtualenv in $LINT_VENV ($PYTHON -m venv)"
    "$LINT_VENV/bin/python" -m pip install -q "pre-commit==$PRE_COMMIT_VERSION" \
        || die "Could not install pre-commit $PRE_COMMIT_VERSION from PyPI"
}

stage=()
case "${1:-}" in
    "") ;;
    --fix) stage=(--hook-stage manual) ;;
    *) die "usage: bash scripts/lint.sh [--fix]" ;;
esac

cd "$REPO_DIR"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 \
    || die "The lint runs on the files git tracks: $REPO_DIR is not a git work tree."
ensure_pre_commit

log "Linting (pre-commit: ruff, pylint-odoo, OCA module checks)"
set +e
"$LINT_VENV/bin/pre-commit" run --all-files "${stage[@]}"
status=$?
set -e
if [ "$status" != 0 ]; then
    log "Lint failed: fix what is listed above, then run it again (bash scripts/lint.sh)."
    log "  'bash scripts/lint.sh --fix' applies ruff's fixes and ruff format; a hook that"
    log "  'modified files' already fixed them in place: review and commit them."
    log "  A check that does not fit: disable it in .ruff.toml / .pylintrc-mandatory, saying why."
    exit "$status"
fi
log "Lint clean"
