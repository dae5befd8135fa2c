"""registration.taxes without a database: which purchase tax a VAT summary
key, a DatiRitenuta or a DatiCassaPrevidenziale takes among the company's
taxes (plain TaxInfo); a rate is never replaced by another one."""

from decimal import Decimal as D

from odoo.addons.l10n_it_autoreg.fatturapa.model import PensionFund, Withholding
from odoo.addons.l10n_it_autoreg.registration.missing_taxes import (
    ENASARCO,
    PENSION_FUND,
    WITHHOLDING,
    NewTax,
    closest,
    needs_pension_tax,
    new_pension_tax,
    new_withholding_tax,
    percent,
    subject_to_withholding,
    unique_name,
    withheld_rate,
)
from odoo.addons.l10n_it_autoreg.registration.outcome import Refusal
from odoo.addons.l10n_it_autoreg.registration.taxes import (
    EXEMPT,
    NORMAL,
    REVERSE_CHARGE,
    SPLIT_PAYMENT,
    TaxInfo,
    choose_pension_tax,
    choose_vat_tax,
    choose_withholding_tax,
    pick,
    vat_key,
)
from odoo.addons.l10n_it_autoreg.tests.builder import LineSpec, PensionFundSpec, WithholdingSpec
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase, T, read


def tax(tax_id, amount, **kw):
    return TaxInfo(id=tax_id, name=kw.pop("name", f"T{tax_id}"), amount=D(amount), **kw)


# The purchase taxes of an Italian company, as the engine describes them.
CHART = [
    tax(1, "22.00", name="22% G"),
    tax(2, "10.00", name="10% G"),
    tax(3, "22.00", name="22% G archived", active=False),
    tax(4, "0.00", nature="N4", name="0% N4"),
    tax(5, "0.00", nature="N2.2", name="0% N2.2"),
    tax(6, "22.00", negative=True, rc_tags=frozenset({"VJ3"}), name="22% RC N6.3 grid"),
    tax(7, "10.00", negative=True, nature="N6.3", name="10% RC N6.3"),
    tax(8, "22.00", negative=True, name="22% split payment"),
    tax(9, "22.00", price_include=True, name="22% included"),
    tax(10, "-20.00", withholding_type="RT01", withholding_reason="A", name="RA 20% A"),
    tax(11, "-11.50", withholding_type="RT01", withholding_reason="ZO", name="RA 23% on 50%"),
    tax(12, "-8.50", pension_type="TC07", name="ENASARCO 8.5%"),
    tax(13, "4.00", pension_type="TC22", name="INPS 4%"),
    tax(14, "22.00", negative=True, nature="N6.7", name="22% RC N6.7"),
]


def key(rate, nature=None):
    return vat_key(D(rate), nature)


class TestPick(RegistrationCase):
    def test_active_tax_before_archived_one(self):
        active, archived = tax(1, "22.00"), tax(2, "22.00", active=False, default=True)
        self.assertIs(pick([archived, active]), active)

    def test_company_default_first_among_equals(self):
        first, default = tax(1, "22.00"), tax(2, "22.00", default=True)
        self.assertIs(pick([first, default]), default)
        self.assertEqual(pick([tax(3, "22.00"), tax(4, "22.00")]).id, 3)

    def test_archived_tax_used_when_no_active_one(self):
        archived = tax(3, "22.00", active=False)
        self.assertIs(pick([archived]), archived)
        self.assertIsNone(pick([]))

    def test_vat_key_rounds_rate_and_upper_cases_nature(self):
        self.assertEqual(vat_key(D("22"), None), (D("22.00"), None))
        self.assertEqual(vat_key(None, "n2.1"), (D("0.00"), "N2.1"))
        self.assertEqual(vat_key(D("4.999"), ""), (D("5.00"), None))

    def test_is_vat_excludes_withholding_pension_and_price_included(self):
        self.assertEqual([t.id for t in CHART if t.is_vat], [1, 2, 3, 4, 5, 6, 7, 8, 14])


