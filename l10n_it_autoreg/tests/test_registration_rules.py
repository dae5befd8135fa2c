"""registration.rules without a database: each condition of a registration
rule (supplier, document type, words of the description, article code,
AltriDatiGestionali type / text, VAT rate, Natura), the order of the rules,
the outcomes (review, never automatically, a rule that cannot be applied)
and the split of an amount by percentage, to the cent."""

from decimal import Decimal as D

from odoo.addons.l10n_it_autoreg.fatturapa.model import ArticleCode, Line, OtherData
from odoo.addons.l10n_it_autoreg.registration.lines import (
    DETAIL_LINES,
    DETAIL_PER_RATE,
    bill_lines,
    items_of,
)
from odoo.addons.l10n_it_autoreg.registration.outcome import Text
from odoo.addons.l10n_it_autoreg.registration.reviews import Review
from odoo.addons.l10n_it_autoreg.registration.rules import (
    OUTCOME_MANUAL,
    OUTCOME_REVIEW,
    Share,
    applied,
    codes_of,
    compact,
    document_matches,
    line_matches,
    make_rule,
    phrases_of,
    review_of,
    rule_for,
    split_amounts,
    split_problem,
    words,
)
from odoo.addons.l10n_it_autoreg.tests.builder import LineSpec
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase, T, read

SUPPLIER, OTHER = 7, 8


def line(description="Servizio", vat_rate="22.00", nature=None, codes=(), other=()):
    return Line(
        number=1,
        description=description,
        price_total=D("100.00"),
        vat_rate=D(vat_rate),
        vat_nature=nature,
        article_codes=[ArticleCode("Codice", c) for c in codes],
        other_data=[OtherData(t, x) for t, x in other],
    )


def rule(rule_id=1, **kw):
    kw.setdefault("account_id", 100)
    return make_rule(rule_id, f"Regola {rule_id}", **kw)


class TestTexts(RegistrationCase):
    def test_words_ignore_capitals_accents_and_punctuation(self):
        self.assertEqual(
            words("Attività: ENERGIA elettrica (F1)"), ("attivita", "energia", "elettrica", "f1")
        )
        self.assertEqual(words(Text("a reading's line")), ())

    def test_phrases_and_codes_are_separated_by_commas(self):
        self.assertEqual(
            phrases_of("Energia elettrica, gas;\nacqua, "),
            (("energia", "elettrica"), ("gas",), ("acqua",)),
        )
        self.assertEqual(codes_of(" it001e 123 , pdr-9 "), ("IT001E123", "PDR-9"))
        self.assertEqual(compact(None), "")


class TestConditions(RegistrationCase):
    def test_no_condition_holds_for_every_line(self):
        self.assertTrue(line_matches(rule(), line()))
        self.assertTrue(document_matches(rule(), {SUPPLIER}, "TD01"))

    def test_supplier(self):
        only = rule(partner_ids=[SUPPLIER])
        self.assertTrue(document_matches(only, {SUPPLIER, 99}, "TD01"))
        self.assertFalse(document_matches(only, {OTHER}, "TD01"))

    def test_document_type(self):
        credit = rule(document_types="td04, TD08")
        self.assertTrue(document_matches(credit, {SUPPLIER}, "TD04"))
        self.assertFalse(document_matches(credit, {SUPPLIER}, "TD01"))

    def test_words_are_whole_words_of_the_description(self):
        energy = rule(words_text="energia elettrica, gas")
        self.assertTrue(line_matches(energy, line("Fornitura ENERGIA Elettrica marzo")))
        self.assertTrue(line_matches(energy, line("Gas naturale")))
        self.assertFalse(line_matches(energy, line("Gasolio per autotrazione")))
        self.assertFalse(line_matches(energy, line("Energia termica elettrica")))

    def test_article_code(self):
        toner = rule(codes_text="TNR-1, tnr 2")
        self.assertTrue(line_matches(toner, line(codes=["TNR2"])))
        self.assertTrue(line_matches(toner, line(codes=["X", "tnr-1"])))
        self.assertFalse(line_matches(toner, line(codes=["TNR-3"])))
        self.assertFalse(line_matches(toner, line()))

    def test_other_data_type_and_text(self):
        pod = rule(other_type="POD", other_text="IT001E12345678")
        self.assertTrue(line_matches(pod, line(other=[("pod", "IT 001 E12345678")])))
        self.assertFalse(line_matches(pod, line(other=[("POD", "IT001E99999999")])))
        self.assertFalse(line_matches(pod, line(other=[("PDR", "IT001E12345678")])))
        any_pod = rule(other_type="POD")
        self.assertTrue(line_matches(any_pod, line(other=[("POD", "IT001E99999999")])))
        self.assertFalse(line_matches(any_pod, line()))
        any_type = rule(other_text="00881234567890")
        self.assertTrue(line_matches(any_type, line(other=[("PDR", "00881234567890")])))

    def test_vat_rate_and_natura(self):
        self.assertTrue(line_matches(rule(vat_rate=10), line(vat_rate="10.00")))
        self.assertFalse(line_matches(rule(vat_rate=10), line(vat_rate="22.00")))
        self.assertTrue(line_matches(rule(vat_rate=0), line(vat_rate="0", nature="N4")))
        self.assertFalse(line_matches(rule(vat_rate=0), line()))
        self.assertTrue(line_matches(rule(vat_nature="N6"), line(vat_rate="0", nature="N6.3")))
        self.assertTrue(line_matches(rule(vat_nature="n4"), line(vat_rate="0", nature="N4")))
        self.assertFalse(line_matches(rule(vat_nature="N2"), line(vat_rate="0", nature="N4")))
        self.assertFalse(line_matches(rule(vat_nature="N2"), line()))

    def test_every_condition_must_hold(self):
        both = rule(words_text="energia", other_type="POD")
        self.assertFalse(line_matches(both, line("Energia")))
        self.assertTrue(line_matches(both, line("Energia", other=[("POD", "X")])))


