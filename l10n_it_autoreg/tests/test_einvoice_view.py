"""The received e-invoice readable inside Odoo (tab E-invoice, dialog of the
lists, Print e-invoice): every published sample renders, with the supplier,
number, lines, VAT summary, IBAN and Natura in words; multi-body files show
the bill's own body first; not recognized bills highlight what did not
match; a file the reader refused shows the reason and the raw file; the
file's texts stay escaped; attachments download through the controller."""

import re
from decimal import Decimal as D
from pathlib import Path

from lxml import html as lxml_html

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.l10n_it_autoreg.fatturapa.display import PAGE_SIZE
from odoo.addons.l10n_it_autoreg.tests.common import (
    AttachmentSpec,
    AutoregCommon,
    InvoiceSpec,
    LineSpec,
    PartySpec,
    build_xml,
)
from odoo.addons.l10n_it_autoreg.tests.test_tour_autoreg import (
    TO_REGISTER,
    make_admin_accountant,
    warm_up,
)

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "fatturapa" / "samples"
REPORT = "l10n_it_autoreg.action_report_einvoice"
HOSTILE_NAME = '<script>alert("name")</script><b>Evil</b> & Co'
HOSTILE_LINE = '<img src=x onerror="alert(1)"></td></tr></table><a href="javascript:x">'


def text_of(html):
    """The visible text of the view, blanks collapsed."""
    return " ".join(lxml_html.fromstring(html).text_content().split())


class EinvoiceViewCase(AutoregCommon):
    def view(self, move, page=1):
        html = move.l10n_it_autoreg_einvoice_html(page=page)
        self.assertIn("o_l10n_it_autoreg_einvoice", html)
        return html

    def tree(self, move, page=1):
        return lxml_html.fromstring(self.view(move, page))

    def report(self, moves):
        html, kind = self.env["ir.actions.report"]._render_qweb_html(REPORT, moves.ids)
        self.assertEqual(kind, "html")
        return html.decode()

    def marked(self, tree):
        """The visible text of each highlighted element."""
        return [
            " ".join(el.text_content().split())
            for el in tree.xpath("//*[contains(@class, 'o_l10n_it_autoreg_mismatch')]")
        ]


