"""The reader's results of the files read lately, kept in this process: a
received file is read once when it arrives, and its registration (by the
scheduled action soon after, by a person's action) takes what that read
gave instead of reading the file again.

Keyed by the SHA-1 of the file's bytes (what ``ir.attachment.checksum``
holds: a hit needs no file from the filestore), its name and the day (the
reader's date checks compare with today).  A read is a pure function of
those, so an entry never goes stale; only readable files are kept (an
unreadable one costs little to read again, and a reader defect must not
outlive its fix).  Bounded in entries and in the estimated size of what is
kept (least recently used first out); another process (a prefork server's
cron worker) reads the file again.  No database here: the reader never
touches it, nor does this cache.
"""

import datetime
import hashlib
import threading
from collections import OrderedDict

from . import fatturapa

MAX_ENTRIES = 1000
# The reader's objects of a file take several times its XML: ≈ 12 MiB for
# the 0.7 MiB XML of a 3,000-line e-invoice (measured with tracemalloc).
MAX_BYTES = 64 * 1024 * 1024
OBJECTS_PER_XML_BYTE = 16


class ReadCache:
    def __init__(self, max_entries=MAX_ENTRIES, max_bytes=MAX_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries = OrderedDict()  # key -> (ReadResult, estimated size)
        self._size = 0
        self._lock = threading.Lock()
        self.reads = 0  # files read by this process through the cache

    @staticmethod
    def checksum(data):
        """What ``ir.attachment.checksum`` holds for ``data``."""
        return hashlib.sha1(data or b"").hexdigest()

    @staticmethod
    def _key(checksum, filename):
        return (checksum, filename or "", datetime.date.today())

    def get(self, checksum, filename):
        """The result kept for the file of ``checksum`` named ``filename``,
        or None."""
        key = self._key(checksum, filename)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def read_file(self, data, filename, checksum=None):
        """``fatturapa.read_bytes(data, filename)``, or what it gave before."""
        checksum = checksum or self.checksum(data)
        result = self.get(checksum, filename)
        if result is not None:
            return result
        result = fatturapa.read_bytes(data, filename)
        self.reads += 1
        if result.ok:
            self._put(self._key(checksum, filename), result)
        return result

    def _put(self, key, result):
        size = OBJECTS_PER_XML_BYTE * len(result.xml or b"")
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (result, size)
            self._size += size
            while len(self._entries) > self.max_entries or self._size > self.max_bytes:
                _key, (_result, old) = self._entries.popitem(last=False)
                self._size -= old

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._size = 0


# The one cache of this process.
READ_CACHE = ReadCache()
