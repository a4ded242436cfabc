"""Field sync under load (issue 6, item 6): 1,000 simulated TKS submitting visits to the real server
(`sukarela serve`: granian WSGI) on PostgreSQL, from wrk on loopback; the bare `GET /healthz` of
the same server as the baseline; the exact count check; then a run where the server is killed
(SIGKILL) and restarted mid-load while clients retry the same visit until acknowledged.

    python bench/field_sync/run.py                  # fresh database sukarela_field_bench (needs root)
    python bench/field_sync/run.py --db postgres://sukarela:sukarela-ci@127.0.0.1/empty_db

Target on the 2-core machine: >= 500 visits/s sustained with p99 < 200 ms, nothing lost or
duplicated. Prints the tables of README.md and writes them (and every raw file) to --out.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import check  # noqa: E402
import cpu  # noqa: E402
import payload  # noqa: E402
import programme  # noqa: E402

FRESH_DB = "sukarela_field_bench"
LABELS = {"token": "bearer token", "session": "session, as the field app"}
PG = "postgres://sukarela:sukarela-ci@127.0.0.1:5432/"


def fresh_database(name: str) -> str:
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name} OWNER sukarela"):
        subprocess.run(["su", "postgres", "-c", f"psql -q -c '{sql}'"], check=True)
    return PG + name


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`sukarela serve` in its own process group: killing the group is the crash of the server
    (granian's main process and its workers at once, mid-request)."""

    def __init__(self, args, db: str, port: int, log: Path):
        self.args, self.db, self.port, self.log = args, db, port, log
        self.proc = None

    def start(self) -> float:
        env = {**os.environ, "DATABASE_URL": self.db, "SUKARELA_DATA_DIR": str(self.args.out)}
        env.pop("SUKARELA_DEBUG", None)
        cmd = [sys.executable, "-m", "sukarela", "serve", "--port", str(self.port), "--workers",
               str(self.args.workers), "--threads", str(self.args.threads), "--no-scheduler"]
        t = time.monotonic()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log.open("a"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return time.monotonic() - t
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited ({self.proc.returncode}); see {self.log}")
            time.sleep(0.1)
        raise SystemExit(f"server not up after 60 s; see {self.log}")

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def post(port: int, auth: str, body: bytes) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/api/field/visits", body=body,
                     headers={"Content-Type": "application/json", "Authorization": auth})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def smoke(port: int, data: Path) -> None:
    """One visit, then the same again: 201 then 200 with the same answer, or no benchmark."""
    tks, fragments = payload.load(data)
    vid, auth, body = payload.new_visit(Random(1), tks, fragments)
    first, answer = post(port, auth, body)
    if first != 201:
        raise SystemExit(f"POST /api/field/visits answered {first}: {answer[:600]!r}")
    again, replay = post(port, auth, body)
    if again != 200 or json.loads(replay)["id"] != vid:
        raise SystemExit(f"the same visit again answered {again}: {replay[:600]!r}")


