"""URLs of the searches one click away from the current one.

The page and the JSON twin share this: a facet value's ``toggle_url`` in the
API points at the API, the same value's checkbox link on the page points at
the page, and both are built from the same canonical parameters.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from search.facet_spec import BY_NAME, PUBLICATION
from search.model import SearchRequest
from web import params as p

PAGE_ENDPOINT = "pages.search"
API_ENDPOINT = "api.search"


class Links:
    """Builds URLs for one endpoint from one request's canonical parameters."""

    def __init__(self, req: SearchRequest, endpoint: str):
        self.req = req
        self.params = p.request_params(req)
        self.endpoint = endpoint

    def url(self, params: p.Params, endpoint: str | None = None) -> str:
        return url_for(endpoint or self.endpoint) + p.encode(params)

    def current(self) -> str:
        return self.url(self.params)

    def twin(self) -> str:
        """The same search on the other face (page <-> JSON)."""
        other = API_ENDPOINT if self.endpoint == PAGE_ENDPOINT else PAGE_ENDPOINT
        return self.url(self.params, other)

    def toggle(self, facet: str, value: str) -> str:
        return self.url(p.toggle(self.params, facet, value))

    def date(self, bucket: str, facet: str = PUBLICATION.name) -> str:
        return self.url(p.toggle_date(self.params, bucket, facet))

    def date_selected(self, bucket: str, facet: str = PUBLICATION.name) -> bool:
        return p.is_bucket_selected(self.params, bucket, facet)

    def without(self, *names: str) -> str:
        params = self.params
        for name in names:
            params = p.replace(params, name, [])
        return self.url(params)

    def with_value(self, name: str, value: str) -> str:
        return self.url(p.replace(self.params, name, [value]))

    def page(self, number: int) -> str:
        return self.url(p.with_page(self.params, number))

    def query(self, text: str) -> str:
        """The same filters with another query (the did-you-mean link)."""
        return self.url(p.replace(self.params, "q", [text] if text else []))

    def clear_filters(self) -> str:
        keep = {k: v for k, v in self.params.items() if k in ("q", "sort", "per_page")}
        return self.url(keep)

    def annotate(self, result: dict[str, Any]) -> dict[str, Any]:
        """Give every facet value in a ``SearchResult.to_dict()`` its ``toggle_url``."""
        for name, values in result["facets"].items():
            spec = BY_NAME.get(name)
            for fv in values:
                if spec is None:
                    continue
                if spec.selectable:
                    fv["toggle_url"] = self.toggle(name, fv["value"])
                else:
                    fv["toggle_url"] = self.date(fv["value"], name)
        return result
