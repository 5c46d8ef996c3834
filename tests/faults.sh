#!/usr/bin/env bash
# Fault injection for the file-system part of issue 21: builds killed at random moments,
# a full disk, FIFOs, folders, /dev/zero links and symbolic-link loops where files should
# be. A build must never hang, never leave a partial PDF or a temporary file, and always
# say what is wrong.
#
#   tests/faults.sh [BINARY]      (from the repository root; BINARY: target/release/paiban)
#   KILLS=10 tests/faults.sh      (kills per signal and edition; default 50)
#
# Needs bash, coreutils and qpdf; the full-disk cases mount a small tmpfs (root) and are
# skipped with a message where mounting is not permitted. Prints a table of cases and
# results; exits 1 when any case fails.
set -u

BIN=${1:-target/release/paiban}
KILLS=${KILLS:-50}
LIMIT=20 # seconds a build may take before it counts as hung

if [ ! -f Cargo.toml ] || [ ! -d input/weidong ] || [ ! -d input/jump ]; then
    echo "run from the repository root" >&2
    exit 2
fi
if [ ! -x "$BIN" ]; then
    echo "no binary at $BIN (cargo build --release)" >&2
    exit 2
fi
if ! command -v qpdf >/dev/null; then
    echo "qpdf is needed (apt-get install qpdf)" >&2
    exit 2
fi
BIN=$(realpath "$BIN")
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/paiban-faults.XXXXXX)
MOUNTED=""
cleanup() {
    [ -n "$MOUNTED" ] && umount "$MOUNTED" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

RESULTS=()
FAILED=0
# record CASE RESULT DETAIL
record() {
    RESULTS+=("$1|$2|$3")
    case $2 in PASS | SKIP) ;; *) FAILED=1 ;; esac
    printf '  %-44s %-5s %s\n' "$1" "$2" "$3" >&2
}

# Temporary files of paiban's in a folder and its cache (new and older name forms).
temps() {
    find "$1" -maxdepth 2 \( -name '.paiban-*.tmp' -o -name '*.tmp[0-9]*' \) 2>/dev/null
}

