"""The tagger's output on a fixed sample, digested: what ``tests/test_tagger_digest.py``
holds the tagging code to.

Speed work on the tagger (``features.py``'s implementation, ``scores.py``, ``tagger.py``,
``tokens.py``, ``rules.py``) must not change what it tags. This records, for a fixed sample
(every 4th NERGRIT sentence, every 100th article of the 22k corpus), one digest per text of
the tagged windows' lengths, the CRF's labels (``tagger.label_windows`` with the rules'
finds) and the mentions read from them, keyed by what defines them besides that code:
the model, its tables, the modules the rules' finds depend on (``KEYED``) and the features
the pruning keeps. The test recomputes the digests, and fails when the key does not match
(a change of those is a change of what is tagged, so it is recorded on purpose, never skipped).
Re-record after a deliberate change of the features, the model or those modules:

    .venv/bin/python scripts/tagger_digest.py
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.nergrit import DEFAULT_PATH, detokenize, read_bio  # noqa: E402

DIGEST_PATH = ROOT / "tests" / "data" / "tagger-digest.json"
CORPUS = ROOT.parent / "shared" / "corpus" / "berita-22k.jsonl"
SENTENCE_STEP, ARTICLE_STEP = 4, 100
_EXTRACT = ROOT / "indexer" / "extract"
KEYED = [
    _EXTRACT / "data" / name for name in ("tagger.crfsuite.gz", "tagger-words.tsv.gz", "tagger-gazetteer.tsv.gz",
                                          "lexicon.txt", "wilayah.tsv")
] + [_EXTRACT / name for name in ("vocab.py", "aliases.py", "gazetteer.py", "lexicon.py", "combine.py", "mention.py")]


def key() -> str:
    """A digest of everything in ``KEYED`` and of the features the tagger passes the CRF
    (the model's attributes its pruning keeps: ``tagger.PRUNE`` moves them)."""
    from indexer.extract import tagger

    digest = hashlib.sha1()
    for path in KEYED:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.exists() else b""))
    digest.update("\n".join(sorted(tagger._tagger()[1].known)).encode())
    return digest.hexdigest()


def sample_texts() -> list[str]:
    """The fixed sample: NERGRIT sentences as text, then articles as the indexer reads them."""
    texts = [detokenize([t for t, _ in s]) for s in read_bio(DEFAULT_PATH)[::SENTENCE_STEP]]
    with CORPUS.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % ARTICLE_STEP == 0:
                rec = json.loads(line)
                texts.append(f"{rec.get('title') or ''}\n{rec.get('body') or ''}")
    return texts


def text_digest(text: str) -> str:
    """The tagged windows' lengths, their labels and the mentions read from them, as 12 hex digits."""
    from indexer.clean import repair_mojibake
    from indexer.extract import MAX_CHARS, tagger
    from indexer.extract.combine import TAGGER_MAX_CHARS
    from indexer.extract.rules import find_mentions, skip_spans

    text = repair_mojibake(text[:MAX_CHARS])
    head = text[:TAGGER_MAX_CHARS]
    rules = [m for m in find_mentions(text, skip_spans(text)) if m.pos < TAGGER_MAX_CHARS]
    labels, windows = tagger.label_windows(head, rules)
    mentions = [(m.kind, m.name, m.pos, m.end) for m in tagger.names(head, labels, windows)]
    blob = json.dumps([[size for _, size in windows], labels, mentions], ensure_ascii=False)
    return hashlib.sha1(blob.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def main() -> int:
    texts = sample_texts()
    DIGEST_PATH.parent.mkdir(parents=True, exist_ok=True)
    DIGEST_PATH.write_text(json.dumps({"key": key(), "digests": [text_digest(t) for t in texts]}, indent=0) + "\n")
    print(f"{len(texts)} texts digested into {DIGEST_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
