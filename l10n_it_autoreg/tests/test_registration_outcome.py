"""registration.outcome without a database: every reason code raised
anywhere is in the one table (REASONS) with a template its parameters fill,
README and readme/REASON_CODES.md show that table, and registration/ stays
pure Python (no odoo import)."""

import ast
import os
import re

from odoo.addons.l10n_it_autoreg.fatturapa import errors
from odoo.addons.l10n_it_autoreg.registration import outcome
from odoo.addons.l10n_it_autoreg.registration.outcome import Refusal, Text
from odoo.addons.l10n_it_autoreg.registration.reasons import (
    FAMILIES,
    REASON_CODES,
    REASONS,
    VARIANTS,
    reason_codes_markdown,
    template_of,
)
from odoo.addons.l10n_it_autoreg.tests.registration_case import RegistrationCase

ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(ADDON)
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def sources(*folders):
    """(path, text) of the Python files of these folders of the addon."""
    for folder in folders:
        directory = os.path.join(ADDON, folder)
        for name in sorted(os.listdir(directory)):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                with open(path, encoding="utf-8") as handle:
                    yield os.path.relpath(path, REPO), handle.read()


def refusal_calls():
    """[(where, code, text variant, keyword names or None when **kwargs)] of
    every ``Refusal("code", ...)`` of registration/ and models/."""
    calls = []
    for path, text in sources("registration", "models"):
        for node in ast.walk(ast.parse(text, path)):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name != "Refusal" or not node.args or not isinstance(node.args[0], ast.Constant):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            variant = keywords.pop("text", None)
            keywords.pop("missing_tax", None)  # stored on the bill, not in the sentence
            keywords.pop("focus", None)  # (likewise)
            calls.append(
                (
                    f"{path}:{node.lineno}",
                    node.args[0].value,
                    variant.value if isinstance(variant, ast.Constant) else variant,
                    None if None in keywords else set(keywords),
                )
            )
    return calls


def readme_tables(case, section, fragment):
    """(README's table between the ``<!-- section ... -->`` markers, the
    table of readme/``fragment``), each as table_of gives it; skips the
    README check when the addon is installed without the repository."""
    with open(os.path.join(ADDON, "readme", fragment), encoding="utf-8") as handle:
        folder = table_of(handle.read())
    path = os.path.join(REPO, "README.md")
    if not os.path.exists(path):
        return None, folder
    with open(path, encoding="utf-8") as handle:
        readme = handle.read()
    match = re.search(rf"<!-- {section}.*?-->(.*?)<!-- end of {section} -->", readme, re.DOTALL)
    case.assertTrue(match, f"README.md lost its {section} markers")
    return table_of(match.group(1)), folder


def table_of(markdown):
    """The lines of the Markdown table(s) of ``markdown``."""
    return "".join(line + "\n" for line in markdown.splitlines() if line.startswith("|"))


