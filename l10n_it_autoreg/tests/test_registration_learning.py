"""registration.learning without a database: the past line of a supplier
a document line follows (same article code, similar description, same VAT
tax), a person's correction before the lines nobody changed, and what the
trace says."""

from datetime import date, datetime
from decimal import Decimal as D

from odoo.addons.l10n_it_autoreg.fatturapa.model import ArticleCode, Line
from odoo.addons.l10n_it_autoreg.registration.learning import (
    PastLine,
    key_words,
    learn,
    same_analytic,
    similarity,
)
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase, T

VAT22, VAT10 = 22, 10
ENERGY, GAS, OFFICE = 601, 602, 603


def doc_line(description, codes=()):
    return Line(
        number=1,
        description=description,
        price_total=D("100"),
        vat_rate=D("22"),
        article_codes=[ArticleCode("Codice", c) for c in codes],
    )


def past(line_id, description, account_id, bill=None, taxes=(VAT22,), code="", **kw):
    kw.setdefault("date", date(2025, 1, line_id))
    return PastLine(
        line_id=line_id,
        bill=bill or f"FATT/{line_id}",
        description=description,
        account_id=account_id,
        tax_ids=frozenset(taxes),
        article_code=code,
        **kw,
    )


class TestSimilarity(RegistrationCase):
    def test_key_words_leave_out_numbers_months_and_articles(self):
        self.assertEqual(
            key_words("Energia elettrica del periodo 01/03/2025 - marzo 2025"),
            {"energia", "elettrica"},
        )
        self.assertEqual(
            key_words("Fornitura F1 POD IT001E123"), {"fornitura", "f1", "pod", "it001e123"}
        )

    def test_similarity_is_the_share_of_common_words(self):
        self.assertEqual(
            similarity(
                key_words("Energia elettrica gennaio"), key_words("ENERGIA ELETTRICA febbraio")
            ),
            1.0,
        )
        self.assertEqual(similarity(key_words("Energia elettrica"), key_words("Gas")), 0.0)
        self.assertEqual(similarity(frozenset(), frozenset()), 0.0)

    def test_analytic_distributions_compare_by_value(self):
        self.assertTrue(same_analytic({"3": 100}, {3: 100.0}))
        self.assertTrue(same_analytic(None, {}))
        self.assertFalse(same_analytic({"3": 100}, {"4": 100}))


class TestLearn(RegistrationCase):
    def test_nothing_similar_learns_nothing(self):
        self.assertIsNone(learn([past(1, "Cancelleria", OFFICE)], doc_line("Energia"), VAT22))
        self.assertIsNone(learn([], doc_line("Energia"), VAT22))

    def test_the_similar_description_wins(self):
        lines = [past(1, "Energia elettrica gennaio", ENERGY), past(2, "Gas metano", GAS)]
        learned = learn(lines, doc_line("Energia elettrica marzo"), VAT22)
        self.assertEqual(learned.account_id, ENERGY)
        self.assertEqual(learned.why(), T("as on", bill="FATT/1"))
        self.assertEqual(learn(lines, doc_line("GAS METANO"), VAT22).account_id, GAS)

    def test_the_article_code_wins_over_the_description(self):
        lines = [past(1, "Toner nero", OFFICE), past(2, "Ricambio", ENERGY, code="TNR1")]
        learned = learn(lines, doc_line("Toner nero", codes=["tnr1"]), VAT22)
        self.assertEqual((learned.account_id, learned.by_code), (ENERGY, True))

    def test_the_same_vat_tax_first_then_the_most_recent(self):
        lines = [
            past(1, "Servizio", OFFICE, taxes=(VAT22,)),
            past(2, "Servizio", GAS, taxes=(VAT10,)),
            past(3, "Servizio", ENERGY, taxes=(VAT22,)),
        ]
        self.assertEqual(learn(lines, doc_line("Servizio"), VAT22).account_id, ENERGY)
        self.assertEqual(learn(lines, doc_line("Servizio"), VAT10).account_id, GAS)

    def test_a_correction_wins_over_newer_lines_nobody_changed(self):
        corrected = past(
            1,
            "Energia elettrica",
            GAS,
            decided_account_id=ENERGY,
            writer="Mario Rossi",
            written=datetime(2025, 2, 1),
        )
        newer = past(2, "Energia elettrica", ENERGY, decided_account_id=ENERGY)
        learned = learn([corrected, newer], doc_line("Energia elettrica"), VAT22)
        self.assertEqual(learned.account_id, GAS)
        self.assertEqual(learned.corrected, ("account",))
        self.assertEqual(
            learned.why(), T("account as corrected on", bill="FATT/1", user="Mario Rossi")
        )

    def test_the_last_correction_wins(self):
        first = past(
            1, "Energia", GAS, decided_account_id=ENERGY, writer="A", written=datetime(2025, 3, 1)
        )
        second = past(
            2,
            "Energia",
            OFFICE,
            decided_account_id=ENERGY,
            writer="B",
            written=datetime(2025, 2, 1),
        )
        self.assertEqual(learn([first, second], doc_line("Energia"), VAT22).account_id, GAS)

    def test_an_analytic_correction(self):
        line = past(
            1,
            "Energia",
            ENERGY,
            decided_account_id=ENERGY,
            decided_analytic=None,
            analytic={"5": 100.0},
            writer="Anna",
        )
        learned = learn([line], doc_line("Energia"), VAT22)
        self.assertEqual((learned.corrected, learned.analytic), (("analytic",), {"5": 100.0}))
        self.assertEqual(
            learned.why(), T("analytic distribution as corrected", bill="FATT/1", user="Anna")
        )
        both = past(
            1, "Energia", GAS, decided_account_id=ENERGY, analytic={"5": 100.0}, writer="Anna"
        )
        self.assertEqual(
            learn([both], doc_line("Energia"), VAT22).why(),
            T("account and analytic distribution as corrected", bill="FATT/1", user="Anna"),
        )

    def test_lines_the_addon_did_not_register_are_no_corrections(self):
        manual = past(1, "Energia", GAS)
        self.assertEqual(manual.corrected, ())
        unchanged = past(
            2,
            "Energia",
            GAS,
            decided_account_id=GAS,
            analytic={"5": 100},
            decided_analytic={"5": 100.0},
        )
        self.assertEqual(unchanged.corrected, ())
