"""Where the machine's CPU went during a run, per request: the server (its process group), PostgreSQL
(every postgres process), wrk (this process's child), and "other" (the rest of the machine: other
users' work on the shared cores, the kernel). The machine's total is the busy time of all cores
(/proc/stat).

Processes are sampled every half second while the run lasts and each process's own growth is
summed, so a PostgreSQL backend that exits during the run (Django closes its connection after
CONN_MAX_AGE seconds) keeps what it used up to its last sample instead of taking it away.
"""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _processes(server_pgid: int | None) -> dict[int, tuple[str, float]]:
    """pid -> (server | postgres, CPU seconds so far) for the processes that count."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        comm = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICK
        if server_pgid is not None and int(fields[2]) == server_pgid:
            out[int(stat.parent.name)] = ("server", seconds)
        elif comm == "postgres":
            out[int(stat.parent.name)] = ("postgres", seconds)
    return out


def _machine() -> float:
    cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return (sum(map(int, cpu)) - int(cpu[3]) - int(cpu[4])) / TICK  # all but idle and iowait


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Meter:
    """with Meter(pgid) as m: ...run...; then m.used = {server, postgres, wrk, machine, other} seconds."""

    def __init__(self, server_pgid: int | None, interval: float = 0.5):
        self.pgid, self.interval = server_pgid, interval
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.stop = threading.Event()
        self.used: dict[str, float] = {}

    def _sample(self) -> None:
        for pid, (kind, seconds) in _processes(self.pgid).items():
            self.first.setdefault(pid, 0.0)  # a process born during the run: all its time counts
            self.last[pid] = (kind, seconds)

    def _loop(self) -> None:
        while not self.stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> Meter:
        for pid, (kind, seconds) in _processes(self.pgid).items():
            self.first[pid], self.last[pid] = seconds, (kind, seconds)
        self.machine0, self.children0 = _machine(), _children()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self._sample()
        used = {"server": 0.0, "postgres": 0.0}
        for pid, (kind, seconds) in self.last.items():
            used[kind] += seconds - self.first[pid]
        used["wrk"] = _children() - self.children0
        used["machine"] = _machine() - self.machine0
        used["other"] = used["machine"] - used["server"] - used["postgres"] - used["wrk"]
        self.used = used
