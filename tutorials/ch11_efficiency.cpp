// Chapter 11 — 作用 4: 效率 (efficiency): one-hot input against an embedding input.
//
// The one idea: feed a network words as one-hot vectors and its first layer must hold V
// weights for every hidden unit at every position, read all of them every step and get a
// gradient for all of them. Feed it ids through an Embedding and the V rows are stored once,
// shared by every position, and a step reads and updates only the rows of the words in the
// batch. Two models learn the same task, happy or sad, on the sentences of
// data/feelings_corpus.txt, and are the same after their first layer:
//
//   one-hot:   L words -> L one-hot rows of V, side by side (L*V numbers) -> Linear(L*V, H)
//   embedding: L words -> L ids -> Embedding(V, D) -> L rows of D, side by side -> Linear(L*D, H)
//   then both: tanh -> Linear(H, 2) -> cross-entropy, trained with Adam.
//
// Parameters, memory and time per step are measured at two vocabulary sizes: the corpus's own
// and --big-vocab (the same sentences, with a vocabulary as large as a real one's: the extra
// words never occur, as most words of a big vocabulary never occur in one batch).
// Lines that print a measured time start with the stopwatch ⏱ and end with " [timing]": they
// differ from run to run, and the docs generator leaves them out when it compares outputs.
//
// Run: ch11_efficiency [--big-vocab 10000] [--length 8] [--dim 16] [--hidden 16] [--epochs 4]
//      [--lr 0.01] [--seed 1] [--steps 3]   (--help lists all)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

namespace {

// The feeling words the corpus generator puts into its happy and its sad templates.
const std::vector<std::string> kHappyWords = {"happy", "joyful", "glad", "cheerful",
                                              "快乐",  "开心",   "高兴"};
const std::vector<std::string> kSadWords = {"sad",  "unhappy", "sorrowful", "gloomy",
                                            "悲伤", "难过",    "忧伤"};

bool holds_any(const std::vector<std::string>& tokens, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& word) {
    const std::vector<std::string> parts = text::tokenize(word);
    return std::search(tokens.begin(), tokens.end(), parts.begin(), parts.end()) != tokens.end();
  });
}

// Writes a byte count in KiB or MiB.
std::string in_bytes(int64_t bytes) {
  return nn::human_bytes(bytes);
}

// One of the two models. Only `first` (and, for the embedding model, `table`) differ.
struct Model {
  bool one_hot_input = false;
  int64_t V = 0, L = 0;
  Tensor table;                        // (V, D) for the embedding model; undefined otherwise
  std::shared_ptr<nn::Linear> first;   // Linear(L*V, H) or Linear(L*D, H)
  std::shared_ptr<nn::Linear> output;  // Linear(H, 2), the same in both

  // ids: (B*L) word ids, L per sentence. Returns (B, 2) scores.
  Tensor forward(const Tensor& ids) {
    const int64_t B = ids.numel() / L;
    Tensor inputs;
    if (one_hot_input) {
      inputs = one_hot(ids, V).reshape({B, L * V});  // L one-hot rows side by side
    } else {
      const int64_t D = table.size(1);
      inputs = embedding(table, ids).reshape({B, L * D});  // L looked-up rows side by side
    }
    return (*output)(tanh((*first)(inputs)));
  }

  std::vector<Tensor> parameters() const {
    std::vector<Tensor> params = first->parameters();
    for (const Tensor& p : output->parameters())
      params.push_back(p);
    if (table.defined()) params.push_back(table);
    return params;
  }

  int64_t num_parameters() const {
    int64_t n = 0;
    for (const Tensor& p : parameters())
      n += p.numel();
    return n;
  }
};

Model make_model(bool one_hot_input, int64_t V, int64_t L, int64_t D, int64_t H, uint64_t seed) {
  Model model{one_hot_input, V, L, {}, nullptr, nullptr};
  Generator generator(seed);
  if (one_hot_input) {
    model.first = std::make_shared<nn::Linear>(L * V, H, true, generator);
  } else {
    model.table = nn::init::normal_(zeros({V, D}), 0.0f, 1.0f, generator).requires_grad_(true);
    model.first = std::make_shared<nn::Linear>(L * D, H, true, generator);
  }
  Generator output_generator(seed + 1);  // the same output layer in both models
  model.output = std::make_shared<nn::Linear>(H, 2, true, output_generator);
  return model;
}

