"""registration.missing_tax without a database: the key of the tax a
tax_not_found refusal waits for, what that tax is (kind, rate, name) and the
company's taxes "Create this tax" copies it from."""

from decimal import Decimal as D

from odoo.addons.l10n_it_autoreg.registration.missing_tax import MissingTax, nearest_taxes
from odoo.addons.l10n_it_autoreg.registration.outcome import Refusal
from odoo.addons.l10n_it_autoreg.registration.taxes import (
    EXEMPT,
    NORMAL,
    REVERSE_CHARGE,
    SPLIT_PAYMENT,
    choose_vat_tax,
    tax_key,
    vat_key,
)
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase
from odoo.addons.l10n_it_autoreg.tests.test_registration_taxes import CHART, tax


def waits_for(rate, nature=None, due=None, taxes=(), rc_tag=None):
    """The missing_tax of the refusal of a VAT key among ``taxes``."""
    try:
        choose_vat_tax(vat_key(D(rate), nature), due, list(taxes), rc_tag)
    except Refusal as refusal:
        assert refusal.code == "tax_not_found", refusal
        return refusal.missing_tax
    raise AssertionError("not refused")


class TestMissingTaxKey(RegistrationCase):
    def test_every_creatable_refusal_carries_its_key(self):
        self.assertEqual(waits_for("22", due="S"), "22.00|S")
        self.assertEqual(waits_for("15.55"), "15.55|")
        self.assertEqual(waits_for("0", "N6.9"), "0.00|N6.9")
        self.assertEqual(waits_for("0", "n4"), "0.00|N4")

    def test_no_key_for_what_is_no_tax(self):
        self.assertIsNone(waits_for("0"))  # 0% without Natura: the document is wrong
        self.assertIsNone(waits_for("0", due="S"))

    def test_key_round_trip(self):
        for key in ("22.00|S", "15.55|", "0.00|N6.9", "0.00|N4", "22.00|N6.7"):
            self.assertEqual(MissingTax.from_key(key).key, key)
        self.assertEqual(tax_key(D("4"), split=True), "4.00|S")

    def test_unusable_keys(self):
        for key in (None, "", "22", "abc|S", "0.00|", "0.00|S", "-1.00|"):
            self.assertIsNone(MissingTax.from_key(key), key)


class TestMissingTax(RegistrationCase):
    def test_kinds_rates_and_names_like_the_chart(self):
        cases = {
            "22.00|S": (SPLIT_PAYMENT, D("22.00"), "22% SP", True),
            "15.55|": (NORMAL, D("15.55"), "15.55%", False),
            "0.00|N4": (EXEMPT, D("0.00"), "0% N4", False),
            # a reverse charge written at 0% integrates the standard rate
            "0.00|N6.9": (REVERSE_CHARGE, D("22.00"), "22% RC N6.9", True),
            "10.00|N6.3": (REVERSE_CHARGE, D("10.00"), "10% RC N6.3", True),
            "5.50|": (NORMAL, D("5.50"), "5.5%", False),
        }
        for key, expected in cases.items():
            missing = MissingTax.from_key(key)
            self.assertEqual(
                (missing.kind, missing.amount, missing.name, missing.negative), expected, key
            )

    def test_split_payment_copies_the_rate_and_the_reverse_charge_minus(self):
        model, negative = nearest_taxes(MissingTax.from_key("22.00|S"), CHART)
        self.assertEqual((model.id, negative.id), (1, 6))
        model, negative = nearest_taxes(MissingTax.from_key("10.00|S"), CHART)
        self.assertEqual((model.id, negative.id), (2, 7))

    def test_reverse_charge_copies_the_closest_reverse_charge(self):
        self.assertEqual(nearest_taxes(MissingTax.from_key("0.00|N6.9"), CHART)[0].id, 6)
        self.assertEqual(nearest_taxes(MissingTax.from_key("10.00|N6.9"), CHART)[0].id, 7)
        # none configured: the plain tax of the rate (its -100% added apart)
        plain = [t for t in CHART if not t.negative]
        self.assertEqual(nearest_taxes(MissingTax.from_key("0.00|N6.9"), plain), (plain[0], None))

    def test_exempt_copies_the_same_family_first(self):
        self.assertEqual(nearest_taxes(MissingTax.from_key("0.00|N2.1"), CHART)[0].id, 5)
        self.assertEqual(nearest_taxes(MissingTax.from_key("0.00|N3.5"), CHART)[0].id, 4)

    def test_plain_rate_copies_the_closest_rate_active_first(self):
        self.assertEqual(nearest_taxes(MissingTax.from_key("15.55|"), CHART)[0].id, 2)
        self.assertEqual(nearest_taxes(MissingTax.from_key("21.00|"), CHART)[0].id, 1)
        self.assertEqual(nearest_taxes(MissingTax.from_key("21.00|"), [tax(30, "10.00")])[0].id, 30)
        self.assertEqual(nearest_taxes(MissingTax.from_key("21.00|"), []), (None, None))
