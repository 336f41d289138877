// Chapter 12 — 嵌入层是第一个隐藏层; 参数数量 (the first hidden layer; counting parameters).
//
// The one idea: the Embedding is the first hidden layer of the network, and its size is
// num_embeddings x embedding_dim parameters: 10,000 x 128 = 1,280,000 in the course's example,
// far more than the Linear layer above it. The dimension D is a design choice, and this chapter
// measures both sides of it:
//   what D costs: parameters and memory grow as V x D, and so does the time of a training step;
//   what D buys: accuracy on sentences kept out of training, averaged over several seeds, for
//   a task on data/feelings_corpus.txt: is a sentence happy, sad or neither, once its feeling
//   words (happy, 快乐, ...) are taken out? The model must read the other words (smile, tears).
// The conclusion is computed from those measurements. Lines starting with ⏱ carry measured
// times: they differ from run to run and machine to machine.
//
// Run: ch12_counting_parameters [--vocab 10000] [--dim 128] [--dims 1,4,16,64,256] [--seeds 3]
//      (reads data/feelings_corpus.txt)
#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

namespace {

constexpr int64_t kClasses = 3;  // 0 = neither, 1 = happy, 2 = sad
const char* const kClassNames[kClasses] = {"neither", "happy", "sad"};

// A sentence as token ids with its label.
struct Example {
  std::vector<int64_t> ids;
  int64_t label;
};

// The model of this chapter: mean of the token vectors -> Linear(D, 3).
struct Model {
  nn::Sequential net;
  std::shared_ptr<nn::EmbeddingBag> bag;
  std::shared_ptr<nn::Linear> fc;
  Model(int64_t V, int64_t D) {
    bag = net.push_back("embed", std::make_shared<nn::EmbeddingBag>(V, D));
    fc = net.push_back("fc", std::make_shared<nn::Linear>(D, kClasses));
  }
};

// One step on a batch: flat ids split into sentences by offsets, cross-entropy, Adam.
void train_step(Model& model, optim::Adam& adam, const std::vector<const Example*>& batch) {
  std::vector<int64_t> flat, offsets, labels;
  for (const Example* e : batch) {
    offsets.push_back(static_cast<int64_t>(flat.size()));
    flat.insert(flat.end(), e->ids.begin(), e->ids.end());
    labels.push_back(e->label);
  }
  const auto B = static_cast<int64_t>(batch.size());
  const Tensor vectors = model.bag->forward(
      from_ids(flat, Shape{static_cast<int64_t>(flat.size())}), from_ids(offsets, Shape{B}));
  Tensor loss = nn::cross_entropy(model.fc->forward(vectors), from_ids(labels, Shape{B}));
  adam.zero_grad();
  loss.backward();
  adam.step();
}

// The share of `examples` the model labels right.
double accuracy(Model& model, const std::vector<Example>& examples) {
  NoGradGuard no_grad;
  int64_t right = 0;
  for (const Example& e : examples) {
    const Tensor scores = model.net(from_ids(e.ids, Shape{1, static_cast<int64_t>(e.ids.size())}));
    int64_t best = 0;
    for (int64_t c = 1; c < kClasses; ++c) {
      if (scores.at(0, c) > scores.at(0, best)) best = c;
    }
    right += best == e.label;
  }
  return static_cast<double>(right) / static_cast<double>(examples.size());
}

// The tokens of a list of words (a Chinese word may become several tokens).
std::set<std::string> tokens_of(const std::vector<std::string>& words) {
  std::set<std::string> tokens;
  for (const std::string& word : words) {
    for (std::string& token : text::tokenize(word))
      tokens.insert(std::move(token));
  }
  return tokens;
}

std::string megabytes(int64_t bytes) {
  return fmt::format("{:.2f} MB", static_cast<double>(bytes) / 1e6);
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter(
      {12, "嵌入层是第一个隐藏层; 参数数量", "the first hidden layer; counting parameters"},
      "The embedding has V x D parameters; D buys quality up to a point "
      "and costs memory and time all the way.");
  int64_t V_course = 10000, D_course = 128, seeds = 3, epochs = 4, batch = 16, test_every = 4;
  int64_t timing_batch = 256, timing_steps = 7;
  double lr = 0.02;
  std::vector<int64_t> dims = {1, 4, 16, 64, 256};
  std::vector<std::string> happy_words = {"happy", "joyful", "glad", "cheerful",
                                          "快乐",  "开心",   "高兴"};
  std::vector<std::string> sad_words = {"sad",  "unhappy", "sorrowful", "gloomy",
                                        "悲伤", "难过",    "忧伤"};
  chapter.knob("--vocab", V_course, "num_embeddings of the course's model (and of the timing)");
  chapter.knob("--dim", D_course, "embedding_dim of the course's model");
  chapter.knob("--dims", dims, "the dimensions D compared, comma-separated");
  chapter.knob("--seeds", seeds, "trainings per D (seeds 1, 2, ...); accuracy is their mean");
  chapter.knob("--epochs", epochs, "passes over the training sentences per training");
  chapter.knob("--batch", batch, "sentences per training step");
  chapter.knob("--lr", lr, "Adam's learning rate");
  chapter.knob("--test-every", test_every, "keep every k-th sentence out of training (2 or more)");
  chapter.knob("--timing-batch", timing_batch, "sentences per step when timing a step");
  chapter.knob("--timing-steps", timing_steps, "steps timed per D; the median is printed");
  chapter.knob("--happy-words", happy_words, "words that make a sentence happy (then taken out)");
  chapter.knob("--sad-words", sad_words, "words that make a sentence sad (then taken out)");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  if (dims.empty() || seeds < 1 || epochs < 1 || batch < 1 || test_every < 2 || timing_batch < 1 ||
      timing_steps < 1) {
    throw ValueError(fmt::format(
        "need --dims, --seeds, --epochs, --batch, --timing-batch, --timing-steps >= 1 and "
        "--test-every >= 2; got {} dims, {}, {}, {}, {}, {}, {}",
        dims.size(), seeds, epochs, batch, timing_batch, timing_steps, test_every));
  }

  // 1. The course's model: ids -> Embedding(V, D) -> Linear(D, 2) -> two scores.
  manual_seed(0);
  nn::Sequential course;
  course.push_back("embed", std::make_shared<nn::Embedding>(V_course, D_course));
  course.push_back("fc", std::make_shared<nn::Linear>(D_course, 2));
  fmt::print("{}", nn::summary(course, from_ids({0, 1, 2, 3}, {4})));
  fmt::print("embedding share of all parameters: {} of {} = {:.2f}%\n",
             nn::with_thousands_separators(course[0]->num_parameters()),
             nn::with_thousands_separators(course.num_parameters()),
             100.0 * static_cast<double>(course[0]->num_parameters()) /
                 static_cast<double>(course.num_parameters()));
  fmt::print("the Embedding is the first hidden layer: 4 ids in, a (4, {}) float matrix out\n\n",
             D_course);

  // 2. What D costs, at V = --vocab: parameters, memory (the weights, and Adam's state measured
  //    after one step), and the time of one training step on --timing-batch random sentences.
  fmt::print("what D costs, V = {}, model Embedding(V, D) -> mean -> Linear(D, {}):\n", V_course,
             kClasses);
  std::vector<double> step_ms;
  for (const int64_t D : dims) {
    manual_seed(1);
    Model model(V_course, D);
    optim::Adam adam(model.net.parameters(), {.lr = lr});
    std::vector<Example> fake(static_cast<size_t>(timing_batch));
    uint64_t state = 12345;  // a fixed pseudo-random sequence of ids, the same for every D
    for (Example& e : fake) {
      for (int k = 0; k < 12; ++k) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        e.ids.push_back(static_cast<int64_t>((state >> 33) % static_cast<uint64_t>(V_course)));
      }
      e.label = static_cast<int64_t>(state % kClasses);
    }
    std::vector<const Example*> all;
    for (const Example& e : fake)
      all.push_back(&e);
    train_step(model, adam, all);  // the first step also creates Adam's state
    std::vector<double> times;
    for (int64_t s = 0; s < timing_steps; ++s) {
      const auto start = std::chrono::steady_clock::now();
      train_step(model, adam, all);
      times.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
    std::sort(times.begin(), times.end());
    step_ms.push_back(times[times.size() / 2]);
    int64_t state_numbers = 0;
    adam.visit_state([&](const std::string&, Tensor& t, const Shape&) {
      if (t.defined()) state_numbers += t.numel();
    });
    const int64_t params = model.net.num_parameters();
    fmt::print(
        "  D = {:>4}: parameters {:>11} ({} x {} + {} x {} + {}), weights {:>9}, "
        "Adam's state {:>9}\n",
        D, nn::with_thousands_separators(params), V_course, D, D, kClasses, kClasses,
        megabytes(params * 4), megabytes(state_numbers * 4));
  }
  for (size_t i = 0; i < dims.size(); ++i) {
    fmt::print(
        "⏱ D = {:>4}: one training step on {} sentences of 12 ids: {:.3f} ms (median of {})\n",
        dims[i], timing_batch, step_ms[i], timing_steps);
  }
  if (dims.size() > 1) {
    fmt::print("⏱ from D = {} to D = {} ({}x the numbers): a step takes {:.1f}x the time\n",
               dims.front(), dims.back(), dims.back() / std::max<int64_t>(dims.front(), 1),
               step_ms.back() / std::max(step_ms.front(), 1e-9));
  }
  fmt::print("\n");

  // 3. What D buys: the feelings task. Label each corpus line by its feeling words, then take
  //    those words out, so only the other words can tell.
  const std::set<std::string> happy = tokens_of(happy_words), sad = tokens_of(sad_words);
  std::vector<std::pair<std::vector<std::string>, int64_t>> rows;
  {
    std::ifstream in(chapter.data_file("feelings_corpus.txt"));
    for (std::string line; std::getline(in, line);) {
      const std::vector<std::string> tokens = text::tokenize(line);
      bool is_happy = false, is_sad = false;
      std::vector<std::string> kept;
      for (const std::string& token : tokens) {
        is_happy = is_happy || happy.count(token) > 0;
        is_sad = is_sad || sad.count(token) > 0;
        if (happy.count(token) == 0 && sad.count(token) == 0) kept.push_back(token);
      }
      if (kept.empty() || (is_happy && is_sad)) continue;  // nothing left, or both feelings
      rows.emplace_back(std::move(kept), is_happy ? 1 : is_sad ? 2 : 0);
    }
  }
  int64_t found[kClasses] = {};
  for (const auto& row : rows)
    ++found[row.second];
  if (found[1] == 0 || found[2] == 0) {
    throw ValueError(fmt::format(
        "the corpus has {} sentences with a --happy-words word and {} with a --sad-words word; "
        "the task needs both (words given: {} / {})",
        found[1], found[2], fmt::join(happy_words, ","), fmt::join(sad_words, ",")));
  }
  std::vector<std::string> train_tokens;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (static_cast<int64_t>(i) % test_every != test_every - 1)
      train_tokens.insert(train_tokens.end(), rows[i].first.begin(), rows[i].first.end());
  }
  const text::Vocabulary vocab = text::Vocabulary::build(train_tokens);
  std::vector<Example> train_set, test_set;
  int64_t per_class[kClasses] = {};
  for (size_t i = 0; i < rows.size(); ++i) {
    Example e{{}, rows[i].second};
    for (const std::string& token : rows[i].first)
      e.ids.push_back(vocab.id_or_unk(token));
    const bool test = static_cast<int64_t>(i) % test_every == test_every - 1;
    if (test) ++per_class[e.label];
    (test ? test_set : train_set).push_back(std::move(e));
  }
  const auto majority = *std::max_element(per_class, per_class + kClasses);
  fmt::print(
      "what D buys: is a sentence happy, sad or neither, without its feeling words?\n"
      "  {} training and {} test sentences (one in {} kept out), vocabulary V = {}; test: {} {}, "
      "{} {}, {} {}, so always answering the largest class scores {:.1f}%\n",
      train_set.size(), test_set.size(), test_every, vocab.size(), per_class[0], kClassNames[0],
      per_class[1], kClassNames[1], per_class[2], kClassNames[2],
      100.0 * static_cast<double>(majority) / static_cast<double>(test_set.size()));
  std::vector<double> mean_accuracy;
  for (const int64_t D : dims) {
    std::vector<double> scores;
    for (int64_t seed = 1; seed <= seeds; ++seed) {
      manual_seed(static_cast<uint64_t>(seed));
      Model model(vocab.size(), D);
      optim::Adam adam(model.net.parameters(), {.lr = lr});
      train::BatchSampler sampler(static_cast<int64_t>(train_set.size()), batch,
                                  {.seed = static_cast<uint64_t>(seed)});
      for (int64_t epoch = 0; epoch < epochs; ++epoch) {
        sampler.start_epoch();
        for (int64_t b = 0; b < sampler.num_batches(); ++b) {
          std::vector<const Example*> picked;
          for (const int64_t index : sampler.batch(b))
            picked.push_back(&train_set[index]);
          train_step(model, adam, picked);
        }
      }
      scores.push_back(accuracy(model, test_set));
    }
    double total = 0.0;
    for (const double s : scores)
      total += s;
    mean_accuracy.push_back(total / static_cast<double>(scores.size()));
    fmt::print(
        "  D = {:>4}: parameters {:>7}, test accuracy {:5.1f}% (mean of {} seeds; lowest "
        "{:.1f}%, highest {:.1f}%)\n",
        D, nn::with_thousands_separators(vocab.size() * D + D * kClasses + kClasses),
        100 * mean_accuracy.back(), seeds, 100 * *std::min_element(scores.begin(), scores.end()),
        100 * *std::max_element(scores.begin(), scores.end()));
  }

