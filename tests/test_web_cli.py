"""``python -m web``: the real entry point, served by waitress on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, deadline: float) -> tuple[int, dict, bytes]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serves_with_waitress(seed_index):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "web", "--index", str(seed_index), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        status, headers, body = fetch(f"http://127.0.0.1:{port}/api/search?q=putin", deadline)
        assert status == 200 and json.loads(body)["total"] > 0
        assert headers["Server"] == "waitress"
        status, headers, body = fetch(f"http://127.0.0.1:{port}/?page=-1", deadline)
        assert status == 400 and b"Traceback" not in body
        assert "Content-Security-Policy" in headers
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert b"Debugger" not in proc.stderr.read()


def test_missing_index_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "web", "--index", str(tmp_path / "none")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "python -m indexer build" in result.stderr
