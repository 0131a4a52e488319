"""librtcascade through ctypes: finding and loading the shared library, the C structs the
package reads (mirrors of the public headers, field for field), the prototypes of the functions
it calls, and a helper that turns a status into an exception.

Where the library is looked for, first found wins (library_path() says which):
  1. $RTCASCADE_LIBRARY, a path to librtcascade.so (an error when set but not loadable);
  2. the copy this package was built or installed with (_paths.py, written by CMake: the build
     tree's build/librtcascade.so, or the installed lib folder, relative to the package);
  3. a source checkout's build/librtcascade.so (the package run from python/ in the tree);
  4. the system's loader (LD_LIBRARY_PATH, ldconfig): librtcascade.so.<major.minor>.
The library is loaded on first use: reading results and plotting need no library at all.
"""
import ctypes
import ctypes.util
import os
import threading

from . import _errors

ENV_LIBRARY = "RTCASCADE_LIBRARY"
SONAME = "librtcascade.so.0.2"
_HERE = os.path.dirname(os.path.abspath(__file__))

c_u8p = ctypes.POINTER(ctypes.c_uint8)
c_u32p = ctypes.POINTER(ctypes.c_uint32)
c_u64p = ctypes.POINTER(ctypes.c_uint64)
c_dblp = ctypes.POINTER(ctypes.c_double)
c_fltp = ctypes.POINTER(ctypes.c_float)
c_voidpp = ctypes.POINTER(ctypes.c_void_p)

# ---- structs (sim/include/rtcascade/*.h) ----


class Graph(ctypes.Structure):  # rc_graph_t, graph.h
    _fields_ = [("n", ctypes.c_uint32), ("m", ctypes.c_uint64),
                ("out_off", c_u64p), ("out_nbr", c_u32p),
                ("in_off", c_u64p), ("in_nbr", c_u32p),
                ("out_w", c_fltp), ("in_w", c_fltp),
                ("community", c_u32p), ("n_communities", ctypes.c_uint32),
                ("orig_id", c_u64p), ("undirected", ctypes.c_int),
                ("description", ctypes.c_char_p),
                ("release", ctypes.c_void_p), ("release_ctx", ctypes.c_void_p),
                ("stats", ctypes.c_void_p)]


class GraphArrays(ctypes.Structure):  # rc_graph_arrays_t, graph.h
    _fields_ = [("n", ctypes.c_uint32), ("m", ctypes.c_uint64),
                ("src", ctypes.c_void_p), ("dst", ctypes.c_void_p),
                ("weight", ctypes.c_void_p), ("community", ctypes.c_void_p),
                ("orig_id", ctypes.c_void_p), ("undirected", ctypes.c_int),
                ("description", ctypes.c_char_p)]


class BuildReport(ctypes.Structure):  # rc_build_report_t, graph.h
    _fields_ = [("input_edges", ctypes.c_uint64), ("self_loops", ctypes.c_uint64),
                ("duplicates", ctypes.c_uint64)]


class LoadOptions(ctypes.Structure):  # rc_load_options_t, graph.h
    _fields_ = [("direction", ctypes.c_int), ("format", ctypes.c_int),
                ("weighted", ctypes.c_int), ("undirected", ctypes.c_int),
                ("nodes", ctypes.c_uint64), ("nodes_path", ctypes.c_char_p),
                ("communities_path", ctypes.c_char_p)]


class LoadReport(ctypes.Structure):  # rc_load_report_t, graph.h
    _fields_ = [("lines", ctypes.c_uint64), ("edges_read", ctypes.c_uint64),
                ("self_loops", ctypes.c_uint64), ("duplicates", ctypes.c_uint64)]


class GraphStats(ctypes.Structure):  # rc_graph_stats_t, graph.h
    _fields_ = [("nodes", ctypes.c_uint32), ("edges", ctypes.c_uint64),
                ("mean_degree", ctypes.c_double), ("max_out_degree", ctypes.c_uint64),
                ("max_in_degree", ctypes.c_uint64), ("isolated", ctypes.c_uint32),
                ("reciprocity", ctypes.c_double), ("out_tail_exponent", ctypes.c_double),
                ("out_tail_xmin", ctypes.c_uint64), ("in_tail_exponent", ctypes.c_double),
                ("in_tail_xmin", ctypes.c_uint64), ("communities", ctypes.c_uint32),
                ("intra_fraction", ctypes.c_double), ("transitivity", ctypes.c_double),
                ("transitivity_se", ctypes.c_double), ("clustering", ctypes.c_double),
                ("clustering_se", ctypes.c_double), ("clustering_samples", ctypes.c_uint64)]


class MetricSummary(ctypes.Structure):  # rc_metric_summary_t, engine.h
    _fields_ = [("count", ctypes.c_uint64)] + [
        (k, ctypes.c_double) for k in ("mean", "sd", "se", "min", "q05", "q25", "median",
                                       "q75", "q95", "max")]


N_METRICS = 8  # RC_N_METRICS


