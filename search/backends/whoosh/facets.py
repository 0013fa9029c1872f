"""Facet plans (``search.facet_plan``) executed over arrays, not postings or stored fields.

Each index generation reads the facet columns once into compact arrays
(``ValueColumn``: a value vocabulary and, per document, the ids of its values
in CSR form; ``DateColumn``: (document, day) entries). A search then hands
each facet a boolean mask of the documents to count, and counting is one
``np.bincount``: the hot path never touches Whoosh. The semantics (who is
counted over which filters) are the plan's; this module only executes it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from search.columns import TypedValues, ValueColumn
from search.facet_plan import DateHistogram, FacetCount, RangeFilter, ValueFilter
from search.model import FacetValue

NO_DATE = -1


def read_column(reader, fieldname: str) -> ValueColumn:
    """Read one list column of every segment; documents without the column get no values."""
    index: dict[str, int] = {}
    values: list[str] = []
    lengths: list[int] = []
    ids: list[int] = []
    for segment, _offset in reader.leaf_readers():
        n = segment.doc_count_all()
        if not segment.has_column(fieldname):
            lengths.extend([0] * n)
            continue
        column = segment.column_reader(fieldname, translate=False)
        for docnum in range(n):
            raw = column[docnum]
            lengths.append(len(raw))
            for b in raw:
                vid = index.get(b)
                if vid is None:
                    vid = index[b] = len(values)
                    values.append(b)
                ids.append(vid)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    names = [b.decode("utf-8") for b in values]
    return ValueColumn(fieldname, names, indptr, np.asarray(ids, dtype=np.int32))


class ValueFacet:
    """A facet of verbatim values (value kind): counted, filtered, listed."""

    def __init__(self, name: str, column: ValueColumn):
        self.name = name
        self.column = column

    def _ids(self, values: tuple[str, ...]) -> list[int]:
        ids = (self.column.lookup(v) for v in values)
        return [i for i in ids if i is not None]

    def filter(self, selection: ValueFilter, n_docs: int) -> np.ndarray:
        """Documents holding any selected value."""
        return self.column.docs_with(self._ids(selection.values), n_docs)

    def values(self, mask: np.ndarray, n_docs: int, plan: FacetCount) -> list[FacetValue]:
        """Top values over the masked documents, selected values always included."""
        counts = self.column.count(mask, n_docs)
        candidates = self.column.with_prefix(plan.prefix) if plan.prefix else np.flatnonzero(counts)
        candidates = candidates[counts[candidates] > 0]
        if len(candidates) > plan.limit:
            top = np.argpartition(-counts[candidates], plan.limit - 1)[: plan.limit]
            candidates = candidates[top]
        chosen = {int(i) for i in candidates}
        extra = []
        for value in plan.selected:
            vid = self.column.lookup(value)
            if vid is None:
                extra.append(FacetValue(value, 0, True, self.type_of(None)))
            else:
                chosen.add(vid)
        selected_ids = set(self._ids(plan.selected))
        out = [
            FacetValue(self.column.values[i], int(counts[i]), i in selected_ids, self.type_of(i))
            for i in chosen
        ]
        out.sort(key=lambda f: (-f.count, f.value))
        return out + extra

    def type_of(self, value_id: int | None) -> str | None:
        return None


class EntityFacet(ValueFacet):
    """Values that carry a type (entity kind): ``search.columns.TypedValues``."""

    def __init__(self, name: str, column: ValueColumn, typed: list[tuple[ValueColumn, str]]):
        super().__init__(name, column)
        self.typed = TypedValues(column, typed)

    def type_of(self, value_id: int | None) -> str | None:
        return self.typed.type_of(value_id)


class DateColumn:
    """A date field as (document, day) entries: one per dated article for the publication date,
    one per mentioned date for a list of ISO dates."""

    def __init__(self, doc_of: np.ndarray, days: np.ndarray):
        """``days``: proleptic ordinals, ``doc_of``: each entry's document."""
        self.doc_of = doc_of
        self.days = days
        months = np.zeros(len(days), dtype=np.int32)
        if len(days):
            unique, inverse = np.unique(days, return_inverse=True)
            as_month = np.array(
                [(d.year * 12 + d.month - 1) for d in map(dt.date.fromordinal, unique.tolist())], dtype=np.int32
            )
            months = as_month[inverse]
        self.months = months

    @classmethod
    def from_days(cls, days: np.ndarray) -> "DateColumn":
        """One day (or ``NO_DATE``) per document."""
        docs = np.flatnonzero(days != NO_DATE)
        return cls(docs.astype(np.int64), days[docs])

    @classmethod
    def from_values(cls, column: ValueColumn) -> "DateColumn":
        """A value column of ISO dates (``YYYY-MM-DD``); values that are not dates are left out."""
        ordinal = np.full(len(column.values), NO_DATE, dtype=np.int64)
        for i, value in enumerate(column.values):
            try:
                ordinal[i] = dt.date.fromisoformat(value[:10]).toordinal()
            except ValueError:
                pass
        days = ordinal[column.ids]
        keep = days != NO_DATE
        return cls(column.doc_of[keep].astype(np.int64), days[keep])

    def filter(self, selection: RangeFilter, n_docs: int) -> np.ndarray:
        lo = selection.start.toordinal() if selection.start else 1
        hi = selection.end.toordinal() if selection.end else dt.date.max.toordinal()
        inside = (self.days >= lo) & (self.days <= hi)
        mask = np.zeros(n_docs, dtype=bool)
        mask[self.doc_of[inside]] = True
        return mask

    def histogram(self, mask: np.ndarray, plan: DateHistogram) -> tuple[str, list[FacetValue]]:
        """(interval, buckets) over the masked documents' entries; non-empty buckets only."""
        counted = mask[self.doc_of]
        lo_sel = plan.start.toordinal() if plan.start else None
        hi_sel = plan.end.toordinal() if plan.end else None
        any_sel = lo_sel is not None or hi_sel is not None
        if any_sel:  # zoom to the selected range: a dense month is then drawn by day
            counted &= (self.days >= (lo_sel or 0)) & (self.days <= (hi_sel or dt.date.max.toordinal()))
        days = self.days[counted]
        if not len(days):
            return "month", []
        first, last = int(days.min()), int(days.max())
        if last - first < plan.day_max_days:
            counts = np.bincount(days - first)
            out = []
            for k in np.flatnonzero(counts).tolist():
                day = first + k
                inside = any_sel and (lo_sel is None or day >= lo_sel) and (hi_sel is None or day <= hi_sel)
                out.append(FacetValue(dt.date.fromordinal(day).isoformat(), int(counts[k]), inside))
            return "day", out
        months = self.months[counted]
        m0 = int(months.min())
        counts = np.bincount(months - m0)
        out = []
        for k in np.flatnonzero(counts).tolist():
            year, month0 = divmod(m0 + k, 12)
            start = dt.date(year, month0 + 1, 1).toordinal()
            end = (dt.date(year + 1, 1, 1) if month0 == 11 else dt.date(year, month0 + 2, 1)).toordinal() - 1
            inside = any_sel and (lo_sel is None or end >= lo_sel) and (hi_sel is None or start <= hi_sel)
            out.append(FacetValue(f"{year:04d}-{month0 + 1:02d}", int(counts[k]), inside))
        return "month", out
