"""Stories: the same news reported by several outlets (or rewritten by one).

Indonesian news is heavily syndicated and rewritten; a reader should see a
story once, with the other outlets beside it. At index time every article gets
a story id, kept in ``stories.sqlite`` beside the index so that builds are
incremental: a new article joins the story of the articles it matches, two
stories merge when a bridging article arrives, and a deletion leaves the rest
grouped.

Matching uses datasketch's MinHash LSH on two fingerprints of an article:

- ``body``: word 3-shingles of title and body, which finds syndicated copies
  and light rewrites (okezone/sindonews, kompas/tribunnews);
- ``lead``: the stemmed content words of the title and the first
  ``LEAD_WORDS`` words, which finds rewrites that share the facts and names
  but little wording.

A third, looser path finds the rewrites both miss (another outlet retelling
the day's news in its own words): candidates share title stems (an inverted
index of the loaded days), and one is confirmed only on the same day, by a
similar title, some lead words and wording, and a person or organisation both
name (``retold``).

A candidate is confirmed only within ``WINDOW_DAYS`` of publication and above
the thresholds measured on labelled pairs of the 22k corpus
(``bench/stories_bench.py``, ``bench/story_pairs.tsv``). The story id is
computed here, before the backend writes anything, so every backend stores it
as a plain document field.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from datasketch.minhash import _SCHEME_WIDTHS, _fmix  # what update_batch runs: see ``_minhash``

from indexer.analysis import stem, stop_words

TABLE_FILE = "stories.sqlite"
WORK_FILE = "stories.work.sqlite"  # a staged table's scratch copy, during a build
_COLUMNS = "id, story, day, source, body, lead, title, names"  # an ``articles`` row
SQL_VARIABLES = 900  # ids per ``IN (...)`` list (SQLite's limit was 999)
NUM_PERM = 128
SHINGLE_WORDS = 3
LEAD_WORDS = 60
WINDOW_DAYS = 2
# LSH candidate thresholds (recall side) and the confirming thresholds (precision
# side), measured in bench/stories_bench.py on bench/story_pairs.tsv.
BODY_LSH = 0.2
LEAD_LSH = 0.35
BODY_SAME = 0.25  # word-shingle Jaccard alone confirms
LEAD_SAME = 0.45  # lead-word Jaccard confirms when the bodies share some wording too
LEAD_BODY_MIN = 0.05
SAME_OUTLET_BODY = 0.5  # two articles of one outlet: same day and this much shared wording
# The looser path (``retold``): across outlets, at most RETOLD_DAYS apart, title-stem Jaccard,
# lead and body similarity at least these, and RETOLD_NAMES people / organisations in common.
RETOLD_DAYS = 0
RETOLD_TITLE = 0.3
RETOLD_LEAD = 0.3
RETOLD_BODY = 0.05
RETOLD_NAMES = 1
# A story is joined only by an article matching this share of its members in
# the window (at least one): single links would chain a day's football or
# market reports into one "story".
LINK_SHARE = 0.34
# Fingerprints the LSH indexes hold before the days a batch does not need are
# unloaded (a 10x corpus would otherwise keep every day in memory); a story's
# membership stays, so matching is the same as with every day loaded.
MAX_LOADED = 50_000

_WORD = re.compile(r"[^\W_]+")
_SCHEME = MinHash(num_perm=NUM_PERM)  # the permutations every fingerprint shares


@dataclass
class Fingerprint:
    """What story matching knows of one article; cheap to compute, stored in the table."""

    body: LeanMinHash
    lead: LeanMinHash
    day: int | None  # publication date as a proleptic ordinal
    source: str | None = None
    title: frozenset[str] = frozenset()  # the title's stemmed content words
    names: frozenset[str] = frozenset()  # people and organisations it names, lowercased

    def similarity(self, other: "Fingerprint") -> tuple[float, float]:
        """Estimated (body, lead) Jaccard similarities."""
        return self.body.jaccard(other.body), self.lead.jaccard(other.lead)

    def title_similarity(self, other: "Fingerprint") -> float:
        """Jaccard similarity of the title stems (exact: titles are short)."""
        union = len(self.title | other.title)
        return len(self.title & other.title) / union if union else 0.0


_TEMPLATE = MinHash(num_perm=NUM_PERM, permutations=_SCHEME.permutations, scheme=_SCHEME.scheme, hashfunc=zlib.crc32)
_A, _B = _TEMPLATE.permutations
_WIDTH = _SCHEME_WIDTHS[_SCHEME.scheme]


def _minhash(items: set[bytes]) -> LeanMinHash:
    """One signature, as ``MinHash.update_batch`` computes it on the CPU (``tests/test_stories.py``
    compares the two), without a MinHash object per signature: the crc32 hashes straight into one
    array, then datasketch's own pre-mix and permutations."""
    if not items:
        return LeanMinHash(_TEMPLATE)
    hashes = np.fromiter(map(zlib.crc32, items), dtype=_TEMPLATE.hashvalues.dtype, count=len(items)).reshape(-1, 1)
    permuted = _fmix(hashes, _WIDTH) * _A + _B
    return LeanMinHash(seed=_SCHEME.seed, hashvalues=np.minimum(_TEMPLATE.hashvalues, permuted.min(axis=0)), scheme=_SCHEME.scheme)


