#!/usr/bin/env bash
# Acceptance on received files that are not in the repository:
#   scripts/acceptance.sh FOLDER
# Each file is received and registered, in a throwaway database, by a
# company that is its buyer; prints every outcome, fails when a bill is
# posted unlike its document or on an internal error.
set -euo pipefail
[ -d "${1:-}" ] || { echo "usage: $0 FOLDER (of .xml / .xml.p7m files)" >&2; exit 2; }
AUTOREG_ACCEPTANCE_DIR="$(cd "$1" && pwd)" exec bash "$(dirname "${BASH_SOURCE[0]}")/test.sh" \
    l10n_it_autoreg/tests/acceptance_registration.py -s
