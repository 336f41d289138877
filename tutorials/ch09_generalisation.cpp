// Chapter 9 — 作用 2: 泛化 (generalisation): right answers for words never seen in training.
//
// The one idea: a classifier reads words only through their vectors. If the vectors come from
// somewhere else (pretrained on plain text) and similar words have similar vectors, then what
// the classifier learns for "happy" carries over to "joyful", a word it never saw labelled.
// A table trained from scratch on the same labelled words cannot do that: the rows of unseen
// words never get a gradient and stay random.
//
// The pretrained vectors are trained here, with the framework's word2vec (skip-gram, negative
// sampling) on data/feelings_corpus.txt: D numbers per word, learned from which words appear
// near which. That corpus was written so that happy words share neighbours (smile, party) and
// sad words share others (tears, rain): see data/README.md.
//
// Run: ch09_generalisation [--dim 16] [--w2v-epochs 5] [--seed 1] [--seen happy,glad,sad,unhappy]
//      [--unseen joyful,cheerful,gloomy,sorrowful]   (reads data/feelings_corpus.txt)
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

namespace {

// A word with its label, 0 = sad, 1 = happy.
struct Labelled {
  std::string word;
  int64_t label;
};

// Reads "word=happy" / "word=sad" items into labelled words.
std::vector<Labelled> parse_labelled(const std::vector<std::string>& items, const char* knob) {
  std::vector<Labelled> out;
  for (const std::string& item : items) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos) {
      throw ValueError(
          fmt::format("{}: '{}' needs a label, as in happy=happy or gloomy=sad", knob, item));
    }
    const std::string label = item.substr(eq + 1);
    if (label != "happy" && label != "sad") {
      throw ValueError(fmt::format("{}: label '{}' of '{}' is neither happy nor sad", knob, label,
                                   item.substr(0, eq)));
    }
    out.push_back({item.substr(0, eq), label == "happy" ? 1 : 0});
  }
  return out;
}

