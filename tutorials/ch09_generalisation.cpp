// Chapter 9 — 作用 2: 泛化 (generalisation): right answers for words never seen in training.
//
// The one idea: a classifier reads words only through their vectors. If the vectors come from
// somewhere else (pretrained on plain text) and similar words have similar vectors, then what
// the classifier learns for "happy" carries over to "joyful", a word it never saw labelled.
// A table trained from scratch on the same four labelled words cannot do that: the rows of
// unseen words never get a gradient and stay random.
//
// The pretrained vectors here are the simplest kind: each word's row counts how often every
// vocabulary token appears within 3 positions of it in data/feelings_corpus.txt (a
// co-occurrence table, scaled to length 1). The corpus was written so that happy words share
// neighbours (smile, party) and sad words share others (tears, rain): see data/README.md.
// word2vec learns a shorter version of the same table.
//
// Run: ch09_generalisation [--data DIR] [--out DIR]   (reads DIR/feelings_corpus.txt)
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "embedlab.h"

using namespace embedlab;

namespace {

// Row w of the (V, V) result: how often each token occurs within `window` tokens of w,
// divided by the row's length so that frequent and rare words are comparable.
Tensor cooccurrence_vectors(const std::string& path, const text::Vocabulary& vocab, int window) {
  const int64_t V = vocab.size();
  std::vector<float> counts(V * V, 0.0f);
  text::CorpusReader reader(path);
  reader.for_each_encoded_sentence(vocab, text::UnknownPolicy::drop, [&](const auto& ids) {
    const auto n = static_cast<int64_t>(ids.size());
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = std::max<int64_t>(0, i - window); j < std::min(n, i + window + 1); ++j) {
        if (j != i) counts[ids[i] * V + ids[j]] += 1.0f;
      }
    }
  });
  const Tensor table = from_vector(std::move(counts), Shape{V, V});
  return table / (norm(table).reshape({V, 1}) + 1e-8f);
}

// Trains embed + linear to label each word: 0 = sad, 1 = happy (full batch, Adam).
void train_classifier(nn::Embedding& embed, nn::Linear& linear, const Tensor& ids,
                      const Tensor& labels) {
  std::vector<Tensor> params = linear.parameters();
  if (embed.weight.requires_grad()) params.push_back(embed.weight);
  optim::Adam adam(params, {.lr = 0.1});
  for (int step = 0; step < 100; ++step) {
    Tensor loss = nn::cross_entropy(linear(embed(ids)), labels);
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
}

// Prints each word's predicted label and p(happy); returns how many are right.
int report(const std::string& kind, const std::vector<std::string>& words,
           const std::vector<int64_t>& labels, const text::Vocabulary& vocab, nn::Embedding& embed,
           nn::Linear& linear) {
  NoGradGuard no_grad;
  int right = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    const Tensor p = softmax(linear(embed(tensor(vocab.id(words[i]), DType::Int64))));
    const int64_t guess = p.at(1) > p.at(0) ? 1 : 0;
    right += guess == labels[i];
    fmt::print("  {} {:<10} -> {:<5} (p(happy) = {:.3f}) {}\n", kind, words[i],
               guess == 1 ? "happy" : "sad", p.at(1), guess == labels[i] ? "right" : "WRONG");
  }
  return right;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string path = train::flag_value(argc, argv, "--data", "data") + "/feelings_corpus.txt";
  const text::Vocabulary vocab = text::Vocabulary::build(text::count_tokens(path));
  const Tensor pretrained = cooccurrence_vectors(path, vocab, 3);
  fmt::print(
      "pretrained table from {} tokens of unlabelled text: shape {} (row = a word, "
      "column = how often each token is its neighbour)\n",
      vocab.total_count(), pretrained.shape().to_string());

  // The labelled data: four words. The test words never appear with a label.
  const std::vector<std::string> seen = {"happy", "glad", "sad", "unhappy"};
  const std::vector<int64_t> seen_labels = {1, 1, 0, 0};
  const std::vector<std::string> unseen = {"joyful", "cheerful", "gloomy", "sorrowful"};
  const std::vector<int64_t> unseen_labels = {1, 1, 0, 0};
  std::vector<int64_t> ids;
  for (const std::string& word : seen)
    ids.push_back(vocab.id(word));
  const Tensor seen_ids = from_ids(ids, Shape{4}), labels = from_ids(seen_labels, Shape{4});
  for (const std::string& word : unseen) {
    const Tensor v = pretrained[vocab.id(word)];
    fmt::print("cosine({}, happy) = {:.3f}   cosine({}, sad) = {:.3f}\n", word,
               cosine_similarity(v, pretrained[vocab.id("happy")]).item(), word,
               cosine_similarity(v, pretrained[vocab.id("sad")]).item());
  }

  // 1. Frozen pretrained vectors + a Linear layer trained on the four labelled words.
  manual_seed(1);
  auto frozen = nn::Embedding::from_pretrained(pretrained);
  nn::Linear linear(vocab.size(), 2);
  train_classifier(*frozen, linear, seen_ids, labels);
  fmt::print("\nwith pretrained vectors (frozen), Linear({}, 2) trained on 4 words:\n",
             vocab.size());
  report("seen  ", seen, seen_labels, vocab, *frozen, linear);
  const int right = report("unseen", unseen, unseen_labels, vocab, *frozen, linear);
  fmt::print("pretrained: unseen words right: {}/4\n", right);

  // 2. The same classifier with a table learned from scratch on the same four words.
  manual_seed(1);
  nn::Embedding scratch(vocab.size(), 8);
  nn::Linear small_linear(8, 2);
  const Tensor start = scratch.weight.detach().clone();
  train_classifier(scratch, small_linear, seen_ids, labels);
  fmt::print("\nwith a table trained from scratch (Embedding({}, 8)) on the same 4 words:\n",
             vocab.size());
  report("seen  ", seen, seen_labels, vocab, scratch, small_linear);
  const int guessed = report("unseen", unseen, unseen_labels, vocab, scratch, small_linear);
  int moved = 0;
  for (const std::string& word : unseen) {
    moved += max(abs(scratch.weight.detach()[vocab.id(word)] - start[vocab.id(word)])).item() > 0;
  }
  fmt::print(
      "from scratch: rows of unseen words changed by training: {} of 4; unseen words right:"
      " {}/4, by luck of their random rows\n",
      moved, guessed);
  fmt::print(
      "takeaway: embeddings generalise when similar words already have similar vectors; "
      "labels alone never reach unseen words.\n");
  return 0;
} catch (const std::exception& error) {
  fmt::print(stderr, "ch09_generalisation: {}\n", error.what());
  return 2;
}
