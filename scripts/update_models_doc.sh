#!/usr/bin/env bash
# Rewrites the parameter reference block of docs/models.md from `rtcascade models`.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/rtcascade}
/usr/bin/python3 - "$bin" <<'PY'
import subprocess, sys, re
out = subprocess.run([sys.argv[1], "models"], check=True, capture_output=True, text=True).stdout
doc = open("docs/models.md").read()
new = re.sub(r"(<!-- begin rtcascade models -->\n```\n).*?(```\n<!-- end rtcascade models -->)",
             lambda m: m.group(1) + out + m.group(2), doc, flags=re.S)
open("docs/models.md", "w").write(new)
PY
