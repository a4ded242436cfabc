"""Run one benchmark stage in a fresh process and report its wall time and peak memory.

A fresh process per stage keeps the stages' memory apart: `os.wait4` returns the
resource usage of exactly that child (and the processes it waited for), so its
`ru_maxrss` is the stage's own peak, not the maximum over everything run so far
as `getrusage(RUSAGE_CHILDREN)` would give.
"""

import os
import subprocess
import time
from collections.abc import Mapping, Sequence


def measure(cmd: Sequence[str], env: Mapping[str, str] | None = None) -> tuple[float, float, str]:
    """Run `cmd`; return (wall seconds, peak RSS in MiB, stdout). Raise CalledProcessError if it fails.

    `env` adds to (or overrides) the current environment. The seconds include the
    interpreter's start and imports: what a user waits for when running the command.
    stderr is passed through, so progress bars and errors stay visible.
    """
    full_env = {**os.environ, **env} if env is not None else None
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=full_env, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, list(cmd), out)
    return seconds, usage.ru_maxrss / 1024, out  # Linux reports ru_maxrss in KiB


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, numbers right-aligned, for printing and pasting into README.md."""
    cells = [[str(h) for h in header]] + [[f"{c:,.2f}" if isinstance(c, float) else
                                           f"{c:,}" if isinstance(c, int) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [all(isinstance(r[i], (int, float)) for r in rows) for i in range(len(header))]

    def line(r):
        return "| " + " | ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(r, widths, numeric)) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if num else "-" * (w + 2) for w, num in zip(widths, numeric)) + "|"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])
