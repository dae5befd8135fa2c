"""The UI speaks Italian: i18n/it.po is complete and loads."""
import os

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader

I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


@tagged("post_install", "-at_install")
class TestUxI18n(TransactionCase):

    def test_every_term_translated(self):
        with open(os.path.join(I18N, "it.po"), "rb") as po:
            entries = list(PoFileReader(po))
        self.assertGreater(len(entries), 100)
        untranslated = [e["src"] for e in entries if not e["value"]]
        self.assertFalse(untranslated, "terms without an Italian translation")

    def test_italian_ui(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["l10n_it_autoreg"], ["it_IT"], overwrite=True)
        it = self.env(context={"lang": "it_IT"})
        self.assertEqual(it.ref("l10n_it_autoreg.menu_l10n_it_autoreg_to_register").name,
                         "Da registrare")
        self.assertEqual(
            it.ref("l10n_it_autoreg.action_server_l10n_it_autoreg_register").name,
            "Registra automaticamente")
        run = it["l10n_it_autoreg.run"].create({"state": "done"})
        self.assertEqual(run.outcome_message, "Nessun documento è stato registrato")
        fields_it = it["l10n_it_autoreg.run"].fields_get(["recognized_move_ids",
                                                          "unrecognized_move_ids"])
        self.assertEqual(fields_it["recognized_move_ids"]["string"], "Riconosciuti")
        self.assertEqual(fields_it["unrecognized_move_ids"]["string"], "Non riconosciuti")
