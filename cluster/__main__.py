"""``python -m cluster [--nodes 3] [--dir DIR] [--key KEY]``: a local Typesense cluster to try Telusur on.

Starts the nodes on 127.0.0.1 (ports 8108, 8118, 8128 by default), prints the URLs and the commands
to index and serve with them, and stops the nodes (by pid) on Ctrl-C. The
data stays in ``--dir``, so a second start finds the index again. A node that
dies (try ``kill -9 PID``: a failover) is started again after
``RESTART_AFTER_S`` seconds, and the runner says when it has caught up.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from cluster.nodes import LocalCluster, NodeFailed
from indexer.typesense.schema import articles_collection

RESTART_AFTER_S = 10


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
        while True:
            time.sleep(1)
            for i, node in enumerate(cluster.nodes):
                if not node.running():
                    _restart(cluster, i)
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


def _restart(cluster: LocalCluster, i: int) -> None:
    """Start a dead node again and report its catch-up (its document count reaching the others')."""
    print(f"node {i} exited; starting it again in {RESTART_AFTER_S} s", file=sys.stderr)
    time.sleep(RESTART_AFTER_S)
    cluster.start_node(i)
    print(f"node {i} restarted (pid {cluster.nodes[i].pid}); catching up...", file=sys.stderr)
    collection = articles_collection()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        counts = [cluster.documents(k, collection) for k in range(cluster.size)]
        if cluster.health(i) and (counts[i] or 0) >= max(c or 0 for c in counts):  # no index yet: 0 each
            print(f"node {i} caught up: {counts[i]} documents", file=sys.stderr)
            return
        time.sleep(1)
    print(f"node {i} has not caught up after 300 s (log {cluster.nodes[i].log_path})", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
