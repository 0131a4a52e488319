#!/usr/bin/env bash
# The parameter reference in docs/models.md must be exactly what `rtcascade models` prints, so
# the documentation cannot drift from the registry. Regenerate with:
#   scripts/update_models_doc.sh
set -euo pipefail
bin=$1
doc=$2
expected=$(sed -n '/<!-- begin rtcascade models -->/,/<!-- end rtcascade models -->/p' "$doc" |
           sed '1,2d;$d' | sed '$d')
actual=$("$bin" models)
if [ "$expected" != "$actual" ]; then
  diff <(echo "$expected") <(echo "$actual") | head -20
  echo "docs/models.md is out of date: run scripts/update_models_doc.sh" >&2
  exit 1
fi
echo "docs_in_sync: 1 passed, 0 failed"
