"""Acceptance on a folder of received files that are not in the repository
(held-out real-world e-invoices): every file is received and registered by
a company that is its buyer, in a savepoint rolled back after it.

Not collected by the test suite (its name does not start with ``test_``):
run it with ``scripts/acceptance.sh FOLDER``.  It fails when a posted bill
differs from its document (taxable/VAT/amount due) or when reading or
registering hit an internal error; it prints the outcome of every file.
"""

import contextlib
import os
from collections import Counter
from pathlib import Path

from .test_samples import SampleRegistrationCase, _Rollback


class TestAcceptance(SampleRegistrationCase):
    def test_folder(self):
        folder = os.environ.get("AUTOREG_ACCEPTANCE_DIR")
        self.assertTrue(
            folder and Path(folder).is_dir(),
            "set AUTOREG_ACCEPTANCE_DIR to a folder of received files",
        )
        outcomes, wrong = {}, {}
        for path in sorted(Path(folder).rglob("*")):
            if not path.is_file():
                continue
            with contextlib.suppress(_Rollback), self.env.cr.savepoint():
                try:
                    outcomes[path.name], _moves = self._sample_outcome(path)
                except AssertionError as error:  # a bill unlike its document
                    outcomes[path.name] = ["POSTED WRONG"]
                    wrong[path.name] = str(error)
                raise _Rollback
        # the report scripts/acceptance.sh shows: printed, not logged
        # pylint: disable=print-used
        for name, result in outcomes.items():
            print("ACCEPTANCE {}: {}".format(name, ", ".join(result) or "(nothing received)"))
        counts = Counter(outcome for result in outcomes.values() for outcome in result)
        print(
            "ACCEPTANCE %d files, %d documents: %s"
            % (
                len(outcomes),
                sum(counts.values()),
                ", ".join("%s %d" % item for item in counts.most_common()),
            )
        )
        internal = [name for name, result in outcomes.items() if "internal_error" in result]
        self.assertFalse(wrong, "bills posted with figures unlike their document")
        self.assertFalse(internal, "internal errors")
