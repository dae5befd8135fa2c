"""Benchmark of receiving ZIP bombs: peak memory and time.

Builds (streaming, never in memory) the ZIPs of README's figures and
receives each one:

- ``bomb-1gib``: one member inflating to 1 GiB of zeros (≈ 1 MB compressed);
- ``bomb-lying``: the same member declaring 2,000 bytes;
- ``17x59mb``: 17 members of 59 MB each (≈ 1 GB inflated in all);
- ``ok-100``: 100 ordinary e-invoices (for comparison).

Without a database it runs receiving's expansion of the ZIP
(``account.move._l10n_it_autoreg_unzip``, what the upload does before
anything is written) with the default limits; with ``-c ODOO_CONF -d DB``
(a database where l10n_it_autoreg is installed) it receives each ZIP through
``_l10n_it_autoreg_receive_files`` (attachments, bills; rolled back).

    python3 scripts/bench_zip.py [-c odoo.conf -d DB] [--only bomb-1gib]

Prints, per ZIP: its size, the outcome (reason codes), the time, the peak of
Python allocations (tracemalloc) and the process's peak RSS
(resource.getrusage: it never goes down, so the cases run in order of
expected cost, each in its own process with --only).
"""

import argparse
import collections
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIB = 1024 * 1024
CASES = ("ok-100", "bomb-lying", "bomb-1gib", "17x59mb")


def zeros_member(archive, name, size):
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as handle:
        chunk = b"\0" * MIB
        left = size
        while left > 0:
            handle.write(chunk[: min(left, MIB)])
            left -= MIB


def build(case, path):
    from odoo.addons.l10n_it_autoreg.tests.builder import InvoiceSpec, build_xml

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if case == "ok-100":
            for i in range(100):
                archive.writestr(
                    "IT01234567890_B%04d.xml" % i, build_xml(InvoiceSpec(number="ZB-%04d" % i))
                )
        elif case in ("bomb-1gib", "bomb-lying"):
            zeros_member(archive, "IT01234567890_BOMB1.xml", 1024 * MIB)
        elif case == "17x59mb":
            for i in range(17):
                zeros_member(archive, "IT01234567890_BIG%02d.xml" % i, 59 * 1000 * 1000)
    if case == "bomb-lying":
        with open(path, "r+b") as handle:
            data = bytearray(handle.read())
            for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
                start = data.find(signature)
                data[start + size_at : start + size_at + 4] = (2000).to_bytes(4, "little")
            handle.seek(0)
            handle.write(data)


def expand_only(raw, name):
    """Receiving's expansion of a ZIP without a database."""
    from odoo.addons.l10n_it_autoreg.models import account_move_receive_zip as receive

    class Receiver:  # the model's method needs nothing but itself
        def _l10n_it_autoreg_unzip(self, *args, **kwargs):
            return receive.AccountMove._l10n_it_autoreg_unzip(self, *args, **kwargs)

    limits = dict(receive.ZIP_LIMITS)
    budget = {"left": limits["zip_max_total_size"]}
    members = Receiver()._l10n_it_autoreg_unzip(raw, name, limits, budget, nested=False)
    return collections.Counter(r.error_code if r else "read" for _n, _d, r in members)


def receive_in_db(raw, name, config, database):
    import odoo

    registry = odoo.registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        moves = env["account.move"]._l10n_it_autoreg_receive_files([(name, raw)])
        outcome = collections.Counter(m.l10n_it_autoreg_reason_code or "pending" for m in moves)
        cr.rollback()
    return outcome


def run_case(case, args):
    import odoo

    import odoo.addons

    if args.database:
        odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    else:
        odoo.tools.config.parse_config([])  # Odoo's default addons path
    if REPO not in odoo.addons.__path__:
        odoo.addons.__path__.append(REPO)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, case + ".zip")
        build(case, path)
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            raw = handle.read()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    start = time.perf_counter()
    if args.database:
        outcome = receive_in_db(raw, case + ".zip", args.config, args.database)
    else:
        outcome = expand_only(raw, case + ".zip")
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "%-10s zip %8.2f MiB  %-40s %6.2f s  peak alloc %7.1f MiB  peak RSS %7.1f MiB "
        "(%.1f before)"
        % (
            case,
            size / MIB,
            ", ".join("%s×%d" % item for item in sorted(outcome.items())),
            elapsed,
            peak / MIB,
            rss,
            rss_before,
        ),
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config")
    parser.add_argument("-d", "--database")
    parser.add_argument("--only", choices=CASES)
    args = parser.parse_args()
    if bool(args.config) != bool(args.database):
        parser.error("-c and -d go together")
    if args.only:
        run_case(args.only, args)
        return
    mode = f"receive in database {args.database}" if args.database else "expansion only"
    print(f"mode: {mode}")
    for case in CASES:  # one process each: peak RSS is per process
        command = [sys.executable, os.path.abspath(__file__), "--only", case]
        if args.database:
            command += ["-c", args.config, "-d", args.database]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