// What one model costs and does, measured.
struct Measured {
  int64_t parameters = 0;
  int64_t input_bytes = 0;    // the input of one batch, as the first layer reads it
  int64_t grad_numbers = 0;   // gradient numbers written by one step (rows touched x D for
                              // the table, everything for a dense weight)
  double median_ms = 0.0;     // median time of one training step
  double test_accuracy = -1;  // -1 when not trained to the end
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The happy and sad lines as L token ids each (cut, or padded with the id of "<pad>"), their
// labels (1 happy, 0 sad) and the split: one line in `test_every` is kept out of training.
struct Corpus {
  int64_t L = 0, vocab_size = 0;
  std::vector<std::vector<int64_t>> sentences;
  std::vector<int64_t> labels, train_ids, test_ids;
};

Corpus read_corpus(const std::filesystem::path& path, int64_t L, int64_t test_every) {
  std::ifstream in(path);
  if (!in) throw IOError(fmt::format("cannot open {}", path.string()));
  Corpus corpus;
  corpus.L = L;
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> all_tokens = {"<pad>"};
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> tokens = text::tokenize(line);
    const bool happy = holds_any(tokens, kHappyWords), sad = holds_any(tokens, kSadWords);
    if (happy == sad) continue;  // an everyday line: no label
    corpus.labels.push_back(happy ? 1 : 0);
    all_tokens.insert(all_tokens.end(), tokens.begin(), tokens.end());
    lines.push_back(std::move(tokens));
  }
  const text::Vocabulary vocab = text::Vocabulary::build(all_tokens);
  corpus.vocab_size = vocab.size();
  const int64_t pad = vocab.id("<pad>");
  std::vector<std::vector<int64_t>>& sentences = corpus.sentences;
  int64_t cut = 0;
  for (const auto& tokens : lines) {
    std::vector<int64_t> ids(L, pad);
    for (size_t i = 0; i < tokens.size() && static_cast<int64_t>(i) < L; ++i)
      ids[i] = vocab.id(tokens[i]);
    cut += static_cast<int64_t>(tokens.size()) > L;
    sentences.push_back(std::move(ids));
  }
  std::vector<int64_t>&train_ids = corpus.train_ids, &test_ids = corpus.test_ids;
  for (int64_t i = 0; i < static_cast<int64_t>(sentences.size()); ++i)
    (i % test_every == test_every - 1 ? test_ids : train_ids).push_back(i);
  fmt::print(
      "data: {} happy or sad sentences ({} to train on, {} to test), each read as its first "
      "L = {} tokens ({} are longer, the rest padded); the corpus's vocabulary: {} tokens\n\n",
      sentences.size(), train_ids.size(), test_ids.size(), L, cut, vocab.size());
  return corpus;
}

// The ids of `which` sentences laid end to end, (B*L), and their labels, (B).
std::pair<Tensor, Tensor> batch_of(const Corpus& corpus, std::span<const int64_t> which) {
  std::vector<int64_t> flat, y;
  for (const int64_t s : which) {
    flat.insert(flat.end(), corpus.sentences[s].begin(), corpus.sentences[s].end());
    y.push_back(corpus.labels[s]);
  }
  const auto B = static_cast<int64_t>(which.size());
  return {from_ids(flat, {B * corpus.L}), from_ids(y, {B})};
}

// The settings both models share.
struct Settings {
  int64_t D = 16, H = 16, epochs = 4, steps = 3, batch = 32, seed = 1;
  double lr = 0.01;
};