class McResults(ctypes.Structure):  # rc_mc_results_t, engine.h
    _fields_ = [("runs", ctypes.c_uint64), ("point", ctypes.c_uint64),
                ("seeds", ctypes.c_uint32), ("timed", ctypes.c_int),
                ("global_threshold", ctypes.c_uint64),
                ("size", c_u32p), ("retweets", c_u32p), ("reach", c_u64p),
                ("depth", c_u32p), ("max_breadth", c_u32p), ("virality", c_dblp),
                ("final_time", c_dblp), ("t50", c_dblp), ("t90", c_dblp),
                ("edges", c_u64p), ("global_", c_u8p), ("capped", c_u8p),
                ("gen_total", c_u64p), ("gen_len", ctypes.c_uint32),
                ("summary", MetricSummary * N_METRICS),
                ("p_global", ctypes.c_double), ("p_global_se", ctypes.c_double),
                ("p_capped", ctypes.c_double), ("mean_size_global", ctypes.c_double),
                ("seconds", ctypes.c_double), ("total_edges", ctypes.c_uint64),
                ("total_adoptions", ctypes.c_uint64), ("audience", ctypes.c_uint32),
                ("reach_per_member", MetricSummary), ("kernel", ctypes.c_int),
                ("growth", c_u64p), ("events", ctypes.c_void_p),
                ("fused_visits", ctypes.c_uint64)]


class Events(ctypes.Structure):  # rc_events_t, events.h
    _fields_ = [("first_run", ctypes.c_uint64), ("runs", ctypes.c_uint64),
                ("count", ctypes.c_uint64), ("timed", ctypes.c_int), ("rooted", ctypes.c_int),
                ("offset", c_u64p), ("node", c_u32p), ("parent", c_u32p),
                ("generation", c_u32p), ("time", c_dblp), ("pending", c_voidpp),
                ("mark", c_dblp), ("node_id", c_u64p)]


RECORD_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_void_p)


class Recorder(ctypes.Structure):  # rc_mc_recorder_t, engine.h
    _fields_ = [("record", RECORD_FN), ("ctx", ctypes.c_void_p)]


class RunOptions(ctypes.Structure):  # rc_run_options_t, runner.h
    _fields_ = [("threads", ctypes.c_int), ("schedule", ctypes.c_int),
                ("chunk", ctypes.c_uint32)]


class Point(ctypes.Structure):  # rc_point_t, experiment.h (the leading fields read here)
    _fields_ = [("index", ctypes.c_uint64), ("scenario", ctypes.c_char_p)]


class Experiment(ctypes.Structure):  # rc_experiment_t, experiment.h
    _fields_ = [("name", ctypes.c_char_p), ("seed", ctypes.c_uint64),
                ("runs", ctypes.c_uint64), ("output", ctypes.c_char_p),
                ("n_swept", ctypes.c_size_t), ("swept_keys", ctypes.POINTER(ctypes.c_char_p)),
                ("zip", ctypes.c_int), ("n_scenarios", ctypes.c_size_t),
                ("scenarios", ctypes.POINTER(ctypes.c_char_p)), ("n_points", ctypes.c_size_t),
                ("points", ctypes.c_void_p), ("n_networks", ctypes.c_size_t),
                ("networks", ctypes.c_void_p), ("peak_bytes", ctypes.c_uint64),
                ("points_bytes", ctypes.c_uint64),
                ("base_dir", ctypes.c_char_p), ("resolved", ctypes.c_void_p),
                ("config_text", ctypes.c_char_p), ("config_path", ctypes.c_char_p),
                ("sweep_plans", ctypes.POINTER(ctypes.c_char_p)),
                ("swept_in", ctypes.POINTER(ctypes.c_ubyte))]


class Provenance(ctypes.Structure):  # rc_results_provenance_t, results.h
    _fields_ = [("command_line", ctypes.c_char_p), ("config_text", ctypes.c_char_p),
                ("config_path", ctypes.c_char_p)]


STATUS_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_char_p)
POINT_DONE_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(Point),
                                 ctypes.POINTER(McResults))
CANCEL_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
VOID_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class RunHooks(ctypes.Structure):  # rc_run_hooks_t, runner.h
    _fields_ = [("ctx", ctypes.c_void_p), ("status", STATUS_FN),
                ("point_done", POINT_DONE_FN), ("cancel", CANCEL_FN),
                ("write_begin", VOID_FN), ("write_end", VOID_FN)]


# ---- prototypes: name -> (restype, argtypes) ----

