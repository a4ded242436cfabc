"""The clients of the kill/restart run: like a phone's sync queue, each client sends one visit and,
after any failure (connection refused or reset, timeout, 5xx), sends the SAME id and body again
until it is acknowledged (201, or 200 for a replay of a visit already stored), then the next.

wrk cannot do this (a failed request's body is gone), so this run uses Python threads with the
standard library's http.client (no extra dependency) and fewer connections than the wrk runs:
the client shares the server's 2 cores.

    python bench/field_sync/retry_client.py --data tks.txt --url http://127.0.0.1:8765 \
        --clients 16 --duration 40 --out DIR

Writes DIR/retry.txt: "uuid final_status attempts" per visit ("uuid - attempts" for one never
acknowledged within --give-up seconds), and prints a RESULT line.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import threading
import time
from pathlib import Path
from random import Random
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import payload  # noqa: E402  (beside this file)


class Client(threading.Thread):
    def __init__(self, n, args, tks, fragments, deadline):
        super().__init__(daemon=True)
        self.rng = Random(f"{time.time_ns()}-{n}")
        self.args, self.tks, self.fragments, self.deadline = args, tks, fragments, deadline
        url = urlsplit(args.url)
        self.host, self.port = url.hostname, url.port or 80
        self.conn = None
        self.rows: list[tuple[str, str, int]] = []
        self.refused = self.failed = self.unexpected = 0

    def _post(self, auth: str, body: bytes) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.args.timeout)
        self.conn.request("POST", "/api/field/visits", body=body,
                          headers={"Content-Type": "application/json", "Authorization": auth})
        response = self.conn.getresponse()
        return response.status, response.read()

    def run(self):
        while time.monotonic() < self.deadline:
            vid, auth, body = payload.new_visit(self.rng, self.tks, self.fragments)
            attempts, status, give_up = 0, None, time.monotonic() + self.args.give_up
            while time.monotonic() < give_up:
                attempts += 1
                try:
                    code, text = self._post(auth, body)
                except (OSError, http.client.HTTPException):
                    # Refused while the server is down, reset when it was killed mid-request: retry.
                    self.refused += 1
                    if self.conn is not None:
                        self.conn.close()
                    self.conn = None
                    time.sleep(self.args.backoff)
                    continue
                if 200 <= code < 300:
                    status = str(code)
                    break
                if code >= 500:
                    self.failed += 1
                    time.sleep(self.args.backoff)
                    continue
                # A 4xx for a valid visit is a bug worth seeing, not something to retry.
                self.unexpected += 1
                print(f"unexpected {code} for {vid}: {text[:300]!r}", file=sys.stderr)
                status = f"x{code}"
                break
            self.rows.append((vid, status or "-", attempts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=40, help="seconds of new visits (retries finish after)")
    parser.add_argument("--give-up", type=float, default=120, help="seconds one visit is retried at most")
    parser.add_argument("--backoff", type=float, default=0.2)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    tks, fragments = payload.load(Path(args.data))
    start = time.monotonic()
    clients = [Client(n, args, tks, fragments, start + args.duration) for n in range(args.clients)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    elapsed = time.monotonic() - start
    rows = [r for c in clients for r in c.rows]
    Path(args.out, "retry.txt").write_text("".join(f"{v} {s} {a}\n" for v, s, a in rows))
    acked = sum(1 for _v, s, _a in rows if s in ("200", "201"))
    print(f"RESULT visits={len(rows)} acked={acked} replays_200={sum(1 for _v, s, _a in rows if s == '200')} "
          f"retried={sum(1 for _v, _s, a in rows if a > 1)} refused_or_reset={sum(c.refused for c in clients)} "
          f"5xx={sum(c.failed for c in clients)} unexpected_4xx={sum(c.unexpected for c in clients)} "
          f"seconds={elapsed:.1f}", flush=True)


if __name__ == "__main__":
    main()
