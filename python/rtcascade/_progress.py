"""The progress bar of rtcascade.run on a terminal or in a notebook: points done out of all,
runs per second, an ETA from this call's own pace and the point running now, redrawn in place
at most four times a second (the library calls the hooks between points, on the thread that
runs the experiment)."""
import shutil
import sys
import time


def _duration(s):
    if not (s >= 0) or s > 99 * 86400:
        return "?"
    t = int(s + 0.5)
    if t >= 3600:
        return f"{t // 3600}h{t % 3600 // 60:02d}m"
    if t >= 60:
        return f"{t // 60}m{t % 60:02d}s"
    return f"{t}s"


def _rate(r):
    return f"{r / 1e6:.1f}M" if r >= 1e6 else f"{r / 1e3:.0f}k" if r >= 1e4 else f"{r:.0f}"


def wanted(progress, stream=None):
    """Whether to draw: progress=True/False, or None for a terminal or a notebook."""
    if progress is not None:
        return bool(progress)
    stream = stream or sys.stderr
    return "ipykernel" in sys.modules or (hasattr(stream, "isatty") and stream.isatty())


class Progress:
    def __init__(self, total, done, runs, enabled, stream=None):
        self.total, self.done0, self.done, self.runs = total, done, done, runs
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.what = ""
        self.t0 = time.monotonic()
        self.last = 0.0
        self.drawn = False
        self.width = 0  # of the line drawn last, blanked by a shorter one

    def status(self, what):
        self.what = what
        self._draw()

    def point_done(self):
        self.done += 1
        self._draw(force=self.done == self.total)

    def _draw(self, force=False):
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.25:
            return
        self.last = now
        ran = self.done - self.done0
        elapsed = now - self.t0
        width = 20
        filled = width * self.done // self.total if self.total else width
        rate = _rate(ran * self.runs / elapsed) + " runs/s" if ran and elapsed > 0 else "- runs/s"
        eta = _duration(elapsed / ran * (self.total - self.done)) if ran else "?"
        line = (f"[{'#' * filled}{'-' * (width - filled)}] {self.done}/{self.total} points  "
                f"{rate}  ETA {eta}  {self.what}")
        line = line[:max(20, shutil.get_terminal_size((80, 20)).columns - 1)]
        self.stream.write("\r" + line + " " * max(0, self.width - len(line)))
        self.width = len(line)
        self.stream.flush()
        self.drawn = True

    def close(self):
        if self.enabled and self.drawn:
            self.stream.write("\n")
            self.stream.flush()
