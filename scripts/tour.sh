#!/usr/bin/env bash
# The main job: installs what is missing, builds the release preset, and runs the tutorial
# tour on the bundled data: every chapter in course order, then word2vec on the bundled
# corpus. Pictures (SVG) land in build/release/tour/. Usage: scripts/tour.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
scripts/setup.sh --tour  # only what the tour builds and runs; scripts/test.sh installs the rest
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target tour embedlab-word2vec

out="$repo/build/release/tour"
mkdir -p "$out"
bin="$repo/build/release/tutorials"
chapters=(ch01_what_is_an_embedding ch04_embedding_layer ch05_tensors ch06_vectorisation
          ch07_happy_or_sad ch09_generalisation ch12_counting_parameters ch13_beyond_words)
for chapter in "${chapters[@]}"; do
  printf '\n======== %s ========\n' "$chapter"
  "$bin/$chapter" --data "$repo/data" --out "$out"
done

printf '\n======== word2vec on data/feelings_corpus.txt ========\n'
"$repo/build/release/word2vec/embedlab-word2vec" "$repo/data/feelings_corpus.txt" \
  --dim 32 --window 4 --epochs 10 --min-count 3 --seed 1 --no-progress \
  --probe happy,sad,快,悲 --output "$out/feelings_vectors.txt" \
  --projector-dir "$out/projector" --map "$out/feelings_map.svg" \
  --map-words happy joyful glad cheerful sad gloomy sorrowful unhappy 快 乐 开 心 高 兴 悲 伤 难 过 \
              sunshine rain party tears smile lonely sister morning night

printf '\nTour finished. Pictures and files are in %s\n' "$out"