class TestOrder(RegistrationCase):
    def test_the_first_rule_in_order_decides(self):
        general = rule(1, partner_ids=[SUPPLIER])
        specific = rule(2, partner_ids=[SUPPLIER], words_text="gas")
        self.assertEqual(rule_for([specific, general], line("Gas"), {SUPPLIER}, "TD01"), specific)
        self.assertEqual(rule_for([general, specific], line("Gas"), {SUPPLIER}, "TD01"), general)
        self.assertEqual(rule_for([specific, general], line("Luce"), {SUPPLIER}, "TD01"), general)
        self.assertIsNone(rule_for([specific, general], line("Gas"), {OTHER}, "TD01"))


class TestOutcomes(RegistrationCase):
    def test_register_and_review(self):
        plain = rule()
        self.assertIs(applied(plain, True, "x"), plain)
        self.assertIsNone(review_of(plain))
        review = rule(outcome=OUTCOME_REVIEW)
        self.assertIs(applied(review, True, "x"), review)
        self.assertEqual(review_of(review), Review("rule_review", rule="Regola 1"))
        self.assertIsNone(applied(None, True, "x"))

    def test_never_automatically_refuses_the_scheduled_action_only(self):
        manual = rule(outcome=OUTCOME_MANUAL, account_id=None)
        params = self.assertRefusal("rule_manual", applied, manual, True, "Conguaglio")
        self.assertEqual(params, {"rule": "Regola 1", "line": "Conguaglio"})
        self.assertIsNone(applied(manual, False, "Conguaglio"))

    def test_a_rule_that_cannot_be_applied_is_a_clear_reason(self):
        broken = rule(problem=Text("account %s is deprecated", "6001"))
        for automatic in (True, False):
            params = self.assertRefusal("rule_invalid", applied, broken, automatic, "x")
            self.assertEqual(params, {"rule": "Regola 1", "detail": T("deprecated", "6001")})


class TestSplit(RegistrationCase):
    def test_shares_add_up_to_the_cent_the_last_takes_the_remainder(self):
        thirds = [Share(1, D("33.33")), Share(2, D("33.33")), Share(3, D("33.34"))]
        parts = split_amounts(D("100.00"), thirds)
        self.assertEqual([a for _s, a in parts], [D("33.33"), D("33.33"), D("33.34")])
        parts = split_amounts(D("0.10"), thirds)
        self.assertEqual([a for _s, a in parts], [D("0.03"), D("0.03"), D("0.04")])
        parts = split_amounts(D("123.457"), [Share(1, D("70")), Share(2, D("30"))])
        self.assertEqual([a for _s, a in parts], [D("86.42"), D("37.04")])
        self.assertEqual(sum(a for _s, a in parts), D("123.46"))

    def test_negative_amounts_split_alike(self):
        parts = split_amounts(D("-99.99"), [Share(1, D("50")), Share(2, D("50"))])
        self.assertEqual([a for _s, a in parts], [D("-50.00"), D("-49.99")])

    def test_percentages_must_add_up_to_100(self):
        self.assertIsNone(split_problem([Share(1, 60.0), Share(2, 40.0)]))
        self.assertIsNone(split_problem([]))
        self.assertEqual(split_problem([Share(1, 60.0), Share(2, 30.0)]), T("add up to", "90.00"))
        self.assertEqual(
            split_problem([Share(1, 110.0), Share(2, -10.0)]), T("add up to", "100.00")
        )


class TestSplitBillLines(RegistrationCase):
    """A split line becomes one bill line per account (full lines), or joins
    each account's line (one line per VAT rate); analytic distributions
    travel with the lines."""

    def items(self):
        invoice = read(
            lines=[
                LineSpec("Canone", price_unit=D("100.01")),
                LineSpec("Extra", price_unit=D("50.00")),
            ]
        )
        items = items_of(invoice)
        shares = [Share(1, D("60")), Share(2, D("40"))]
        items[0].shares = [
            (s.account_id, a, s.percent) for s, a in split_amounts(items[0].amount, shares)
        ]
        items[0].account_id = 1
        items[1].account_id, items[1].analytic = 2, {"9": 100.0}
        return invoice, items

    def test_full_lines(self):
        invoice, items = self.items()
        lines, built = bill_lines(invoice, items, DETAIL_LINES, -1, 2)
        self.assertEqual(
            [(bl.name, bl.account_id, bl.price_unit, bl.analytic) for bl in lines],
            [
                ("Canone (60%)", 1, -60.01, None),
                ("Canone (40%)", 2, -40.0, None),
                ("Extra", 2, -50.0, {"9": 100.0}),
            ],
        )
        self.assertEqual(built[(D("22.00"), None)], D("150.01"))

    def test_one_line_per_rate_and_account_and_analytic(self):
        invoice, items = self.items()
        lines, built = bill_lines(invoice, items, DETAIL_PER_RATE, 1, 2)
        self.assertEqual(
            sorted((bl.account_id, bl.price_unit, str(bl.analytic)) for bl in lines),
            [(1, 60.01, "None"), (2, 40.0, "None"), (2, 50.0, "{'9': 100.0}")],
        )
        self.assertEqual(built[(D("22.00"), None)], D("150.01"))