class TestVatTax(RegistrationCase):
    def assertRefused(self, vat_key_, due=None, taxes=None, rc_tag=None):
        taxes = CHART if taxes is None else taxes
        with self.assertRaises(Refusal) as caught:
            choose_vat_tax(vat_key_, due, taxes, rc_tag)
        self.assertEqual(caught.exception.code, "tax_not_found")
        return caught.exception.params

    def test_normal_rate_takes_the_active_plain_tax(self):
        self.assertEqual(choose_vat_tax(key("22"), "I", CHART), (CHART[0], NORMAL))
        self.assertEqual(choose_vat_tax(key("10"), None, CHART), (CHART[1], NORMAL))

    def test_archived_tax_of_the_rate_when_it_is_the_only_one(self):
        taxes = [t for t in CHART if t.id != 1]
        self.assertEqual(choose_vat_tax(key("22"), "D", taxes)[0].id, 3)

    def test_company_default_purchase_tax_first(self):
        taxes = CHART + [tax(20, "22.00", default=True)]
        self.assertEqual(choose_vat_tax(key("22"), "I", taxes)[0].id, 20)

    def test_rate_never_replaced_by_another(self):
        self.assertEqual(
            self.assertRefused(key("15.55")), {"rate": "15.55", "nature": "", "hint": ""}
        )
        self.assertEqual(self.assertRefused(key("4")), {"rate": "4.00", "nature": "", "hint": ""})

    def test_zero_rate_without_natura_refused(self):
        self.assertEqual(
            self.assertRefused(key("0")),
            {"rate": "0.00", "nature": T("without Natura"), "hint": ""},
        )

    def test_exempt_nature_takes_its_zero_tax(self):
        self.assertEqual(choose_vat_tax(key("0", "N4"), None, CHART), (CHART[3], EXEMPT))
        self.assertEqual(
            self.assertRefused(key("0", "N3.5")),
            {"rate": "0.00", "nature": "N3.5", "hint": T("exoneration", "N3.5")},
        )

    def test_generic_n2_legacy_takes_the_one_sub_code_tax(self):
        self.assertEqual(choose_vat_tax(key("0", "N2"), None, CHART), (CHART[4], EXEMPT))
        # the same sub-code twice (active and archived) is still one sub-code
        taxes = CHART + [tax(21, "0.00", nature="N2.2", active=False)]
        self.assertEqual(choose_vat_tax(key("0", "N2"), None, taxes)[0].id, 5)

    def test_generic_n2_with_several_sub_code_taxes_refused(self):
        taxes = CHART + [tax(22, "0.00", nature="N2.1")]
        self.assertEqual(self.assertRefused(key("0", "N2"), taxes=taxes)["nature"], "N2")
        self.assertEqual(self.assertRefused(key("0", "N3"))["hint"], T("exoneration", "N3"))

    def test_generic_n2_prefers_an_exact_n2_tax(self):
        taxes = CHART + [tax(22, "0.00", nature="N2.1"), tax(23, "0.00", nature="N2")]
        self.assertEqual(choose_vat_tax(key("0", "N2"), None, taxes)[0].id, 23)

    def test_reverse_charge_n6_picks_22_by_report_grid(self):
        # N6.3 at 0% in the document: the buyer integrates the standard rate
        # (tax 6 by its VAT report grid, over tax 7 at 10% by its nature)
        self.assertEqual(
            choose_vat_tax(key("0", "N6.3"), None, CHART, "VJ3"), (CHART[5], REVERSE_CHARGE)
        )

    def test_reverse_charge_other_rate_when_only_one_configured(self):
        self.assertEqual(choose_vat_tax(key("0", "N6.3"), None, CHART, None)[0].id, 7)

    def test_reverse_charge_by_exoneration_code(self):
        self.assertEqual(choose_vat_tax(key("0", "N6.7"), None, CHART, "VJ99")[0].id, 14)

    def test_reverse_charge_without_tax_refused(self):
        params = self.assertRefused(key("0", "N6.1"), rc_tag="VJ6")
        self.assertEqual(
            params, {"rate": "0.00", "nature": "N6.1", "hint": T("reverse charge", "N6.1")}
        )

    def test_reverse_charge_never_takes_a_positive_only_tax(self):
        taxes = [tax(1, "22.00", nature="N6.2"), tax(2, "22.00", rc_tags=frozenset({"VJ2"}))]
        self.assertRefused(key("0", "N6.2"), taxes=taxes, rc_tag="VJ2")

    def test_split_payment_takes_the_plus_minus_tax(self):
        self.assertEqual(choose_vat_tax(key("22"), "S", CHART), (CHART[7], SPLIT_PAYMENT))

    def test_split_payment_never_takes_a_reverse_charge_tax(self):
        taxes = [t for t in CHART if t.id != 8]
        params = self.assertRefused(key("22"), "S", taxes)
        self.assertEqual(
            params,
            {
                "rate": "22.00",
                "nature": T("split payment"),
                "hint": T("split payment", "22.00", "22.00"),
            },
        )

    def test_split_payment_rate_never_replaced(self):
        self.assertEqual(self.assertRefused(key("10"), "S")["rate"], "10.00")