@tagged("post_install_l10n", "post_install", "-at_install")
class TestEinvoiceSamples(EinvoiceViewCase):
    """The 61 shared samples, received (pending bills): each renders on
    screen and printed, without error."""

    autoreg_twin_batch = False  # receiving only: no registration to compare

    def receive_sample(self, name):
        path = SAMPLES / name
        return self._upload(path.read_bytes(), path.name)

    def test_every_sample_renders(self):
        if not SAMPLES.is_dir():
            self.skipTest("no ../shared/fatturapa/samples")
        files = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".xml", ".p7m"))
        self.assertGreaterEqual(len(files), 60)
        rendered = 0
        for path in files:
            with self.subTest(sample=path.name):
                moves = self._upload(path.read_bytes(), path.name).filtered("l10n_it_autoreg_state")
                self.assertTrue(moves, path.name)
                for move in moves:
                    tree = self.tree(move)
                    has_error = bool(tree.xpath("//*[contains(@class, 'einvoice_error')]"))
                    bodies = tree.xpath("//section[contains(@class, 'einvoice_body')]")
                    # a document is shown, or the reason it cannot be and its raw file
                    self.assertTrue(bodies or has_error, path.name)
                    if bodies:
                        self.assertEqual(
                            bodies[0].get("data-body"), str(move.l10n_it_autoreg_body_index)
                        )
                    rendered += 1
                self.assertIn("o_l10n_it_autoreg_einvoice", self.report(moves))
        self.assertGreaterEqual(rendered, 63)  # (three files hold two bodies)

    def test_sample_content(self):
        if not SAMPLES.is_dir():
            self.skipTest("no ../shared/fatturapa/samples")
        move = self.receive_sample("gobl_invoice-simple-iban.xml")
        tree = self.tree(move)
        text = text_of(self.view(move))
        supplier = tree.xpath("//*[@data-party='seller']//*[contains(@class, 'party_name')]")
        self.assertEqual(supplier[0].text_content(), "MªF. Services")
        self.assertIn("RF02 Contribuenti minimi (art. 1, c.96-117, L. 244/07)", text)
        self.assertIn("REA RM 123456", text)
        self.assertIn("TD06 Parcella", text)
        self.assertIn("No. SAMPLE-001", text)
        self.assertIn("Development services", text)
        self.assertIn("Signed (XAdES)", text)
        summary = [
            " ".join(row.text_content().split())
            for row in tree.xpath("//table[contains(@class, 'einvoice_summary')]/tbody/tr")
        ]
        self.assertEqual(
            summary,
            [
                "22.00% 1,620.00 356.40",
                "0.00% N2.2 Non soggette - altri casi Non soggette - altri casi 100.00 0.00",
            ],
        )
        self.assertEqual(
            [
                iban.text_content()
                for iban in tree.xpath("//*[contains(@class, 'o_l10n_it_autoreg_iban')]")
            ],
            ["IT60X0542811101000000123456"],
        )
        self.assertIn("MP05 Bonifico", text)
        self.assertIn("TP02 Pagamento completo", text)
        # a bollo and an exempt row, with their law reference
        text = text_of(self.view(self.receive_sample("eigor_con-bollo.xml")))
        self.assertIn("N4 Esenti ESENTE ART.10 DPR 633/72", text)
        self.assertIn("N1 Escluse ex art. 15 del DPR 633/72 FC ART.2 N.4-BOLLO", text)
        self.assertIn("MP15 Giroconto su conti di contabilità speciale", text)

    def test_signed_sample(self):
        if not SAMPLES.is_dir():
            self.skipTest("no ../shared/fatturapa/samples")
        text = text_of(self.view(self.receive_sample("net_IT02182030391_31.xml.p7m")))
        self.assertIn("Signed (CAdES, .p7m)", text)
        self.assertNotIn("Signed content altered", text)
        self.assertIn("S Scissione dei pagamenti (split payment)", text)

    def test_tampered_sample(self):
        # (the same document as the signed one: received alone, not as its repeat)
        if not SAMPLES.is_dir():
            self.skipTest("no ../shared/fatturapa/samples")
        text = text_of(self.view(self.receive_sample("net_IT02182030391_31_tampered.xml.p7m")))
        self.assertIn("Signed (CAdES, .p7m)", text)
        self.assertIn("Signed content altered or envelope damaged", text)
        self.assertIn("The signed envelope is damaged (tampered or truncated)", text)

    def test_two_bodies_own_first(self):
        if not SAMPLES.is_dir():
            self.skipTest("no ../shared/fatturapa/samples")
        moves = self.receive_sample("official_IT01234567890_FPR03.xml").sorted(
            "l10n_it_autoreg_body_index"
        )
        self.assertEqual(len(moves), 2)
        tree = self.tree(moves[1])
        sections = tree.xpath("//section[contains(@class, 'einvoice_body')]")
        self.assertEqual(
            [(s.get("data-body"), s.get("data-own")) for s in sections], [("1", "1"), ("0", None)]
        )
        self.assertIn("This bill", sections[0].text_content())
        self.assertIn("No. 456", " ".join(sections[0].text_content().split()))
        self.assertIn("No. 123", " ".join(sections[1].text_content().split()))
        # the lines do not add up to the summary: said in words
        self.assertIn(
            "Invoice 1: The lines do not add up to the VAT summary", text_of(self.view(moves[1]))
        )


