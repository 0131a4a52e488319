"""rtcascade.run: an experiment (a config file or a dict) through the library's runner in this
process, writing the same results file `rtcascade run` writes (identical per-run data), with a
progress bar on a terminal or in a notebook; returns the loaded Results."""
import ctypes
import os

from . import _config, _errors, _lib, _progress, _worker
from .results import load


def _char_array(items):
    arr = (ctypes.c_char_p * (len(items) + 1))()
    for i, s in enumerate(items):
        arr[i] = s.encode()
    return arr


def _command_line(config, sets, output, threads, resume, overwrite):
    """What the results file's command_line attribute says made it."""
    what = repr(os.fspath(config)) if not isinstance(config, dict) else "{...}"
    args = [what] + [f"{k}={v!r}" for k, v in (("set", sets), ("output", output),
                                                 ("threads", threads)) if v]
    args += [k + "=True" for k, v in (("resume", resume), ("overwrite", overwrite)) if v]
    return f"python: rtcascade.run({', '.join(args)})"


def _load_experiment(lib, config, sets):
    """(rc_experiment_t*, the config's text for a dict) -- on the calling (worker) thread."""
    ex = ctypes.c_void_p()
    arr = _char_array(sets)
    if isinstance(config, dict):
        text = _config.to_yaml(config)
        name = str(config.get("name") or "experiment")
        _lib.check(lib.rc_experiment_load_string(text.encode(), name.encode(), None, arr,
                                                 len(sets), ctypes.byref(ex)))
    else:
        _lib.check(lib.rc_experiment_load(os.fspath(config).encode(), arr, len(sets),
                                          ctypes.byref(ex)))
    return ex


def run(config, set=None, output=None, threads=None, resume=False, overwrite=False,
        progress=None):
    """Runs every point of an experiment and writes its results file, as `rtcascade run`
    does, in this process.

    config: a config file's path, or a dict with the config's keys ({"name": ..., "network":
      {...}, "model": {...}, "sweep": {...}}; relative paths in it are against the current
      folder). set: overrides as on the command line, a list of "key.path=value" (YAML
      values) or a dict {key.path: value}. output: the results file (default: the config's
      `output:`, else results/<name>.h5). threads: OpenMP threads (default: all; results do
      not depend on it). resume: finish an interrupted file of the same experiment.
      overwrite: replace an existing file (the CLI's --force). progress: a progress bar on
      stderr (default: when stderr is a terminal, or in a notebook).

    Returns rtcascade.Results of the file. Errors: ConfigError (the config's file:line:col
    messages), OutputExistsError (the file exists: resume=True or overwrite=True),
    MismatchError (resuming another experiment's file), FileError, InputError. Ctrl-C stops
    between runs: every finished point stays in the file, and Interrupted (a
    KeyboardInterrupt) says how to finish it. The GIL is released while the runs go on."""
    sets = _config.assignments(set)
    if resume and overwrite:
        raise _errors.ArgumentError("resume and overwrite exclude each other (resume finishes "
                                    "an existing file, overwrite starts it afresh)")
    if threads is not None and int(threads) < 0:
        raise _errors.ArgumentError(f"threads: expected a number >= 0, got {threads}")
    lib = _lib.lib()
    command = _command_line(config, set, output, threads, resume, overwrite)

    def work(flag):
        ex = _load_experiment(lib, config, sets)
        sink = ctypes.c_void_p()
        bar = None
        try:
            if output is not None:
                _lib.check(lib.rc_experiment_set_output(ex, os.fspath(output).encode()))
            _lib.check(lib.rc_experiment_check(ex))
            e = ctypes.cast(ex, ctypes.POINTER(_lib.Experiment)).contents
            path = e.output.decode()
            text = e.config_text if e.config_text else _config.to_yaml(config).encode()
            prov = _lib.Provenance(command.encode(), text, e.config_path)
            if resume:
                _lib.check(lib.rc_sink_h5_resume(e.output, ex, ctypes.byref(prov),
                                                 ctypes.byref(sink)))
            else:
                _lib.check(lib.rc_sink_h5_create(e.output, ex, ctypes.byref(prov),
                                                 int(bool(overwrite)), ctypes.byref(sink)))
            bar = _progress.Progress(e.n_points, lib.rc_sink_h5_points_done(sink), e.runs,
                                     _progress.wanted(progress))
            hooks = _hooks(flag, bar)
            opt = lib.rc_run_default_options()
            opt.threads = int(threads or 0)
            status = lib.rc_run_experiment(ex, ctypes.byref(opt), sink, ctypes.byref(hooks),
                                           None)
            message = _lib.error_message()
            bar.close()
            bar = None
            done = lib.rc_sink_h5_points_done(sink)
            made = lib.rc_sink_h5_exists(sink)
            close = lib.rc_sink_close(sink)
            sink = None
            if status == _errors.OK and close != _errors.OK:
                status, message = close, _lib.error_message()
            if status == _errors.INTERRUPTED and not made:
                raise _errors.Interrupted("interrupted before the first point; nothing was "
                                          "written")
            if status == _errors.INTERRUPTED:
                raise _errors.Interrupted(
                    f"interrupted: {done} of {e.n_points} points are complete in {path}; "
                    f"rtcascade.run(..., resume=True) finishes it")
            if status != _errors.OK:
                raise _errors.from_status(status, message)
            return path
        finally:
            if bar is not None:
                bar.close()
            if sink:
                lib.rc_sink_close(sink)
            lib.rc_experiment_free(ex)

    return load(_worker.call(work))


def _hooks(flag, bar):
    """The runner's hooks: progress on the calling thread, the cancel flag read in C."""
    def status(ctx, what):
        try:
            bar.status(what.decode("utf-8", "replace"))
        except Exception:  # a broken stream must not stop the experiment
            pass

    def point_done(ctx, pt, res):
        try:
            bar.point_done()
        except Exception:
            pass

    hooks = _lib.RunHooks(ctx=ctypes.addressof(flag), status=_lib.STATUS_FN(status),
                          point_done=_lib.POINT_DONE_FN(point_done),
                          cancel=_lib.cancel_hook())
    return hooks