def article_fingerprint(article, doc) -> Fingerprint:
    """An article's fingerprint as both backends' builds take it: its title, body, date and source,
    and the entity values its prepared document (``doc.fields``) names."""
    return fingerprint(article.title, article.body, article.date, article.source, doc.fields.get("entity", ()))


def fingerprint(
    title: str,
    body: str,
    date: dt.date | dt.datetime | None,
    source: str | None = None,
    names: Iterable[str] = (),
) -> Fingerprint:
    """Both MinHash signatures of an article, its title stems and ``names`` (its people and organisations).

    crc32 hashes the shingles: half sha1's cost, stable across runs."""
    words = _WORD.findall(f"{title} {body}".lower())
    encoded = [w.encode() for w in words]
    if len(encoded) >= SHINGLE_WORDS:  # word 3-shingles, joined by a space
        shingles = {b" ".join(s) for s in zip(*(encoded[k:] for k in range(SHINGLE_WORDS)))}
    else:
        shingles = {b" ".join(encoded)}
    stops = stop_words()
    title_words = len(_WORD.findall(title))
    title_stems = _content_stems(words[:title_words], stops)
    lead = {s.encode() for s in title_stems + _content_stems(words[title_words : title_words + LEAD_WORDS], stops)}
    day = date.toordinal() if date is not None else None
    return Fingerprint(
        _minhash(shingles), _minhash(lead), day, source, frozenset(title_stems), frozenset(n.lower() for n in names if n)
    )


def _content_stems(words: list[str], stops) -> list[str]:
    """The stems of ``words`` that carry content (no stop words, no single letters)."""
    return [stem(w) for w in words if w not in stops and len(w) > 1]


def same_story(a: Fingerprint, b: Fingerprint) -> bool:
    """The measured rule: close in time and alike in wording, or in facts and some wording.

    One outlet's own articles share templates (daily gold prices, live-streaming
    pages), so two of them are one story only on the same day and by wording.
    """
    if a.day is None or b.day is None or abs(a.day - b.day) > WINDOW_DAYS:
        return False
    body, lead = a.similarity(b)
    if a.source is not None and a.source == b.source:
        return a.day == b.day and body >= SAME_OUTLET_BODY
    return body >= BODY_SAME or (lead >= LEAD_SAME and body >= LEAD_BODY_MIN) or retold(a, b, body, lead)


def retold(a: Fingerprint, b: Fingerprint, body: float, lead: float) -> bool:
    """Another outlet's retelling: little shared wording, but the same day, a similar title, some lead
    words and a person or organisation in common (a day's football reports share titles and places,
    not always their people). A day apart, retellings were as often another angle of a big story."""
    return (
        abs(a.day - b.day) <= RETOLD_DAYS
        and body >= RETOLD_BODY
        and lead >= RETOLD_LEAD
        and len(a.names & b.names) >= RETOLD_NAMES
        and a.title_similarity(b) >= RETOLD_TITLE
    )


@dataclass
class Assignment:
    """What one batch changes: the batch's story ids and the earlier articles moved by a merge."""

    stories: dict[str, str]  # article id (in the batch) -> story id
    moved: dict[str, str]  # article id (already indexed, not in the batch) -> its new story id
    rows: "_Rows | None" = None  # a staged table's rows this batch wrote, for ``StoryTable.commit``


