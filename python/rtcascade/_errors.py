"""The exceptions of rtcascade: one per library status code (sim/include/rtcascade/error.h), each
carrying the library's one-line message (file:line:col, key path and what was expected)."""

# Status codes of rc_status_t, in enum order.
OK, ARGUMENT, CONFIG, INPUT, IO, NOMEM, INTERNAL, INTERRUPTED, EXISTS, MISMATCH = range(10)
STATUS_NAMES = ("ok", "bad argument", "config error", "bad input file", "i/o error",
                "out of memory", "internal error", "interrupted", "output exists",
                "mismatch")


class Error(Exception):
    """Any failure of the library. `status` is its rc_status_t code, `message` its one-line
    message (also str(error))."""

    status = INTERNAL

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    @property
    def status_name(self):
        return STATUS_NAMES[self.status] if 0 <= self.status < len(STATUS_NAMES) else "?"


class ArgumentError(Error, ValueError):
    """A function was called with a bad argument (RC_ERR_ARGUMENT): a node outside the graph,
    a negative weight, a repeated label..."""
    status = ARGUMENT


class ConfigError(Error, ValueError):
    """A bad config value (RC_ERR_CONFIG): syntax, type, unknown key, value out of range, a
    seed or community the network does not have."""
    status = CONFIG


class InputError(Error, ValueError):
    """A bad input file (RC_ERR_INPUT): an edge list, a graph file, a results file."""
    status = INPUT


class FileError(Error, OSError):
    """A file cannot be opened, read or written (RC_ERR_IO). (Not named IOError, which is
    Python's own name for OSError.)"""
    status = IO


class OutOfMemoryError(Error, MemoryError):
    """Not enough memory, or the estimated need does not fit (RC_ERR_NOMEM)."""
    status = NOMEM


class OutputExistsError(Error, FileExistsError):
    """The results file exists and neither resume=True nor overwrite=True was given
    (RC_ERR_EXISTS)."""
    status = EXISTS


class MismatchError(Error):
    """A results file to resume was made by another experiment (RC_ERR_MISMATCH)."""
    status = MISMATCH


class LibraryError(Error, OSError):
    """librtcascade.so was not found or could not be loaded."""
    status = IO


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a call cleanly (RC_ERR_INTERRUPTED): a run() keeps every finished point in
    its file (resume=True finishes it); a simulate() returns nothing. A KeyboardInterrupt, so
    `except KeyboardInterrupt` catches it."""
    status = INTERRUPTED

    def __init__(self, message):
        super().__init__(message)
        self.message = message


_BY_STATUS = {c.status: c for c in (ArgumentError, ConfigError, InputError, FileError,
                                    OutOfMemoryError, OutputExistsError, MismatchError)}


def from_status(status, message):
    """The exception for a library status and its message."""
    if status == INTERRUPTED:
        return Interrupted(message)
    cls = _BY_STATUS.get(status, Error)
    return cls(message) if cls is not Error else Error(message, status)
