#!/usr/bin/env bash
# Regenerates the binary seeds of tests/fuzz/seeds/ (results files, journals, graph files, edge
# lists with their option byte) with a built rtcascade. Run after a change of the file formats:
#   tests/fuzz/make_seeds.sh [build]        (default build/: rtcascade and tests/rc_fault.so)
# Text seeds (configs) are kept by hand; scripts/test.sh --fuzz adds the repository's configs.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
exe=$PWD/$build/rtcascade
shim=$PWD/$build/tests/rc_fault.so
seeds=$PWD/tests/fuzz/seeds
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$seeds"/{results,resume,graph,edgelist,deflate}
rm -f "$seeds"/{results,resume,graph,edgelist,deflate}/*

cfg=$PWD/tests/fuzz/resume.yaml
# a complete file, and one interrupted at its last point (its journal holds every point)
"$exe" run "$cfg" -o "$tmp/full.h5" --quiet --no-figures >/dev/null
LD_PRELOAD=$shim RC_FAULT_MATCH="$tmp/count.h5" RC_FAULT_LOG="$tmp/count.log" \
  "$exe" run "$cfg" -o "$tmp/count.h5" --quiet --no-figures >/dev/null
calls=$(cut -d' ' -f1 "$tmp/count.log")
LD_PRELOAD=$shim RC_FAULT_MATCH="$tmp/part.h5" RC_FAULT_AT=$((calls - 6)) RC_FAULT_ERRNO=EIO \
  "$exe" run "$cfg" -o "$tmp/part.h5" --quiet --no-figures >/dev/null 2>&1 || true
cp "$tmp/full.h5" "$seeds/results/complete.h5"
cp "$tmp/part.h5" "$seeds/results/interrupted.h5"
# resume seeds: a 4-byte length, the file, then the journal
/usr/bin/python3 - "$tmp" "$seeds/resume" <<'PY'
import os, struct, sys
tmp, out = sys.argv[1], sys.argv[2]
def pack(name, h5, journal):
    h = open(h5, "rb").read() if h5 else b""
    j = open(journal, "rb").read() if journal else b""
    open(os.path.join(out, name), "wb").write(struct.pack("<I", len(h)) + h + j)
pack("complete", f"{tmp}/full.h5", None)
pack("interrupted", f"{tmp}/part.h5", f"{tmp}/part.h5.journal")
pack("journal_only", None, f"{tmp}/part.h5.journal")
PY
# /runs chunk encoder seeds: the complete file's /runs rows shuffled into planes (HDF5's
# shuffle), after two bytes giving the plane length (tests/fuzz/fuzz_deflate.c)
/usr/bin/python3 - "$tmp/full.h5" "$seeds/deflate" <<'PY'
import os, struct, sys
import h5py, numpy as np
rows = h5py.File(sys.argv[1], "r")["runs"][()]
raw = np.frombuffer(rows.tobytes(), np.uint8).reshape(len(rows), rows.dtype.itemsize)
for name, r in (("runs_chunk", raw), ("runs_half", raw[: len(raw) // 2])):
    n = len(r)
    sel = (n - 1) % 65536  # plane length n: 1 + sel % (size - 2) with sel < size - 2
    with open(os.path.join(sys.argv[2], name), "wb") as f:
        f.write(struct.pack("<H", sel) + r.T.copy().tobytes())
PY
# graph files: a small generated graph, and one loaded from a weighted file (ids, weights)
"$exe" graph "$cfg" -o "$seeds/graph/erdos_renyi.h5" >/dev/null
printf '# a small weighted list\n10 20 0.5\n20 30 1\n30 10 2\n40 10 0.25\n' > "$tmp/w.txt"
"$exe" graph --set network.generator=file --set network.path="$tmp/w.txt" \
  --set network.direction=flows --set network.weighted=true -o "$seeds/graph/weighted.h5" >/dev/null
"$exe" graph --set network.generator=dcsbm --set network.nodes=40 --set network.mean_degree=3 \
  --set network.communities=3 -o "$seeds/graph/communities.h5" >/dev/null
# edge lists: an option byte (tests/fuzz/fuzz_edgelist.c), then the file
for f in tests/data/loader_small.edges tests/data/loader_comments.edges; do
  { printf '\000'; cat "$f"; } > "$seeds/edgelist/$(basename "$f")"
done
{ printf '\046'; cat tests/data/loader_weighted.csv; } > "$seeds/edgelist/loader_weighted.csv"
{ printf '\000'; cat tests/data/loader_small.edges.gz; } > "$seeds/edgelist/loader_small.edges.gz"
{ printf '\010'; printf '\357\273\2771 2\n2 3\n3 1\n'; } > "$seeds/edgelist/bom_follows.edges"
ls -l "$seeds"/*
