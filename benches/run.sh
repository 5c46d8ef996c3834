#!/usr/bin/env bash
# Whole-process timings of paiban builds with hyperfine (apt-get install hyperfine):
# the example page, and generated 10- and 100-page editions. Prints medians, min and max,
# and peak memory (GNU time). Usage: benches/run.sh [RUNS=10]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
cargo build --release -q
cargo build --release -q --example make_edition
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./target/release/examples/make_edition 10 "$tmp/ed10" >/dev/null
./target/release/examples/make_edition 100 "$tmp/ed100" >/dev/null
bin=./target/release/paiban
for case in "input/weidong" "$tmp/ed10" "$tmp/ed100"; do
  name=$(basename "$case")
  echo "== $name"
  # Warm run first: fills the photo cache as a desk's second build would find it.
  $bin -q build "$case" -o "$tmp/out-$name"
  hyperfine -N -w 2 -r "$runs" --export-json "$tmp/$name.json" "$bin -q build $case -o $tmp/out-$name" >/dev/null
  python3 - "$tmp/$name.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]["times"]
print(f"  warm cache: median {statistics.median(r)*1e3:.1f} ms, min {min(r)*1e3:.1f}, max {max(r)*1e3:.1f} ({len(r)} runs)")
PY
  hyperfine -N -w 1 -r 3 --export-json "$tmp/$name-cold.json" "$bin -q build $case -o $tmp/out-$name --no-cache" >/dev/null
  python3 - "$tmp/$name-cold.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]["times"]
print(f"  no cache:   median {statistics.median(r)*1e3:.1f} ms, min {min(r)*1e3:.1f}, max {max(r)*1e3:.1f} ({len(r)} runs)")
PY
  /usr/bin/time -f "  peak RSS %M KB" $bin -q build "$case" -o "$tmp/out-$name" 2>&1 | tail -1
  ls -l "$tmp/out-$name/$name.pdf" | awk '{printf "  PDF %.0f KB\n", $5/1024}'
done
# A rebuild after a text edit: each run puts a new pair of rare characters into a story of a
# copy of the page, so the body face's subset is made afresh (photos and the other faces come
# from the cache).
mkdir -p "$tmp/edit"
cp -r input/weidong "$tmp/edit/weidong"
cp "$tmp/edit/weidong/stories/qianshu.md" "$tmp/edit/pristine.md"
cat > "$tmp/edit/prep.py" <<'PY'
import sys
d = sys.argv[1]
n = int(open(f"{d}/n").read()) + 1 if __import__("os").path.exists(f"{d}/n") else 0
open(f"{d}/n", "w").write(str(n))
rare = "麒麟鳜鳝鲥鲟鲢鳊鳙鲮鲶鳟鲈鳕鲽鲑鳗鳐鳘鲂鲅鲇鲋鲎鲐鲚鲛鲞鲠鲡鲣鲦鲧鲨鲩鲪鳃鳄鳅鳆"
i, j = n % 40, (n // 40 + n % 40 + 1) % 40
text = open(f"{d}/pristine.md").read()
story = text.split("+++", 2)
story[2] = story[2].replace("。", rare[i] + rare[j] + "。", 1)
open(f"{d}/weidong/stories/qianshu.md", "w").write("+++".join(story))
PY
python3 "$tmp/edit/prep.py" "$tmp/edit"
$bin -q build "$tmp/edit/weidong" -o "$tmp/out-edit" --allow-overset
hyperfine -N -w 2 -r "$runs" --prepare "python3 $tmp/edit/prep.py $tmp/edit" --export-json "$tmp/edit.json" \
  "$bin -q build $tmp/edit/weidong -o $tmp/out-edit --allow-overset" >/dev/null
python3 - "$tmp/edit.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]["times"]
print(f"== weidong after a text edit (body face subset afresh): median {statistics.median(r)*1e3:.1f} ms, min {min(r)*1e3:.1f}, max {max(r)*1e3:.1f}")
PY
# A rebuild after a photo changed: the village photo is saved again (touched) before each
# run, so it is decoded, converted and re-encoded; the rest comes from the cache.
"$bin" -q build "$tmp/edit/weidong" -o "$tmp/out-photo" --allow-overset
hyperfine -N -w 1 -r "$runs" --prepare "touch $tmp/edit/weidong/photos/village.jpg" --export-json "$tmp/photo.json" \
  "$bin -q build $tmp/edit/weidong -o $tmp/out-photo --allow-overset" >/dev/null
python3 - "$tmp/photo.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]["times"]
print(f"== weidong after a photo changed (one photo prepared afresh): median {statistics.median(r)*1e3:.1f} ms, min {min(r)*1e3:.1f}, max {max(r)*1e3:.1f}")
PY
$bin proof input/weidong -o "$tmp/proof" -q
hyperfine -N -w 1 -r "$runs" --export-json "$tmp/proof.json" "$bin -q proof input/weidong -o $tmp/proof" >/dev/null
python3 - "$tmp/proof.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]["times"]
print(f"== proof PNG, 72 dpi: median {statistics.median(r)*1e3:.1f} ms, min {min(r)*1e3:.1f}, max {max(r)*1e3:.1f}")
PY
echo "== line breaking (criterion, copy/linebreak):"
cargo bench -q --bench stages -- copy/linebreak 2>/dev/null | grep -E 'time:|thrpt:'
