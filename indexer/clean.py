"""Removing site boilerplate from scraped article text.

Scrapers leave share buttons, ad slots, "read also" links, comment counters,
photo credits and editor blocks in the text; indexed, they become junk search
hits and junk facet values. Removal is line-based because that is how the
boilerplate arrives, plus a few inline credit patterns.
"""

from __future__ import annotations

import re

# A line that is nothing but boilerplate.
_JUNK_LINE = re.compile(
    r"""^(?:
        share|bagikan|shares?\ this|
        baca\ juga\b.*|baca\ selengkapnya\b.*|simak\ juga\b.*|lihat\ juga\b.*|
        baca\ artikel\ .*\ lainnya\b.*|
        \[iklan_?\d*\]|\[ads?\d*\]|advertisement|iklan|scroll\ to\ (?:continue|resume).*|
        sumber|komentar\ \(\d+\)|tags?|topics|topik|editorial\ team|
        (?:editor|penulis|reporter|pewarta|redaktur)\s*:?.{0,60}|
        for|you|follow\ us|ikuti\ kami.*|
        \(\w{1,6}/\w{1,6}\)|                      # (ant/hba) agency initials
        foto\s*:.*|(?:dok(?:umentasi)?|ilustrasi)\.?\s*[:.].{0,80}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Everything after one of these is page furniture, not article.
_END_MARKER = re.compile(
    r"^(?:editor[’']?s\ picks|komentar\ \(\d+\)|follow\ us|artikel\ terkait|berita\ terkait)$",
    re.IGNORECASE | re.VERBOSE,
)

# Credits inside a caption line: "... 13 September 2023. Foto: Sputnik",
# "... September 2023. (dok. Twitter @nknewsorg)".
_INLINE_CREDIT = re.compile(
    r"\s*(?:\((?:dok|foto|sumber|ist|istimewa)\b[^)]{0,80}\)|\bFoto\s*:\s*[^.\n]{1,60}$)",
    re.IGNORECASE,
)

_SPACES = re.compile(r"[ \t\u00a0\u200b]+")

# UTF-8 punctuation that went through Mac Roman on its way into the corpus
# (~3,800 of the 22k articles): `‚Äù` is `”`. Left alone it shows in snippets
# and `Äù` reads as a capitalised word to the name finder.
_MOJIBAKE = re.compile("‚Ä.")


def repair_mojibake(text: str) -> str:
    """Turn `‚Äù`-style sequences back into the punctuation they were."""
    if "‚Ä" not in text:
        return text
    return _MOJIBAKE.sub(_unmangle, text)


def _unmangle(m: re.Match) -> str:
    try:
        return m.group().encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return " "


def clean_lines(text: str) -> list[str]:
    """The article's meaningful lines, boilerplate and repeated lines removed."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in repair_mojibake(text).splitlines():
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        if _END_MARKER.match(line):
            break
        if _JUNK_LINE.match(line):
            continue
        line = _INLINE_CREDIT.sub("", line).strip()
        if not line or line in seen:  # captions are often printed twice
            continue
        seen.add(line)
        out.append(line)
    return out


def clean_body(text: str) -> str:
    """Boilerplate-free text, one paragraph per line pair."""
    return "\n\n".join(clean_lines(text))