@dataclass
class _Rows:
    """The table rows one batch changed, as the batch left them: what committing the batch writes."""

    rows: list[tuple]  # whole ``articles`` rows, in column order
    gone: list[str]  # ids whose row the batch removed
    next_story: int | None


def days_around(days: Iterable[int]) -> set[int]:
    """The days a batch published on ``days`` is matched against: each +- ``WINDOW_DAYS``."""
    return {d + k for d in days for k in range(-WINDOW_DAYS, WINDOW_DAYS + 1)}


def _words(text: str, separator: str) -> frozenset[str]:
    return frozenset(text.split(separator)) if text else frozenset()


def _pack(m: LeanMinHash) -> bytes:
    return m.hashvalues.astype(np.uint32).tobytes()


def _unpack(raw: bytes) -> LeanMinHash:
    return LeanMinHash(seed=_SCHEME.seed, hashvalues=np.frombuffer(raw, dtype=np.uint32), scheme=_SCHEME.scheme)


def stored_fingerprint(day: int | None, source: str | None, body: bytes, lead: bytes, title: str, names: str) -> Fingerprint:
    """The fingerprint a table row holds (its columns after ``id`` and ``story``)."""
    return Fingerprint(_unpack(body), _unpack(lead), day, source, _words(title, " "), _words(names, "\n"))


