"""Prepared articles kept on disk between a build's two passes, and across a killed build.

A build prepares every article first (extraction, analysis, story fingerprints)
and learns the corpus alias table from all of them before it writes a single
document, so each document is written once, with its final canonical values
(``indexer.build``). The prepared articles wait here, in ``spool/`` inside the
index folder, which bounds the memory a build needs whatever the corpus size.

The unit is the chunk a worker process is handed (``indexer.build.CHUNK``
articles), one file each, written whole or not at all (a temporary file
renamed). Its name is a key: a hash of its articles' contents and of the
indexer's own code, so a re-run of a killed build reuses every chunk the
killed one had prepared and skips those it had committed (a ``.committed``
mark beside it), while a changed article or a changed extractor never reuses a
stale one. A file starts with each article's fingerprint and evidence (what
the parent reads), then the prepared documents (what a worker writes). A build
that ends cleanly, and any deletion, removes the spool.

The stories of each batch (``indexer.stories.Assignment``), assigned during the
first pass, wait here too until the batch is written (``keep_assignment``):
they belong to one run (a re-run assigns afresh from the committed story
table), so a new run drops what a killed one left.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path
from typing import BinaryIO, Iterator

from indexer.analysis import AnalysedText
from indexer.prepare import PreparedDocument
from indexer.sources import Article
from indexer.stories import Assignment

FOLDER = "spool"
_ASSIGNED = ".assigned"  # a batch's stories, this run's only
_SEP = "\x1f"  # the unit separator: never inside a word token
_PACKAGE = Path(__file__).resolve().parent


def _code_stamp() -> bytes:
    """What the indexer's code and tables are: a changed extractor must not reuse prepared batches."""
    h = hashlib.sha1()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc",):
            stat = path.stat()
            h.update(f"{path.relative_to(_PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return h.digest()


class Spool:
    """The spool folder of one index: one file per prepared chunk, named by its key."""

    def __init__(self, index_dir: str | Path):
        self.path = Path(index_dir) / FOLDER
        self.path.mkdir(parents=True, exist_ok=True)
        for stale in [*self.path.glob("*.tmp"), *self.path.glob(f"*{_ASSIGNED}")]:  # what a killed build left
            stale.unlink()
        self._stamp = _code_stamp()

    def key(self, articles: list[Article]) -> str:
        h = hashlib.sha1(self._stamp)
        for a in articles:
            date = a.date.isoformat() if a.date else ""
            for value in (a.id, a.title, a.body, date, a.source, a.category, a.subcategory, a.url):
                h.update((value or "").encode("utf-8", "surrogatepass"))
                h.update(b"\0")
        return h.hexdigest()

    def prepared(self, key: str) -> dict[str, tuple | None] | None:
        """A spooled chunk's {id: (fingerprint, evidence) or None}, or None when it is not spooled."""
        try:
            with (self.path / key).open("rb") as f:
                return pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError):
            return None

    def is_committed(self, key: str) -> bool:
        return (self.path / f"{key}.committed").exists()

    def mark_committed(self, keys: list[str]) -> None:
        for key in keys:
            (self.path / f"{key}.committed").touch()

    def keep_assignment(self, batch: int, assignment: Assignment) -> None:
        with (self.path / f"{batch}{_ASSIGNED}").open("wb") as f:
            pickle.dump(assignment, f, protocol=pickle.HIGHEST_PROTOCOL)

    def assignment(self, batch: int) -> Assignment:
        """A batch's kept assignment, taken out of the spool."""
        path = self.path / f"{batch}{_ASSIGNED}"
        with path.open("rb") as f:
            assignment = pickle.load(f)
        path.unlink()
        return assignment

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def write_chunk(spool_dir: Path, key: str, prepared: dict[str, tuple | None], docs: list[PreparedDocument]) -> None:
    """One chunk: its articles' fingerprints and evidence first (what the parent reads), then the documents."""
    tmp = spool_dir / f"{key}.tmp"
    with tmp.open("wb") as out:
        pickle.dump(prepared, out, protocol=pickle.HIGHEST_PROTOCOL)
        for doc in docs:
            _dump(doc, out)
    os.replace(tmp, spool_dir / key)  # whole or absent


def read_chunks(spool_dir: Path, keys: list[str]) -> Iterator[PreparedDocument]:
    for key in keys:
        with (spool_dir / key).open("rb") as f:
            pickle.load(f)  # the header
            while True:
                try:
                    fields, ts, ta, bs, ba = pickle.load(f)
                except EOFError:
                    break
                yield PreparedDocument(fields, AnalysedText(_split(ts), _split(ta)), AnalysedText(_split(bs), _split(ba)))


def _dump(doc: PreparedDocument, out: BinaryIO) -> None:
    """One prepared document; token lists joined by a separator no word token holds: fewer bytes, faster to load."""
    record = (doc.fields, _SEP.join(doc.title.stems), _SEP.join(doc.title.affixed), _SEP.join(doc.body.stems), _SEP.join(doc.body.affixed))
    pickle.dump(record, out, protocol=pickle.HIGHEST_PROTOCOL)


def _split(joined: str) -> list[str]:
    return joined.split(_SEP) if joined else []