# PDFs in a folder that qpdf finds damaged, one per line.
bad_pdfs() {
    local f
    for f in "$1"/*.pdf; do
        [ -e "$f" ] || continue
        qpdf --check "$f" >/dev/null 2>&1 || echo "$(basename "$f")"
    done
}

# The CreationDate of a PDF (each build below has its own SOURCE_DATE_EPOCH).
stamp() {
    grep -a -o 'CreationDate *(D:[0-9]*' "$1" 2>/dev/null | head -1 | tr -dc 0-9
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A copy of the example editions: $WORK/in/{weidong,jump} share stories and the fonts.
mkdir -p "$WORK/in"
cp -r input/weidong input/jump "$WORK/in/"
ln -s "$ROOT/fonts" "$WORK/fonts"

# ---------------------------------------------------------------------------------------
# 1. Builds killed at random moments (SIGKILL and SIGINT), each followed by a build that
#    must succeed and leave no temporary file; after each kill every PDF must be complete
#    and the pages of a split build must come from one build.
kill_case() {
    local sig=$1 name=$2
    shift 2
    local out="$WORK/kill-$sig-$name" i pid delay start t bad left leftover=0 swept=0 mixed=0
    local problems=""
    "$BIN" build "$WORK/in/$name" "$@" -o "$out" -q || {
        record "kill -$sig: $name" FAIL "the first build failed"
        return
    }
    # A build's time, warm and from a cold cache: the kills land anywhere in it.
    start=$(now_ms)
    "$BIN" build "$WORK/in/$name" "$@" -o "$out" -q
    local warm=$(($(now_ms) - start + 5))
    rm -rf "$out/.paiban-cache"
    start=$(now_ms)
    "$BIN" build "$WORK/in/$name" "$@" -o "$out" -q
    local cold=$(($(now_ms) - start + 5))
    for i in $(seq 1 "$KILLS"); do
        # Every third build from a cold cache (photos and subsets written into it).
        t=$warm
        if [ $((i % 3)) -eq 0 ]; then
            rm -rf "$out/.paiban-cache"
            t=$cold
        fi
        SOURCE_DATE_EPOCH=$((1700000000 + i * 86400)) "$BIN" build "$WORK/in/$name" "$@" -o "$out" -q &
        pid=$!
        delay=$((RANDOM % t))
        sleep "$(printf '0.%03d' "$delay")"
        kill -s "$sig" "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        bad=$(bad_pdfs "$out")
        [ -n "$bad" ] && problems+=" damaged after kill $i: $bad;"
        if [ "$name" = jump ]; then
            local a b
            a=$(stamp "$out/jump-p01.pdf")
            b=$(stamp "$out/jump-p02.pdf")
            [ "$a" != "$b" ] && mixed=$((mixed + 1))
        fi
        [ -n "$(temps "$out")" ] && leftover=$((leftover + 1))
        if ! timeout "$LIMIT" "$BIN" build "$WORK/in/$name" "$@" -o "$out" -q; then
            problems+=" build after kill $i failed;"
            continue
        fi
        left=$(temps "$out")
        [ -n "$left" ] && problems+=" after kill $i left $(echo "$left" | xargs -n1 basename | tr '\n' ' ');"
        bad=$(bad_pdfs "$out")
        [ -n "$bad" ] && problems+=" damaged after rebuild $i: $bad;"
        swept=$((swept + 1))
    done
    local detail="$KILLS kills (0-$warm ms warm, 0-$cold ms cold), temporaries after $leftover of them, none after the next build"
    if [ "$name" = jump ]; then
        if [ "$sig" = INT ] && [ "$mixed" -gt 0 ]; then
            problems+=" pages of different builds after $mixed kills;"
        fi
        detail+="; pages of different builds after $mixed kills"
    fi
    if [ -n "$problems" ]; then
        record "kill -$sig: $name $*" FAIL "${problems:0:300}"
    else
        record "kill -$sig: $name $*" PASS "$detail"
    fi
}

echo "killing builds ($KILLS per case) ..." >&2
for sig in KILL INT; do
    kill_case "$sig" weidong
    kill_case "$sig" jump --split
done

# ---------------------------------------------------------------------------------------
# 2. A full disk: a 300 KB tmpfs (nothing fits), then a split build with room for one page.
full_disk() {
    local mnt="$WORK/full" out r
    mkdir -p "$mnt"
    if ! mount -t tmpfs -o size=300k tmpfs "$mnt" 2>/dev/null; then
        record "full disk (300 KB tmpfs)" SKIP "mount not permitted here"
        record "full disk mid-split (old pages kept)" SKIP "mount not permitted here"
        return
    fi
    MOUNTED=$mnt
    out="$mnt/out"
    timeout "$LIMIT" "$BIN" build "$WORK/in/weidong" -o "$out" -q 2>"$WORK/err"
    r=$?
    local msg left pdfs
    msg=$(grep -m1 'error' "$WORK/err")
    left=$(find "$mnt" -name '*.tmp*')
    pdfs=$(find "$mnt" -name '*.pdf')
    if [ "$r" -ne 0 ] && [ "$r" -ne 124 ] && grep -q 'No space left on device' "$WORK/err" &&
        grep -q 'disk is full' "$WORK/err" && [ -z "$left" ] && [ -z "$pdfs" ]; then
        record "full disk (300 KB tmpfs)" PASS "exit $r: ${msg:0:110}"
    else
        record "full disk (300 KB tmpfs)" FAIL "exit $r, left: $left $pdfs; ${msg:0:100}"
    fi

    # Room for the first page's temporary file only: nothing may change.
    rm -rf "$out"
    mount -o remount,size=8m "$mnt"
    "$BIN" build "$WORK/in/jump" --split --no-cache -o "$out" -q
    local before used after
    before=$(cd "$out" && md5sum jump-p0*.pdf)
    used=$(du -sk "$mnt" | cut -f1)
    mount -o remount,size=$((used + 2400))k "$mnt"
    SOURCE_DATE_EPOCH=1800000000 timeout "$LIMIT" "$BIN" build "$WORK/in/jump" --split \
        --no-cache -o "$out" -q 2>"$WORK/err"
    r=$?
    after=$(cd "$out" && md5sum jump-p0*.pdf)
    left=$(find "$mnt" -name '*.tmp*')
    msg=$(grep -m1 'error' "$WORK/err")
    if [ "$r" -ne 0 ] && [ "$r" -ne 124 ] && [ "$before" = "$after" ] && [ -z "$left" ] &&
        grep -q 'No space left on device' "$WORK/err"; then
        record "full disk mid-split (old pages kept)" PASS "exit $r, both old pages intact: ${msg:0:80}"
    else
        record "full disk mid-split (old pages kept)" FAIL "exit $r, pages same: $([ "$before" = "$after" ] && echo yes || echo no), left: $left; ${msg:0:80}"
    fi
    umount "$mnt" && MOUNTED=""
}
echo "full disk ..." >&2
full_disk

# ---------------------------------------------------------------------------------------
# 3. FIFOs, folders and /dev/zero links as cache entries: the build finishes, the PDF the same.
cache_case() {
    local kind=$1 out="$WORK/cache-$1" e r
    "$BIN" build "$WORK/in/weidong" -o "$out" -q
    local want
    want=$(md5sum <"$out/weidong.pdf")
    for e in "$out"/.paiban-cache/*; do
        rm -f "$e"
        case $kind in
        fifo) mkfifo "$e" ;;
        folder) mkdir "$e" ;;
        /dev/zero) ln -s /dev/zero "$e" ;;
        loop) ln -s "$(basename "$e")" "$e" ;;
        esac
    done
    timeout "$LIMIT" "$BIN" build "$WORK/in/weidong" -o "$out" -q 2>"$WORK/err"
    r=$?
    if [ "$r" -eq 124 ]; then
        record "cache entries: $kind" FAIL "hung (killed after $LIMIT s)"
    elif [ "$r" -ne 0 ]; then
        record "cache entries: $kind" FAIL "exit $r: $(head -c 150 "$WORK/err")"
    elif [ "$(md5sum <"$out/weidong.pdf")" != "$want" ]; then
        record "cache entries: $kind" FAIL "another PDF"
    elif [ -n "$(find "$out/.paiban-cache" -mindepth 1 ! -type f)" ]; then
        record "cache entries: $kind" FAIL "still there: $(find "$out/.paiban-cache" -mindepth 1 ! -type f | head -2)"
    else
        record "cache entries: $kind" PASS "built, same PDF, entries made again"
    fi
}
echo "cache entries ..." >&2
for kind in fifo folder /dev/zero loop; do cache_case "$kind"; done

# ---------------------------------------------------------------------------------------
# 4. The same as input files: story, page plan, layout, font, photo. A clear error, at once.
input_case() {
    local what=$1 kind=$2 ed="$WORK/input-case/weidong" target out="$WORK/input-out" r
    rm -rf "$WORK/input-case" "$out"
    mkdir -p "$WORK/input-case"
    cp -r "$WORK/in/weidong" "$ed"
    ln -s "$ROOT/fonts" "$WORK/input-case/fonts"
    case $what in
    story) target=stories/sizhua.md ;;
    plan) target=p05.toml ;;
    photo) target=photos/signing.jpg ;;
    layout)
        mkdir "$ed/layouts"
        target=layouts/broadsheet.toml
        ;;
    font)
        mkdir "$ed/layouts"
        sed -e "s#\"\\.\\./fonts/#\"$ROOT/fonts/#" -e 's#^serif = "[^"]*"#serif = "../body.ttf"#' \
            layouts/broadsheet.toml >"$ed/layouts/broadsheet.toml"
        target=body.ttf
        ;;
    esac
    rm -f "$ed/$target"
    case $kind in
    fifo) mkfifo "$ed/$target" ;;
    folder) mkdir "$ed/$target" ;;
    /dev/zero) ln -s /dev/zero "$ed/$target" ;;
    loop)
        ln -s loop-b "$ed/loop-a"
        ln -s loop-a "$ed/loop-b"
        ln -s "$ed/loop-a" "$ed/$target"
        ;;
    esac
    local want
    case $kind in
    fifo) want='not a regular file (a FIFO)' ;;
    folder) want='is a folder, not a file' ;;
    /dev/zero) want='not a regular file (a device)' ;;
    loop) want='symbolic-link loop' ;;
    esac
    timeout "$LIMIT" "$BIN" build "$ed" -o "$out" 2>"$WORK/err"
    r=$?
    local msg
    msg=$(grep -m1 'error' "$WORK/err" | sed "s#$WORK/input-case/##g")
    if [ "$r" -eq 124 ]; then
        record "input $what: $kind" FAIL "hung (killed after $LIMIT s)"
    elif [ "$r" -ne 1 ] || ! grep -q "$want" "$WORK/err"; then
        record "input $what: $kind" FAIL "exit $r: ${msg:0:140}"
    elif [ -n "$(find "$out" -name '*.pdf' 2>/dev/null)" ]; then
        record "input $what: $kind" FAIL "a PDF was written"
    else
        record "input $what: $kind" PASS "exit 1: ${msg:0:110}"
    fi
}
echo "input files ..." >&2
for what in story plan layout font photo; do
    for kind in fifo folder /dev/zero loop; do input_case "$what" "$kind"; done
done

# ---------------------------------------------------------------------------------------
# 5. An edition name of 247 characters (the PDF's name 251, under NAME_MAX).
long=$(printf 'x%.0s' $(seq 1 247))
cp -r "$WORK/in/weidong" "$WORK/in/$long"
if timeout "$LIMIT" "$BIN" build "$WORK/in/$long" -o "$WORK/long" -q 2>"$WORK/err" &&
    [ -f "$WORK/long/$long.pdf" ] && [ -z "$(temps "$WORK/long")" ]; then
    record "247-character edition name" PASS "written"
else
    record "247-character edition name" FAIL "$(head -c 150 "$WORK/err")"
fi

# ---------------------------------------------------------------------------------------
echo
printf '%-46s %-5s %s\n' CASE RESULT DETAIL
printf '%-46s %-5s %s\n' ---- ------ ------
for r in "${RESULTS[@]}"; do
    IFS='|' read -r c res d <<<"$r"
    printf '%-46s %-5s %s\n' "$c" "$res" "$d"
done
pass=$(printf '%s\n' "${RESULTS[@]}" | grep -c '|PASS|')
echo
echo "$pass of ${#RESULTS[@]} cases passed$([ "$FAILED" -ne 0 ] && echo '; FAILURES above')"
exit "$FAILED"