class TestWithholdingTax(RegistrationCase):
    def assertRefused(self, withholding, taxes=None):
        taxes = CHART if taxes is None else taxes
        with self.assertRaises(Refusal) as caught:
            choose_withholding_tax(withholding, taxes)
        self.assertEqual(caught.exception.code, "withholding_not_configured")
        return caught.exception.params["detail"]

    def test_withholding_by_type_rate_and_reason(self):
        chosen = choose_withholding_tax(Withholding("RT01", D("20.00"), D("20.00"), "A"), CHART)
        self.assertEqual(chosen.id, 10)

    def test_withholding_without_reason_takes_any_reason(self):
        self.assertEqual(
            choose_withholding_tax(Withholding("rt01", D("20"), D("20")), CHART).id, 10
        )

    def test_withholding_zo_takes_the_half_rate_tax(self):
        self.assertEqual(
            choose_withholding_tax(Withholding("RT01", D("115.00"), D("23.00"), "ZO"), CHART).id, 11
        )

    def test_withholding_23_percent_takes_the_half_rate_tax_of_its_reason(self):
        taxes = CHART + [tax(30, "-11.50", withholding_type="RT01", withholding_reason="A")]
        self.assertEqual(
            choose_withholding_tax(Withholding("RT01", D("115.00"), D("23.00"), "A"), taxes).id, 30
        )

    def test_withholding_other_reason_refused(self):
        detail = self.assertRefused(Withholding("RT01", D("20.00"), D("20.00"), "B"))
        self.assertEqual(detail, T("%s %s%% %s", "RT01", "20.00", T("reason", "B")))

    def test_withholding_half_rate_only_for_zo_or_23(self):
        self.assertRefused(
            Withholding("RT01", D("10.00"), D("20.00"), "ZO"),
            [tax(1, "-20.00", withholding_type="RT01", withholding_reason="A")],
        )
        self.assertEqual(
            choose_withholding_tax(
                Withholding("RT01", D("10.00"), D("20.00"), "ZO"),
                [tax(1, "-10.00", withholding_type="RT01", withholding_reason="ZO")],
            ).id,
            1,
        )

    def test_rt04_enasarco_takes_the_tc07_pension_fund_tax(self):
        chosen = choose_withholding_tax(Withholding("RT04", D("85.00"), D("8.50")), CHART)
        self.assertEqual(chosen.id, 12)

    def test_rt04_at_another_rate_refused(self):
        detail = self.assertRefused(Withholding("RT04", D("80.00"), D("8.00")))
        self.assertEqual(detail, T("%s %s%% %s", "RT04", "8.00", ""))

    def test_pension_fund_by_type_and_rate(self):
        fund = PensionFund("TC22", D("4.00"), D("40.00"), vat_rate=D("22.00"))
        self.assertEqual(choose_pension_tax(fund, CHART).id, 13)

    def test_pension_fund_at_another_rate_refused(self):
        with self.assertRaises(Refusal) as caught:
            choose_pension_tax(PensionFund("tc22", D("2"), D("20.00")), CHART)
        self.assertEqual(
            (caught.exception.code, caught.exception.params),
            ("pension_fund_not_configured", {"detail": "TC22 2.00%"}),
        )

    def test_pension_fund_at_zero_stating_an_amount_is_an_inconsistent_document(self):
        # AlCassa 0.00 with ImportoContributoCassa 3.00 (the VAT summary
        # without it): no tax computes it, creating one would not help
        with self.assertRaises(Refusal) as caught:
            choose_pension_tax(PensionFund("TC22", D("0.00"), D("3.00")), CHART)
        self.assertEqual(caught.exception.code, "totals_mismatch")
        self.assertEqual(
            caught.exception.params["detail"],
            T(
                "pension fund %(type)s at 0%% states a contribution of %(amount)s",
                type="TC22",
                amount="3.00",
            ),
        )


# The codes Odoo's tax fields accept (l10n_it_edi_withholding), in part.
CODES = {
    "withholding_type": {"RT01", "RT02", "RT03", "RT04", "RT05", "RT06"},
    "withholding_reason": {"A", "B", "M2", "Q", "ZO"},
    "pension_fund_type": {"TC%02d" % i for i in range(1, 23)},
}
# The withholding and pension fund purchase taxes of the Italian chart (and
# of the addon), with their sequences.
FUNDS = [
    tax(
        40,
        "-20.00",
        withholding_type="RT01",
        withholding_reason="A",
        sequence=10,
        name="20% RIT PF",
    ),
    tax(
        41,
        "-20.00",
        withholding_type="RT02",
        withholding_reason="A",
        sequence=11,
        name="20% RIT PG",
    ),
    tax(
        42,
        "-11.50",
        withholding_type="RT02",
        withholding_reason="ZO",
        sequence=12,
        name="23% RIT AG",
    ),
    tax(43, "-8.50", pension_type="TC07", sequence=13, name="ENASARCO"),
    tax(44, "4.00", pension_type="TC22", sequence=5, name="4% INPS"),
    tax(45, "4.00", pension_type="TC01", sequence=20, name="4% F.Pens."),
    tax(46, "4.00", pension_type="TC04", sequence=20, name="4% TC04"),
    tax(47, "22.00", name="22% G", sequence=80),
]


