"""What the tagger tags changes only on purpose: features, labels and mentions of a fixed
sample match the digests recorded (``scripts/tagger_digest.py``; a change of the model, its
tables, the rules' modules or the pruning fails until they are re-recorded), and the tagging
path's features are the training path's, less what the model prunes."""

from __future__ import annotations

import json

import pytest

from conftest import CORPUS, NER_DATA

pytestmark = pytest.mark.skipif(not (CORPUS.exists() and NER_DATA.exists()), reason="shared data not present")


def test_the_tagger_tags_a_fixed_sample_as_recorded():
    from scripts import tagger_digest

    recorded = json.loads(tagger_digest.DIGEST_PATH.read_text())
    assert recorded["key"] == tagger_digest.key(), (
        "the model, its tables, the rules' modules or the pruning changed: if the change of what is tagged"
        " is meant, re-record with scripts/tagger_digest.py and commit tests/data/tagger-digest.json")
    got = [tagger_digest.text_digest(t) for t in tagger_digest.sample_texts()]
    assert len(got) == len(recorded["digests"])
    changed = [i for i, (a, b) in enumerate(zip(got, recorded["digests"])) if a != b]
    assert not changed, f"{len(changed)} of {len(got)} texts tag differently, first at sample index {changed[:5]}"


def test_tagging_features_are_the_training_features_less_the_pruned():
    """Per window (with the rules' marks read per window, not per sentence), the cached and
    pruned features ``featurise`` shows are, in order, the features training computes
    for the same window from the whole sentence's marks, less those the model has no
    weight for (only the word's own, its neighbours', bigram and run features are pruned)."""
    from indexer.extract import tagger
    from indexer.extract.features import TRAINING, RuleMarks, sequence_features
    from indexer.extract.rules import find_mentions, skip_spans
    from scripts.tagger_digest import sample_texts

    known = tagger._tagger()[1].known
    unpruned = ("BOS", "EOS", "gB=", "gI=", "rB=", "rI=", "rs=", "rw", "-1rB=", "1rB=")
    windows = 0
    for text in sample_texts()[::5]:
        rules = find_mentions(text, skip_spans(text))
        features, _ = tagger.featurise(text, rules)
        marker = RuleMarks(rules)
        pos = 0
        for tokens, matches, spans in tagger.sentence_windows(text):
            marks = marker.marks([m.start() for m in matches])
            for a, b in spans:
                want = sequence_features(tokens, a, b, TRAINING, marks[a:b])
                for got, full in zip(features[pos:pos + b - a], want, strict=True):
                    assert got == [f for f in full if f in known or f.startswith(unpruned)], tokens
                pos += b - a + 1
                windows += 1
    assert windows > 500


def test_the_summed_scores_are_the_features_weights_and_tag_alike():
    """What the tagger hands crfsuite (``scores.Scores``: six basis attributes a token, valued
    so that crfsuite's own sum gives the token's label scores back) scores every label as the
    weights of ``featurise``'s feature strings do, less one constant a token, and crfsuite
    labels both inputs alike, on the sample's texts; a word type's cached sums outlive
    the text that brought it (they are read again, not recomputed, on a second pass)."""
    import numpy as np

    from indexer.extract import tagger
    from indexer.extract.rules import find_mentions, skip_spans
    from indexer.extract.scores import state_weights
    from scripts.tagger_digest import sample_texts

    crf, scores = tagger._tagger()
    info = crf.info()
    attrs, labels, matrix = state_weights(tagger._buffers[0], info)
    weights = dict(zip(attrs, matrix))
    # The exact weights are those crfsuite prints, to its six decimals.
    for (attr, label), w in info.state_features.items():
        assert abs(weights[attr][labels.index(label)] - w) <= 5e-7, (attr, label)
    frame = np.array([weights[a] for a in scores.basis])
    tokens = 0
    texts = sample_texts()[1::7]
    for text in texts + texts[:20]:
        rules = find_mentions(text, skip_spans(text))
        strings, windows = tagger.featurise(text, rules)
        rows, same = tagger.window_rows(text, rules, scores)
        assert [size for _, size in same] == [size for _, size in windows]
        items = scores.items(rows)
        assert len(items) == len(strings)
        for item, feats in zip(items, strings):
            want = sum((weights[f] for f in feats if f in weights), np.zeros(len(labels)))
            got = np.array([item[a] for a in scores.basis]) @ frame
            assert np.ptp(got - want) < 1e-9, (feats, got - want)
        if items:
            assert crf.tag(items) == crf.tag(strings), text[:80]
        tokens += len(items)
    assert tokens > 5_000


def test_a_vocabulary_word_is_its_lowercase_sums_plus_its_case_sums():
    """A new type of the word table's vocabulary takes its rows from the lowercase sums made
    at load plus the sums of its case (``features.case_key``), not from its strings: those
    rows are still the weights of its own features' strings, whatever its case; and the case
    features (``features.CASE_FEATURES``) are a function of ``case_key`` alone (a feature that
    reads the case and is not declared there fails this)."""
    import numpy as np

    from indexer.extract import tagger
    from indexer.extract.features import _word_features, case_feature, case_key, tokenize, word_table
    from indexer.extract.scores import state_weights
    from scripts.tagger_digest import sample_texts

    crf, scores = tagger._tagger()
    attrs, labels, matrix = state_weights(tagger._buffers[0], crf.info())
    weights = dict(zip(attrs, matrix))
    frame = np.array([weights[a] for a in scores.basis])
    words = sorted({w for text in sample_texts()[::9] for w in tokenize(text)})
    words += [w.upper() for w in words[:300]] + [w.lower() for w in words[:300]] + [w.title() for w in words[:300]]
    vocabulary = [w for w in words if w.lower() in scores.lowercase and len(w) == len(w.lower())]
    assert len(vocabulary) > 2000 and any(w.isupper() for w in vocabulary) and any(w.islower() for w in vocabulary)
    by_case: dict[tuple, set] = {}
    for word in vocabulary[::3]:
        bundle = scores.bundle(word)
        scores.items(([], []))  # the new types' sums are made here
        for part, row in zip(_word_features(word), bundle[:5]):
            want = sum((weights[f] for f in part if f in scores.kept), np.zeros(len(labels)))
            got = scores.table[row] @ frame
            assert np.ptp(got - want) < 1e-9, (word, part)
        cased = tuple(f for part in _word_features(word) for f in part if case_feature(f))
        by_case.setdefault(case_key(word), set()).add(cased)
    assert all(len(v) == 1 for v in by_case.values()), [k for k, v in by_case.items() if len(v) > 1][:5]
    assert len(word_table()) == len(scores.lowercase)

