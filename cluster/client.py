"""Talking to a Typesense cluster: node choice, retries across a leader change, clear errors.

The ``typesense`` client's own failover keeps returning a node it marked
unhealthy until ``healthcheck_interval_seconds`` (60 s by default) passes, and
it cannot tell a restarted node that is still replaying its Raft log (it says
``/health`` ok while answering from a partial index) from a caught-up one
(``../shared/notes/typesense-facts.md``). So each node gets its own
single-node client without retries, and ``Cluster`` chooses:

* a probe every ``HEALTH_INTERVAL_S`` (~2 s) reads each node's ``/health``,
  ``/debug`` (who leads) and the articles collection's ``num_documents``;
  a node is *readable* when it is healthy and holds at least as many
  documents as the leader did when probed (a lagging node waits);
* ``read`` tries the readable nodes round-robin, then any node, with
  backoff, until ``READ_DEADLINE_S``; ``write`` does the same with a longer
  timeout and deadline, because there is no leader for 6-9 s after the
  leader dies and writes are refused until one is elected (writes sent to a
  follower are forwarded to the leader).

Nothing here knows the schema beyond the name of the collection it counts.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar
from urllib.parse import urlsplit

import httpx
import typesense
from typesense import exceptions as tse

from cluster.nodes import LEADER_STATE

ENV_URLS = "TELUSUR_TYPESENSE_URLS"
ENV_KEY = "TELUSUR_TYPESENSE_KEY"
HEALTH_INTERVAL_S = 2.0
READ_TIMEOUT_S = 2.0
WRITE_TIMEOUT_S = 60.0
READ_DEADLINE_S = 15.0
WRITE_DEADLINE_S = 90.0
BACKOFF_START_S = 0.1
BACKOFF_MAX_S = 2.0

T = TypeVar("T")



class Retryable(RuntimeError):
    """A call that went through but must be made again (documents refused for now, no leader)."""


# A node that fails this way may be fine a moment later or another node may answer.
TRANSIENT = (httpx.TransportError, tse.HTTPStatus0Error, tse.ServerError, tse.ServiceUnavailable, tse.Timeout, Retryable)


class ConfigError(ValueError):
    """Bad or missing cluster settings (URLs, key)."""


class Unavailable(RuntimeError):
    """No node of the cluster answered in time."""


@dataclass(frozen=True)
class Connection:
    """Where the cluster is and the key to it."""

    urls: tuple[str, ...]
    api_key: str

    @classmethod
    def from_options(cls, urls: Sequence[str] | None, api_key: str | None) -> "Connection":
        """From ``--typesense URL``... and ``--typesense-key``, else ``TELUSUR_TYPESENSE_URLS`` / ``_KEY``."""
        listed = [u for url in (urls or []) for u in url.split(",")]
        if not listed:
            listed = os.environ.get(ENV_URLS, "").split(",")
        listed = [u.strip().rstrip("/") for u in listed if u.strip()]
        key = api_key or os.environ.get(ENV_KEY, "")
        if not listed:
            raise ConfigError(f"no Typesense node given: pass --typesense URL (repeatable) or set {ENV_URLS}")
        if not key:
            raise ConfigError(f"no Typesense API key given: pass --typesense-key KEY or set {ENV_KEY}")
        for url in listed:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname or parts.port is None:
                raise ConfigError(f"a Typesense node must be given as http(s)://HOST:PORT, not {url!r}")
        return cls(tuple(dict.fromkeys(listed)), key)


@dataclass
class NodeStatus:
    url: str
    healthy: bool = False
    leader: bool = False
    documents: int | None = None  # of the watched collection; None if absent or unknown
    error: str | None = None


def _client(url: str, api_key: str, timeout: float) -> typesense.Client:
    parts = urlsplit(url)
    return typesense.Client(
        {
            "nodes": [{"host": parts.hostname, "port": parts.port, "protocol": parts.scheme}],
            "api_key": api_key,
            "connection_timeout_seconds": timeout,
            "num_retries": 0,
            "healthcheck_interval_seconds": int(HEALTH_INTERVAL_S),
        }
    )


class Cluster:
    """Reads and writes over the nodes of one cluster; safe to share between threads."""

    def __init__(self, connection: Connection, collection: str, *, read_deadline: float = READ_DEADLINE_S):
        """``collection``: the collection whose ``num_documents`` tells whether a node has caught up."""
        self.connection = connection
        self.collection = collection
        self.read_deadline = read_deadline
        self._readers = [_client(u, connection.api_key, READ_TIMEOUT_S) for u in connection.urls]
        self._writers = [_client(u, connection.api_key, WRITE_TIMEOUT_S) for u in connection.urls]
        self._lock = threading.Lock()
        self._status: list[NodeStatus] = [NodeStatus(u) for u in connection.urls]
        self._probed = 0.0
        self._probing = threading.Lock()
        self._next = 0

    # -- node status ----------------------------------------------------------------

    def probe(self) -> list[NodeStatus]:
        """Ask every node now how it is (health, leadership, documents held)."""
        statuses = [self._probe_one(i) for i in range(len(self._readers))]
        with self._lock:
            self._status = statuses
            self._probed = time.monotonic()
        return statuses

    def _probe_one(self, i: int) -> NodeStatus:
        client, status = self._readers[i], NodeStatus(self.connection.urls[i])
        try:
            status.healthy = bool(client.operations.is_healthy())
            status.leader = client.debug.retrieve().get("state") == LEADER_STATE
            try:
                status.documents = client.collections[self.collection].retrieve()["num_documents"]
            except tse.ObjectNotFound:
                status.documents = 0
        except (tse.RequestUnauthorized, tse.RequestForbidden):
            status.error = "the API key is refused"
        except (*TRANSIENT, tse.TypesenseClientError) as exc:
            status.healthy = False
            status.error = _describe(exc)
        return status

    def _statuses(self) -> list[NodeStatus]:
        """The last probe, refreshed in the background once it is older than the interval."""
        if time.monotonic() - self._probed >= HEALTH_INTERVAL_S and self._probing.acquire(blocking=False):
            if self._probed == 0.0:
                try:
                    self.probe()  # the first request waits: there is nothing to go on yet
                finally:
                    self._probing.release()
            else:
                threading.Thread(target=self._probe_in_background, name="telusur-typesense-probe", daemon=True).start()
        with self._lock:
            return list(self._status)

    def _probe_in_background(self) -> None:
        try:
            self.probe()
        finally:
            self._probing.release()

    def readable(self, statuses: list[NodeStatus] | None = None) -> list[int]:
        """Nodes that are healthy and have caught up with the leader (or the fullest node, leaderless)."""
        statuses = statuses if statuses is not None else self._statuses()
        healthy = [i for i, s in enumerate(statuses) if s.healthy]
        leaders = [statuses[i] for i in healthy if statuses[i].leader]
        counts = [statuses[i].documents or 0 for i in healthy]
        target = leaders[0].documents or 0 if leaders else max(counts, default=0)
        return [i for i in healthy if (statuses[i].documents or 0) >= target]

    def require(self) -> list[NodeStatus]:
        """Probe now; raise ``Unavailable`` naming each node's trouble when none is healthy.

        For the start of a build or a server: a clear error instead of a
        traceback when the cluster is down or the key is wrong.
        """
        statuses = self.probe()
        if any(s.error == "the API key is refused" for s in statuses):
            raise Unavailable("Typesense refused the API key (check --typesense-key / %s)" % ENV_KEY)
        if not any(s.healthy for s in statuses):
            detail = "; ".join(f"{s.url}: {s.error or 'not healthy'}" for s in statuses)
            raise Unavailable(f"no Typesense node is reachable and healthy ({detail})")
        return statuses

    # -- calls ------------------------------------------------------------------------

    def read(self, call: Callable[[typesense.Client], T], slow: bool = False) -> T:
        """``call(client)`` on a caught-up node, failing over and backing off until the read deadline.

        ``slow``: a call that may take long (an export), sent with the write timeout.
        """
        clients = self._writers if slow else self._readers
        return self._attempt(call, clients, self.read_deadline, prefer_readable=True)

    def write(self, call: Callable[[typesense.Client], T], deadline: float = WRITE_DEADLINE_S) -> T:
        """``call(client)`` on any node (followers forward writes to the leader), retried across a leader change.

        Only idempotent calls belong here (upserts by id, deletes by id): a
        batch that timed out may have been applied and is sent again.
        """
        return self._attempt(call, self._writers, deadline, prefer_readable=False)

    def _attempt(self, call, clients, deadline: float, prefer_readable: bool):
        stop = time.monotonic() + deadline
        pause = BACKOFF_START_S
        last: Exception | None = None
        while True:
            for i in self._order(prefer_readable):
                try:
                    return call(clients[i])
                except TRANSIENT as exc:
                    last = exc
                    self._mark_down(i, exc)
            if time.monotonic() + pause > stop:
                raise Unavailable(f"no Typesense node answered within {deadline:.0f} s ({_describe(last)})") from last
            time.sleep(pause)
            pause = min(pause * 2, BACKOFF_MAX_S)

    def _order(self, prefer_readable: bool) -> list[int]:
        """Nodes to try, round-robin: readable ones first, then the rest (they may answer anyway)."""
        n = len(self._readers)
        with self._lock:
            start = self._next
            self._next = (self._next + 1) % n
        ring = [(start + k) % n for k in range(n)]
        statuses = self._statuses()
        first = set(self.readable(statuses)) if prefer_readable else {i for i, s in enumerate(statuses) if s.healthy}
        return [i for i in ring if i in first] + [i for i in ring if i not in first]

    def close(self) -> None:
        for client in (*self._readers, *self._writers):
            client.api_call.close()

    def _mark_down(self, i: int, exc: Exception) -> None:
        with self._lock:
            status = self._status[i]
            self._status[i] = NodeStatus(status.url, healthy=False, documents=status.documents, error=_describe(exc))


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "no node to ask"
    if isinstance(exc, httpx.ConnectError):
        return "connection refused"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    text = str(exc).strip() or type(exc).__name__
    return text[:200]
