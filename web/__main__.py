"""``python -m web [--backend whoosh|typesense] [--index DIR] [--host 127.0.0.1] [--port 5000] [--debug]``.

Serves with waitress, a production WSGI server; Flask's debugger (which
executes code from the browser) only runs when ``--debug`` is asked for.
"""

from __future__ import annotations

import argparse
import sys

from indexer.backends import BackendUnavailable, add_backend_arguments, backend_config
from search.backends import open_engine
from search.model import SearchError
from web import DEFAULT_INDEX_DIR, create_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web", description="Serve the Telusur search page and API.")
    add_backend_arguments(parser, DEFAULT_INDEX_DIR)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads (default 4)")
    parser.add_argument("--debug", action="store_true", help="Flask's development server with the debugger")
    args = parser.parse_args(argv)

    config = backend_config(args)
    try:
        engine = open_engine(config)
    except (SearchError, BackendUnavailable) as exc:
        print(f"error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    app = create_app({"ENGINE": engine})
    if args.debug:
        app.run(host=args.host, port=args.port, debug=True)
        return 0
    from waitress import serve

    print(f"Telusur: http://{args.host}:{args.port}/ ({config.where()})", file=sys.stderr)
    serve(app, host=args.host, port=args.port, threads=args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