// Trains one model for `epochs` (to_the_end) or only `steps` steps, timing every step (forward,
// cross-entropy, backward, Adam), and measures what it costs; test accuracy when trained.
Measured run_model(bool one_hot_input, int64_t V, bool to_the_end, const Corpus& corpus,
                   const Settings& s) {
  Model model = make_model(one_hot_input, V, corpus.L, s.D, s.H, static_cast<uint64_t>(s.seed));
  optim::Adam adam(model.parameters(), {.lr = s.lr});
  train::BatchSampler sampler(static_cast<int64_t>(corpus.train_ids.size()), s.batch,
                              {.seed = static_cast<uint64_t>(s.seed)});
  Measured result;
  result.parameters = model.num_parameters();
  std::vector<double> times;
  const int64_t total_steps = to_the_end ? s.epochs * sampler.num_batches() : s.steps;
  for (int64_t step = 0; step < total_steps; ++step) {
    if (step % sampler.num_batches() == 0) sampler.start_epoch();
    std::vector<int64_t> which;
    for (const int64_t i : sampler.batch(step % sampler.num_batches()))
      which.push_back(corpus.train_ids[i]);
    const auto [ids, y] = batch_of(corpus, which);
    const auto start = std::chrono::steady_clock::now();
    Tensor loss = nn::cross_entropy(model.forward(ids), y);
    adam.zero_grad();
    loss.backward();
    if (step == 0) {
      // What this step wrote: every gradient number of a dense weight, and for the table
      // only the rows of the words in the batch.
      for (const Tensor& p : model.parameters()) {
        result.grad_numbers += p.rank() == 2 && p.impl() == model.table.impl()
                                   ? grad_row_count(p) * p.size(1)
                                   : p.numel();
      }
      result.input_bytes = one_hot_input ? ids.numel() * V * 4 : ids.numel() * 8;
    }
    adam.step();
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  result.median_ms = median(times);
  if (to_the_end) {
    NoGradGuard no_grad;
    const auto [ids, y] = batch_of(corpus, corpus.test_ids);
    const Tensor scores = model.forward(ids);
    int64_t right = 0;
    for (int64_t i = 0; i < y.numel(); ++i)
      right += (scores.at(i, 1) > scores.at(i, 0)) == (y.id_at(i) == 1);
    result.test_accuracy = static_cast<double>(right) / static_cast<double>(y.numel());
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({11, "作用 4: 效率", "efficiency"},
                            "One-hot input against an embedding: the same task, parameters, "
                            "memory and time per step side by side.");
  int64_t big_vocab = 10000, L = 8, D = 16, H = 16, epochs = 4, seed = 1, steps = 3, batch = 32,
          test_every = 4;
  double lr = 0.01;
  chapter.knob("--big-vocab", big_vocab, "the second vocabulary size (the first: the corpus's)");
  chapter.knob("--length", L, "L: words per sentence the models read (cut or padded)");
  chapter.knob("--dim", D, "D: embedding dimension");
  chapter.knob("--hidden", H, "H: outputs of the first layer in both models");
  chapter.knob("--epochs", epochs, "training epochs at the corpus's vocabulary size");
  chapter.knob("--lr", lr, "Adam's learning rate");
  chapter.knob("--seed", seed, "seed of the starting weights and of the batch order");
  chapter.knob("--steps", steps, "training steps timed at the big vocabulary size");
  chapter.knob("--batch", batch, "sentences per step");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  if (L < 1 || D < 1 || H < 1 || epochs < 1 || steps < 1 || batch < 1 || !(lr > 0)) {
    throw ValueError(
        fmt::format("need --length, --dim, --hidden, --epochs, --steps and --batch >= 1 and "
                    "--lr > 0; got {}, {}, {}, {}, {}, {} and {}",
                    L, D, H, epochs, steps, batch, lr));
  }

  // 1. The data: the happy and sad lines, cut or padded to L tokens.
  const Corpus corpus = read_corpus(chapter.data_file("feelings_corpus.txt"), L, test_every);
  const int64_t small_vocab = corpus.vocab_size;
  if (big_vocab < small_vocab) {
    throw ValueError(fmt::format("--big-vocab {} is smaller than the corpus's own vocabulary of {}",
                                 big_vocab, small_vocab));
  }
  const Settings settings{D, H, epochs, steps, batch, seed, lr};

  // 3. Both models at both sizes, side by side.
  struct Row {
    int64_t V;
    Measured hot, dense;
  };
  std::vector<Row> rows;
  for (const int64_t V : {small_vocab, big_vocab}) {
    const bool train_fully = V == small_vocab;
    rows.push_back({V, run_model(true, V, train_fully, corpus, settings),
                    run_model(false, V, train_fully, corpus, settings)});
  }
  for (const Row& row : rows) {
    const bool trained = row.hot.test_accuracy >= 0;
    fmt::print(
        "V = {} ({}):\n", nn::with_thousands_separators(row.V),
        trained ? fmt::format("trained {} epochs", epochs) : fmt::format("{} steps timed", steps));
    fmt::print("  {:<36} {:>22} {:>22}\n", "", "one-hot input", "embedding");
    fmt::print("  {:<36} {:>22} {:>22}\n", "first layer",
               fmt::format("Linear({}, {})", nn::with_thousands_separators(L * row.V), H),
               fmt::format("Emb + Linear({}, {})", L * D, H));
    fmt::print("  {:<36} {:>22} {:>22}\n", "parameters",
               nn::with_thousands_separators(row.hot.parameters),
               nn::with_thousands_separators(row.dense.parameters));
    fmt::print("  {:<36} {:>22} {:>22}\n", "parameter memory (float32)",
               in_bytes(row.hot.parameters * 4), in_bytes(row.dense.parameters * 4));
    fmt::print("  {:<36} {:>22} {:>22}\n", "Adam's state (2 numbers per parameter)",
               in_bytes(row.hot.parameters * 8), in_bytes(row.dense.parameters * 8));
    fmt::print("  {:<36} {:>22} {:>22}\n", fmt::format("input of one batch of {} sentences", batch),
               in_bytes(row.hot.input_bytes), in_bytes(row.dense.input_bytes));
    fmt::print("  {:<36} {:>22} {:>22}\n", "gradient numbers written per step",
               nn::with_thousands_separators(row.hot.grad_numbers),
               nn::with_thousands_separators(row.dense.grad_numbers));
    if (trained) {
      fmt::print("  {:<36} {:>21.1f}% {:>21.1f}%\n", "test accuracy", 100 * row.hot.test_accuracy,
                 100 * row.dense.test_accuracy);
    }
    fmt::print("⏱ {:<37} {:>19.3f} ms {:>19.3f} ms [timing]\n", "time per step (median)",
               row.hot.median_ms, row.dense.median_ms);
  }

  // 4. Conclusions, computed from the numbers above.
  fmt::print("\n");
  bool fewer_everywhere = true, faster_everywhere = true;
  for (const Row& row : rows) {
    fewer_everywhere = fewer_everywhere && row.dense.parameters < row.hot.parameters &&
                       row.dense.input_bytes < row.hot.input_bytes &&
                       row.dense.grad_numbers < row.hot.grad_numbers;
    faster_everywhere = faster_everywhere && row.dense.median_ms < row.hot.median_ms;
    fmt::print(
        "V = {}: the embedding model has {:.0f}x fewer parameters, a {:.0f}x smaller input "
        "and writes {:.0f}x fewer gradient numbers per step\n",
        nn::with_thousands_separators(row.V),
        static_cast<double>(row.hot.parameters) / static_cast<double>(row.dense.parameters),
        static_cast<double>(row.hot.input_bytes) / static_cast<double>(row.dense.input_bytes),
        static_cast<double>(row.hot.grad_numbers) / static_cast<double>(row.dense.grad_numbers));
    fmt::print("⏱ V = {}: one step of the embedding model is {:.0f}x faster [timing]\n",
               nn::with_thousands_separators(row.V), row.hot.median_ms / row.dense.median_ms);
  }
  const Row& small = rows.front();
  const Row& big = rows.back();
  fmt::print("smaller on every count at both sizes: {}\n", fewer_everywhere ? "yes" : "no");
  fmt::print("faster per step at both sizes: {}\n", faster_everywhere ? "yes" : "no");
  fmt::print(
      "from V = {} to V = {} ({:.0f}x more words), the one-hot model's parameters grow "
      "{:.0f}x, the embedding model's {:.1f}x\n",
      nn::with_thousands_separators(small.V), nn::with_thousands_separators(big.V),
      static_cast<double>(big.V) / static_cast<double>(small.V),
      static_cast<double>(big.hot.parameters) / static_cast<double>(small.hot.parameters),
      static_cast<double>(big.dense.parameters) / static_cast<double>(small.dense.parameters));
  fmt::print(
      "⏱ and one step takes {:.0f}x longer with one-hot input, {:.1f}x with the embedding "
      "[timing]\n",
      big.hot.median_ms / small.hot.median_ms, big.dense.median_ms / small.dense.median_ms);
  const double gap = small.dense.test_accuracy - small.hot.test_accuracy;
  fmt::print("and the embedding model {} (test accuracy {:+.1f} points)\n",
             gap > 0.02    ? "learns the task better"
             : gap < -0.02 ? "learns the task less well"
                           : "learns the task about as well",
             100 * gap);

  chapter.finish(
      "an embedding stores V rows once and a step touches only the rows it reads; one-hot "
      "pays V numbers per word, per position, per step.",
      {fmt::format("{} --big-vocab 30000   (how do the one-hot model's numbers grow with V?)",
                   chapter.program()),
       fmt::format("{} --length 4   (fewer positions: which model gains more?)", chapter.program()),
       fmt::format("{} --dim 64 --hidden 8   (a wide table and a narrow layer: still fewer "
                   "parameters?)",
                   chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
