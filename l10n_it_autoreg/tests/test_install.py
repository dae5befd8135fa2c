"""The ground: the addon is installed, its models, views and security load,
and the standard upload path of a FatturaPA still creates a vendor bill."""

from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# A minimal, consistent FPR12 invoice addressed to the test company: the upload
# path must turn it into a bill whatever this addon does on top of core.
MINIMAL_FPR12 = """<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica versione="FPR12"
    xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
  <FatturaElettronicaHeader>
    <DatiTrasmissione>
      <IdTrasmittente><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdTrasmittente>
      <ProgressivoInvio>00001</ProgressivoInvio>
      <FormatoTrasmissione>FPR12</FormatoTrasmissione>
      <CodiceDestinatario>0000000</CodiceDestinatario>
    </DatiTrasmissione>
    <CedentePrestatore>
      <DatiAnagrafici>
        <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdFiscaleIVA>
        <Anagrafica><Denominazione>Fornitore Srl</Denominazione></Anagrafica>
        <RegimeFiscale>RF01</RegimeFiscale>
      </DatiAnagrafici>
      <Sede>
        <Indirizzo>Via Roma 1</Indirizzo><CAP>20100</CAP><Comune>Milano</Comune>
        <Nazione>IT</Nazione>
      </Sede>
    </CedentePrestatore>
    <CessionarioCommittente>
      <DatiAnagrafici>
        <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>%(buyer_vat)s</IdCodice></IdFiscaleIVA>
        <Anagrafica><Denominazione>Cliente Spa</Denominazione></Anagrafica>
      </DatiAnagrafici>
      <Sede>
        <Indirizzo>Via Verdi 2</Indirizzo><CAP>00100</CAP><Comune>Roma</Comune>
        <Nazione>IT</Nazione>
      </Sede>
    </CessionarioCommittente>
  </FatturaElettronicaHeader>
  <FatturaElettronicaBody>
    <DatiGenerali>
      <DatiGeneraliDocumento>
        <TipoDocumento>TD01</TipoDocumento><Divisa>EUR</Divisa>
        <Data>2024-03-01</Data><Numero>FT-1</Numero>
        <ImportoTotaleDocumento>122.00</ImportoTotaleDocumento>
      </DatiGeneraliDocumento>
    </DatiGenerali>
    <DatiBeniServizi>
      <DettaglioLinee>
        <NumeroLinea>1</NumeroLinea><Descrizione>Consulenza</Descrizione>
        <Quantita>1.00</Quantita><PrezzoUnitario>100.00</PrezzoUnitario>
        <PrezzoTotale>100.00</PrezzoTotale><AliquotaIVA>22.00</AliquotaIVA>
      </DettaglioLinee>
      <DatiRiepilogo>
        <AliquotaIVA>22.00</AliquotaIVA><ImponibileImporto>100.00</ImponibileImporto>
        <Imposta>22.00</Imposta><EsigibilitaIVA>I</EsigibilitaIVA>
      </DatiRiepilogo>
    </DatiBeniServizi>
  </FatturaElettronicaBody>
</p:FatturaElettronica>
"""


@tagged("post_install_l10n", "post_install", "-at_install")
class TestInstall(AccountTestInvoicingCommon):
    @classmethod
    @AccountTestInvoicingCommon.setup_country("it")
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data["company"].write(
            {
                "vat": "IT12345670017",
                "l10n_it_codice_fiscale": "12345670017",
            }
        )

    def test_module_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "l10n_it_autoreg")])
        self.assertEqual(module.state, "installed")

    def test_models_fields_and_views_load(self):
        move_fields = self.env["account.move"]._fields
        for name in (
            "l10n_it_autoreg_state",
            "l10n_it_autoreg_reason_code",
            "l10n_it_autoreg_reason",
        ):
            self.assertIn(name, move_fields)
        self.assertIn("l10n_it_autoreg_enabled", self.env["res.company"]._fields)
        self.assertIn("l10n_it_autoreg_enabled", self.env["res.config.settings"]._fields)
        self.assertIn("l10n_it_autoreg.run", self.env)
        # every view of the addon renders for its model (arch validated by Odoo)
        views = self.env["ir.ui.view"].search(
            [
                ("model_data_id.module", "=", "l10n_it_autoreg"),
                ("type", "!=", "qweb"),
            ]
        )
        self.assertTrue(views)
        for view in views:
            self.env[view.model].get_view(view.id, view.type)
        self.env["res.config.settings"].get_views([(False, "form")])

    def test_security_loaded(self):
        access = self.env["ir.model.access"].search(
            [
                ("model_id.model", "=", "l10n_it_autoreg.run"),
            ]
        )
        self.assertTrue(access)
        self.assertTrue(self.env.ref("l10n_it_autoreg.l10n_it_autoreg_run_company_rule"))

    def test_activation_moment_recorded(self):
        company = self.env.company
        company.l10n_it_autoreg_enabled = True
        self.assertTrue(company.l10n_it_autoreg_enabled_since)
        company.l10n_it_autoreg_enabled = False
        self.assertFalse(company.l10n_it_autoreg_enabled_since)

    def test_upload_path_creates_bill(self):
        """A FatturaPA dropped on Vendor Bills still becomes a bill: a pending
        one carrying the file untouched, which registration then posts."""
        content = (MINIMAL_FPR12 % {"buyer_vat": "12345670017"}).encode()
        attachment = self.env["ir.attachment"].create(
            {
                "name": "IT01234567890_00001.xml",
                "raw": content,
                "mimetype": "application/xml",
            }
        )
        journal = self.company_data["default_journal_purchase"]
        bill = journal._create_document_from_attachment(attachment.ids)
        self.assertEqual(len(bill), 1)
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.l10n_it_autoreg_state, "pending")
        self.assertEqual(bill.ref, "FT-1")
        self.assertIn(attachment, bill.attachment_ids)
        self.assertEqual(attachment.raw, content)

        bill.action_l10n_it_autoreg_register()
        self.assertEqual(bill.l10n_it_autoreg_state, "registered", bill.l10n_it_autoreg_reason)
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.payment_state, "not_paid")
        self.assertEqual(bill.amount_untaxed, 100.0)
        self.assertEqual(bill.amount_tax, 22.0)
        self.assertEqual(bill.amount_total, 122.0)
