"""The real server for the HTTP runs: `sukarela serve` (granian WSGI) on the bench database, a
session signed in through the login form, and timed GETs with http.client (one keep-alive
connection per client thread, as a browser tab reuses its connection)."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from common import ROOT, load_average


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db: str, data_dir: Path, workers: int = 2, threads: int = 4):
        self.db, self.data_dir, self.workers, self.threads = db, data_dir, workers, threads
        self.port, self.proc = free_port(), None

    def __enter__(self):
        env = {**os.environ, "DATABASE_URL": self.db, "SUKARELA_DATA_DIR": str(self.data_dir),
               "PYTHONPATH": str(ROOT / "src")}
        env.pop("SUKARELA_DEBUG", None)
        log = (self.data_dir / "server.log").open("a")
        self.proc = subprocess.Popen([sys.executable, "-m", "sukarela", "serve", "--port", str(self.port),
                                      "--workers", str(self.workers), "--threads", str(self.threads), "--no-scheduler"],
                                     env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if Client(self.port).get("/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited ({self.proc.returncode}); see {self.data_dir / 'server.log'}")
            time.sleep(0.2)
        raise SystemExit("server not up after 120 s")

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return False


class Client:
    def __init__(self, port: int, cookies: dict | None = None):
        self.port, self.cookies = port, dict(cookies or {})
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def _send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, response

    def get(self, path: str):
        status, data, _response = self._send("GET", path)
        return status, data

    def login(self, username: str, password: str) -> None:
        status, page, _r = self._send("GET", "/masuk/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"login page answered {status}")
        body = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": token.group(1).decode()}).encode()
        status, _data, _r = self._send("POST", "/masuk/", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/masuk/",
            "Origin": f"http://127.0.0.1:{self.port}"})
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {username} answered {status}; cookies {sorted(self.cookies)}")


def timed(port: int, cookies: dict, path: str, n: int, warmup: int = 3, clients: int = 1) -> dict:
    """p50/p95/max (ms) of n GETs of `path` (after `warmup` untimed ones), from `clients` threads."""
    load_before = load_average()
    first = Client(port, cookies)
    for _ in range(warmup):
        status, data = first.get(path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}: {data[:300]!r}")
    times, sizes, errors = [], [], []
    lock = threading.Lock()

    def worker(count: int, client: Client):
        for _ in range(count):
            start = time.perf_counter()
            status, data = client.get(path)
            took = time.perf_counter() - start
            with lock:
                times.append(took)
                sizes.append(len(data))
                if status != 200:
                    errors.append(status)

    share = [n // clients + (i < n % clients) for i in range(clients)]
    threads = [threading.Thread(target=worker, args=(k, first if i == 0 else Client(port, cookies)))
               for i, k in enumerate(share)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    times.sort()
    return {"path": path, "n": n, "clients": clients, "p50_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[min(n - 1, round(0.95 * (n - 1)))], "max_ms": 1000 * times[-1],
            "req_s": n / wall, "bytes": int(statistics.median(sizes)), "errors": len(errors),
            "load_before": load_before, "load_after": load_average()}
