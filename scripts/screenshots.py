#!/usr/bin/env python3
"""Screenshots of the addon for the README (docs/screenshots/*.png).

Drives headless Chromium through the DevTools protocol (websocket-client),
logged in with a session obtained from /web/session/authenticate.  It needs a
running Odoo serving a database where the demo ran, in Italian:

    DEMO_NO_SERVE=1 bash scripts/demo.sh          # database autoreg_demo
    # Italian for the users that register (admin, and OdooBot for the
    # scheduled action) must be set *before* the e-invoices are received,
    # otherwise the stored reasons and chatter traces are in English.
    source scripts/lib.sh; CONF=$(write_odoo_config autoreg_demo)
    # no cron thread: it would process the 'running' run made for 08_processing
    python3 -m odoo -c $CONF -d autoreg_demo --http-port 8071 --max-cron-threads=0 \
        --log-level=warn &
    python3 scripts/screenshots.py --url http://localhost:8071 --db autoreg_demo

Screens (all 1440 px wide):
  01_settings.png        Settings > Accounting, Vendor Bills: Automatic registration
  02_to_register.png     Accounting > Vendors > To register (status icons, reasons)
  03_not_recognized.png  a not recognized bill: the reason on the form
  04_run_recognized.png  a registration run (View details): Recognized tab
  05_run_not_recognized.png  the same run: Not recognized tab
  06_registered_bill.png     a registered bill: lines, taxes, totals
  07_registered_bill_due_dates.png  its Due dates tab: the e-invoice's installments
  08_processing.png      To register while a run works ("Processing documents…"):
                         a run in state 'running' is created over RPC for the
                         shot and deleted afterwards.
  09_einvoice_tab.png    a not recognized bill's tab E-invoice: the received
                         document, the rate no tax matches highlighted
  10_einvoice_dialog.png To register: the eye of a row opens its e-invoice in a
                         dialog (a document whose total does not add up)
  11_to_review.png       Accounting > Vendors > To review: registered bills
                         and their review notes
  11_to_review_bill.png  one of them: the review notes above the bill and
                         the Reviewed button
  12_create_this_tax.png a bill waiting for a purchase tax (tax_not_found):
                         Create this tax, the tax form pre-filled from the
                         e-invoice (discarded, not saved)
  13_registration_rules.png  Accounting > Configuration > Registration rules:
                         the demo's rule "Cancelleria e toner"

Only the standard library, requests and websocket-client; Pillow, when
present, reduces the PNGs to a palette (smaller files).
"""

import argparse
import base64
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--mute-audio",
]


class Odoo:
    """JSON-RPC client sharing its session with the browser."""

    def __init__(self, url, db, login, password):
        self.url = url.rstrip("/")
        self.http = requests.Session()
        res = self.http.post(
            self.url + "/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": db, "login": login, "password": password},
            },
            timeout=60,
        ).json()
        if res.get("error") or not res.get("result", {}).get("uid"):
            error = json.dumps(res.get("error") or res)[:500]
            sys.exit(f"Login failed: {error}")
        self.session_id = self.http.cookies["session_id"]
        self.lang = res["result"]["user_context"].get("lang")

    def call(self, model, method, *args, **kwargs):
        res = self.http.post(
            self.url + "/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                },
            },
            timeout=120,
        ).json()
        if res.get("error"):
            raise RuntimeError(json.dumps(res["error"])[:1000])
        return res["result"]

    def search(self, model, domain, **kwargs):
        return self.call(model, "search", domain, **kwargs)


