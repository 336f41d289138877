// Chapter 12 — 嵌入层是第一个隐藏层; 参数数量 (the first hidden layer; counting parameters).
//
// The one idea: the Embedding is the first hidden layer of the network, and its size is
// num_embeddings x embedding_dim parameters: 10,000 x 128 = 1,280,000 in the course's example,
// far more than the Linear layer above it. The dimension D is a design choice: more numbers per
// word can hold more, but cost memory and time, and a small task does not need many.
//
// Run: ch12_counting_parameters [--data DIR] [--out DIR]   (reads DIR/happy_sad.tsv)
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "embedlab.h"

using namespace embedlab;

namespace {

// A sentence as token ids with its label (0 = sad, 1 = happy).
struct Example {
  std::vector<int64_t> ids;
  int64_t label;
};

// Reads "label<TAB>sentence" lines and numbers every token.
std::vector<Example> read_examples(const std::string& path, int64_t& vocabulary_size) {
  std::ifstream in(path);
  if (!in) throw IOError(fmt::format("ch12: cannot open {}", path));
  std::vector<std::pair<std::vector<std::string>, int64_t>> rows;
  std::vector<std::string> all_tokens;
  for (std::string line; std::getline(in, line);) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    rows.emplace_back(text::tokenize(line.substr(tab + 1)), line.substr(0, tab) == "happy");
    all_tokens.insert(all_tokens.end(), rows.back().first.begin(), rows.back().first.end());
  }
  const text::Vocabulary vocab = text::Vocabulary::build(all_tokens);
  vocabulary_size = vocab.size();
  std::vector<Example> examples;
  for (const auto& [tokens, label] : rows) {
    Example example{{}, label};
    for (const std::string& token : tokens)
      example.ids.push_back(vocab.id(token));
    examples.push_back(std::move(example));
  }
  return examples;
}

// Mean loss and accuracy of `model` over `examples`, one sentence at a time.
std::pair<double, double> evaluate(nn::Sequential& model, const std::vector<Example>& examples) {
  NoGradGuard no_grad;
  double loss = 0.0, right = 0.0;
  for (const Example& e : examples) {
    const Tensor logits = model(from_ids(e.ids, Shape{1, static_cast<int64_t>(e.ids.size())}));
    loss += nn::cross_entropy(logits, from_ids({e.label}, Shape{1})).item();
    right += (logits.at(0, 1) > logits.at(0, 0)) == (e.label == 1);
  }
  const auto n = static_cast<double>(examples.size());
  return {loss / n, right / n};
}

// Trains mean-of-word-vectors -> Linear(D, 2) at dimension D, one sentence per step.
void train_at_dimension(int64_t V, int64_t D, const std::vector<Example>& train_set,
                        const std::vector<Example>& test_set) {
  manual_seed(42);
  nn::Sequential model;
  model.push_back("embed", std::make_shared<nn::EmbeddingBag>(V, D));
  model.push_back("fc", std::make_shared<nn::Linear>(D, 2));
  optim::Adam adam(model.parameters(), {.lr = 0.02});
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 0; epoch < 20; ++epoch) {
    for (const Example& e : train_set) {
      const Tensor ids = from_ids(e.ids, Shape{1, static_cast<int64_t>(e.ids.size())});
      Tensor loss = nn::cross_entropy(model(ids), from_ids({e.label}, Shape{1}));
      adam.zero_grad();
      loss.backward();
      adam.step();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto [train_loss, train_accuracy] = evaluate(model, train_set);
  const auto [test_loss, test_accuracy] = evaluate(model, test_set);
  fmt::print(
      "D = {:>2}: parameters {:>6} ({} x {} + {} x 2 + 2), train loss {:.4f}, "
      "train accuracy {:3.0f}%, test accuracy {:3.0f}%, time {:.2f} s\n",
      D, nn::with_thousands_separators(model.num_parameters()), V, D, D, train_loss,
      100 * train_accuracy, 100 * test_accuracy, seconds);
}

}  // namespace

int main(int argc, char** argv) try {
  // 1. The course's model: ids -> Embedding(10000, 128) -> Linear(128, 2) -> two scores.
  manual_seed(0);
  nn::Sequential model;
  model.push_back("embed", std::make_shared<nn::Embedding>(10000, 128));
  model.push_back("fc", std::make_shared<nn::Linear>(128, 2));
  fmt::print("{}", nn::summary(model, tensor({4, 8, 15, 16}, DType::Int64)));
  fmt::print("embedding share of all parameters: {} of {} = {:.2f}%\n",
             nn::with_thousands_separators(model[0]->num_parameters()),
             nn::with_thousands_separators(model.num_parameters()),
             100.0 * static_cast<double>(model[0]->num_parameters()) /
                 static_cast<double>(model.num_parameters()));
  fmt::print("the Embedding is the first hidden layer: 4 ids in, a (4, 128) float matrix out\n\n");

  // 2. Choosing D: the same task at three dimensions. Every 4th sentence is held out as a test.
  int64_t V = 0;
  const auto examples =
      read_examples(train::flag_value(argc, argv, "--data", "data") + "/happy_sad.tsv", V);
  std::vector<Example> train_set, test_set;
  for (size_t i = 0; i < examples.size(); ++i)
    (i % 4 == 3 ? test_set : train_set).push_back(examples[i]);
  fmt::print("task: happy or sad, {} training and {} test sentences, vocabulary V = {}\n",
             train_set.size(), test_set.size(), V);
  for (int64_t D : {2, 8, 32})
    train_at_dimension(V, D, train_set, test_set);
  fmt::print(
      "note: every D fits the training set; with {} test sentences one sentence is {:.1f}%,"
      " so read the test column as a rough signal, not a ranking\n",
      test_set.size(), 100.0 / static_cast<double>(test_set.size()));
  fmt::print("takeaway: parameters grow as V x D; pick the smallest D that does the job.\n");
  return 0;
} catch (const std::exception& error) {
  fmt::print(stderr, "ch12_counting_parameters: {}\n", error.what());
  return 2;
}
