"""``python -m cluster [--nodes 3] [--dir DIR] [--key KEY]``: a local Typesense cluster to try Telusur on.

Starts the nodes on 127.0.0.1 (ports 8108, 8118, 8128 by default), prints the URLs and the commands
to index and serve with them, and stops the nodes (by pid) on Ctrl-C. The
data stays in ``--dir``, so a second start finds the index again.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from cluster.nodes import LocalCluster, NodeFailed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cluster", description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=3, help="how many nodes (default 3; 1 for a single node)")
    parser.add_argument("--dir", type=Path, default=Path("index_data") / "typesense", help="data folder")
    parser.add_argument("--key", default="telusur-local", help="the API key the nodes accept")
    parser.add_argument("--port", type=int, default=8108, help="node i's API port is PORT + 10 i, its peering port one below (default 8108)")
    args = parser.parse_args(argv)
    cluster = LocalCluster(args.nodes, api_key=args.key, root=args.dir, base_port=args.port)
    print(f"starting {args.nodes} Typesense node(s) in {args.dir} (a cluster elects a leader in ~12 s)...", file=sys.stderr)
    try:
        cluster.start()
    except NodeFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    flags = " ".join(f"--typesense {u}" for u in cluster.urls) + f" --typesense-key {args.key}"
    print(f"ready: {', '.join(cluster.urls)}", file=sys.stderr)
    for i, node in enumerate(cluster.nodes):
        print(f"  node {i}: pid {node.pid}, log {node.log_path}", file=sys.stderr)
    print(
        "index and serve with:\n"
        f"  .venv/bin/python -m indexer build demo --backend typesense {flags}\n"
        f"  .venv/bin/python -m web --backend typesense {flags}\n"
        "Ctrl-C stops the nodes.",
        file=sys.stderr,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while all(n.running() for n in cluster.nodes):
            time.sleep(1)
        print("error: a node exited; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
