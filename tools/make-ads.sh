#!/usr/bin/env bash
# Makes the example ads (input/ads/ads/*.pdf) with paiban itself: each ad is a one-page plan
# of [[text]] blocks on a layout the size of its slot (tools/ads/). The ads are original:
# invented advertisers, our own wording, the project's OFL fonts.
set -euo pipefail
cd "$(dirname "$0")/.."
out=input/ads/ads
mkdir -p "$out"
for ad in kongtiao fanting; do
  cargo run --release --quiet -- build "tools/ads/$ad.toml" -o "$out" --no-cache -q
done
ls -l "$out"
