// Chapter 10 — 作用 3: 相似性 (similarity): similar inputs map to nearby vectors, and a model can
// use that.
//
// The one idea: after training, "what is similar to X?" is a geometric question: the words
// whose vectors make the smallest angle with X's. The same geometry answers analogies (smile is
// to happy as ? is to sad: smile - happy + sad) and lets a model handle inputs it never saw:
// a sentence is labelled like its nearest labelled sentence, and "nearest" counts similar
// words, not only identical ones.
//
// Training happens here, in under a second: word2vec (the framework's word2vec/ API) learns
// D = 16 numbers per word from data/feelings_corpus.txt (Chinese cut into words by ICU), and
// data/happy_sad.tsv gives 60 labelled sentences, of which every third is held out. Nothing
// pretrained is shipped.
//
// Run: ch10_similarity [--probe happy,快乐,rain] [--analogy 唱歌,快乐,悲伤] [--dim 16]
//                      [--epochs 10] [--test-every 3] [--seed 1]   (--help lists all)
#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;
using word2vec::KeyedVectors;

namespace {

struct Example {
  std::string label;     // "happy" or "sad"
  std::string sentence;  // as written in the file
  std::vector<std::string> words;
};

// Reads label<TAB>sentence lines; the words are the tokenizer's (Chinese cut into words).
std::vector<Example> read_examples(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(fmt::format("cannot open {}", path));
  std::vector<Example> examples;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      throw FormatError(fmt::format("{} line {}: expected label<TAB>sentence", path, number));
    }
    const std::string sentence = line.substr(tab + 1);
    examples.push_back({line.substr(0, tab), sentence, text::tokenize(sentence)});
  }
  return examples;
}

// The sentence vector: the mean of the vectors of its words that the table knows (a (D) tensor
// of zeros when none is known).
Tensor sentence_vector(const KeyedVectors& kv, const std::vector<std::string>& words) {
  Tensor total = zeros({kv.dim()});
  int known = 0;
  for (const std::string& word : words) {
    if (!kv.contains(word)) continue;
    total = total + kv.vector(word);
    ++known;
  }
  return known == 0 ? total : total * (1.0f / static_cast<float>(known));
}

