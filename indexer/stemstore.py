"""Every word Sastrawi has stemmed for an index, kept with it.

Sastrawi does ~26k words/s and the 22k corpus has ~100k distinct tokens, so
a rebuild or an incremental build would spend seconds re-deriving stems it
already knew. The store is a text file in the index folder, one
``word<TAB>stem`` a line, appended after each commit; a build loads it before
its workers start (they inherit it) and passes the stems each worker finds to
the others. It holds only Sastrawi's answers, never ``STEM_EXCEPTIONS``
(applied on top of it), and its first line names the Sastrawi version: a
different version (another dictionary) starts the store afresh. A line cut
short by a killed build is ignored.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

FILENAME = "TELUSUR_STEMS.tsv"


def _header() -> str:
    return f"# sastrawi {importlib.metadata.version('PySastrawi')}\n"


class StemStore:
    def __init__(self, index_dir: str | Path):
        self.path = Path(index_dir) / FILENAME
        self._current = False  # the file exists with this Sastrawi's header

    def load(self, repair: bool = True) -> dict[str, str]:
        """The stored stems; ``repair`` cuts a last line a killed build left short (a builder
        does, before it appends; a search engine reads the index without writing to it)."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        header = _header().encode("utf-8")
        if not data.startswith(header):
            return {}
        complete = data.rfind(b"\n") + 1
        if repair and complete < len(data):  # appends must start on a fresh line
            with self.path.open("r+b") as f:
                f.truncate(complete)
        self._current = True
        stems = {}
        for line in data[len(header) : complete].decode("utf-8", "replace").splitlines():
            word, tab, root = line.partition("\t")
            if tab and root:
                stems[word] = root
        return stems

    def append(self, stems: dict[str, str]) -> None:
        if not stems and self._current:
            return
        mode = "a" if self._current else "w"
        with self.path.open(mode, encoding="utf-8") as f:
            if not self._current:
                f.write(_header())
            f.writelines(f"{word}\t{root}\n" for word, root in stems.items())
        self._current = True
