#!/usr/bin/env bash
# Rebuilds data/chinese_poems.txt, the real Chinese text bundled with embedlab, from the npm
# package chinese-poetry 2.0.1 (MIT licence; the poems themselves are centuries old and in the
# public domain). Only needed to regenerate or change the extract: the file is committed.
#
# What it does: downloads the package with `npm pack` (the ordinary npm client), takes the
# Tang and Song shi (quantangshi, traditional characters) and the Song ci (songci), writes one
# poem per line, converts traditional to simplified characters with OpenCC (Debian's opencc),
# then keeps every poem that names a feeling (快乐, 悲伤, 欢乐, 忧愁, 伤心, ...) and fills up with
# other poems drawn with a fixed seed, up to about 2 MB, so that word2vec trains on it in seconds.
# Usage: scripts/make_chinese_corpus.sh [output]   (default data/chinese_poems.txt)
# Needs: npm, python3, opencc (apt-get install opencc).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-data/chinese_poems.txt}"
for tool in npm python3 opencc; do
  command -v "$tool" >/dev/null || { echo "make_chinese_corpus: needs $tool" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent chinese-poetry@2.0.1 >/dev/null && tar xzf chinese-poetry-2.0.1.tgz)
dist="$work/package/dist"

# Phase 1: one poem per line, in traditional (Tang/Song shi) or simplified (Song ci) characters.
python3 - "$dist" "$work/poems_mixed.txt" <<'PY'
import glob, json, re, sys
dist, out = sys.argv[1], open(sys.argv[2], "w", encoding="utf-8")
for pattern in ("quantangshi/poet.tang.*.json", "quantangshi/poet.song.*.json",
                "songci/ci.song.*.json"):
    for path in sorted(glob.glob(f"{dist}/{pattern}")):
        for poem in json.load(open(path, encoding="utf-8")):
            text = "".join(p.strip() for p in poem.get("paragraphs", []) if isinstance(p, str))
            # Editors' notes sit in brackets, （一作「欲」）: they are not part of the poem. A □
            # marks a character lost from the sources; a "poem" of under 5 characters is a
            # fragment (or was only a note).
            text = re.sub(r"（[^（）]*）|\([^()]*\)|\[[^][]*\]", "", text)
            if len(re.findall(r"[\u4e00-\u9fff]", text)) >= 5 and "□" not in text:
                out.write(text + "\n")
PY

# Phase 2: traditional -> simplified, so that 快樂 and 快乐 are one word.
opencc -c t2s.json -i "$work/poems_mixed.txt" -o "$work/poems.txt"

# Phase 3: every poem that names a feeling, then others (fixed seed) up to the size limit.
python3 - "$work/poems.txt" "$out" <<'PY'
import random, sys
feelings = ("快乐 欢乐 快活 欢喜 喜悦 欢娱 欢笑 欢欣 愉快 高兴 开心 "
            "悲伤 伤心 忧愁 悲哀 哀伤 惆怅 凄凉 愁苦 悲愁 忧伤 烦恼 寂寞 流泪").split()
limit = 2_000_000  # bytes: word2vec trains on this in a few seconds
poems = [line.rstrip("\n") for line in open(sys.argv[1], encoding="utf-8")]
# Long poems would crowd out the rest; those naming the course's own words stay whatever their size.
poems = [p for p in poems if len(p) <= 200 or "快乐" in p or "悲伤" in p]
random.seed(2016)
random.shuffle(poems)
rank = {w: i for i, w in enumerate(feelings)}
def first_feeling(poem):
    hits = [rank[w] for w in feelings if w in poem]
    return min(hits) if hits else len(feelings)
poems.sort(key=first_feeling)  # stable: poems with the rarer feeling words come first
kept, size = [], 0
for poem in poems:
    if size + len(poem.encode()) + 1 > limit:
        continue
    kept.append(poem)
    size += len(poem.encode()) + 1
random.shuffle(kept)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("\n".join(kept) + "\n")
print(f"make_chinese_corpus: wrote {len(kept)} poems, {size} bytes to {sys.argv[2]}")
PY