class TestReasonCodes(RegistrationCase):
    def test_every_refusal_code_raised_is_a_reason_code(self):
        calls = refusal_calls()
        textual = sum(
            len(re.findall(r'\bRefusal\(\s*"', text))
            for _path, text in sources("registration", "models")
        )
        self.assertEqual(len(calls), textual, 'a Refusal("...") the AST scan missed')
        self.assertGreater(len(calls), 30)
        unknown = [f"{where} {code}" for where, code, _v, _k in calls if code not in REASONS]
        self.assertEqual(unknown, [])

    def test_every_refusal_gives_the_parameters_of_its_template(self):
        wrong = []
        for where, code, variant, keywords in refusal_calls():
            if keywords is None or code not in REASONS:
                continue
            template = template_of(Refusal(code, text=variant))
            found = set(PLACEHOLDER.findall(template))
            if found != keywords:
                wrong.append(f"{where} {code}: {sorted(keywords)} != {sorted(found)}")
        self.assertEqual(wrong, [])

    def test_every_text_variant_raised_is_a_variant_of_its_code(self):
        for where, code, variant, _keywords in refusal_calls():
            if variant is not None:
                self.assertIn(variant, VARIANTS, where)
                self.assertEqual(VARIANTS[variant][0], code, where)

    def test_reader_error_codes_are_reason_codes(self):
        self.assertTrue(errors.MESSAGES)
        for code in errors.MESSAGES:
            self.assertIn(code, REASONS)
            self.assertEqual(
                set(PLACEHOLDER.findall(REASONS[code].template)) - {"detail"}, set(), code
            )

    def test_reasons_grouped_by_family_in_order(self):
        self.assertEqual(REASON_CODES, tuple(REASONS))
        self.assertEqual(len(set(REASON_CODES)), len(REASON_CODES))
        families = [reason.family for reason in REASONS.values()]
        self.assertEqual(sorted(families, key=FAMILIES.index), families)
        self.assertEqual(set(families), set(FAMILIES))
        for code, reason in REASONS.items():
            self.assertEqual(reason.code, code)
            self.assertTrue(reason.meaning and reason.action, code)
            self.assertNotIn("|", reason.meaning + reason.action, code)

    def test_every_template_renders_with_its_parameters(self):
        templates = [r.template for r in REASONS.values()] + [v[1] for v in VARIANTS.values()]
        for template in templates:
            params = dict.fromkeys(PLACEHOLDER.findall(template), "X")
            self.assertIsInstance(template % params, str)
            self.assertNotIn("%", PLACEHOLDER.sub("", template).replace("%%", ""), template)

    def test_template_of_variant_and_unknown_code(self):
        self.assertEqual(template_of(Refusal("duplicate")), REASONS["duplicate"].template)
        self.assertEqual(
            template_of(Refusal("self_invoice", text="self_invoice_by_buyer")),
            VARIANTS["self_invoice_by_buyer"][1],
        )
        self.assertEqual(template_of(Refusal("no_such_code")), REASONS["internal_error"].template)

    def test_markdown_table_has_one_row_per_reason(self):
        rows = reason_codes_markdown().splitlines()
        self.assertEqual(
            rows[:2], ["| Code | Meaning | What the user does |", "| --- | --- | --- |"]
        )
        self.assertEqual([row.split("|")[1].strip(" `") for row in rows[2:]], list(REASON_CODES))

    def test_readme_and_readme_folder_reason_code_tables_are_reason_codes_markdown(self):
        readme, folder = readme_tables(self, "reason codes", "REASON_CODES.md")
        self.assertEqual(folder, reason_codes_markdown())
        if readme is None:
            self.skipTest("no README.md beside the addon (installed elsewhere)")
        self.assertEqual(readme, reason_codes_markdown())


class TestOutcomeValues(RegistrationCase):
    def test_text_equality_by_template_and_parameters(self):
        self.assertEqual(Text("a %s", 1), Text("a %s", 1))
        self.assertNotEqual(Text("a %s", 1), Text("a %s", 2))
        self.assertNotEqual(Text("a %(x)s", x=1), Text("b %(x)s", x=1))
        self.assertNotEqual(Text("a"), "a")
        self.assertEqual(len({Text("a %s", 1), Text("a %s", 1)}), 1)

    def test_text_takes_positional_or_named_parameters_not_both(self):
        with self.assertRaises(AssertionError):
            Text("%s %(x)s", 1, x=2)

    def test_refusal_keeps_code_variant_and_parameters(self):
        refusal = Refusal("self_invoice", text="self_invoice_by_buyer", type="TD01")
        self.assertEqual(
            (refusal.code, refusal.text, refusal.params, refusal.args),
            ("self_invoice", "self_invoice_by_buyer", {"type": "TD01"}, ("self_invoice",)),
        )
        self.assertEqual(
            repr(Refusal("duplicate", number="1")), "Refusal('duplicate', {'number': '1'})"
        )

    def test_lt_marks_without_translating(self):
        self.assertEqual(outcome._lt("Rounding"), "Rounding")


class TestPurePython(RegistrationCase):
    def test_registration_never_imports_odoo(self):
        found = []
        for path, text in sources("registration"):
            for node in ast.walk(ast.parse(text, path)):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    if node.level == 0:
                        names = [node.module or ""]
                    elif node.level == 1:
                        continue  # registration's own modules
                    else:  # ..x: only the pure reader beside it
                        names = (
                            []
                            if (node.module or "").split(".")[0] == "fatturapa"
                            else ["{}{}".format("." * node.level, node.module or "")]
                        )
                else:
                    continue
                found += [
                    f"{path}:{node.lineno} {name}"
                    for name in names
                    if name == "odoo" or name.startswith(("odoo.", "."))
                ]
        self.assertEqual(found, [])
        self.assertTrue(list(sources("registration")))
