#!/usr/bin/env bash
# doc-snippets.sh: run the Python and R snippets of README.md and docs/*.md
# (every ```python and ```r block) against real outputs, so that a renamed
# column, file or path in a snippet fails CI.
#
# It makes the outputs the snippets read (cascade run aug2024 into
# out/aug2024, a 50-run trial of sweeps/aug2024.yaml into out/aug2024-mc, a
# 24-run trial of sweeps/aug2024-conventions.yaml into out/aug2024-conventions) in a
# temporary directory and runs each block there with Debian's python3
# (pandas, matplotlib with the Agg backend) and R (jsonlite). Where a Parquet
# reader is missing (Debian has no pyarrow, polars, python duckdb or R arrow)
# the block still runs line by line, and only the reader is rerouted:
# pd.read_parquet, pl.read_parquet and R's read_parquet read the file's CSV
# twin with parse_dates=["time"] (the twins hold identical values: the
# independent-reader tests check it), after checking that the .parquet file
# exists; duckdb.sql runs its SQL verbatim on the real Parquet file with the
# DuckDB of .ci/parquet-check (npm ci there first).
#
# As root it installs python3-pandas, python3-matplotlib, r-base-core and
# r-cran-jsonlite with apt-get when they are missing (about 40 s, 107 MB).
# Environment: CASCADE_BIN to use a built binary instead of building one.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3 # Debian's, whatever python3 is first on PATH
need=()
"$py" -c 'import pandas, matplotlib' 2>/dev/null || need+=(python3-pandas python3-matplotlib)
command -v Rscript >/dev/null || need+=(r-base-core)
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || need+=(r-cran-jsonlite)
if ((${#need[@]})); then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		echo "doc-snippets.sh: missing ${need[*]} (apt-get install them)" >&2
		exit 2
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
duckdb_api="$repo/.ci/parquet-check/node_modules/@duckdb/node-api"
[ -d "$duckdb_api" ] || { echo "doc-snippets.sh: run npm ci in .ci/parquet-check" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cascade-doc-snippets.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bin=${CASCADE_BIN:-}
if [ -z "$bin" ]; then
	bin="$tmp/cascade"
	(cd "$repo" && go build -o "$bin" ./cmd/cascade)
fi
(cd "$repo" && "$bin" run aug2024 -q --out "$tmp/out/aug2024" &&
	"$bin" sweep sweeps/aug2024.yaml --runs 50 --no-plots -q --out "$tmp/out/aug2024-mc" &&
	"$bin" sweep sweeps/aug2024-conventions.yaml --runs 24 --no-plots -q --out "$tmp/out/aug2024-conventions")

cat >"$tmp/duckdb_sql.mjs" <<JS
import { createRequire } from 'node:module';
const { DuckDBInstance } = createRequire('$duckdb_api/')('@duckdb/node-api');
const c = await (await DuckDBInstance.create(':memory:')).connect();
const r = await c.runAndReadAll(process.argv[2]);
console.log(r.columnNames().join('\t'));
for (const row of r.getRowsJS()) console.log(row.map(String).join('\t'));
JS

REPO="$repo" TMP="$tmp" "$py" - <<'PY'
import os, re, subprocess, sys, glob
repo, tmp = os.environ["REPO"], os.environ["TMP"]

PY_PRELUDE = r'''
import os, sys, types, subprocess, importlib.util
import matplotlib; matplotlib.use("Agg")
import pandas as pd
def _csv_twin(path, *a, **k):
    if not os.path.exists(path): raise FileNotFoundError(path)
    csv = path[:-len(".parquet")] + ".csv"
    with open(csv) as f: header = f.readline().rstrip("\n").split(",")
    return pd.read_csv(csv, parse_dates=["time"] if "time" in header else False)
if importlib.util.find_spec("pyarrow") is None and importlib.util.find_spec("fastparquet") is None:
    pd.read_parquet = _csv_twin
if importlib.util.find_spec("polars") is None:
    sys.modules["polars"] = types.SimpleNamespace(read_parquet=_csv_twin)
if importlib.util.find_spec("duckdb") is None:
    class _Rel(str):
        def show(self): print(self)
        __repr__ = str.__str__
    def _sql(q):
        out = subprocess.run(["node", os.environ["DUCKDB_SQL"], q], capture_output=True, text=True)
        if out.returncode: raise RuntimeError("duckdb: " + out.stderr.strip())
        return _Rel(out.stdout)
    sys.modules["duckdb"] = types.SimpleNamespace(sql=_sql)
'''
R_ARROW_SHIM = r'''read_parquet <- function(path) {
  if (!file.exists(path)) stop("no such file: ", path)
  d <- read.csv(sub("\\.parquet$", ".csv", path), check.names = FALSE)
  if ("time" %in% names(d)) d$time <- as.POSIXct(d$time, format = "%Y-%m-%dT%H:%M:%OSZ", tz = "UTC")
  d
}'''

blocks = []
for doc in ["README.md"] + sorted(glob.glob(os.path.join(repo, "docs", "*.md"))):
    path = os.path.join(repo, doc)
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        m = re.fullmatch(r"```(python|r|R)\s*", lines[i])
        if m:
            j = i + 1
            while not lines[j].startswith("```"): j += 1
            blocks.append((os.path.relpath(path, repo), i + 1, m.group(1).lower(), "\n".join(lines[i + 1:j])))
            i = j
        i += 1

have_r_arrow = subprocess.run(["Rscript", "-e", "library(arrow)"], capture_output=True).returncode == 0
env = dict(os.environ, MPLBACKEND="Agg", DUCKDB_SQL=os.path.join(tmp, "duckdb_sql.mjs"))
failed = 0
for doc, line, lang, code in blocks:
    if lang == "python":
        cmd = [sys.executable, "-c", PY_PRELUDE + "\n" + code]
    else:
        if not have_r_arrow:
            code = re.sub(r"(?m)^library\(arrow\)\s*$", lambda m: R_ARROW_SHIM, code)
        cmd = ["Rscript", "-e", code]
    r = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
    print(f"{'ok  ' if r.returncode == 0 else 'FAIL'} {doc}:{line} ({lang})")
    if r.returncode:
        failed += 1
        print(r.stdout[-2000:] + r.stderr[-4000:], file=sys.stderr)
if not blocks:
    print("doc-snippets: no python or r blocks found", file=sys.stderr); sys.exit(2)
sys.exit(1 if failed else 0)
PY
