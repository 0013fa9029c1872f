"""An entity's or a place's page, and "more like this", from one snapshot's arrays.

Both are bounded array work: a mask of the name's articles (one facet column
lookup) counted against the other facet columns, and for similar articles the
article's own highest-weighted stems as an OR query scored by the same BM25F
as a search, plus a bonus for every person, organisation and place it shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from search import profile
from search.facet_plan import DateHistogram
from search.facet_spec import PUBLICATION
from search.profile import ENTITY_WEIGHT

if TYPE_CHECKING:
    from search.backends.whoosh.engine import _Snapshot


def subject_mask(snap: "_Snapshot", facet: str, value_id: int) -> np.ndarray:
    return snap.facets[facet].column.docs_with([value_id], snap.n_docs) & snap.live


def related(snap: "_Snapshot", mask: np.ndarray, count: int, skip: tuple[str, int]) -> dict[str, list[dict]]:
    """The people, organisations and places most often named in the masked articles (``profile.related``)."""

    def ranked(facet: str):
        values = snap.facets[facet]
        counts = values.column.count(mask, count)
        if facet == skip[0]:
            counts[skip[1]] = 0
        for vid in np.argsort(-counts, kind="stable"):  # read lazily: only the first few are taken
            if counts[vid] == 0:
                return
            yield values.column.values[vid], int(counts[vid]), values.type_of(vid) or "location"

    return profile.related(ranked(f) for f in profile.PROFILE_FACETS)


def histogram(snap: "_Snapshot", mask: np.ndarray) -> tuple[str, list]:
    plan = DateHistogram(PUBLICATION.name, PUBLICATION.field, (), None, None)
    return snap.dates[PUBLICATION.name].histogram(mask, plan)


def newest(snap: "_Snapshot", mask: np.ndarray, limit: int) -> list[int]:
    docs = np.flatnonzero(mask)
    order = np.lexsort((docs, -snap.date_raw[docs]))[:limit]
    return docs[order].tolist()


def weighted_terms(snap: "_Snapshot", title: str, body: str) -> list[str]:
    """``search.profile.weighted_terms`` with the body's document frequencies (the generation's vocabulary)."""
    return profile.weighted_terms(title, body, lambda t: snap.vocabulary.doc_frequency("body", t), snap.reader.doc_count())


def shared_names(snap: "_Snapshot", docnum: int) -> np.ndarray:
    """Per document, the share of this article's people, organisations and places it also names."""
    overlap = np.zeros(snap.n_docs, dtype=np.float32)
    total = 0
    for facet in profile.PROFILE_FACETS:
        column = snap.facets[facet].column
        mine = column.ids[column.indptr[docnum] : column.indptr[docnum + 1]]
        total += len(mine)
        if len(mine):
            overlap += np.bincount(column.doc_of[np.isin(column.ids, mine)], minlength=snap.n_docs)
    return overlap / total if total else overlap


def most_similar(scores: np.ndarray, overlap: np.ndarray, excluded: np.ndarray, limit: int) -> list[int]:
    """The best ``limit`` documents by normalised text score plus shared names, ``excluded`` left out."""
    top = float(scores.max()) if len(scores) else 0.0
    combined = (scores / top if top > 0 else scores) + ENTITY_WEIGHT * overlap
    combined[excluded] = -1.0
    candidates = np.flatnonzero(combined > 0)
    if len(candidates) > limit:
        candidates = candidates[np.argpartition(-combined[candidates], limit - 1)[:limit]]
    return candidates[np.argsort(-combined[candidates], kind="stable")].tolist()