_P = ctypes.c_void_p
_PP = ctypes.POINTER(ctypes.c_void_p)
_S = ctypes.c_char_p
_I = ctypes.c_int
_U64 = ctypes.c_uint64
PROTOTYPES = {
    "rc_error_message": (_S, []),
    "rc_graph_from_arrays": (_I, [ctypes.POINTER(GraphArrays), _PP, ctypes.POINTER(BuildReport)]),
    "rc_graph_free": (None, [_P]),
    "rc_graph_load_edgelist": (_I, [_S, ctypes.POINTER(LoadOptions), _PP,
                                    ctypes.POINTER(LoadReport)]),
    "rc_graph_load_h5": (_I, [_S, _S, _PP]),
    "rc_graph_save_h5": (_I, [_P, _S, _S]),
    "rc_run_graph_stats": (_I, [_P, _I, ctypes.POINTER(GraphStats)]),
    "rc_cfg_parse_string": (_I, [_S, _S, _PP]),
    "rc_cfg_get": (_P, [_P, _S]),
    "rc_cfg_free": (None, [_P]),
    "rc_network_build": (_I, [_P, _U64, _S, _PP]),
    "rc_point_parse": (_I, [_P, _U64, _PP]),
    "rc_point_free": (None, [_P]),
    "rc_run_default_options": (RunOptions, []),
    "rc_run_point": (_I, [_P, _P, _U64, _U64, ctypes.POINTER(RunOptions),
                          ctypes.POINTER(RunHooks), ctypes.POINTER(Recorder), _PP]),
    "rc_mc_results_free": (None, [_P]),
    "rc_events_new": (_I, [_U64, _U64, _PP]),
    "rc_events_recorder": (Recorder, [_P]),
    "rc_events_finish": (_I, [_P]),
    "rc_events_free": (None, [_P]),
    "rc_experiment_load": (_I, [_S, ctypes.POINTER(_S), ctypes.c_size_t, _PP]),
    "rc_experiment_load_string": (_I, [_S, _S, _S, ctypes.POINTER(_S), ctypes.c_size_t, _PP]),
    "rc_experiment_set_output": (_I, [_P, _S]),
    "rc_experiment_check": (_I, [_P]),
    "rc_experiment_free": (None, [_P]),
    "rc_sink_h5_create": (_I, [_S, _P, ctypes.POINTER(Provenance), _I, _PP]),
    "rc_sink_h5_resume": (_I, [_S, _P, ctypes.POINTER(Provenance), _PP]),
    "rc_sink_h5_note": (_S, [_P]),
    "rc_sink_h5_points_done": (_U64, [_P]),
    "rc_sink_h5_exists": (_I, [_P]),
    "rc_sink_close": (_I, [_P]),
    "rc_run_experiment": (_I, [_P, ctypes.POINTER(RunOptions), _P, ctypes.POINTER(RunHooks),
                               _P]),
    "rc_model_count": (ctypes.c_size_t, []),
    "rc_model_at": (ctypes.POINTER(_S), [ctypes.c_size_t]),
}

_lock = threading.Lock()
_lib = None
_lib_path = None


def _candidates():
    """(path, origin) pairs to try, in order."""
    out = []
    try:
        from . import _paths
        lib = _paths.LIBRARY
        out.append((lib if os.path.isabs(lib) else os.path.normpath(os.path.join(_HERE, lib)),
                    "the copy this package was built or installed with (_paths.py)"))
    except ImportError:
        pass
    tree = os.path.normpath(os.path.join(_HERE, "..", "..", "build", "librtcascade.so"))
    out.append((tree, "the source checkout's build folder"))
    found = ctypes.util.find_library("rtcascade")
    out.append((found or SONAME, "the system's library path"))
    return out


def _load():
    env = os.environ.get(ENV_LIBRARY)
    if env:
        try:
            return ctypes.CDLL(env), env
        except OSError as e:
            raise _errors.LibraryError(f"{ENV_LIBRARY}={env}: cannot load it: {e}") from None
    tried = []
    for path, origin in _candidates():
        if os.path.isabs(path) and not os.path.exists(path):
            tried.append(f"{path} ({origin}): not there")
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append(f"{path} ({origin}): {e}")
    raise _errors.LibraryError(
        "librtcascade not found; build it (cmake --build build) or set "
        f"{ENV_LIBRARY}=/path/to/librtcascade.so. Tried: " + "; ".join(tried))


def lib():
    """The loaded library, with its prototypes set (loaded on the first call)."""
    global _lib, _lib_path
    with _lock:
        if _lib is None:
            handle, path = _load()
            for name, (res, args) in PROTOTYPES.items():
                fn = getattr(handle, name)
                fn.restype = res
                fn.argtypes = args
            _lib, _lib_path = handle, path
    return _lib


def library_path():
    """The path of the librtcascade this process uses (loading it if needed)."""
    lib()
    return _lib_path


def cancel_hook():
    """rc_run_flag_cancel as a cancel function pointer (reads the int its ctx points to)."""
    return ctypes.cast(lib().rc_run_flag_cancel, CANCEL_FN)


def error_message():
    """The calling thread's last library message (read it on the thread that failed)."""
    m = lib().rc_error_message()
    return m.decode("utf-8", "replace") if m else ""


def check(status):
    """Raises the exception of a failed status, with this thread's message."""
    if status != _errors.OK:
        raise _errors.from_status(status, error_message())
