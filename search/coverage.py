"""The partial mode's ranking rule, one for every backend.

When few articles hold every word of a query, an article is ranked by the share of the query's
words it covers, each word weighted by its idf (an article that misses a common word beats one
that misses the rare one), plus ``SCORE_SHARE`` of its BM25F score over the best score the
candidates reach per word. The Whoosh engine applies it to every candidate
(``_Search._coverage``), the Typesense re-ranker to its window (``rerank``).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

# 1.0 was chosen on the known items' dev part (0.8-1.2 alike; 0 is the words-matched count alone
# that it replaced).
SCORE_SHARE = 1.0


def idf_shares(doc_freqs: Sequence[int], n: int) -> np.ndarray:
    """Each word's share of the query's idf, from the articles holding it (``doc_freqs``) out of
    ``n``; all alike when every word is in every article."""
    idf = np.array([math.log(n / max(1, df)) for df in doc_freqs])
    if idf.sum() <= 0:
        idf = np.ones(len(doc_freqs))
    return idf / idf.sum()
