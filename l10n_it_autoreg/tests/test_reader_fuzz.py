"""Bad input never crashes a run: ``read_bytes`` of mutated e-invoices.

Seeds are builder output (ordinary, rich, simplified, several prefixes) and
the published samples of ../shared/fatturapa/samples (used when present).
Hypothesis mutates them at the element level (deletion, duplication, text
replaced by junk or by another field's value, re-encoding) and at the byte
level (truncation, flips, cuts, splices), then may wrap the result in a
(possibly broken) .p7m or base64 envelope.  Whatever comes out,
``read_bytes`` returns a ReadResult: ok, or a coded error of errors.py; when
ok the amounts are Decimals that add up.

The regression tests at the end pin each crash the fuzzing found.
"""

import base64
import copy
import glob
import os
import time
from datetime import date
from decimal import Decimal as D

from lxml import etree

from odoo.addons.l10n_it_autoreg.fatturapa import BAD_VALUE, ReadResult, errors, read_bytes
from odoo.addons.l10n_it_autoreg.fatturapa.reader import simplified_line_tax
from odoo.addons.l10n_it_autoreg.tests.builder import (
    AttachmentSpec,
    InvoiceSpec,
    LineSpec,
    PensionFundSpec,
    SimplifiedSpec,
    build_simplified_xml,
    build_xml,
    p7m_ber,
    p7m_der,
)
from odoo.addons.l10n_it_autoreg.tests.pure import PureCase
from odoo.addons.l10n_it_autoreg.tests.test_reader_traps import rich_spec

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # a test tool, not a dependency of the addon
    st = None

SAMPLES = os.path.normpath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "fatturapa", "samples")
)
TODAY = date(2025, 6, 1)
# (internal_error is the reader's own defect: never a sound outcome.)
CODES = set(errors.MESSAGES) - {errors.INTERNAL_ERROR}

# Texts that break amounts, dates, codes and integers.
JUNK = [
    "",
    " ",
    "abc",
    "1e999999999",
    "-1E+999999",
    "1E-999999999",
    "NaN",
    "-Infinity",
    "9" * 60,
    "1,5",
    "1.234,56",
    " 12 . 5 ",
    "0001-01-01",
    "9999-12-31",
    "2025-02-30",
    "2025-13-01",
    "\u0663",
    "\u00b2",
    "1_0",
    "-0",
    "1e14",
    "-100",
    "SI",
    "TD99",
    "&<>\"'",
    "\u00e0\u00e8\u20ac",
    "x" * 500,
]
ENCODINGS = ["utf-8", "iso-8859-1", "windows-1252", "utf-16", "ascii"]


def _seeds():
    seeds = [
        build_xml(InvoiceSpec()),
        build_xml(rich_spec(), prefix=None),
        build_xml(InvoiceSpec(), InvoiceSpec(number="2"), prefix=""),
        build_simplified_xml(SimplifiedSpec()),
    ]
    for path in sorted(glob.glob(os.path.join(SAMPLES, "*"))):
        if not path.endswith(".tsv") and os.path.getsize(path) < 60_000:
            with open(path, "rb") as handle:
                seeds.append(handle.read())
    return seeds


SEEDS = _seeds()


def assert_sound(result):
    """A ReadResult; a coded error or invoices whose amounts add up."""
    assert isinstance(result, ReadResult)
    if not result.ok:
        assert result.error_code in CODES, result.error_code
        assert result.error_message
        return
    assert result.invoices
    for invoice in result.invoices:
        for value in (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total):
            assert isinstance(value, D)
        assert invoice.amount_total == invoice.amount_untaxed + invoice.amount_tax
        assert isinstance(invoice.date, date)
        for line in invoice.lines:
            assert isinstance(line.price_total, D)
        for attachment in invoice.attachments:
            assert isinstance(attachment.data(), bytes)