class StoryTable:
    """The article -> story table of one index, with the LSH indexes of the days it has loaded.

    Only the days a batch needs (its own, +- ``WINDOW_DAYS``) are loaded into
    the LSH indexes, so an incremental build of today's articles does not read
    the whole history; once they hold ``MAX_LOADED`` fingerprints, the days a
    batch does not need are unloaded (their fingerprints, not their story
    memberships, which the share rule counts), so a long build's memory stays
    bounded and its stories are the ones every day loaded would give. Writes go to SQLite in one transaction that the build
    commits right after the index commit (``commit``), or drops (``rollback``).

    A ``staged`` table lets a build assign batches ahead of their index
    commits: assigning works on a scratch copy of the table (``WORK_FILE``),
    each ``Assignment`` carries the rows its batch left, and ``commit(
    assignment)`` writes just those rows to the table, so the table on disk
    is never ahead of the index and a killed build resumes from the state of
    its last committed batch.
    """

    def __init__(self, index_dir: str | Path | None, staged: bool = False):
        """The table beside ``index_dir``; ``None``: in memory (a backend that keeps the stories itself)."""
        self.path = Path(index_dir) / TABLE_FILE if index_dir is not None else None
        self.db = sqlite3.connect(self.path or ":memory:")
        self._setup()
        self.committed: sqlite3.Connection | None = None  # staged: the table on disk (``db`` is the scratch copy)
        self._touched: set[str] = set()  # staged: the ids the batch being assigned wrote or removed
        if staged:
            self.committed = self.db
            self.db = self._scratch()
        self.body_lsh = MinHashLSH(threshold=BODY_LSH, num_perm=NUM_PERM)
        self.lead_lsh = MinHashLSH(threshold=LEAD_LSH, num_perm=NUM_PERM)
        self.loaded: dict[str, Fingerprint] = {}  # ids in the LSH indexes
        self.story_of: dict[str, str] = {}  # for the loaded ids
        self.members: dict[str, set[str]] = {}  # story -> its loaded ids
        self.by_title: dict[str, set[str]] = {}  # title stem -> the loaded ids whose title holds it
        self.by_day: dict[int, set[str]] = {}  # day -> the loaded ids published that day
        self.days_loaded: set[int] = set()

    def _setup(self) -> None:
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS articles (
                id TEXT PRIMARY KEY, story TEXT NOT NULL, day INTEGER, source TEXT,
                body BLOB NOT NULL, lead BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS articles_story ON articles (story);
            CREATE INDEX IF NOT EXISTS articles_day ON articles (day);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """
        )
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}
        if "title" not in columns:  # a table written before the looser path: its rows never take it
            for column in ("title", "names"):
                self.db.execute(f"ALTER TABLE articles ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")

    def _scratch(self) -> sqlite3.Connection:
        """A copy of the committed table to assign on; a scratch file (not memory): a 10x table is large."""
        work = sqlite3.connect(self.path.with_name(WORK_FILE))
        work.execute("PRAGMA journal_mode = OFF")
        work.execute("PRAGMA synchronous = OFF")
        self.committed.backup(work)
        return work

    # -- loading -------------------------------------------------------------------

    def _load_days(self, days: set[int]) -> None:
        window = days_around(days)
        if len(self.loaded) > MAX_LOADED:
            self._unload_days(self.days_loaded - window)
        wanted = window - self.days_loaded
        if not wanted:
            return
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM articles"
            f" WHERE day IN ({','.join('?' * len(wanted))})",
            sorted(wanted),
        )
        for doc_id, story, *stored in rows:
            if doc_id not in self.loaded:
                self._remember(doc_id, story, stored_fingerprint(*stored))
        self.days_loaded |= wanted

    def _unload_days(self, days: set[int]) -> None:
        """Drop the fingerprints of ``days`` from memory; ``_load_days`` reads them again if a batch needs them."""
        for day in days:
            for doc_id in self.by_day.pop(day, ()):
                self._unload(doc_id)
        self.days_loaded -= days

    def _unload(self, doc_id: str) -> None:
        fp = self.loaded.pop(doc_id, None)
        if fp is not None:
            self.body_lsh.remove(doc_id)
            self.lead_lsh.remove(doc_id)
            for word in fp.title:
                holders = self.by_title[word]
                holders.discard(doc_id)
                if not holders:  # an unloaded day's rare title words must not stay as empty keys
                    del self.by_title[word]
            self.by_day.get(fp.day, set()).discard(doc_id)

    def _remember(self, doc_id: str, story: str, fp: Fingerprint) -> None:
        self.loaded[doc_id] = fp
        self.by_day.setdefault(fp.day, set()).add(doc_id)
        self.story_of[doc_id] = story
        self.members.setdefault(story, set()).add(doc_id)
        self.body_lsh.insert(doc_id, fp.body)
        self.lead_lsh.insert(doc_id, fp.lead)
        for word in fp.title:
            self.by_title.setdefault(word, set()).add(doc_id)

    def _forget_loaded(self, doc_id: str) -> None:
        self._unload(doc_id)
        story = self.story_of.pop(doc_id, None)
        if story is not None:
            self.members[story].discard(doc_id)

    # -- assigning -----------------------------------------------------------------

    def assign(self, articles: list[tuple[str, Fingerprint]]) -> Assignment:
        """Give each article a story: the one it matches, a merge of several, or a new one."""
        *_, assignment = self.assigning(articles)
        return assignment

    def assigning(self, articles: list[tuple[str, Fingerprint]]) -> Iterator[Assignment | None]:
        """``assign``, one article at a time: None after each, then the ``Assignment``.

        A build assigns while its workers prepare, between handing them work."""
        self._touched = set()
        self._load_days({fp.day for _, fp in articles if fp.day is not None})
        in_batch = {doc_id for doc_id, _ in articles}
        stories: dict[str, str] = {}
        moved: dict[str, str] = {}
        for doc_id, fp in articles:
            self.remove([doc_id])  # an update is matched afresh
            matches = self._matches(fp)
            if not matches:
                story = self._new_story_id()
            else:
                story = max(matches, key=lambda s: (self._size(s), s))
                for other in matches - {story}:
                    for member in self._merge(other, story):
                        if member in in_batch:
                            stories[member] = story
                        else:
                            moved[member] = story
            stories[doc_id] = story
            self._insert_row(doc_id, story, fp)
            if fp.day is not None:
                self._remember(doc_id, story, fp)
            yield None
        yield Assignment(stories, moved, self._rows() if self.committed is not None else None)

    def _touch(self, ids: Iterable[str]) -> None:
        if self.committed is not None:  # only a staged table commits rows by id
            self._touched.update(ids)

    def _rows(self) -> _Rows:
        """The rows the batch just assigned changed, as it left them (a staged table)."""
        touched = sorted(self._touched)
        rows = []
        for start in range(0, len(touched), SQL_VARIABLES):
            part = touched[start : start + SQL_VARIABLES]
            rows += self.db.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(part))})", part
            ).fetchall()
        kept = {row[0] for row in rows}
        found = self.db.execute("SELECT value FROM meta WHERE key = 'next_story'").fetchone()
        return _Rows(rows, [i for i in touched if i not in kept], found[0] if found else None)

    def _insert_row(self, doc_id: str, story: str, fp: Fingerprint, keep_existing: bool = False) -> None:
        """Write one article's row (``keep_existing``: leave a row the table already has)."""
        self._touch([doc_id])
        self.db.execute(
            f"INSERT {'OR IGNORE ' if keep_existing else ''}INTO articles ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, story, fp.day, fp.source, _pack(fp.body), _pack(fp.lead), " ".join(sorted(fp.title)),
             "\n".join(sorted(fp.names))),
        )

    def _matches(self, fp: Fingerprint) -> set[str]:
        if fp.day is None:
            return set()
        candidates = set(self.body_lsh.query(fp.body)) | set(self.lead_lsh.query(fp.lead)) | self._titled_alike(fp)
        linked: dict[str, int] = {}
        for c in candidates:
            if same_story(fp, self.loaded[c]):
                linked[self.story_of[c]] = linked.get(self.story_of[c], 0) + 1
        return {s for s, n in linked.items() if n >= LINK_SHARE * len(self.members[s])}

    def _titled_alike(self, fp: Fingerprint) -> set[str]:
        """The loaded articles whose title stems are at least ``RETOLD_TITLE`` alike (the looser path's candidates)."""
        shared: Counter[str] = Counter()
        for word in fp.title:
            shared.update(self.by_title.get(word, ()))  # counted in C: a common title word has thousands
        size = len(fp.title)
        least = RETOLD_TITLE * size  # the other title is at least as long as the words it shares
        loaded = self.loaded
        return {
            doc_id
            for doc_id, n in shared.items()
            if n >= least and n >= RETOLD_TITLE * (size + len(loaded[doc_id].title) - n)
        }

    def _size(self, story: str) -> int:
        return self.db.execute("SELECT count(*) FROM articles WHERE story = ?", (story,)).fetchone()[0]

    def _merge(self, old: str, new: str) -> list[str]:
        members = [r[0] for r in self.db.execute("UPDATE articles SET story = ? WHERE story = ? RETURNING id", (new, old))]
        self._touch(members)
        for member in members:
            if member in self.story_of:
                self.story_of[member] = new
        self.members.setdefault(new, set()).update(self.members.pop(old, ()))
        return members

    def _new_story_id(self) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'next_story'").fetchone()
        number = row[0] if row else 1
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('next_story', ?)", (number + 1,))
        return f"c{number}"

    def remove(self, ids: Iterable[str]) -> None:
        """Forget articles; the rest of their stories stay grouped."""
        for doc_id in ids:
            self._forget_loaded(doc_id)
            self._touch([doc_id])
            self.db.execute("DELETE FROM articles WHERE id = ?", (doc_id,))

    def story(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT story FROM articles WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def commit(self, assignment: Assignment | None = None) -> None:
        """Make the writes lasting; a staged table writes the rows of ``assignment``'s batch (one transaction)."""
        if self.committed is None:
            self.db.commit()
            return
        changed = assignment.rows if assignment is not None else None
        if changed is not None:
            db = self.committed
            db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in changed.gone])
            db.executemany(f"INSERT OR REPLACE INTO articles ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", changed.rows)
            if changed.next_story is not None:
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('next_story', ?)", (changed.next_story,))
        self.committed.commit()

    def rollback(self) -> None:
        """Drop what was not committed (a staged table: every batch assigned ahead of its commit)."""
        self.db.rollback()
        if self.committed is not None:
            self.committed.rollback()
            self.db.close()
            self.db = self._scratch()
        self.loaded.clear()
        self.story_of.clear()
        self.members.clear()
        self.by_title.clear()
        self.by_day.clear()
        self.days_loaded.clear()
        self.body_lsh = MinHashLSH(threshold=BODY_LSH, num_perm=NUM_PERM)
        self.lead_lsh = MinHashLSH(threshold=LEAD_LSH, num_perm=NUM_PERM)

    def close(self) -> None:
        self.db.close()
        if self.committed is not None:
            self.committed.close()
            self.path.with_name(WORK_FILE).unlink(missing_ok=True)
