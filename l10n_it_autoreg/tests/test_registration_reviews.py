"""registration.reviews without a database: every Review("code") made
anywhere is in the one table (REVIEWS) with a note its parameters fill, a
review is also a trace note, and README / readme/REVIEW_CODES.md show the
table."""

import ast

from odoo.addons.l10n_it_autoreg.registration.outcome import Text
from odoo.addons.l10n_it_autoreg.registration.reviews import (
    REVIEW_CODES,
    REVIEWS,
    Review,
    review_codes_markdown,
    reviews_of,
)
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase, T
from odoo.addons.l10n_it_autoreg.tests.test_registration_outcome import (
    PLACEHOLDER,
    readme_tables,
    sources,
)


def review_calls():
    """[(where, code, keyword names)] of every ``Review("code", ...)`` of
    registration/ and models/."""
    calls = []
    for path, text in sources("registration", "models"):
        for node in ast.walk(ast.parse(text, path)):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Review"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                calls.append(
                    (
                        f"{path}:{node.lineno}",
                        node.args[0].value,
                        {k.arg for k in node.keywords},
                    )
                )
    return calls


class TestReviewCodes(RegistrationCase):
    def test_every_review_made_is_a_review_code_with_its_parameters(self):
        calls = review_calls()
        self.assertGreaterEqual(len(calls), 3)
        wrong = [
            "{} {} {}".format(*call)
            for call in calls
            if call[1] not in REVIEWS
            or set(PLACEHOLDER.findall(REVIEWS[call[1]].template)) != call[2]
        ]
        self.assertEqual(wrong, [])

    def test_every_note_renders_and_is_documented(self):
        self.assertEqual(REVIEW_CODES, tuple(REVIEWS))
        for code, review in REVIEWS.items():
            self.assertEqual(review.code, code)
            self.assertTrue(review.meaning and review.check, code)
            self.assertNotIn("|", review.meaning + review.check, code)
            params = dict.fromkeys(PLACEHOLDER.findall(review.template), "X")
            self.assertIsInstance(review.template % params, str)

    def test_a_review_is_a_trace_note_with_a_code(self):
        note = Review("supplier_created", partner="Rossi Srl")
        self.assertIsInstance(note, Text)
        self.assertEqual(note, T("was created from this e-invoice", partner="Rossi Srl"))
        self.assertEqual(
            (note.code, note.template), ("supplier_created", REVIEWS["supplier_created"].template)
        )
        self.assertNotEqual(note, Review("supplier_created", partner="Bianchi Srl"))

    def test_reviews_of_a_trace_keep_order_and_skip_plain_notes(self):
        first = Review("supplier_created", partner="A")
        second = Review("rounding_added", amount="0.01", where="22.00%")
        trace = [Text("Supplier: %s", "A"), first, Text("Account %s", "6000"), second]
        self.assertEqual(reviews_of(trace), [first, second])
        self.assertEqual(reviews_of([Text("Supplier: %s", "A")]), [])

    def test_readme_and_readme_folder_review_code_tables_are_review_codes_markdown(self):
        readme, folder = readme_tables(self, "review codes", "REVIEW_CODES.md")
        self.assertEqual(folder, review_codes_markdown())
        if readme is None:
            self.skipTest("no README.md beside the addon (installed elsewhere)")
        self.assertEqual(readme, review_codes_markdown())