  // 4. The conclusion, from the numbers above: the smallest D within one test sentence's worth
  //    of the best mean accuracy.
  const double best = *std::max_element(mean_accuracy.begin(), mean_accuracy.end());
  const double one_sentence = 1.0 / static_cast<double>(test_set.size());
  size_t enough = 0;
  while (mean_accuracy[enough] < best - one_sentence)
    ++enough;
  fmt::print(
      "best mean test accuracy {:.1f}%; the smallest D within one test sentence ({:.1f} "
      "points) of it: D = {}\n",
      100 * best, 100 * one_sentence, dims[enough]);
  if (enough + 1 < dims.size()) {
    fmt::print(
        "so here D = {} is enough: D = {} has {:.0f}x its parameters and buys {:+.1f} "
        "points of test accuracy\n",
        dims[enough], dims.back(),
        static_cast<double>(dims.back()) / static_cast<double>(dims[enough]),
        100 * (mean_accuracy.back() - mean_accuracy[enough]));
  } else {
    fmt::print("so here the largest D tried is needed: try larger ones with --dims\n");
  }

  chapter.finish(
      "parameters grow as V x D; pick the smallest D that does the job, measured on data kept out.",
      {fmt::format("{} --dims 1,2,3,4,8   (where exactly does accuracy stop growing?)",
                   chapter.program()),
       fmt::format("{} --seeds 1   (one seed per D: is the ranking still clear?)",
                   chapter.program()),
       fmt::format("{} --vocab 100000 --dims 8,64   (memory and step time at a larger vocabulary)",
                   chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