// How many distinct words two sentences share.
int shared_words(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::set<std::string> left(a.begin(), a.end());
  int shared = 0;
  for (const std::string& word : std::set<std::string>(b.begin(), b.end()))
    shared += static_cast<int>(left.count(word));
  return shared;
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({10, "作用 3: 相似性", "similarity"},
                            "Similar words get nearby vectors; nearest neighbours, analogies and "
                            "a classifier for unseen sentences all read that geometry.");
  std::vector<std::string> probes = {"happy", "快乐", "rain"};
  std::vector<std::string> analogy = {"唱歌", "快乐", "悲伤"};
  int64_t dim = 16, epochs = 10, window = 4, min_count = 2, test_every = 3, top = 4, seed = 1;
  chapter.knob("--probe", probes, "words whose nearest neighbours are printed");
  chapter.knob("--analogy", analogy,
               "three words a,b,c: b is to a as c is to ? (answer: nearest to a - b + c)");
  chapter.knob("--dim", dim, "D: numbers per word vector");
  chapter.knob("--epochs", epochs, "passes of word2vec over the corpus");
  chapter.knob("--window", window, "context words on each side that word2vec looks at");
  chapter.knob("--min-count", min_count, "words seen fewer times get no vector");
  chapter.knob("--test-every", test_every, "hold out every N-th labelled sentence for testing");
  chapter.knob("--top", top, "neighbours printed per probe word");
  chapter.knob("--seed", seed, "random seed of the training");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  if (analogy.size() != 3) {
    throw ValueError(fmt::format("--analogy needs exactly 3 words a,b,c, got {}", analogy.size()));
  }
  if (test_every < 2)
    throw ValueError(fmt::format("--test-every must be >= 2, got {}", test_every));

  // 1. Train the word vectors.
  word2vec::Word2VecOptions options;
  options.dim = dim;
  options.epochs = epochs;
  options.window = window;
  options.min_count = min_count;
  options.seed = static_cast<uint64_t>(seed);
  word2vec::Word2Vec model(options);
  const word2vec::TrainStats stats = model.train(chapter.data_file("feelings_corpus.txt").string());
  const KeyedVectors& kv = model.keyed_vectors();
  fmt::print("1. word2vec on feelings_corpus.txt: {} distinct words, {} numbers each\n",
             stats.vocab_size, dim);

  // 2. Nearest neighbours: cosine similarity with every row, largest first.
  fmt::print("\n2. nearest neighbours (cosine similarity):\n");
  for (const std::string& probe : probes) {
    fmt::print("   {}:", probe);
    for (const auto& [word, cos] : kv.most_similar(probe, top))
      fmt::print(" {} {:.2f}", word, cos);
    fmt::print("\n");
  }

  // 3. An analogy: a - b + c, then the nearest word that is not a, b or c.
  const auto answers = kv.analogy(analogy[0], analogy[1], analogy[2], 3);
  fmt::print("\n3. analogy: {} is to {} as {} is to ?\n", analogy[1], analogy[0], analogy[2]);
  fmt::print("   nearest to {} - {} + {}:", analogy[0], analogy[1], analogy[2]);
  for (const auto& [word, cos] : answers)
    fmt::print(" {} {:.2f}", word, cos);
  // Subtracting b and adding c should carry a from b's side over to c's side.
  const std::string& answer = answers[0].first;
  const float to_c = kv.similarity(answer, analogy[2]), to_b = kv.similarity(answer, analogy[1]);
  fmt::print("\n   the answer {} lies on {}'s side: {} (cosine {:.2f} with {}, {:.2f} with {})\n",
             answer, analogy[2], to_c > to_b ? "yes" : "no", to_c, analogy[2], to_b, analogy[1]);

  // 4. A model that uses similarity: label a held-out sentence like its nearest training
  //    sentence. With word vectors, "nearest" is the cosine of the mean word vectors; with
  //    one-hot words it could only count identical words.
  const std::vector<Example> examples = read_examples(chapter.data_file("happy_sad.tsv").string());
  std::vector<Example> train, test;
  for (size_t i = 0; i < examples.size(); ++i)
    (i % static_cast<size_t>(test_every) == static_cast<size_t>(test_every) - 1 ? test : train)
        .push_back(examples[i]);
  std::vector<Tensor> train_vectors;
  for (const Example& e : train)
    train_vectors.push_back(sentence_vector(kv, e.words));
  int right = 0, right_by_overlap = 0, right_without_shared = 0, without_shared = 0;
  const Example* shown = nullptr;
  const Example* shown_neighbour = nullptr;
  for (const Example& e : test) {
    const Tensor v = sentence_vector(kv, e.words);
    size_t best = 0, best_overlap = 0;
    float best_cos = -2.0f;
    int most_shared = -1;
    for (size_t j = 0; j < train.size(); ++j) {
      const float cos = cosine_similarity(v, train_vectors[j]).item();
      if (cos > best_cos) best_cos = cos, best = j;
      const int shared = shared_words(e.words, train[j].words);
      if (shared > most_shared) most_shared = shared, best_overlap = j;
    }
    const bool correct = train[best].label == e.label;
    right += correct;
    right_by_overlap += train[best_overlap].label == e.label && most_shared > 0;
    if (shared_words(e.words, train[best].words) == 0) {
      ++without_shared;
      right_without_shared += correct;
      if (correct && shown == nullptr) shown = &e, shown_neighbour = &train[best];
    }
  }
  const auto n_test = static_cast<int>(test.size());
  fmt::print(
      "\n4. nearest-neighbour classifier: {} labelled sentences to learn from, {} held out\n",
      train.size(), n_test);
  fmt::print("   by word vectors (cosine of mean vectors): {}/{} held-out sentences right\n", right,
             n_test);
  fmt::print(
      "   by identical words only (one-hot overlap): {}/{} right (no shared word: no "
      "answer)\n",
      right_by_overlap, n_test);
  fmt::print("   right although they share no word with their nearest sentence: {}/{}\n",
             right_without_shared, without_shared);
  fmt::print("   similarity beats identical words: {} ({} against {} right)\n",
             right > right_by_overlap ? "yes" : "no", right, right_by_overlap);
  if (shown != nullptr) {
    fmt::print("   e.g. \"{}\" ({}) is nearest to \"{}\" ({})\n", shown->sentence, shown->label,
               shown_neighbour->sentence, shown_neighbour->label);
    // Which word pairs made them similar: for each word of the test sentence, its closest word
    // in the neighbour sentence.
    std::vector<std::string> pairs;
    for (const std::string& w : shown->words) {
      if (!kv.contains(w)) continue;
      std::string best_word;
      float best_cos = -2.0f;
      for (const std::string& u : shown_neighbour->words) {
        if (!kv.contains(u)) continue;
        const float c = kv.similarity(w, u);
        if (c > best_cos) best_cos = c, best_word = u;
      }
      if (best_word != w) pairs.push_back(fmt::format("{}~{} {:.2f}", w, best_word, best_cos));
    }
    fmt::print("   each word and the closest word of that sentence: {}\n", fmt::join(pairs, ", "));
  }

  chapter.finish(
      "similar words sit close together, so a model can answer for inputs it has never seen by "
      "looking at their neighbours.",
      {fmt::format("{} --probe sad,悲伤,party   (whose neighbours are they?)", chapter.program()),
       fmt::format("{} --analogy smile,happy,sad   (an analogy in English)", chapter.program()),
       fmt::format("{} --dim 2 --test-every 2   (fewer numbers, fewer examples: what still works?)",
                   chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
