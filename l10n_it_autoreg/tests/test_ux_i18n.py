"""The UI speaks Italian: i18n/it.po is complete and loads."""

import io
import os

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, trans_export

I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


@tagged("post_install", "-at_install")
class TestUxI18n(TransactionCase):
    def test_every_term_translated(self):
        with open(os.path.join(I18N, "it.po"), "rb") as po:
            entries = list(PoFileReader(po))
        self.assertGreater(len(entries), 100)
        untranslated = [e["src"] for e in entries if not e["value"]]
        self.assertFalse(untranslated, "terms without an Italian translation")

    def test_po_covers_the_addon(self):
        """Every term the addon has today (fields, selections, views, menus,
        Python and JS code) is in it.po, translated, for each place it is
        used: a label whose place is missing (e.g. the same field on
        res.config.settings) would stay in English.  When this fails,
        re-export the template and merge it (see i18n in README)."""
        buf = io.BytesIO()
        trans_export(False, ["l10n_it_autoreg"], buf, "po", self.env.cr)
        template = polib.pofile(buf.getvalue().decode())
        po = polib.pofile(os.path.join(I18N, "it.po"))
        translated = {}
        for entry in po:
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                translated.setdefault(entry.msgid, set()).update(
                    file for file, _line in entry.occurrences
                )
        missing = []
        for entry in template:
            places = translated.get(entry.msgid)
            if places is None:
                missing.append(entry.msgid)
                continue
            for file, _line in entry.occurrences:
                if not file.startswith("code:") and file not in places:
                    missing.append(f"{entry.msgid} ({file})")
        self.assertFalse(missing, "terms missing from i18n/it.po or untranslated")

    def test_italian_ui(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["l10n_it_autoreg"], ["it_IT"], overwrite=True
        )
        it = self.env(context={"lang": "it_IT"})
        self.assertEqual(
            it.ref("l10n_it_autoreg.menu_l10n_it_autoreg_to_register").name, "Da registrare"
        )
        self.assertEqual(
            it.ref("l10n_it_autoreg.action_server_l10n_it_autoreg_register").name,
            "Registra automaticamente",
        )
        run = it["l10n_it_autoreg.run"].create({"state": "done"})
        self.assertEqual(run.outcome_message, "Nessun documento è stato registrato")
        fields_it = it["l10n_it_autoreg.run"].fields_get(
            ["recognized_move_ids", "unrecognized_move_ids"]
        )
        self.assertEqual(fields_it["recognized_move_ids"]["string"], "Riconosciuti")
        self.assertEqual(fields_it["unrecognized_move_ids"]["string"], "Non riconosciuti")
