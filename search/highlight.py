"""Stem-aware snippets: about 200 characters around the densest cluster of matches.

The stored body is read token by token with the index's own tokenizer, stop
list and Sastrawi stems, so a query ``pertemuan`` marks ``bertemu``. Stemming
every token of a body would be the cost of the whole request on a cold stem
cache, so a token is only stemmed when it could yield a query stem: Sastrawi
strips affixes and at most recodes the root's first letter (``memukul`` ->
``pukul``), so the stem minus its first letter is always inside the word.

Everything is HTML-escaped first; only ``<mark>`` is ours.
"""

from __future__ import annotations

import html
import re
from typing import Collection

from indexer.analysis import TOKEN_PATTERN, stem, stop_words

SNIPPET_CHARS = 200
# Only this much of a body is searched for the snippet: bodies may reach 1M
# characters, and the best window of a news article is near its start anyway.
SCAN_CHARS = 20_000
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_SPACE_RE = re.compile(r"\s+")


def snippet(text: str, stems: Collection[str], forms: Collection[str], size: int = SNIPPET_CHARS) -> str:
    """HTML: the window of ``text`` with the most query terms, matches in ``<mark>``.

    Falls back to the start of the text when nothing matches (a title-only hit).
    """
    whole = text or ""
    text = _SPACE_RE.sub(" ", whole[:SCAN_CHARS]).strip()
    truncated = len(whole) > SCAN_CHARS
    matches = _matches(text, stems, forms)
    if not matches:
        end = _cut_end(text, size)
        return html.escape(text[:end]) + (" …" if end < len(text) or truncated else "")
    first, last = _densest(matches, size)
    span_start, span_end = matches[first][0], matches[last][1]
    slack = max(0, size - (span_end - span_start))
    start = _cut_start(text, max(0, span_start - slack // 3))
    end = max(span_end, _cut_end(text, max(span_end, start + size)))
    out = ["… " if start > 0 else ""]
    pos = start
    for m_start, m_end, _key in matches:
        if m_start < start or m_end > end:
            continue
        out.append(html.escape(text[pos:m_start]))
        out.append("<mark>" + html.escape(text[m_start:m_end]) + "</mark>")
        pos = m_end
    out.append(html.escape(text[pos:end]))
    if end < len(text) or truncated:
        out.append(" …")
    return "".join(out)


def _matches(text: str, stems: Collection[str], forms: Collection[str]) -> list[tuple[int, int, str]]:
    """(start, end, matched term) of every token whose form or stem is in the query."""
    if not stems and not forms:
        return []
    stops = stop_words()
    out = []
    for m in _TOKEN_RE.finditer(text):
        word = m.group().lower()
        if word in forms:
            out.append((m.start(), m.end(), word))
        elif word not in stops:
            s = stem(word)  # memoised: a dictionary look-up for a word seen before
            if s in stems:
                out.append((m.start(), m.end(), s))
    return out


def _densest(matches: list[tuple[int, int, str]], size: int) -> tuple[int, int]:
    """Indexes of the first and last match of the window with the most distinct terms, then most matches."""
    best_score, best_span = (0, 0), (0, 0)
    lo = 0
    for hi in range(len(matches)):
        while matches[hi][1] - matches[lo][0] > size:
            lo += 1
        window = matches[lo : hi + 1]
        score = (len({k for _, _, k in window}), len(window))
        if score > best_score:
            best_score, best_span = score, (lo, hi)
    return best_span


def _cut_start(text: str, pos: int) -> int:
    """Move a start position forward to the beginning of a word."""
    if pos <= 0:
        return 0
    space = text.find(" ", pos - 1)
    return space + 1 if 0 <= space < pos + 20 else pos


def _cut_end(text: str, pos: int) -> int:
    """Move an end position back to the end of a word."""
    if pos >= len(text):
        return len(text)
    space = text.rfind(" ", 0, pos + 1)
    return space if space > pos - 30 else pos
