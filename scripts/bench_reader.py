#!/usr/bin/env python3
"""Benchmark of the FatturaPA reader (a measurement, not a timed test).

1. 1,000 files of 20 lines each made by the test builder (made before
   any timing): total read time of ``read_bytes`` vs a bare
   ``lxml.etree.fromstring`` of the same bytes (the floor), best of 5 runs
   of each.  Goal: <= 3x.
2. One file with a 20 MB attachment: peak memory of reading it, measured
   in a fresh subprocess (tracemalloc peak and peak RSS, VmHWM).  Goal:
   < 100 MB.

Run from the repository root:  python3 scripts/bench_reader.py
"""

import os
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


ADDON = os.path.join(REPO, "l10n_it_autoreg")


def _bootstrap():
    """Import the reader as the standalone package it is (``fatturapa``,
    no odoo import) and the builder as a plain module."""
    import importlib.util

    if ADDON not in sys.path:
        sys.path.insert(0, ADDON)
    spec = importlib.util.spec_from_file_location(
        "fatturapa_builder", os.path.join(ADDON, "tests", "builder.py")
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)


def bench_speed(count=1000, lines=20, repeat=5):
    from decimal import Decimal

    from fatturapa import read_bytes
    from fatturapa_builder import InvoiceSpec, LineSpec, build_xml
    from lxml import etree

    files = [
        build_xml(
            InvoiceSpec(
                number=f"B-{n}",
                lines=[
                    LineSpec(
                        f"Articolo {n}-{i}",
                        quantity=Decimal(i + 1),
                        price_unit=Decimal("12.34"),
                        vat_rate=Decimal("22.00") if i % 3 else Decimal("10.00"),
                    )
                    for i in range(lines)
                ],
            )
        )
        for n in range(count)
    ]
    for data in files:  # correctness first, outside the timings
        result = read_bytes(data)
        assert result.ok and not result.invoices[0].warnings, result.error_message

    def floor_run():
        for data in files:
            etree.fromstring(data)

    def reader_run():
        for data in files:
            read_bytes(data)

    # References (not the reader): what pure Python pays over the parse
    # merely to visit the tree lxml built.  Each element seen from Python
    # is a proxy object lxml makes on demand, about as dear as its parse.
    def visit_run():
        for data in files:
            for _element in etree.fromstring(data).iter():
                pass

    def touch_run():
        for data in files:
            for element in etree.fromstring(data).iter():
                _ = element.tag, element.text

    # Best of ``repeat`` alternating runs of each: the machine is shared, and
    # the minimum is the figure least disturbed by other processes (timeit's
    # advice).  Both sides get the same treatment; the read side includes
    # everything read_bytes does (envelope, parse, model, checks).
    best = {run: float("inf") for run in (floor_run, reader_run, visit_run, touch_run)}
    for _ in range(repeat):
        for run in best:
            start = time.perf_counter()
            run()
            best[run] = min(best[run], time.perf_counter() - start)
    floor, reader = best[floor_run], best[reader_run]
    size = sum(map(len, files)) / count
    print(
        f"speed: {count} files x {lines} lines ({size / 1024:.1f} KiB each), "
        f"best of {repeat} runs"
    )
    print(
        f"  lxml.etree.fromstring (floor): {floor:.3f} s  " f"({floor / count * 1000:.3f} ms/file)"
    )
    print(
        f"  read_bytes (reader+checks):    {reader:.3f} s  "
        f"({reader / count * 1000:.3f} ms/file)"
    )
    print(f"  ratio: {reader / floor:.2f}x  (goal <= 3x)")
    print(
        f"  references: parse + visiting every element from Python "
        f"{best[visit_run] / floor:.2f}x, + reading each tag and text "
        f"{best[touch_run] / floor:.2f}x (no model, no checks)"
    )


MEMORY_CHILD = r"""
import os, sys, tracemalloc
sys.path.insert(0, {addon!r})
def peak_rss_kib():
    # VmHWM, not ru_maxrss: the latter survives execve and would show the
    # parent's peak.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
from fatturapa import read_bytes
start_rss = peak_rss_kib()
data = open({path!r}, "rb").read()
base_rss = peak_rss_kib()
tracemalloc.start()
result = read_bytes(data)
current, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
rss = peak_rss_kib()
assert result.ok, result.error_message
attachment = result.invoices[0].attachments[0]
print(len(data), peak, start_rss, base_rss, rss, attachment.size)
"""


def bench_memory(megabytes=20):
    import tempfile

    from fatturapa_builder import AttachmentSpec, InvoiceSpec, build_xml

    payload = os.urandom(megabytes * 1024 * 1024)
    data = build_xml(InvoiceSpec(attachments=[AttachmentSpec("big.pdf", payload)]))
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as handle:
        handle.write(data)
    try:
        code = MEMORY_CHILD.format(addon=ADDON, path=handle.name)
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
    finally:
        os.unlink(handle.name)
    size, peak, start_rss, base_rss, rss, attachment_size = map(int, out)
    mib = 1024 * 1024
    print(
        f"memory: file of {size / mib:.1f} MiB with a {megabytes} MiB attachment "
        f"(decoded size reported {attachment_size / mib:.1f} MiB, not decoded)"
    )
    print(f"  tracemalloc peak while reading (Python objects): {peak / mib:.1f} MiB")
    print(
        f"  peak RSS (VmHWM): {start_rss / 1024:.0f} MiB after imports, "
        f"{base_rss / 1024:.0f} MiB with the file loaded, "
        f"{rss / 1024:.0f} MiB after reading: reading added "
        f"{(rss - base_rss) / 1024:.0f} MiB, whole process {rss / 1024:.0f} MiB "
        f"(goal < 100 MB)"
    )


if __name__ == "__main__":
    _bootstrap()
    bench_speed()
    bench_memory()