def parcella(withholdings=(), funds=(), amount="1000.00"):
    """A professional's fee of ``amount`` flagged Ritenuta SI, as read."""
    return read(
        document_type="TD06",
        lines=[LineSpec(price_unit=D(amount), withholding=True)],
        withholdings=list(withholdings),
        pension_funds=list(funds),
    )


class TestMissingTaxNames(RegistrationCase):
    def test_percent_writes_the_rate_as_a_tax_name_does(self):
        self.assertEqual(
            [percent(D(v)) for v in ("20.00", "8.50", "11.5", "0", "8.25")],
            ["20", "8.5", "11.5", "0", "8.25"],
        )

    def test_unique_name_among_the_company_taxes(self):
        taxes = [tax(1, "4", name="4% TC08"), tax(2, "4", name="4% TC08 (2)")]
        self.assertEqual(unique_name("4% TC09", taxes), "4% TC09")
        self.assertEqual(unique_name("4% TC08", taxes), "4% TC08 (3)")

    def test_closest_active_then_default_then_oldest(self):
        archived, later, default = (
            tax(1, "4", active=False),
            tax(3, "4"),
            tax(5, "4", default=True),
        )
        self.assertIs(closest([archived, later, default], lambda t: ()), default)
        self.assertIs(closest([archived, later], lambda t: ()), later)
        self.assertIs(closest([archived, later], lambda t: (t.id != 1,)), archived)
        self.assertIsNone(closest([], lambda t: ()))

    def test_key_names_kind_codes_and_rate(self):
        new = NewTax(WITHHOLDING, D("-20"), "n", "l", 1, "RT01", "B")
        self.assertEqual(new.key, "withholding:RT01:B:-20.00")
        fund = NewTax(PENSION_FUND, D("4"), "n", "l", 1, pension_type="TC08")
        self.assertEqual(fund.key, "pension_fund:TC08::4.00")


class TestMissingWithholdingTax(RegistrationCase):
    def new(self, wtype="RT01", rate="20.00", reason="B", amount=None, taxes=None, invoice=None):
        taxes = FUNDS if taxes is None else taxes
        rate = D(rate)
        invoice = invoice or parcella()
        amount = D(amount) if amount is not None else (rate * 10).quantize(D("0.01"))
        return new_withholding_tax(Withholding(wtype, amount, rate, reason), invoice, taxes, CODES)

    def test_same_type_other_reason_copies_the_type(self):
        self.assertEqual(
            self.new(),
            NewTax(
                WITHHOLDING,
                D("-20.00"),
                "20% RIT RT01 B",
                "20% Ritenuta RT01 B",
                40,
                withholding_type="RT01",
                withholding_reason="B",
            ),
        )

    def test_same_type_and_reason_first(self):
        self.assertEqual(self.new("RT02", "30", "ZO").template_id, 42)
        self.assertEqual(self.new("RT02", "30", "A").template_id, 41)

    def test_other_type_copies_the_same_reason_then_the_oldest(self):
        self.assertEqual(self.new("RT05", "2", "A").template_id, 40)
        self.assertEqual(self.new("RT06", "1.5", "Q").template_id, 40)
        self.assertEqual(self.new("RT03", "10", "ZO").template_id, 42)

    def test_nothing_guessed(self):
        self.assertIsNone(self.new(reason=None))  # no CausalePagamento
        self.assertIsNone(self.new(reason="K9"))  # a reason Odoo does not know
        self.assertIsNone(self.new(wtype="RT09"))
        self.assertIsNone(self.new(rate="0"))
        self.assertIsNone(self.new(taxes=[t for t in FUNDS if not t.withholding_type]))

    def test_rt04_is_an_enasarco_tc07_tax(self):
        self.assertEqual(
            self.new("RT04", "8.25", "R"),
            NewTax(
                ENASARCO,
                D("-8.25"),
                "8.25% ENASARCO",
                "8.25% Ritenuta ENASARCO",
                43,
                pension_type="TC07",
            ),
        )
        self.assertIsNone(self.new("RT04", "8.25", taxes=[t for t in FUNDS if t.id != 43]))

    def test_name_already_taken(self):
        taxes = FUNDS + [tax(50, "-15", name="20% RIT RT01 B", active=False)]
        self.assertEqual(self.new(taxes=taxes).name, "20% RIT RT01 B (2)")

    def test_agents_half_rate_only_when_the_amount_says_so(self):
        half = self.new("RT01", "23", "ZO", amount="115.00")
        self.assertEqual((half.amount, half.name), (D("-11.50"), "23% RIT RT01 ZO (50%)"))
        self.assertEqual(self.new("RT01", "23", "ZO", amount="230.00").amount, D("-23.00"))
        # neither: the stated rate (the verification refuses the bill)
        self.assertEqual(self.new("RT01", "23", "ZO", amount="99.00").amount, D("-23.00"))
        # half of another rate, reason not ZO: never
        self.assertEqual(self.new("RT01", "20", "A", amount="100.00").amount, D("-20.00"))

    def test_withheld_rate_base_includes_funds_flagged(self):
        invoice = parcella(funds=[PensionFundSpec("TC22", D("4"), withholding=True)])
        withholding = Withholding("RT02", D("119.60"), D("23.00"), "ZO")
        self.assertEqual(withheld_rate(withholding, invoice), D("-11.50"))