// Trains embed + linear to label each word (full batch, Adam), `steps` steps.
void train_classifier(nn::Embedding& embed, nn::Linear& linear, const Tensor& ids,
                      const Tensor& labels, int64_t steps, double lr) {
  std::vector<Tensor> params = linear.parameters();
  if (embed.weight.requires_grad()) params.push_back(embed.weight);
  optim::Adam adam(params, {.lr = lr});
  for (int64_t step = 0; step < steps; ++step) {
    Tensor loss = nn::cross_entropy(linear(embed(ids)), labels);
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
}

// Prints each word's predicted label and p(happy); returns how many are right.
int report(const std::string& kind, const std::vector<Labelled>& words,
           const text::Vocabulary& vocab, nn::Embedding& embed, nn::Linear& linear) {
  NoGradGuard no_grad;
  int right = 0;
  for (const Labelled& w : words) {
    const Tensor p =
        softmax(linear(embed(tensor(static_cast<float>(vocab.id(w.word)), DType::Int64))));
    const int64_t guess = p.at(1) > p.at(0) ? 1 : 0;
    right += guess == w.label;
    fmt::print("  {} {:<10} -> {:<5} (p(happy) = {:.3f}) {}\n", kind, w.word,
               guess == 1 ? "happy" : "sad", p.at(1), guess == w.label ? "right" : "WRONG");
  }
  return right;
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({9, "作用 2: 泛化", "generalisation"},
                            "Pretrained vectors carry what a classifier learns to words it never "
                            "saw labelled; a table trained from scratch cannot.");
  int64_t D = 16, w2v_epochs = 5, seed = 1, steps = 100;
  double lr = 0.1;
  std::vector<std::string> seen_items = {"happy=happy", "glad=happy", "sad=sad", "unhappy=sad"};
  std::vector<std::string> unseen_items = {"joyful=happy", "cheerful=happy", "gloomy=sad",
                                           "sorrowful=sad"};
  chapter.knob("--dim", D, "D: numbers per word, for word2vec and for the table from scratch");
  chapter.knob("--w2v-epochs", w2v_epochs, "word2vec passes over the corpus");
  chapter.knob("--seed", seed, "seed of word2vec and of the classifiers' initial weights");
  chapter.knob("--steps", steps, "training steps of each classifier (full batch, Adam)");
  chapter.knob("--lr", lr, "the classifiers' learning rate");
  chapter.knob("--seen", seen_items, "labelled training words, word=happy or word=sad");
  chapter.knob("--unseen", unseen_items, "test words never labelled in training, word=label");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  const auto seen = parse_labelled(seen_items, "--seen");
  const auto unseen = parse_labelled(unseen_items, "--unseen");
  for (const Labelled& u : unseen) {
    for (const Labelled& s : seen) {
      if (u.word == s.word) {
        throw ValueError(fmt::format("'{}' is in both --seen and --unseen", u.word));
      }
    }
  }

  // 1. Pretrain word vectors on unlabelled text: word2vec, D numbers per word.
  const std::string corpus = chapter.data_file("feelings_corpus.txt").string();
  word2vec::Word2VecOptions w2v_options;
  w2v_options.dim = D;
  w2v_options.window = 4;
  w2v_options.min_count = 3;
  w2v_options.epochs = w2v_epochs;
  w2v_options.seed = static_cast<uint64_t>(seed);
  word2vec::Word2Vec w2v(w2v_options);
  const word2vec::TrainStats stats = w2v.train(corpus);
  const text::Vocabulary& vocab = w2v.vocab();
  const Tensor pretrained = w2v.vectors().detach();
  const int64_t V = vocab.size();
  fmt::print(
      "pretrained: word2vec (skip-gram) read {} words of unlabelled text {} times: table of shape "
      "{}, {} numbers\n",
      stats.corpus_words, w2v_epochs, pretrained.shape().to_string(),
      nn::with_thousands_separators(V * D));
  fmt::print(
      "(a count of which word occurs next to which would be V x V = {} numbers: "
      "section 8's point, dense vectors are the short version)\n\n",
      nn::with_thousands_separators(V * V));

  // 2. The labelled data: the --seen words. The --unseen words never appear with a label; how
  //    close is each to the seen words, in the pretrained vectors?
  std::vector<int64_t> ids, label_list;
  for (const Labelled& s : seen) {
    ids.push_back(vocab.id(s.word));
    label_list.push_back(s.label);
  }
  const auto S = static_cast<int64_t>(seen.size());
  const Tensor seen_ids = from_ids(ids, {S}), labels = from_ids(label_list, {S});
  int nearest_agrees = 0;
  for (const Labelled& u : unseen) {
    const Tensor v = pretrained[vocab.id(u.word)];
    const Labelled* nearest = nullptr;
    float best = -2.0f;
    std::vector<std::string> cosines;
    for (const Labelled& s : seen) {
      const float c = cosine_similarity(v, pretrained[vocab.id(s.word)]).item();
      cosines.push_back(fmt::format("{} {:.3f}", s.word, c));
      if (c > best) {
        best = c;
        nearest = &s;
      }
    }
    nearest_agrees += nearest->label == u.label;
    fmt::print("cosine of {:<10} with: {}; nearest seen word: {} ({})\n", u.word,
               fmt::join(cosines, ", "), nearest->word, nearest->label == 1 ? "happy" : "sad");
  }
  fmt::print("unseen words whose nearest seen word has their label: {}/{}\n", nearest_agrees,
             unseen.size());

  // 3. Frozen pretrained vectors + a Linear layer trained on the seen words.
  manual_seed(static_cast<uint64_t>(seed));
  auto frozen = nn::Embedding::from_pretrained(pretrained);
  nn::Linear linear(D, 2);
  train_classifier(*frozen, linear, seen_ids, labels, steps, lr);
  fmt::print("\nwith pretrained vectors (frozen), Linear({}, 2) trained on {} words:\n", D, S);
  report("seen  ", seen, vocab, *frozen, linear);
  const int right = report("unseen", unseen, vocab, *frozen, linear);
  fmt::print("pretrained: unseen words right: {}/{}\n", right, unseen.size());

  // 4. The same classifier with a table learned from scratch on the same words.
  manual_seed(static_cast<uint64_t>(seed));
  nn::Embedding scratch(V, D);
  nn::Linear small_linear(D, 2);
  const Tensor start = scratch.weight.detach().clone();
  train_classifier(scratch, small_linear, seen_ids, labels, steps, lr);
  fmt::print("\nwith a table trained from scratch (Embedding({}, {})) on the same {} words:\n", V,
             D, S);
  report("seen  ", seen, vocab, scratch, small_linear);
  const int guessed = report("unseen", unseen, vocab, scratch, small_linear);
  int moved = 0;
  for (const Labelled& u : unseen) {
    moved +=
        max(abs(scratch.weight.detach()[vocab.id(u.word)] - start[vocab.id(u.word)])).item() > 0;
  }
  fmt::print(
      "from scratch: rows of unseen words changed by training: {} of {}; unseen words right: "
      "{}/{}, decided by their random starting rows\n",
      moved, unseen.size(), guessed, unseen.size());

  chapter.finish(
      "embeddings generalise when similar words already have similar vectors; labels alone never "
      "reach unseen words.",
      {fmt::format("{} --w2v-epochs 1   (barely trained vectors: does the transfer still work?)",
                   chapter.program()),
       fmt::format("{} --seen joyful=happy,gloomy=sad --unseen happy=happy,sad=sad   (swap "
                   "the roles: fewer labelled words, the same transfer?)",
                   chapter.program()),
       fmt::format("{} --seed 2   (the scratch table's unseen answers change with its random rows; "
                   "the pretrained ones should not)",
                   chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
