"""Progress of long jobs on the command line (one rewritten line on a terminal, plain lines elsewhere)."""


class ProgressPrinter:
    def __init__(self, stream, label: str):
        self.stream, self.label = stream, label
        self.tty = getattr(getattr(stream, "_out", stream), "isatty", lambda: False)()
        self.last = -1

    def __call__(self, step: str, done: int, total: int) -> None:
        pct = 100 if total == 0 else int(done * 100 / total)
        if pct == self.last:
            return
        if self.tty:
            self.stream.write(f"\r{self.label}: {step} {done:,}/{total:,} ({pct}%)", ending="")
            self.stream.flush()
        elif pct // 10 != self.last // 10 or pct == 100:
            self.stream.write(f"{self.label}: {step} {done:,}/{total:,} ({pct}%)")
        self.last = pct

    def finish(self) -> None:
        if self.tty and self.last >= 0:
            self.stream.write("")