class TestMissingPensionFundTax(RegistrationCase):
    def new(self, ftype="TC08", rate="4.00", withholding=False, taxes=None, withheld=True):
        taxes = FUNDS if taxes is None else taxes
        fund = PensionFundSpec(ftype, D(rate), withholding=withholding)
        invoice = parcella([WithholdingSpec()] if withheld else [], [fund])
        return new_pension_tax(invoice.pension_funds[0], invoice, taxes, CODES)

    def test_not_subject_copies_a_fund_after_the_withholdings(self):
        self.assertEqual(
            self.new(),
            NewTax(
                PENSION_FUND, D("4.00"), "4% TC08", "4% Contributo TC08", 45, pension_type="TC08"
            ),
        )

    def test_subject_copies_a_fund_before_the_withholdings(self):
        self.assertEqual(self.new(withholding=True).template_id, 44)

    def test_same_fund_first(self):
        self.assertEqual(self.new("TC04", "5").template_id, 46)
        self.assertEqual(self.new("TC04", "5").name, "5% TC04")

    def test_sequence_set_when_no_template_is_on_the_right_side(self):
        after = [t for t in FUNDS if t.id != 44]
        self.assertEqual(self.new(withholding=True, taxes=after).sequence, 9)
        before = [t for t in FUNDS if t.id not in (45, 46)]
        self.assertEqual(self.new(taxes=before).sequence, 13)
        self.assertIsNone(self.new().sequence)

    def test_without_withholding_only_inps_is_in_its_base(self):
        invoice = parcella([], [PensionFundSpec("TC22", D("4")), PensionFundSpec("TC09", D("2"))])
        self.assertEqual(
            [subject_to_withholding(f, invoice) for f in invoice.pension_funds], [True, False]
        )
        self.assertEqual(self.new("TC22", "2", withheld=False).template_id, 44)

    def test_nothing_guessed(self):
        self.assertIsNone(self.new(rate="0"))
        self.assertIsNone(self.new("TC99"))
        self.assertIsNone(self.new(taxes=[t for t in FUNDS if not t.pension_type]))
        # ENASARCO (negative) is not a contribution to copy
        self.assertIsNone(self.new(taxes=[t for t in FUNDS if t.id in (40, 43)]))

    def test_zero_fund_needs_no_tax(self):
        self.assertFalse(needs_pension_tax(PensionFund("TC01", D("0"), D("0.00"))))
        self.assertTrue(needs_pension_tax(PensionFund("TC01", D("0"), D("5.00"))))
        self.assertTrue(needs_pension_tax(PensionFund("TC01", D("4"), D("4.00"))))


class TestGenericReverseCharge(RegistrationCase):
    def test_generic_n6_is_the_company_decision(self):
        with self.assertRaises(Refusal) as caught:
            choose_vat_tax(key("0", "N6"), None, CHART, None)
        params = caught.exception.params
        self.assertEqual((params["rate"], params["nature"]), ("0.00", "N6"))
        self.assertIn("2021", params["hint"].template)

    def test_generic_n6_with_the_company_tax(self):
        taxes = CHART + [tax(60, "22.00", negative=True, nature="N6", name="22% RC N6")]
        self.assertEqual(
            choose_vat_tax(key("0", "N6"), None, taxes, None), (taxes[-1], REVERSE_CHARGE)
        )
