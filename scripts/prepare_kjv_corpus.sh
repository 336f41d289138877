#!/bin/sh
# prepare_kjv_corpus.sh: writes the King James Bible as a word2vec training corpus, one verse
# per line, in lowercase words separated by single spaces.
#
# Why this corpus: it is real English text (about 790,000 words, 12,500 distinct, 5,300 seen at
# least 5 times), large enough for word2vec to learn something (god ~ lord, king ~ the names
# of kings, water ~ thirsty) and small enough to train in seconds. It ships with Debian:
#   sudo apt-get install bible-kjv-text bible-kjv
# bible-kjv-text holds the compressed text (/usr/lib/bible.data); the `bible` program of
# bible-kjv decompresses it: `bible -f Gen1:1-Rev22:21` prints every verse as
# "Ge1:1 In the beginning God created the heaven and the earth."
#
# What this script does to each verse:
#   1. drops the reference ("Ge1:1 ");
#   2. lowercases (ASCII; the text has no other letters);
#   3. turns every character other than a-z, 0-9 and the apostrophe into a space, and keeps an
#      apostrophe only between two word characters ("king's" stays one word, as in embedlab's
#      tokenizer; quotes around words go);
#   4. squeezes spaces.
# So embedlab's tokenizer and a plain Python str.split() see exactly the same tokens, which is
# what scripts/compare_gensim.py needs to train both on the same words.
#
# Usage: scripts/prepare_kjv_corpus.sh [output]   (default: build/corpora/kjv.txt)
set -eu

out=${1:-build/corpora/kjv.txt}

if ! command -v bible >/dev/null 2>&1; then
  echo "prepare_kjv_corpus.sh: the 'bible' program is missing; install Debian's bible-kjv and" \
       "bible-kjv-text packages" >&2
  exit 2
fi

mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT

# -f turns pretty-printing off: one verse per line, preceded by its reference.
bible -f Gen1:1-Rev22:21 </dev/null |
  sed -E 's/^[^ ]+ //' |
  tr 'A-Z' 'a-z' |
  sed -E "s/[^a-z0-9']+/ /g; s/(^|[^a-z0-9])'+/\\1 /g; s/'+([^a-z0-9]|\$)/ \\1/g; s/ +/ /g; s/^ //; s/ \$//" |
  grep -v '^$' >"$tmp"

verses=$(wc -l <"$tmp")
if [ "$verses" -lt 31000 ]; then
  echo "prepare_kjv_corpus.sh: expected about 31,100 verses, got $verses; is bible-kjv-text" \
       "installed?" >&2
  exit 2
fi
mv "$tmp" "$out"
trap - EXIT
echo "wrote $out: $verses verses, $(wc -w <"$out") words"