def wrk(args, port: int, script: str, path: str, seconds: int, connections: int, out: Path,
        auth: str = "token") -> dict:
    out.mkdir(parents=True, exist_ok=True)
    cmd = ["wrk", f"-t{args.wrk_threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
           "-s", str(HERE / script), f"http://127.0.0.1:{port}{path}", "--", str(args.out / "tks.txt"), str(out),
           auth]
    load_before = load_average()
    with cpu.Meter(args.server_pgid) as meter:
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    check.settle(args.db_url)
    (out / "wrk.txt").write_text(done.stdout + done.stderr)
    match = re.search(r"^RESULT (.*)$", done.stdout, re.M)
    if not match:
        raise SystemExit(f"wrk printed no RESULT line:\n{done.stdout}\n{done.stderr}")
    r = {k: float(v) for k, v in (kv.split("=") for kv in match.group(1).split())}
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = r["non2xx"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
    r["connections"], r["load_before"], r["load_after"] = connections, load_before, load_average()
    used = meter.used
    r["cpu_ms_per_request"] = {k: round(v / r["requests"] * 1000, 2) for k, v in used.items()}
    seconds = r["duration_us"] / 1e6
    r["cores_bench"] = round((used["server"] + used["postgres"] + used["wrk"]) / seconds, 2)
    r["cores_others"] = round(used["other"] / seconds, 2)
    return r


def row(name: str, r: dict) -> str:
    cpu = r["cpu_ms_per_request"]
    return (f"| {name} | {r['connections']:.0f} | {r['rps']:,.0f} | {r['p50_us'] / 1000:.1f} | "
            f"{r['p95_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | {r['errors']:.0f} / {r['requests']:,.0f} | "
            f"{cpu['server']:.2f} / {cpu['postgres']:.2f} / {cpu['wrk']:.2f} / {cpu['other']:.2f} | "
            f"{r['cores_bench']:.2f} / {r['cores_others']:.2f} | "
            f"{r['load_before']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="URL of an empty PostgreSQL database (default: a fresh one, as root)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/field_sync"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="granian blocking threads per worker")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--connections", default="16,32,64", help="wrk connections, one visits run each")
    parser.add_argument("--seconds", type=int, default=60, help="each visits run")
    parser.add_argument("--baseline-seconds", type=int, default=30)
    parser.add_argument("--kill-seconds", type=int, default=45, help="the kill/restart run's new visits")
    parser.add_argument("--kill-after", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16, help="retrying clients of the kill run")
    parser.add_argument("--skip-kill", action="store_true")
    parser.add_argument("--auth", default="token,session",
                        choices=["token", "session", "token,session", "session,token"],
                        help="how the visits runs sign in: a bearer token (API clients), the browser session "
                             "(the field app), or each in turn")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.db_url = args.db or fresh_database(FRESH_DB)
    model = Path("/proc/cpuinfo").read_text().split("model name")[1].split(":")[1].splitlines()[0].strip()
    machine = f"{os.cpu_count()} cores, {model}; load average at start {load_average()}"
    print(f"machine: {machine}", flush=True)
    t = time.monotonic()
    programme.setup_django(db, str(args.out))
    counts = programme.build(Random(2021), args.out)
    print(f"set-up: {counts} in {time.monotonic() - t:.0f} s", flush=True)
    data = args.out / "tks.txt"
    port = free_port()
    server = Server(args, db, port, args.out / "server.log")
    results: dict = {"machine": machine, "setup": counts, "server": f"{args.workers} workers × {args.threads} threads"}
    try:
        server.start()
        args.server_pgid = server.proc.pid
        smoke(port, data)
        check.settle(db)
        before = check.stored_ids(db)
        # Warm-up, not reported (its visits are checked with the rest).
        wrk(args, port, "visits.lua", "/api/field/visits", 5, 16, args.out / "warmup")
        wrk(args, port, "healthz.lua", "/healthz", 3, 16, args.out / "warmup-healthz")
        table = ["| run | connections | req/s | p50 ms | p95 ms | p99 ms | errors / requests | "
                 "CPU ms a request: server / PostgreSQL / wrk / other | cores: bench / others | load before |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        runs = {}
        conns = [int(c) for c in args.connections.split(",")]
        auths = args.auth.split(",")
        for c in conns:
            runs[f"healthz c{c}"] = r = wrk(args, port, "healthz.lua", "/healthz", args.baseline_seconds, c,
                                            args.out / f"healthz-c{c}")
            table.append(row("baseline: GET /healthz", r))
            for auth in auths:
                runs[f"visits {auth} c{c}"] = r = wrk(args, port, "visits.lua", "/api/field/visits", args.seconds,
                                                      c, args.out / f"visits-{auth}-c{c}", auth)
                r["auth"] = auth
                table.append(row(f"POST /api/field/visits ({LABELS[auth]})", r))
            print("\n".join(table[-1 - len(auths):]), flush=True)
        results["runs"] = runs
        acked = check.read_acked(sorted(args.out.glob("*/acked-*.txt")))
        results["check"] = check.check(db, before, acked)
        print("exact count check (wrk runs):", json.dumps(results["check"]), flush=True)
        if not args.skip_kill:
            results["kill"] = kill_run(args, server, db, port, data)
    finally:
        server.stop()
    results["load_end"] = load_average()
    (args.out / "results.json").write_text(json.dumps(results, indent=2))
    print("\n".join(table))
    print(f"results: {args.out / 'results.json'}")
    ok = results["check"]["ok"] and results.get("kill", {}).get("check", {}).get("ok", True)
    for auth in args.auth.split(","):
        best = max((r for k, r in results["runs"].items() if k.startswith("visits") and r["auth"] == auth
                    and r["p99_us"] < 200_000 and r["errors"] == 0), key=lambda r: r["rps"], default=None)
        met = ok and best is not None and best["rps"] >= 500
        print(f"target (>= 500 visits/s, p99 < 200 ms, none lost or duplicated), {LABELS[auth]}: "
              f"{'met' if met else 'NOT met'}"
              + (f" — best {best['rps']:,.0f}/s at c{best['connections']:.0f}, p99 {best['p99_us'] / 1000:.0f} ms"
                 if best else ""))


def kill_run(args, server: Server, db: str, port: int, data: Path) -> dict:
    out = args.out / "kill"
    out.mkdir(exist_ok=True)
    before = check.stored_ids(db)
    client = subprocess.Popen(
        [sys.executable, str(HERE / "retry_client.py"), "--data", str(data), "--url", f"http://127.0.0.1:{port}",
         "--clients", str(args.clients), "--duration", str(args.kill_seconds), "--out", str(out)],
        stdout=subprocess.PIPE, text=True)
    time.sleep(args.kill_after)
    server.kill()
    killed_at = time.monotonic()
    time.sleep(1)  # down for a moment: clients meet refused connections, not only resets
    up_in = server.start()
    downtime = time.monotonic() - killed_at
    stdout, _ = client.communicate(timeout=args.kill_seconds + 300)
    check.settle(db)
    match = re.search(r"^RESULT (.*)$", stdout, re.M)
    summary = dict(kv.split("=") for kv in match.group(1).split()) if match else {"raw": stdout}
    rows = [line.split() for line in (out / "retry.txt").read_text().splitlines()]
    sent = {r[0] for r in rows}
    acked = [(r[0], r[1]) for r in rows if r[1] in ("200", "201")]
    result = {"client": summary, "downtime_s": round(downtime, 1), "restart_s": round(up_in, 1),
              "never_acked": sum(1 for r in rows if r[1] not in ("200", "201")),
              "check": check.check(db, before, acked, sent)}
    # Every visit was retried until acknowledged: none may be stored unacknowledged either.
    result["check"]["ok"] = (result["check"]["ok"] and result["never_acked"] == 0
                             and result["check"]["stored_not_acked"] == 0)
    print("kill/restart run:", json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    main()
