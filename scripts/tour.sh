#!/usr/bin/env bash
# The main job: installs what is missing, builds the tour preset (only the chapters and
# embedlab-word2vec, made quick to compile: Ninja, a unity build, precompiled headers, -Og for
# what runs once; README "Building by hand"), and runs the tutorial tour on the bundled data:
# every chapter in course order, then word2vec on the bundled corpora. Pictures (SVG) land in
# build/tour/tour/. Usage: scripts/tour.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
scripts/setup.sh --tour  # only what the tour builds and runs; scripts/test.sh installs the rest
cmake --preset tour >/dev/null
cmake --build --preset tour -j "$(nproc)"  # the preset's targets: tour and embedlab-word2vec

build="$repo/build/tour"
out="$build/tour"
mkdir -p "$out"
bin="$build/tutorials"
stamp=$(mktemp)  # pictures newer than this were written by this tour
trap 'rm -f "$stamp"' EXIT
# The 13 chapters in course order, one per section of the course (docs/tutorials.md).
chapters=(ch01_what_is_an_embedding ch02_properties ch03_fingerprint ch04_embedding_layer
          ch05_tensors ch06_vectorisation ch07_happy_or_sad ch08_dimensionality_reduction
          ch09_generalisation ch10_similarity ch11_efficiency ch12_counting_parameters
          ch13_beyond_words)
for chapter in "${chapters[@]}"; do
  if [[ ! -x "$bin/$chapter" ]]; then
    printf '\n======== %s: not built yet, skipped ========\n' "$chapter"
    continue
  fi
  # The first line of --help names the course section: "Course section N: 中文 (English). ..."
  title=$("$bin/$chapter" --help | sed -n '1{s/)\. .*/)/;p}')
  printf '\n======== %s — %s ========\n' "$chapter" "$title"
  "$bin/$chapter" --data "$repo/data" --out "$out"
done

printf '\n======== word2vec on data/feelings_corpus.txt ========\n'
"$build/word2vec/embedlab-word2vec" "$repo/data/feelings_corpus.txt" \
  --dim 32 --window 4 --epochs 10 --min-count 3 --seed 1 --no-progress \
  --probe happy,sad,快乐,悲伤 --output "$out/feelings_vectors.txt" \
  --projector-dir "$out/projector" --map "$out/feelings_map.svg" \
  --loss-plot "$out/feelings_loss.svg" \
  --map-group "happy=happy,joyful,glad,cheerful,快乐,开心,高兴" \
  --map-group "sad=sad,gloomy,sorrowful,unhappy,悲伤,难过,忧伤" \
  --map-group "other=sunshine,rain,party,tears,smile,lonely,sister,morning,night"

# Real Chinese text: Tang and Song poems (data/README.md). Chinese is cut into words by ICU,
# so 快乐 and 伤心 are single tokens; 3 epochs keep this run to a few seconds.
printf '\n======== word2vec on data/chinese_poems.txt (real Chinese text) ========\n'
"$build/word2vec/embedlab-word2vec" "$repo/data/chinese_poems.txt" \
  --dim 24 --window 5 --epochs 3 --min-count 3 --seed 1 --no-progress \
  --probe 快乐,伤心,欢喜,月 --top 6 --map "$out/poems_map.svg" \
  --loss-plot "$out/poems_loss.svg" \
  --map-group "喜 joy=快乐,欢乐,欢喜,快活,笑" \
  --map-group "悲 sorrow=悲伤,伤心,忧愁,凄凉,泪" \
  --map-group "景 scenery=山,水,月,花,云"

printf '\nTour finished. Pictures it wrote (files are in %s):\n' "$out"
find "$out" -type f \( -name '*.svg' -o -name '*.png' \) -newer "$stamp" | sort | sed 's/^/  /'
