"""Every failure answered in the caller's language: JSON under ``/api``, a page elsewhere.

Refused searches (``SearchError``, a 400) are handled by each blueprint, the
page showing the message next to the search box. Here: unknown paths and
methods keep their HTTP status; a backend that does not answer
(``BackendDown``) is a 503 with ``backend_unavailable``; anything else is a bug, logged and answered
with a bare 500 that reveals nothing (the tests assert it never happens).
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.model import BackendDown

# People read these on the page; the JSON body carries the same text.
MESSAGES = {
    400: "Permintaan tidak valid.",
    404: "Halaman tidak ditemukan.",
    405: "Metode tidak diizinkan.",
    500: "Terjadi kesalahan pada server.",
    503: "Layanan pencarian sedang tidak tersedia; coba lagi sebentar lagi.",
}


def wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def json_error(status: int, code: str, message: str) -> tuple[Response, int]:
    """The API's one error shape: ``{"error": {"code", "message"}}``."""
    return jsonify(error={"code": code, "message": message}), status


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None):
    if wants_json():
        body, status = json_error(status, code, message)
    else:
        body = render_template("error.html", status=status, message=message)
    return body, status, headers or {}


def register(app: Flask) -> None:
    """Install the app-wide handlers on ``app``."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        custom = exc.description != type(exc).description
        message = exc.description if custom else MESSAGES.get(status, exc.name)
        code = exc.name.lower().replace(" ", "_")
        # Keep ``Allow`` on a 405; Werkzeug's own content type would be HTML.
        headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        return error_response(status, code, message, headers)

    @app.errorhandler(BackendDown)
    def backend_down(exc: BackendDown):
        app.logger.warning("Backend down on %s: %s", request.path, exc.message)
        return error_response(503, exc.code, MESSAGES[503])

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        return error_response(500, "internal_error", MESSAGES[500])