@tagged("post_install_l10n", "post_install", "-at_install")
class TestEinvoiceView(EinvoiceViewCase):
    def test_hostile_texts_stay_escaped(self):
        spec = InvoiceSpec(
            number="EVIL-1",
            seller=PartySpec(name=HOSTILE_NAME),
            lines=[LineSpec(HOSTILE_LINE)],
            reasons=['<iframe src="https://example.com"></iframe>'],
            attachments=[
                AttachmentSpec(name='<svg onload="alert(2)">.pdf', description="<b>bold</b>")
            ],
        )
        move = self.receive_and_register(spec)
        for html in (self.view(move), self.report(move)):
            for raw in (
                "<script>alert",
                "<img",
                "<iframe",
                "<svg",
                "<b>Evil",
                "<b>bold",
                'href="javascript',
            ):
                self.assertNotIn(raw, html)
            self.assertIn("&lt;script&gt;", html)
            self.assertIn("&lt;img src=x", html)
        tree = self.tree(move)
        self.assertEqual(
            tree.xpath("//*[@data-party='seller']//*[contains(@class, 'party_name')]")[
                0
            ].text_content(),
            HOSTILE_NAME,
        )
        self.assertEqual(
            tree.xpath("//*[contains(@class, 'line_description')]")[0].text_content(), HOSTILE_LINE
        )
        self.assertFalse(tree.xpath("//script | //img | //iframe | //svg"))

    def test_unrecognized_rate_highlighted(self):
        spec = InvoiceSpec(
            number="KO-RATE-1",
            lines=[
                LineSpec("Servizio ordinario"),
                LineSpec("Servizio a un'aliquota che non esiste", vat_rate=D("15.55")),
            ],
        )
        move = self.receive_and_register(spec)
        self.assertRefused(move, "tax_not_found", "15.55")
        self.assertEqual(move.l10n_it_autoreg_focus, "vat:15.55|")
        tree = self.tree(move)
        marked = self.marked(tree)
        self.assertEqual(len(marked), 2, marked)
        self.assertIn("Servizio a un'aliquota che non esiste", marked[0])
        self.assertTrue(marked[1].startswith("15.55%"), marked[1])
        text = text_of(self.view(move))
        self.assertIn("Not recognized:", text)
        self.assertIn("The figures that did not match are highlighted.", text)

    def test_unrecognized_total_highlighted(self):
        move = self.receive_and_register(InvoiceSpec(number="KO-TOTAL-1", total=D("130.00")))
        self.assertRefused(move, "totals_mismatch", "130.00")
        self.assertEqual(move.l10n_it_autoreg_focus, "total")
        marked = self.marked(self.tree(move))
        self.assertEqual(len(marked), 1, marked)
        self.assertIn("Document total", marked[0])
        self.assertIn("130.00", marked[0])

    def test_registered_bill_nothing_highlighted(self):
        move = self.receive_and_register(InvoiceSpec(number="OK-VIEW-1"))
        self.assertEqual(move.l10n_it_autoreg_state, "registered")
        tree = self.tree(move)
        self.assertFalse(self.marked(tree))
        self.assertNotIn("Not recognized", text_of(self.view(move)))

    def test_unreadable_file_reason_and_raw_download(self):
        move = self.receive_bytes(
            b"<?xml version='1.0'?><p:FatturaElettronica versione='FPR12'"
            b" xmlns:p='http://ivaservizi.agenziaentrate.gov.it/docs/xsd/"
            b"fatture/v1.2'><FatturaElettronicaHeader>"
        )
        self.assertEqual(move.l10n_it_autoreg_reason_code, "unreadable")
        tree = self.tree(move)
        error = tree.xpath("//*[contains(@class, 'einvoice_error')]")
        self.assertTrue(error)
        self.assertIn("cannot be read as an e-invoice", error[0].text_content())
        links = [a.get("href") for a in error[0].xpath(".//a")]
        self.assertEqual(
            links, ["/web/content/%d?download=true" % move.l10n_it_autoreg_attachment_id.id]
        )
        self.assertFalse(tree.xpath("//section"))

    def test_lines_in_pages(self):
        count = PAGE_SIZE * 2 + 3
        spec = InvoiceSpec(
            number="MANY-1",
            lines=[LineSpec("Riga %d" % i, price_unit=D("1.00")) for i in range(count)],
        )
        move = self.receive_bytes(build_xml(spec))
        first = self.tree(move, page=1)
        rows = first.xpath("//table[contains(@class, 'einvoice_lines')]/tbody/tr")
        self.assertEqual(len(rows), PAGE_SIZE)
        self.assertIn("Riga 0", rows[0].text_content())
        self.assertEqual(
            sorted(
                {
                    b.get("data-l10n-it-autoreg-page")
                    for b in first.xpath("//*[@data-l10n-it-autoreg-page]")
                }
            ),
            ["0", "2"],
        )
        last = self.tree(move, page=3)
        rows = last.xpath("//table[contains(@class, 'einvoice_lines')]/tbody/tr")
        self.assertEqual(len(rows), 3)
        self.assertIn("Riga %d" % (count - 1), rows[-1].text_content())
        # printed: every line
        printed = lxml_html.fromstring(self.report(move))
        self.assertEqual(
            len(printed.xpath("//table[contains(@class, 'einvoice_lines')]/tbody/tr")), count
        )

    def test_actions_dialog_and_print(self):
        move = self.receive_and_register(InvoiceSpec(number="ACT-1"))
        action = move.action_l10n_it_autoreg_view_einvoice()
        self.assertEqual(
            (action["res_model"], action["res_id"], action["target"]),
            ("account.move", move.id, "new"),
        )
        view = self.env.ref("l10n_it_autoreg.view_move_form_l10n_it_autoreg_einvoice")
        self.assertEqual(action["views"], [(view.id, "form")])
        arch = self.env["account.move"].get_views([(view.id, "form")])["views"]["form"]["arch"]
        self.assertIn("l10n_it_autoreg_einvoice", arch)
        form = self.env["account.move"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="l10n_it_autoreg_einvoice"', form)
        report = move.action_l10n_it_autoreg_print_einvoice()
        self.assertEqual(
            (report["type"], report["report_name"]),
            ("ir.actions.report", "l10n_it_autoreg.report_einvoice"),
        )
        self.assertIn("ACT-1", text_of(self.report(move)))
        other = self.env["account.move"].create({"move_type": "in_invoice"})
        with self.assertRaises(UserError):
            other.action_l10n_it_autoreg_print_einvoice()
        self.assertIn("did not come from a received e-invoice", self.report(other))

    def test_references_withholding_and_attachments(self):
        spec = InvoiceSpec(
            number="REF-1",
            orders=["PO-77"],
            delivery_notes=[("DDT-9", InvoiceSpec().date)],
            linked_invoices=[("FT-OLD-1", InvoiceSpec().date)],
            reasons=["Causale di prova"],
            attachments=[AttachmentSpec(name="../../dettaglio.pdf", data=b"%PDF-1.4 x")],
        )
        move = self.receive_bytes(build_xml(spec))
        tree = self.tree(move)
        text = text_of(self.view(move))
        for expected in (
            "Purchase order PO-77",
            "Delivery note (DDT) DDT-9",
            "Linked invoice FT-OLD-1",
            "Causale di prova",
        ):
            self.assertIn(expected, text)
        links = tree.xpath("//a[contains(@class, 'einvoice_attachment')]")
        self.assertEqual(
            [a.get("href") for a in links],
            ["/l10n_it_autoreg/einvoice/%d/attachment/0/0" % move.id],
        )
        self.assertEqual(
            move._l10n_it_autoreg_einvoice_attachment(0, 0), (b"%PDF-1.4 x", "dettaglio.pdf")
        )
        self.assertIsNone(move._l10n_it_autoreg_einvoice_attachment(0, 1))
        self.assertIsNone(move._l10n_it_autoreg_einvoice_attachment(1, 0))

    def test_italian(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["l10n_it_autoreg"], ["it_IT"], overwrite=True
        )
        move = self.receive_bytes(build_xml(InvoiceSpec(number="IT-1")))
        text = text_of(move.with_context(lang="it_IT").l10n_it_autoreg_einvoice_html())
        for expected in (
            "Cedente / prestatore",
            "Cessionario / committente",
            "Riepilogo IVA",
            "Imponibile",
            "MP05 Bonifico",
            "100,00",
            "Partita IVA",
        ):
            self.assertIn(expected, text)
        self.assertFalse(re.search(r"\bSupplier\b|\bTaxable amount\b", text), text)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestEinvoiceDownload(AutoregCommon, HttpCase):
    """An attachment of the file, downloaded from the view: decoded, never
    shown inline; only for users who can read the bill."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make_admin_accountant(cls.company)

    def test_attachment_download(self):
        spec = InvoiceSpec(
            number="DL-1",
            attachments=[
                AttachmentSpec(
                    name='<b>x</b>"\r\n.html', data=b"<script>alert(1)</script>", format="HTML"
                )
            ],
        )
        move = self.receive_bytes(build_xml(spec))
        url = "/l10n_it_autoreg/einvoice/%d/attachment/0/0" % move.id
        self.authenticate("admin", "admin")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"<script>alert(1)</script>")
        self.assertEqual(response.headers["Content-Type"], "application/octet-stream")
        self.assertTrue(response.headers["Content-Disposition"].startswith("attachment"))
        self.assertNotIn("\n", response.headers["Content-Disposition"])
        self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(self.url_open(url.replace("/0/0", "/0/5")).status_code, 404)
        self.assertEqual(
            self.url_open(
                "/l10n_it_autoreg/einvoice/%d/attachment/0/0" % (move.id + 100000)
            ).status_code,
            404,
        )
        self.authenticate(None, None)
        self.assertNotEqual(self.url_open(url, allow_redirects=False).status_code, 200)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourEinvoice(AutoregCommon, HttpCase):
    """The tab and the dialog in a browser: from To register and from a
    run's tabs."""

    autoreg_twin_batch = False  # (one run holding both bills: the tour opens it)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make_admin_accountant(cls.company)

    def test_einvoice_tour(self):
        seller = PartySpec(name="Fornitore Tour Srl")
        ok = self.receive(InvoiceSpec(number="OK-VIEW-TOUR", seller=seller))
        ko = self.receive(
            InvoiceSpec(
                number="KO-VIEW-TOUR",
                seller=seller,
                lines=[
                    LineSpec("Servizio ordinario"),
                    LineSpec("Aliquota inventata", vat_rate=D("15.55")),
                ],
            )
        )
        run = self.register(ok | ko)
        self.assertRefused(ko, "tax_not_found", "15.55")
        self.assertEqual(ok.l10n_it_autoreg_state, "registered")
        warm_up(self.env)
        self.start_tour(TO_REGISTER, "l10n_it_autoreg_tour_einvoice", login="admin")
        self.start_tour(
            "/odoo/action-l10n_it_autoreg.action_l10n_it_autoreg_run/%d" % run.id,
            "l10n_it_autoreg_tour_einvoice_run",
            login="admin",
        )
