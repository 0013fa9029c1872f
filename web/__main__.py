"""``python -m web [--index DIR] [--host 127.0.0.1] [--port 5000] [--debug]``.

Serves with waitress, a production WSGI server; Flask's debugger (which
executes code from the browser) only runs when ``--debug`` is asked for.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from web import DEFAULT_INDEX_DIR, create_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web", description="Serve the Telusur search page and API.")
    parser.add_argument("--index", default=DEFAULT_INDEX_DIR, help=f"index directory (default {DEFAULT_INDEX_DIR})")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads (default 4)")
    parser.add_argument("--debug", action="store_true", help="Flask's development server with the debugger")
    args = parser.parse_args(argv)

    if not Path(args.index).is_dir():
        print(f"No index at {args.index}: build one with `python -m indexer build demo --index {args.index}`.", file=sys.stderr)
        return 2
    app = create_app({"INDEX_DIR": args.index})
    if args.debug:
        app.run(host=args.host, port=args.port, debug=True)
        return 0
    from waitress import serve

    print(f"Telusur: http://{args.host}:{args.port}/ (index {args.index})", file=sys.stderr)
    serve(app, host=args.host, port=args.port, threads=args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
