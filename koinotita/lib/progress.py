"""A progress bar for long commands (synth, imports, exports, benchmarks): redrawn in place
on a terminal, a line every 10% in a log file, with the rate."""

import sys
import time


class Progress:
    """A progress bar on a terminal; a line every 10% in a log file."""

    def __init__(self, label: str, total: int, stream=None, width: int = 30):
        self.label, self.total, self.width = label, max(total, 0), width
        self.stream = stream or sys.stdout
        self.done = 0
        self.started = time.perf_counter()
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self._next_line = 0.1
        self._last_draw = 0.0

    def _rate(self) -> float:
        return self.done / max(time.perf_counter() - self.started, 1e-9)

    def advance(self, n: int) -> None:
        self.done += n
        share = self.done / self.total if self.total else 1.0
        if self.tty:
            now = time.perf_counter()
            if now - self._last_draw > 0.2 or self.done >= self.total:
                self._last_draw = now
                filled = int(self.width * min(share, 1.0))
                bar = "█" * filled + "░" * (self.width - filled)
                self._write(
                    f"\r  {self.label:<10} {bar} {share:5.0%} {self.done:>12,}/{self.total:,}"
                    f"  {self._rate():>10,.0f}/s"
                )
        elif share >= self._next_line - 1e-9:
            while share >= self._next_line - 1e-9:
                self._next_line += 0.1
            self._write(
                f"  {self.label:<10} {share:5.0%} {self.done:>12,}/{self.total:,}"
                f"  {time.perf_counter() - self.started:7.1f} s  {self._rate():>10,.0f}/s\n"
            )

    def update(self, done: int) -> None:
        """Move the bar to `done` (for callers that count the total themselves)."""
        self.advance(done - self.done)

    def finish(self) -> float:
        seconds = time.perf_counter() - self.started
        if self.tty:
            self._write("\n")
        return seconds

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text, ending="")
        except TypeError:
            self.stream.write(text)
        flush = getattr(self.stream, "flush", None)
        if flush:
            flush()
