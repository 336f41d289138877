// Chapter 3 — Embedding 技术 (the fingerprint): what a trained vector holds.
//
// The one idea: a dictionary gives each word a place (an order, a number); an embedding gives it
// a fingerprint, a vector learned from the sentences the word appears in. The course's example:
// 快乐 (happy) and 悲伤 (sad) sit close together in a paper dictionary (both written with the
// heart radical 心, a few pages apart), yet their vectors point far apart, because they are used
// in opposite sentences. The vector holds what the dictionary order does not: meaning (快乐 lies
// next to 开心 and 高兴), sentiment (a direction from sad to happy words), and the role a word
// plays in a sentence (things eaten sit with things eaten, places with places).
//
// Training happens here, in about a second: word2vec (the framework's word2vec/ API) learns
// D = 16 numbers per word from data/feelings_corpus.txt, whose Chinese is cut into words by
// ICU's dictionary, so 快乐 is one token. Nothing pretrained is shipped. Try
// --corpus chinese_poems.txt for real text (Tang and Song poems): there 快乐 is a rare word, seen
// 45 times (no modern Chinese text with a suitable licence was found in Debian or npm, see
// data/README.md), and the chapter shows what that does to its fingerprint next to a frequent
// word's.
//
// Run: ch03_fingerprint [--corpus feelings_corpus.txt] [--happy 快乐,开心,高兴]
//                       [--sad 悲伤,难过,忧伤] [--dim 16] [--epochs 10] [--seed 1]   (--help)
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;
using word2vec::KeyedVectors;

