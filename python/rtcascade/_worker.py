"""Long library calls (simulate, run) on a worker thread, so that Ctrl-C stays responsive:
ctypes releases the GIL for the call, the calling thread waits in short joins, and a
KeyboardInterrupt there sets an int that the library's cancel hook (rc_run_flag_cancel, a C
function) polls between runs. No Python code runs on the library's OpenMP threads.

One worker thread serves the process: OpenMP keeps its thread pool per calling thread, so the
pool is made once and reused by every call."""
import concurrent.futures
import ctypes
import threading

_lock = threading.Lock()
_executor = None
_worker_ident = None


def _mark():
    global _worker_ident
    _worker_ident = threading.get_ident()


def _pool():
    global _executor
    with _lock:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="rtcascade", initializer=_mark)
    return _executor


def _guarded(fn, flag):
    try:
        return False, fn(flag)
    except BaseException as e:  # handed to the caller's thread, which raises it
        return True, e


def call(fn):
    """Runs fn(flag) on the worker thread and returns its result (or raises its exception).
    flag is a ctypes.c_int that becomes 1 when Ctrl-C reaches the waiting thread; fn passes
    its address to the library's cancel hook. A second Ctrl-C while the library finishes the
    run in progress is ignored (as the command line does, so no write is cut)."""
    flag = ctypes.c_int(0)
    if threading.get_ident() == _worker_ident:  # called from a hook on the worker itself
        failed, value = _guarded(fn, flag)
    else:
        future = _pool().submit(_guarded, fn, flag)
        while True:
            try:
                failed, value = future.result(timeout=0.1)
                break
            except concurrent.futures.TimeoutError:
                continue
            except KeyboardInterrupt:
                flag.value = 1
    if failed:
        raise value
    return value
