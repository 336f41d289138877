#!/usr/bin/env python3
"""Trains embedlab-word2vec and gensim's Word2Vec side by side on one corpus, with the same
settings and the same number of threads (--threads, default 1), and prints their speed and the
neighbours they learned.

Usage (Debian's python3 has python3-gensim; a pyenv/virtualenv python may not):
    scripts/prepare_kjv_corpus.sh                      # writes build/corpora/kjv.txt
    /usr/bin/python3 scripts/compare_gensim.py build/corpora/kjv.txt \
        --binary build/release/word2vec/embedlab-word2vec
or simply scripts/compare_word2vec.sh, which builds the release binary and runs this.

What is timed, exactly:
  embedlab  the epoch passes inside `train()`, as the program prints them ("in X s"): reading
            the file from disk and tokenising it again every epoch, subsampling, building
            batches, the fused loss op, backward and the SGD step. The first pass that counts
            words to build the vocabulary is not timed.
  gensim    the call model.train(sentences, ...) on sentences already tokenised in memory
            (lists of strings), with workers=--threads. build_vocab() is not timed.
  Both rates are "raw words/s": every token of the corpus (also those below min-count) times
  the number of epochs, divided by that time. CPU seconds are printed too, since wall time
  on a shared machine depends on the other processes.

Identical settings: sg or cbow, dim, window, negative, min-count, sample, epochs, and the
starting learning rate of word2vec.c (0.025 for sg, 0.05 for cbow) falling linearly to 1e-4 of
it; negative sampling only (gensim's hs=0).

Both tools read the same tokens: the corpus should already be lowercase words separated by
spaces (prepare_kjv_corpus.sh writes it so), which gensim splits with str.split() and embedlab's
tokenizer cuts identically. The script prints both vocabulary sizes as a check.

Quality: besides the neighbours of the probe words, it measures how much the two models agree
(overlap@10: the share of common words among the 10 nearest neighbours of 1,000 frequent words).
Word2vec is random, so two gensim runs with different seeds do not agree fully either; with
--quality a second gensim run (another seed) gives that baseline. Agreement between embedlab and
gensim close to the gensim-gensim baseline means the same quality. A second check compares
similarities themselves: the Spearman rank correlation, between the two models, of the cosine
similarities of 2,000 fixed random pairs of those frequent words (same baseline with --quality).
The last line, starting with "ROW |", sums the run up for scripts/compare_word2vec.sh.

If gensim is not installed, only embedlab runs.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("corpus", nargs="?", default="build/corpora/kjv.txt")
    p.add_argument("--binary", default="build/release/word2vec/embedlab-word2vec",
                   help="the embedlab-word2vec program (build it in Release)")
    p.add_argument("--model", choices=["sg", "cbow"], default="sg")
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-3)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=None, help="embedlab's --batch (default: its own)")
    p.add_argument("--threads", type=int, default=1,
                   help="embedlab's --threads and gensim's workers (default 1)")
    p.add_argument("--probes", default="god,king,david,jesus,water")
    p.add_argument("--topn", type=int, default=5)
    p.add_argument("--quality", action="store_true",
                   help="also train gensim with another seed, as the agreement baseline")
    return p.parse_args()


def run_embedlab(args, vectors_path):
    cmd = [args.binary, args.corpus, "--model", args.model, "--dim", str(args.dim),
           "--window", str(args.window), "--negative", str(args.negative),
           "--min-count", str(args.min_count), "--sample", str(args.sample),
           "--epochs", str(args.epochs), "--seed", str(args.seed), "--output", vectors_path,
           "--probe", args.probes.split(",")[0], "--no-progress", "--threads", str(args.threads)]
    if args.batch:
        cmd += ["--batch", str(args.batch)]
    print("embedlab:", " ".join(cmd), flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"embedlab-word2vec failed ({done.returncode}): {done.stderr.strip()}")
    m = re.search(r"\((\d+) distinct\).* in ([0-9.]+) s \(([0-9.]+) s CPU\)", done.stdout)
    if not m:
        sys.exit("could not read the training time from embedlab-word2vec's output:\n" + done.stdout)
    return int(m.group(1)), float(m.group(2)), float(m.group(3))


def run_gensim(args, sentences, seed):
    from gensim.models import Word2Vec
    # word2vec.c's learning rates (gensim's default alpha is 0.025 for CBOW too), decaying
    # linearly to lr * 1e-4, as embedlab does.
    alpha = 0.025 if args.model == "sg" else 0.05
    model = Word2Vec(vector_size=args.dim, window=args.window, negative=args.negative, hs=0,
                     min_count=args.min_count, sample=args.sample, sg=int(args.model == "sg"),
                     alpha=alpha, min_alpha=alpha * 1e-4, workers=args.threads, seed=seed)
    model.build_vocab(sentences)
    wall, cpu = time.perf_counter(), time.process_time()
    model.train(sentences, total_examples=model.corpus_count, epochs=args.epochs)
    return model.wv, time.perf_counter() - wall, time.process_time() - cpu


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def overlap_at_10(a, b, words):
    """Mean share of common words among the 10 nearest neighbours in a and in b."""
    total = 0.0
    for w in words:
        na = {x for x, _ in a.most_similar(w, topn=10)}
        nb = {x for x, _ in b.most_similar(w, topn=10)}
        total += len(na & nb) / 10.0
    return total / max(1, len(words))


def similarity_correlation(a, b, words, pairs=2000):
    """Spearman correlation of the cosine similarities of fixed random word pairs in a and b."""
    import random
    from scipy.stats import spearmanr
    rng = random.Random(0)
    chosen = [(rng.choice(words), rng.choice(words)) for _ in range(pairs)]
    chosen = [(x, y) for x, y in chosen if x != y]
    return spearmanr([a.similarity(x, y) for x, y in chosen],
                     [b.similarity(x, y) for x, y in chosen]).correlation


def main():
    args = parse_args()
    if not os.path.exists(args.corpus):
        sys.exit(f"corpus {args.corpus} not found; run scripts/prepare_kjv_corpus.sh first")
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found; build it: cmake --preset release && "
                 "cmake --build --preset release --target embedlab-word2vec")
    with open(args.corpus, encoding="utf-8") as f:
        sentences = [line.split() for line in f if line.strip()]
    raw_words = sum(len(s) for s in sentences) * args.epochs
    print(f"corpus {args.corpus}: {len(sentences)} sentences, {raw_words // args.epochs} words; "
          f"settings {args.model} dim {args.dim} window {args.window} negative {args.negative} "
          f"min-count {args.min_count} sample {args.sample} epochs {args.epochs}, "
          f"{args.threads} thread(s); load average {load_average()}\n")

    with tempfile.TemporaryDirectory() as tmp:
        vectors_path = os.path.join(tmp, "embedlab.txt")
        vocab, seconds, cpu = run_embedlab(args, vectors_path)
        print(f"embedlab: {raw_words / seconds:10.0f} raw words/s  ({seconds:.2f} s wall, "
              f"{raw_words / cpu:.0f} words/s by CPU time {cpu:.2f} s), vocabulary {vocab}")
        try:
            import gensim
            from gensim.models import KeyedVectors
        except ImportError:
            print("gensim is not installed here (Debian: apt-get install python3-gensim); "
                  "skipping it")
            return
        ours = KeyedVectors.load_word2vec_format(vectors_path, binary=False)
        theirs, g_seconds, g_cpu = run_gensim(args, sentences, args.seed)
        print(f"gensim {gensim.__version__}: {raw_words / g_seconds:6.0f} raw words/s  "
              f"({g_seconds:.2f} s wall, {raw_words / g_cpu:.0f} words/s by CPU time "
              f"{g_cpu:.2f} s), vocabulary {len(theirs)}")
        print(f"embedlab / gensim speed: {g_seconds / seconds:.2f}x (wall), "
              f"{g_cpu / cpu:.2f}x (CPU)\n")
        summary = (f"ROW | {os.path.basename(args.corpus)} | {args.model} | {args.threads} | "
               f"{raw_words / seconds:,.0f} | {raw_words / g_seconds:,.0f} | "
               f"{g_seconds / seconds:.2f}x | {g_cpu / cpu:.2f}x")

        print(f"top-{args.topn} neighbours (cosine):")
        for word in args.probes.split(","):
            for name, kv in (("embedlab", ours), ("gensim", theirs)):
                if word not in kv.key_to_index:
                    print(f"  {word:>10} {name:>8}: (not in the vocabulary)")
                    continue
                row = "  ".join(f"{w} {c:.2f}" for w, c in kv.most_similar(word, topn=args.topn))
                print(f"  {word:>10} {name:>8}: {row}")

        frequent = [w for w in theirs.index_to_key[50:1050] if w in ours.key_to_index]
        print(f"\noverlap@10 over {len(frequent)} frequent words (ranks 50-1050):")
        overlap = overlap_at_10(ours, theirs, frequent)
        print(f"  embedlab vs gensim: {overlap:.3f}")
        correlation = similarity_correlation(ours, theirs, frequent)
        print(f"similarity of 2,000 random pairs of them, Spearman correlation:\n"
              f"  embedlab vs gensim: {correlation:.3f}")
        baseline = ""
        if args.quality:
            other, _, _ = run_gensim(args, sentences, args.seed + 1)
            print(f"  gensim vs gensim (seeds {args.seed} and {args.seed + 1}): "
                  f"{overlap_at_10(other, theirs, frequent):.3f}   <- the baseline")
            print(f"  embedlab vs gensim (seed {args.seed + 1}): "
                  f"{overlap_at_10(ours, other, frequent):.3f}")
            base_corr = similarity_correlation(other, theirs, frequent)
            print(f"  Spearman, gensim vs gensim: {base_corr:.3f}   <- the baseline")
            baseline = f" (gensim-gensim {overlap_at_10(other, theirs, frequent):.3f}, {base_corr:.3f})"
        print(f"{summary} | {overlap:.3f}, {correlation:.3f}{baseline} | {load_average()}")


if __name__ == "__main__":
    main()