namespace {

// Keeps the words the vectors know; the others are named once, so a learner's typo shows.
std::vector<std::string> known(const KeyedVectors& kv, const std::vector<std::string>& words,
                               const char* what) {
  std::vector<std::string> kept, missing;
  for (const std::string& word : words)
    (kv.contains(word) ? kept : missing).push_back(word);
  if (!missing.empty()) {
    fmt::print("  ({} not in the trained vocabulary, left out: {})\n", what,
               fmt::join(missing, ", "));
  }
  return kept;
}

// The mean of some words' vectors, a (D) tensor.
Tensor mean_vector(const KeyedVectors& kv, const std::vector<std::string>& words) {
  Tensor total = kv.vector(words[0]);
  for (size_t i = 1; i < words.size(); ++i)
    total = total + kv.vector(words[i]);
  return total * (1.0f / static_cast<float>(words.size()));
}

float cosine(const Tensor& a, const Tensor& b) {
  return cosine_similarity(a, b).item();
}

// Writes the first `lines` non-empty lines of `source` to `slice` (all of them when 0).
void write_slice(const std::string& source, const std::string& slice, int64_t lines) {
  std::ifstream in(source, std::ios::binary);
  std::ofstream out(slice, std::ios::binary);
  std::string line;
  for (int64_t n = 0; (lines == 0 || n < lines) && std::getline(in, line);) {
    if (line.empty()) continue;
    out << line << '\n';
    ++n;
  }
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({3, "Embedding 技术", "the fingerprint"},
                            "Close in the dictionary, far apart as vectors: a trained vector "
                            "holds meaning, sentiment and role.");
  std::string corpus = "feelings_corpus.txt";
  std::vector<std::string> happy = {"快乐", "开心", "高兴"};
  std::vector<std::string> sad = {"悲伤", "难过", "忧伤"};
  std::vector<std::string> food = {"饺子", "面条", "米饭", "包子", "蛋糕"};
  std::vector<std::string> places = {"公园", "花园", "学校", "海边", "厨房"};
  int64_t dim = 16, epochs = 10, window = 4, min_count = 2, lines = 0, seed = 1;
  chapter.knob("--corpus", corpus, "the text to train on (a file in data/, or an absolute path)");
  chapter.knob("--lines", lines, "train on only the first N lines (0: all of them)");
  chapter.knob("--happy", happy, "happy words; the first is compared with the first sad word");
  chapter.knob("--sad", sad, "sad words (the opposite sentiment)");
  chapter.knob("--food", food, "words for things eaten (one role in a sentence)");
  chapter.knob("--places", places, "words for places (another role)");
  chapter.knob("--dim", dim, "D: numbers in each word's fingerprint");
  chapter.knob("--epochs", epochs, "passes of word2vec over the corpus");
  chapter.knob("--window", window, "context words on each side that word2vec looks at");
  chapter.knob("--min-count", min_count, "words seen fewer times get no vector");
  chapter.knob("--seed", seed, "random seed of the training");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  if (happy.size() < 2 || sad.size() < 2) {
    throw ValueError(fmt::format("--happy and --sad need at least 2 words each, got {} and {}",
                                 happy.size(), sad.size()));
  }
  const std::string word_a = happy[0], word_b = sad[0];

  // 1. The paper dictionary. A Chinese dictionary orders characters by radical, then strokes;
  //    Unicode orders its 20,992 unified ideographs (U+4E00..U+9FFF) the same way, so the code
  //    point of a word's first character says where it sits in such a dictionary.
  const auto first_code_point = [](const std::string& word) {
    return text::decode_utf8(word, 0).code_point;
  };
  const char32_t cp_a = first_code_point(word_a), cp_b = first_code_point(word_b);
  const double apart = std::fabs(static_cast<double>(cp_a) - static_cast<double>(cp_b));
  fmt::print("1. in a dictionary ordered by radical and strokes (Unicode's order):\n");
  fmt::print("   {} starts at U+{:04X}, {} at U+{:04X}: {:.0f} characters apart", word_a,
             static_cast<uint32_t>(cp_a), word_b, static_cast<uint32_t>(cp_b), apart);
  if (text::is_cjk_ideograph(cp_a) && text::is_cjk_ideograph(cp_b)) {
    fmt::print(", {:.1f}% of the 20,992 in the main block", 100.0 * apart / 20992.0);
  }
  fmt::print("\n");

  // 2. Train the fingerprints: word2vec on the corpus (Chinese cut into words by ICU).
  const std::string source = chapter.data_file(corpus).string();
  const std::string slice = chapter.output_file("ch03_corpus_slice.txt").string();
  write_slice(source, slice, lines);
  word2vec::Word2VecOptions options;
  options.dim = dim;
  options.epochs = epochs;
  options.window = window;
  options.min_count = min_count;
  options.seed = static_cast<uint64_t>(seed);
  word2vec::Word2Vec model(options);
  const word2vec::TrainStats stats = model.train(slice);
  const KeyedVectors& kv = model.keyed_vectors();
  fmt::print("\n2. word2vec on {} ({} words, {} distinct, {} epochs): every word gets {} numbers\n",
             corpus, stats.corpus_words, stats.vocab_size, epochs, dim);
  const std::vector<std::string> sorted_words = [&] {
    std::vector<std::string> words = kv.words();
    std::sort(words.begin(), words.end());  // UTF-8 byte order is code point order
    return words;
  }();
  const auto rank_of = [&](const std::string& w) {
    return std::lower_bound(sorted_words.begin(), sorted_words.end(), w) - sorted_words.begin();
  };
  if (!kv.contains(word_a) || !kv.contains(word_b)) {
    throw ValueError(
        fmt::format("{} or {} is not in the trained vocabulary of {} (seen fewer "
                    "than --min-count {} times?)",
                    word_a, word_b, corpus, min_count));
  }
  const auto& vocab = model.vocab();
  fmt::print("   {} seen {} times, {} seen {} times\n", word_a, vocab.count(vocab.id(word_a)),
             word_b, vocab.count(vocab.id(word_b)));
  fmt::print("   sorted like a dictionary, this vocabulary puts {} at #{} and {} at #{} of {}\n",
             word_a, rank_of(word_a), word_b, rank_of(word_b), sorted_words.size());
  const Tensor fingerprint = kv.vector(word_a);
  const auto shown = std::min<int64_t>(6, dim);
  fmt::print("   fingerprint of {}: [{:.2f}{}]\n", word_a,
             fmt::join(fingerprint.data().begin(), fingerprint.data().begin() + shown, ", "),
             dim > shown ? ", ..." : "");

  // 3. Meaning: the nearest fingerprints of the first happy word.
  fmt::print("\n3. meaning: nearest words to {} (cosine of the fingerprints):\n  ", word_a);
  for (const auto& [neighbour, cos] : kv.most_similar(word_a, 5))
    fmt::print(" {} {:.2f}", neighbour, cos);
  fmt::print("\n");
  // A fingerprint is only as good as the sentences behind it. When the first happy word is rare
  // in this corpus (快乐 in classical poems), the most frequent word of the two lists is shown
  // beside it: same training, more sentences, and its neighbours start to make sense.
  const auto seen = [&](const std::string& w) { return vocab.count(vocab.id(w)); };
  std::string common = word_a;
  for (const std::vector<std::string>* list : {&happy, &sad}) {
    for (const std::string& w : *list) {
      if (kv.contains(w) && seen(w) > seen(common)) common = w;
    }
  }
  if (seen(common) >= 2 * seen(word_a)) {
    fmt::print("   {} is seen {} times, {} {} times ({:.1f}x as often); nearest words to {}:\n  ",
               word_a, seen(word_a), common, seen(common),
               static_cast<double>(seen(common)) / static_cast<double>(seen(word_a)), common);
    for (const auto& [neighbour, cos] : kv.most_similar(common, 5))
      fmt::print(" {} {:.2f}", neighbour, cos);
    fmt::print("\n");
  }

  // 4. Sentiment: same-sentiment pairs against opposite pairs.
  const std::vector<std::string> h = known(kv, happy, "happy words");
  const std::vector<std::string> s = known(kv, sad, "sad words");
  if (h.size() < 2 || s.size() < 2) {
    throw ValueError(fmt::format("need 2 known happy and 2 known sad words, have {} and {}",
                                 h.size(), s.size()));
  }
  const float same = kv.similarity(word_a, h[1]);
  const float opposite = kv.similarity(word_a, word_b);
  fmt::print("\n4. sentiment: cos({}, {}) = {:.2f}, cos({}, {}) = {:.2f}\n", word_a, h[1], same,
             word_a, word_b, opposite);
  fmt::print(
      "   close in the dictionary, far apart as vectors: {} ({} is {:.3f} closer to {} "
      "than to {})\n",
      same > opposite ? "yes" : "no", word_a, same - opposite, h[1], word_b);
  // The sentiment direction: from the first sad word to the first happy word. Every other
  // feeling word is then read off by its cosine with that direction: > 0 leans happy.
  const Tensor direction = kv.vector(word_a) - kv.vector(word_b);
  int right = 0, tested = 0;
  fmt::print("   direction {} - {}; the other words on it (> 0: happy side):\n  ", word_a, word_b);
  for (const auto& [words, sign] : {std::pair{h, 1.0f}, std::pair{s, -1.0f}}) {
    for (size_t i = 1; i < words.size(); ++i) {
      const float along = cosine(kv.vector(words[i]), direction);
      fmt::print(" {} {:+.2f}", words[i], along);
      right += along * sign > 0;
      ++tested;
    }
  }
  fmt::print("\n   words the direction puts on their own side: {}/{}\n", right, tested);
  // The mean of all happy minus all sad words is a steadier direction; its two ends, over the
  // whole vocabulary, show what it carries.
  const Tensor mean_direction = mean_vector(kv, h) - mean_vector(kv, s);
  const auto happy_end = kv.most_similar_to_vector(mean_direction, 5);
  const auto sad_end = kv.most_similar_to_vector(-mean_direction, 5);
  fmt::print("   the words most along mean(happy) - mean(sad):");
  for (const auto& [w, cos] : happy_end)
    fmt::print(" {}", w);
  fmt::print("\n   the words most against it:                   ");
  for (const auto& [w, cos] : sad_end)
    fmt::print(" {}", w);
  fmt::print("\n");

  // 5. Role: things eaten and places fill different slots of a sentence (吃 __, 在 __). Is each
  //    word's nearest among the others of both lists one of its own kind?
  const std::vector<std::string> f = known(kv, food, "food words");
  const std::vector<std::string> p = known(kv, places, "place words");
  int same_role = 0, asked = 0;
  std::vector<std::string> all = f;
  all.insert(all.end(), p.begin(), p.end());
  for (size_t i = 0; i < all.size() && f.size() >= 2 && p.size() >= 2; ++i) {
    std::string best;
    float best_cos = -2.0f;
    for (size_t j = 0; j < all.size(); ++j) {
      const float c = j == i ? -2.0f : kv.similarity(all[i], all[j]);
      if (c > best_cos) best_cos = c, best = all[j];
    }
    const bool i_food = i < f.size();
    const bool best_food = std::find(f.begin(), f.end(), best) != f.end();
    same_role += i_food == best_food;
    ++asked;
  }
  if (asked == 0) {
    fmt::print("\n5. role: skipped, it needs 2 known food and 2 known place words\n");
  } else {
    fmt::print(
        "\n5. role: words whose nearest (among {} food and {} place words) has the same "
        "role: {}/{}\n",
        f.size(), p.size(), same_role, asked);
  }

  // 6. The picture: every fingerprint of the lists, PCA to 2-D, coloured by kind.
  std::vector<std::string> map_words, map_groups;
  for (const auto& [words, group] :
       {std::pair{h, "happy"}, std::pair{s, "sad"}, std::pair{f, "food"}, std::pair{p, "place"}}) {
    map_words.insert(map_words.end(), words.begin(), words.end());
    map_groups.insert(map_groups.end(), words.size(), group);
  }
  word2vec::WordMapOptions map_options;
  map_options.title = fmt::format("Fingerprints from {} (D = {}), PCA to 2-D", corpus, dim);
  map_options.groups = map_groups;
  const std::string map_path = chapter.output_file("ch03_fingerprint_map.svg").string();
  const word2vec::PcaResult map = word2vec::save_word_map(kv, map_words, map_path, map_options);
  fmt::print(
      "\nwrote {} ({} words; the two axes keep {:.0f}% of their spread)\n",
      chapter.output_file("ch03_fingerprint_map.svg").filename().string(), map_words.size(),
      100 * (map.explained_variance_ratio[0] +
             (map.explained_variance_ratio.size() > 1 ? map.explained_variance_ratio[1] : 0)));

  const int64_t rare = std::min(vocab.count(vocab.id(word_a)), vocab.count(vocab.id(word_b)));
  chapter.finish(
      same > opposite
          ? fmt::format("{} and {} are neighbours in the dictionary but not as vectors: the "
                        "fingerprint is learned from use.",
                        word_a, word_b)
          : fmt::format("with {} sightings of the rarer word, this run did not pull {} and {} "
                        "apart: a fingerprint needs enough sentences.",
                        rare, word_a, word_b),
      {fmt::format("{} --corpus chinese_poems.txt --min-count 3 --epochs 3 --happy 快乐,欢喜,欢乐 "
                   "--sad 悲伤,伤心,忧愁   (real Tang and Song poems: {} is rare there; whose "
                   "neighbours make sense, its own or a frequent word's?)",
                   chapter.program(), word_a),
       fmt::format("{} --dim 2   (two numbers per word: is the sentiment still there?)",
                   chapter.program()),
       fmt::format("{} --happy happy,glad,joyful --sad sad,gloomy,unhappy   (the same in English)",
                   chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