class Browser:
    """Headless Chromium, one page, driven over the DevTools protocol."""

    def __init__(self, chromium, width, height, port):
        self.width, self.height = width, height
        self.profile = tempfile.mkdtemp(prefix="autoreg-shots-")
        self.proc = subprocess.Popen(
            [
                chromium,
                *CHROMIUM_FLAGS,
                "--user-data-dir=" + self.profile,
                "--window-size=%d,%d" % (width, height),
                "--remote-debugging-port=%d" % port,
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        ws_url = None
        for _ in range(100):
            try:
                pages = requests.get("http://127.0.0.1:%d/json" % port, timeout=2).json()
                ws_url = next(p["webSocketDebuggerUrl"] for p in pages if p["type"] == "page")
                break
            except Exception:  # noqa: BLE001 -- Chromium still starting
                time.sleep(0.2)
        if not ws_url:
            self.close()
            sys.exit(f"Chromium did not start (is {chromium} a Chromium?)")
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.msg_id = 0
        self.send("Page.enable")
        self.send("Network.enable")
        self.send("Runtime.enable")
        self.resize(height)

    def send(self, method, **params):
        self.msg_id += 1
        self.ws.send(json.dumps({"id": self.msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if msg.get("method") == "Runtime.exceptionThrown":
                details = msg["params"]["exceptionDetails"]
                print(
                    "  JS exception:",
                    details.get("exception", {}).get("description", details.get("text")),
                    file=sys.stderr,
                )

    def resize(self, height):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def js(self, expression):
        res = self.send(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in res:
            raise RuntimeError(f"JS error in {expression[:80]!r}: {res['exceptionDetails']}")
        return res.get("result", {}).get("value")

    def wait(self, selector, timeout=30):
        """Wait until ``selector`` exists and Odoo is not loading anymore."""
        end = time.time() + timeout
        check = (
            f"!!document.querySelector({json.dumps(selector)})"
            " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
        )
        while time.time() < end:
            if self.js(check):
                time.sleep(0.8)  # let fonts, icons and animations settle
                return
            time.sleep(0.25)
        raise RuntimeError(f"Timeout waiting for {selector}")

    def goto(self, url, selector):
        self.send("Page.navigate", url=url)
        self.wait(selector)

    def click(self, selector, wait_for=None):
        self.js(f"document.querySelector({json.dumps(selector)}).click()")
        if wait_for:
            self.wait(wait_for)
        else:
            time.sleep(1)

    def close_notifications(self):
        """Close the sticky notifications (a run's outcome replayed by the
        bus when the page loads) that would cover the top right corner."""
        self.js(
            "document.querySelectorAll('.o_notification .o_notification_close')"
            ".forEach((button) => button.click())"
        )
        time.sleep(0.5)

    def shot(self, path):
        data = base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])
        # Without Pillow the PNG stays as Chromium made it (larger).
        with contextlib.suppress(ImportError):
            from PIL import Image

            image = Image.open(io.BytesIO(data)).convert("RGB")
            image = image.quantize(
                colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
            buf = io.BytesIO()
            image.save(buf, "PNG", optimize=True)
            data = buf.getvalue()
        with open(path, "wb") as f:
            f.write(data)
        print("  %s (%d KB)" % (os.path.relpath(path, REPO_DIR), len(data) // 1024))

    def close(self):
        with contextlib.suppress(Exception):  # closing anyway
            self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def action_url(base, xmlid, res_id=None):
    record = f"/{res_id:d}" if res_id else ""
    return f"{base}/odoo/action-{xmlid}{record}"


def shoot_to_review(browser, odoo, base, wanted, out):
    """11: the To review list; 11_to_review_bill: the bill of it with the
    most review notes, the notes above the form and the Reviewed button."""
    action = "l10n_it_autoreg.action_l10n_it_autoreg_to_review"
    if wanted("11_to_review"):
        browser.goto(action_url(base, action), ".o_l10n_it_autoreg_to_review .o_data_row")
        browser.close_notifications()
        browser.shot(out("11_to_review"))
    to_review = odoo.call(
        "account.move",
        "search_read",
        [("l10n_it_autoreg_to_review", "=", True)],
        ["l10n_it_autoreg_review_codes"],
        order="id",
    )
    bill = max(
        to_review,
        key=lambda bill: len((bill["l10n_it_autoreg_review_codes"] or "").split()),
        default=None,
    )
    if wanted("11_to_review_bill") and bill:
        browser.resize(1000)
        browser.goto(action_url(base, action, bill["id"]), ".o_form_view .o_l10n_it_autoreg_review")
        browser.close_notifications()
        browser.shot(out("11_to_review_bill"))
        browser.resize(browser.height)


def shoot_create_this_tax(browser, odoo, base, wanted, out):
    """12: a bill waiting for a purchase tax (tax_not_found): Create this tax
    opens the tax form pre-filled from its e-invoice (not saved)."""
    if not wanted("12_create_this_tax"):
        return
    waiting = odoo.search(
        "account.move",
        [
            ("l10n_it_autoreg_state", "=", "unrecognized"),
            ("state", "=", "draft"),
            ("l10n_it_autoreg_reason_code", "=", "tax_not_found"),
            ("l10n_it_autoreg_missing_tax_key", "!=", False),
        ],
        limit=1,
    )
    if not waiting:
        print("  12_create_this_tax: no bill waiting for a tax", file=sys.stderr)
        return
    browser.resize(1000)
    browser.goto(
        action_url(base, "l10n_it_autoreg.action_l10n_it_autoreg_to_register", waiting[0]),
        ".o_form_view button.o_l10n_it_autoreg_create_tax",
    )
    browser.click(
        ".o_form_view button.o_l10n_it_autoreg_create_tax",
        ".modal .o_l10n_it_autoreg_missing_tax",
    )
    browser.close_notifications()
    browser.shot(out("12_create_this_tax"))
    # Discard: leaving the page with the dialog open would save the tax
    # (the web client saves a dirty form on unload) and register the bill.
    browser.click(".modal-footer button[special=cancel]")
    end = time.time() + 30
    while browser.js("!!document.querySelector('.modal')"):
        if time.time() > end:
            raise RuntimeError("The Create this tax dialog did not close")
        time.sleep(0.25)
    browser.resize(browser.height)


def shoot_registration_rule(browser, odoo, base, wanted, out):
    """13: the form of the demo's registration rule (Cancelleria e toner)."""
    if not wanted("13_registration_rules"):
        return
    rules = odoo.search(
        "l10n_it_autoreg.rule", [("name", "=", "Cancelleria e toner")], limit=1
    ) or odoo.search("l10n_it_autoreg.rule", [], limit=1)
    if not rules:
        print("  13_registration_rules: no registration rule", file=sys.stderr)
        return
    browser.goto(
        action_url(base, "l10n_it_autoreg.action_l10n_it_autoreg_rule", rules[0]),
        ".o_form_view .o_field_widget[name=description_words]",
    )
    browser.close_notifications()
    browser.shot(out("13_registration_rules"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="autoreg_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default=os.path.join(REPO_DIR, "docs", "screenshots"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--debug-port", type=int, default=9333)
    parser.add_argument("--only", nargs="*", help="names of the shots to take (default: all)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    odoo = Odoo(args.url, args.db, args.login, args.password)
    print(f"Logged in ({args.login}), language {odoo.lang}")
    base = odoo.url
    Move = "account.move"
    unrecognized = odoo.search(
        Move,
        [
            ("l10n_it_autoreg_state", "=", "unrecognized"),
            ("state", "=", "draft"),
            ("l10n_it_autoreg_reason_code", "=", "tax_not_found"),
        ],
        limit=1,
    ) or odoo.search(
        Move,
        [("l10n_it_autoreg_state", "=", "unrecognized"), ("state", "=", "draft")],
        limit=1,
    )
    runs = odoo.search(
        "l10n_it_autoreg.run",
        [("state", "=", "done"), ("unrecognized_count", ">", 0)],
        order="id desc",
        limit=1,
    ) or odoo.search("l10n_it_autoreg.run", [("state", "=", "done")], order="id desc", limit=1)
    # the registered bill with the most due dates (and most lines)
    registered = odoo.call(
        Move,
        "search_read",
        [
            ("l10n_it_autoreg_state", "=", "registered"),
            ("move_type", "=", "in_invoice"),
        ],
        fields=["line_ids", "invoice_line_ids"],
    )
    registered.sort(
        key=lambda m: (
            len(m["line_ids"]) - len(m["invoice_line_ids"]),
            len(m["invoice_line_ids"]),
        ),
        reverse=True,
    )

    browser = Browser(args.chromium, args.width, args.height, args.debug_port)
    host = base.split("://", 1)[1].split("/")[0].split(":")[0]
    browser.send(
        "Network.setCookie",
        name="session_id",
        value=odoo.session_id,
        domain=host,
        path="/",
        httpOnly=True,
    )

    def wanted(name):
        return not args.only or name in args.only

    def out(name):
        return os.path.join(args.out, name + ".png")

    try:
        if wanted("01_settings"):
            browser.goto(action_url(base, "account.action_account_config"), "#l10n_it_autoreg")
            # the block's title (Vendor Bills) on top
            browser.js(
                "(() => { const box = document.querySelector('#l10n_it_autoreg')"
                ".closest('.o_settings_container');"
                " (box.previousElementSibling || box)"
                ".scrollIntoView({block: 'start'}); })()"
            )
            time.sleep(0.8)
            browser.shot(out("01_settings"))

        if wanted("02_to_register"):
            browser.goto(
                action_url(base, "l10n_it_autoreg.action_l10n_it_autoreg_to_register"),
                ".o_l10n_it_autoreg_to_register .o_data_row",
            )
            browser.shot(out("02_to_register"))

        if wanted("03_not_recognized") and unrecognized:
            browser.goto(
                action_url(
                    base,
                    "l10n_it_autoreg.action_l10n_it_autoreg_to_register",
                    unrecognized[0],
                ),
                ".o_form_view .o_l10n_it_autoreg_reason",
            )
            browser.shot(out("03_not_recognized"))

        if runs and (wanted("04_run_recognized") or wanted("05_run_not_recognized")):
            browser.goto(
                action_url(base, "l10n_it_autoreg.action_l10n_it_autoreg_run", runs[0]),
                ".o_form_view .o_notebook",
            )
            if wanted("04_run_recognized"):
                browser.shot(out("04_run_recognized"))
            if wanted("05_run_not_recognized"):
                browser.click(
                    ".o_notebook a[name='unrecognized']",
                    ".o_l10n_it_autoreg_unrecognized .o_data_row",
                )
                browser.shot(out("05_run_not_recognized"))

        if registered and (wanted("06_registered_bill") or wanted("07_registered_bill_due_dates")):
            bill = registered[0]["id"]
            browser.resize(1100)
            browser.goto(
                action_url(base, "account.action_move_in_invoice_type", bill),
                ".o_form_view .o_field_widget[name=tax_totals]",
            )
            if wanted("06_registered_bill"):
                browser.shot(out("06_registered_bill"))
            if wanted("07_registered_bill_due_dates"):
                browser.click(
                    ".o_notebook a[name='l10n_it_autoreg_due_dates']",
                    ".o_l10n_it_autoreg_due_dates tbody tr",
                )
                browser.shot(out("07_registered_bill_due_dates"))
            browser.resize(args.height)

        if wanted("08_processing"):
            pending = odoo.search(
                Move,
                [
                    ("l10n_it_autoreg_state", "in", ("pending", "unrecognized")),
                    ("state", "=", "draft"),
                ],
                limit=3,
            )
            company = odoo.call(
                "res.users",
                "read",
                [odoo.call("res.users", "search", [("login", "=", args.login)])[0]],
                ["company_id"],
            )[0]["company_id"][0]
            run = odoo.call(
                "l10n_it_autoreg.run",
                "create",
                {
                    "company_id": company,
                    "trigger": "manual",
                    "state": "running",
                    "move_ids": [(6, 0, pending)],
                },
            )
            try:
                browser.goto(
                    action_url(base, "l10n_it_autoreg.action_l10n_it_autoreg_to_register"),
                    ".o_l10n_it_autoreg_processing",
                )
                browser.shot(out("08_processing"))
            finally:
                odoo.call("l10n_it_autoreg.run", "unlink", [run])
        if wanted("09_einvoice_tab") and unrecognized:
            browser.resize(1300)
            browser.goto(
                action_url(
                    base,
                    "l10n_it_autoreg.action_l10n_it_autoreg_to_register",
                    unrecognized[0],
                ),
                ".o_form_view .o_notebook a[name='l10n_it_autoreg_einvoice']",
            )
            browser.click(
                ".o_notebook a[name='l10n_it_autoreg_einvoice']",
                ".o_l10n_it_autoreg_einvoice_body",
            )
            # the tab on top: the file, the parties, the highlighted rows below
            browser.js("document.querySelector('.o_notebook').scrollIntoView({block: 'start'})")
            time.sleep(0.8)
            browser.shot(out("09_einvoice_tab"))
            browser.resize(args.height)

        if wanted("10_einvoice_dialog"):
            browser.resize(1100)
            browser.goto(
                action_url(base, "l10n_it_autoreg.action_l10n_it_autoreg_to_register"),
                ".o_l10n_it_autoreg_to_register .o_data_row",
            )
            # the row of a document whose totals did not match, else the first
            browser.js(
                "(() => { const rows = [...document.querySelectorAll('.o_data_row')];"
                " const row = rows.find((r) => r.querySelector("
                "'.o_l10n_it_autoreg_state_icon[data-state=unrecognized]')"
                " && /totale|total/i.test(r.textContent)) || rows[0];"
                " row.querySelector('button.o_l10n_it_autoreg_view_einvoice').click(); })()"
            )
            browser.wait(".modal .o_l10n_it_autoreg_einvoice_body")
            # the lines, the VAT summary and the highlighted figures in view
            browser.js(
                "(document.querySelector('.modal .o_l10n_it_autoreg_mismatch')"
                " || document.querySelector('.modal .o_l10n_it_autoreg_einvoice_body'))"
                ".scrollIntoView({block: 'center'})"
            )
            time.sleep(0.8)
            browser.shot(out("10_einvoice_dialog"))
            browser.resize(args.height)

        shoot_to_review(browser, odoo, base, wanted, out)
        shoot_create_this_tax(browser, odoo, base, wanted, out)
        shoot_registration_rule(browser, odoo, base, wanted, out)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