# --------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------
def _mutate_tree(xml, ops):
    """Apply element-level ``ops`` [(kind, a, b, text)] to a parseable XML."""
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError:
        return xml
    encoding = "utf-8"
    for kind, a, b, text in ops:
        elements = list(root.iter(etree.Element))
        element = elements[a % len(elements)]
        parent = element.getparent()
        leaves = [el for el in elements if not len(el)]
        if kind == "delete" and parent is not None:
            parent.remove(element)
        elif kind == "duplicate" and parent is not None:
            for _ in range(1 + b % 3 if b % 5 else 40):  # now and then 40 copies
                parent.insert(parent.index(element), copy.deepcopy(element))
        elif kind == "junk":
            leaves[a % len(leaves)].text = text
        elif kind == "swap":
            one, other = leaves[a % len(leaves)], leaves[b % len(leaves)]
            one.text, other.text = other.text, one.text
        elif kind == "encoding":
            encoding = ENCODINGS[b % len(ENCODINGS)]
    try:
        return etree.tostring(root, encoding=encoding, xml_declaration=True)
    except (UnicodeEncodeError, ValueError):
        return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _mutate_bytes(data, ops):
    data = bytearray(data)
    for kind, a, b in ops:
        if not data:
            break
        i, j = a % len(data), b % len(data)
        if kind == "truncate":
            del data[i:]
        elif kind == "flip":
            data[i] ^= 1 + b % 255
        elif kind == "cut":
            del data[i : i + 1 + b % 300]
        elif kind == "splice":
            data[j:j] = data[i : i + 1 + b % 300]
    return bytes(data)


def _wrap(data, how, cut):
    if how == "p7m":
        return p7m_der(data)
    if how == "p7m-ber-broken":
        p7m = p7m_ber(data, chunk_size=97)
        return p7m[: len(p7m) - 1 - cut % 400]
    if how == "p7m-broken":
        p7m = bytearray(p7m_der(data))
        p7m[cut % len(p7m)] ^= 0x55
        return bytes(p7m)
    if how == "base64":
        return base64.b64encode(data)
    if how == "base64-broken":
        encoded = base64.encodebytes(p7m_der(data))
        return encoded[: len(encoded) - 1 - cut % 50]
    return data


if st is not None:
    TEXT = st.sampled_from(JUNK) | st.text(
        st.characters(blacklist_categories=("Cc", "Cs")), max_size=20
    )
    TREE_OPS = st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "junk", "junk", "swap", "encoding"]),
            st.integers(0, 10_000),
            st.integers(0, 10_000),
            TEXT,
        ),
        max_size=5,
    )
    BYTE_OPS = st.lists(
        st.tuples(
            st.sampled_from(["truncate", "flip", "cut", "splice"]),
            st.integers(0, 1_000_000),
            st.integers(0, 1_000_000),
        ),
        max_size=3,
    )
    WRAPS = st.sampled_from(
        ["none", "none", "none", "p7m", "p7m-ber-broken", "p7m-broken", "base64", "base64-broken"]
    )


class TestFuzzing(PureCase):
    if st is not None:

        @settings(
            max_examples=300,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(
            seed=st.integers(0, len(SEEDS) - 1),
            tree_ops=TREE_OPS,
            byte_ops=BYTE_OPS,
            wrap=WRAPS,
            cut=st.integers(0, 10_000),
        )
        def test_fuzz_never_raises(self, seed, tree_ops, byte_ops, wrap, cut):
            data = SEEDS[seed]
            if tree_ops:
                data = _mutate_tree(data, tree_ops)
            data = _mutate_bytes(data, byte_ops)
            data = _wrap(data, wrap, cut)
            start = time.perf_counter()
            assert_sound(read_bytes(data, "fuzz.xml", today=TODAY))
            assert time.perf_counter() - start < 5, "reading must stay bounded"

        @settings(max_examples=60, deadline=None, derandomize=True, database=None)
        @given(st.binary(max_size=2000))
        def test_fuzz_random_bytes(self, data):
            assert_sound(read_bytes(data, "random.bin", today=TODAY))
    else:

        def test_fuzz_never_raises(self):
            self.skipTest("hypothesis is not installed")

        def test_fuzz_random_bytes(self):
            self.skipTest("hypothesis is not installed")

    def test_samples_folder_is_used_when_present(self):
        if not os.path.isdir(SAMPLES):
            self.skipTest("../shared/fatturapa/samples is absent")
        assert len(SEEDS) > 40


# --------------------------------------------------------------------------
# Regressions: one per crash the fuzzing found
# --------------------------------------------------------------------------
def _replace(xml, tag, value, count=1):
    """``xml`` with the text of the first ``count`` <tag> set to ``value``."""
    root = etree.fromstring(xml)
    for element in [el for el in root.iter() if etree.QName(el).localname == tag][:count]:
        element.text = value
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


class TestFuzzRegressions(PureCase):
    def test_absurd_amount_is_a_bad_value_not_a_crash(self):
        """Decimal('1e999999999') used to raise Overflow/InvalidOperation (not
        caught) in the checks: a figure of 10^15 or more is now a bad value."""
        for value in ["1e999999999", "-1E+999999", "99999999999999999999.00"]:
            for tag in [
                "PrezzoTotale",
                "ImponibileImporto",
                "Imposta",
                "PrezzoUnitario",
                "Quantita",
                "ImportoPagamento",
                "ImportoTotaleDocumento",
            ]:
                with self.subTest(tag=tag, value=value):
                    result = read_bytes(_replace(build_xml(InvoiceSpec()), tag, value), today=TODAY)
                    assert_sound(result)
                    if result.ok:
                        assert any(
                            w.startswith("bad_value:") and "is not a number" in w
                            for w in result.invoices[0].warnings
                        )
                    else:
                        assert result.error_code == BAD_VALUE

    def test_large_but_valid_amounts_do_not_break_the_checks(self):
        """14-digit amounts whose products exceed Decimal's 28 digits: rounding
        to cents used to raise InvalidOperation."""
        xml = build_xml(
            InvoiceSpec(
                lines=[
                    LineSpec(
                        price_unit=D("99999999999999.99"),
                        quantity=D("99999999999999.99"),
                        price_total=D("1.00"),
                    )
                ]
            )
        )
        result = read_bytes(xml, today=TODAY)
        assert_sound(result)
        assert result.ok
        assert "line_total" in {w.split(":")[0] for w in result.invoices[0].warnings}

    def test_huge_integer_does_not_hang(self):
        """int(Decimal('1e999999999')) of a NumeroLinea would build a
        billion-digit integer."""
        start = time.perf_counter()
        result = read_bytes(
            _replace(build_xml(InvoiceSpec()), "NumeroLinea", "1e999999999"), today=TODAY
        )
        assert time.perf_counter() - start < 2
        assert result.ok
        assert result.invoices[0].lines[0].number is None
        assert any("NumeroLinea" in w for w in result.invoices[0].warnings)

    def test_many_pension_funds_do_not_hang(self):
        """The subsets of DatiCassaPrevidenziale of one rate were all tried:
        2^40 of them for 40 repeated blocks."""
        xml = build_xml(InvoiceSpec(pension_funds=[PensionFundSpec()]))
        root = etree.fromstring(xml)
        fund = next(
            el for el in root.iter() if etree.QName(el).localname == "DatiCassaPrevidenziale"
        )
        for index in range(40):
            clone = copy.deepcopy(fund)
            next(
                el for el in clone.iter() if etree.QName(el).localname == "ImportoContributoCassa"
            ).text = f"{index + 1}.{index:02d}"
            fund.addnext(clone)
        start = time.perf_counter()
        result = read_bytes(etree.tostring(root), today=TODAY)
        assert time.perf_counter() - start < 2
        assert_sound(result)
        assert result.ok

    def test_damaged_attachment_base64_decodes_what_it_can(self):
        """Attachment.data() raised binascii.Error on wrong padding."""
        for content in [b"QUJD\nREVG\r\nR0g", b"QUJDREVGR0g=x=", b"QUJDR", b"!!QUJD!!"]:
            with self.subTest(content=content):
                xml = build_xml(InvoiceSpec(attachments=[AttachmentSpec(data=b"ABCDEFGH")]))
                root = etree.fromstring(xml)
                next(
                    el for el in root.iter() if etree.QName(el).localname == "Attachment"
                ).text = content.decode()
                result = read_bytes(etree.tostring(root), today=TODAY)
                assert result.ok
                data = result.invoices[0].attachments[0].data()
                assert data.startswith(b"ABC")

    def test_simplified_rate_of_minus_100_is_no_division_by_zero(self):
        assert simplified_line_tax(D("10.00"), D("-100"), None) == (D(0), D("-100"))
