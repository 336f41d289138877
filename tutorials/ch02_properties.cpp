// Chapter 2 — Embedding 特点 (properties): the same words, two tasks, two different tables.
//
// The one idea: an embedding table is not a dictionary of fixed meanings; it holds what the
// task that trained it needed. Two models of the same shape (mean of the word vectors, then a
// Linear layer to two scores) start from the SAME random table and read the SAME sentences of
// data/feelings_corpus.txt. One learns sentiment (was the sentence happy or sad?), the other
// learns language (English or Chinese?). Afterwards:
//   - the neighbours of one probe word differ between the two tables: in the sentiment table
//     快乐 sits with happy words of both languages and far from 悲伤; in the language table it
//     sits with other Chinese words and close to 悲伤, as in a Chinese dictionary;
//   - each table, frozen, with a fresh Linear layer on top, does well on its own task and
//     no better than the untrained table on the other one: the other task put nothing there.
//
// The labels come from the corpus itself: a sentence is happy when it holds one of the happy
// words below, sad when it holds a sad word (data/make_feelings_corpus.py built each line from
// a happy or a sad template); lines with neither are left out. A line with any non-ASCII
// character is Chinese. One sentence in `--test-every` is kept out of training to test on.
//
// Run: ch02_properties [--dim 8] [--epochs 8] [--lr 0.05] [--seed 1] [--words 快乐,happy]
#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

namespace {

// The feeling words the corpus generator puts into its happy and its sad templates.
const std::vector<std::string> kHappyWords = {"happy", "joyful", "glad", "cheerful",
                                              "快乐",  "开心",   "高兴"};
const std::vector<std::string> kSadWords = {"sad",  "unhappy", "sorrowful", "gloomy",
                                            "悲伤", "难过",    "忧伤"};

// One sentence: its token ids and its two labels.
struct Sentence {
  std::vector<int64_t> ids;
  int64_t happy = 0;    // sentiment label: 1 happy, 0 sad
  int64_t chinese = 0;  // language label: 1 Chinese, 0 English
};

// True when the tokens of `word` appear one after the other in `tokens` (a Chinese word may be
// several tokens when the tokenizer cuts Chinese into characters).
bool holds_word(const std::vector<std::string>& tokens, const std::string& word) {
  const std::vector<std::string> parts = text::tokenize(word);
  return std::search(tokens.begin(), tokens.end(), parts.begin(), parts.end()) != tokens.end();
}

bool holds_any(const std::vector<std::string>& tokens, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& word) { return holds_word(tokens, word); });
}

// The ids of `sentences` laid end to end, and where each sentence starts: embedding_bag's input.
struct Bags {
  Tensor ids, offsets;
};
Bags bags_of(const std::vector<Sentence>& sentences, std::span<const int64_t> which) {
  std::vector<int64_t> flat, offsets;
  for (const int64_t s : which) {
    offsets.push_back(static_cast<int64_t>(flat.size()));
    flat.insert(flat.end(), sentences[s].ids.begin(), sentences[s].ids.end());
  }
  const auto N = static_cast<int64_t>(flat.size()), B = static_cast<int64_t>(offsets.size());
  return {from_ids(flat, {N}), from_ids(offsets, {B})};
}

std::vector<int64_t> labels_of(const std::vector<Sentence>& sentences,
                               std::span<const int64_t> which, bool language) {
  std::vector<int64_t> labels;
  for (const int64_t s : which)
    labels.push_back(language ? sentences[s].chinese : sentences[s].happy);
  return labels;
}

// Share of rows whose larger score is the label.
double accuracy(const Tensor& scores, const std::vector<int64_t>& labels) {
  int64_t right = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    const auto row = static_cast<int64_t>(i);
    right += (scores.at(row, 1) > scores.at(row, 0)) == (labels[i] == 1);
  }
  return static_cast<double>(right) / static_cast<double>(labels.size());
}

// The word's vector: the mean of the rows of its tokens.
Tensor word_vector(const Tensor& table, const text::Vocabulary& vocab, const std::string& word) {
  std::vector<int64_t> ids;
  for (const std::string& token : text::tokenize(word))
    ids.push_back(vocab.id(token));
  return mean(index_select(table, 0, from_ids(ids, {static_cast<int64_t>(ids.size())})), 0);
}

// Every happy or sad line of the corpus as token ids with both labels; one line in
// `test_every` is kept out of training.
struct Corpus {
  text::Vocabulary vocab;
  std::vector<Sentence> sentences;
  std::vector<int64_t> train_ids, test_ids;  // indices into `sentences`
};

Corpus read_corpus(const std::filesystem::path& path, int64_t test_every) {
  std::ifstream in(path);
  if (!in) throw IOError(fmt::format("cannot open {}", path.string()));
  std::vector<std::vector<std::string>> token_lines;
  std::vector<int64_t> happy_labels, chinese_labels;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> tokens = text::tokenize(line);
    const bool happy = holds_any(tokens, kHappyWords), sad = holds_any(tokens, kSadWords);
    if (happy == sad) continue;  // neither (an everyday line) or, never in this corpus, both
    happy_labels.push_back(happy ? 1 : 0);
    chinese_labels.push_back(
        std::any_of(line.begin(), line.end(), [](char c) { return (c & 0x80) != 0; }) ? 1 : 0);
    token_lines.push_back(std::move(tokens));
  }
  std::vector<std::string> all_tokens;
  for (const auto& tokens : token_lines)
    all_tokens.insert(all_tokens.end(), tokens.begin(), tokens.end());
  Corpus corpus{text::Vocabulary::build(all_tokens), {}, {}, {}};
  const text::Vocabulary& vocab = corpus.vocab;
  std::vector<Sentence>& sentences = corpus.sentences;
  std::vector<int64_t>&train_ids = corpus.train_ids, &test_ids = corpus.test_ids;
  for (size_t i = 0; i < token_lines.size(); ++i) {
    Sentence sentence{{}, happy_labels[i], chinese_labels[i]};
    for (const std::string& token : token_lines[i])
      sentence.ids.push_back(vocab.id(token));
    sentences.push_back(std::move(sentence));
    (static_cast<int64_t>(i) % test_every == test_every - 1 ? test_ids : train_ids)
        .push_back(static_cast<int64_t>(i));
  }
  const auto count = [&](const std::vector<int64_t>& labels) {
    return std::accumulate(labels.begin(), labels.end(), int64_t{0});
  };
  fmt::print(
      "data: {} sentences ({} happy, {} sad; {} Chinese, {} English), {} distinct tokens;\n"
      "      {} to train on, {} kept out to test\n\n",
      sentences.size(), count(happy_labels), sentences.size() - count(happy_labels),
      count(chinese_labels), sentences.size() - count(chinese_labels), vocab.size(),
      train_ids.size(), test_ids.size());
  return corpus;
}

// How both tasks are trained.
struct Training {
  int64_t D = 8, epochs = 8, seed = 1;
  double lr = 0.05;
};

// Trains `table` (when it requires grad) and a fresh Linear(D, 2) head on one task, sentiment
// or language: sentence vector = mean of its word rows, scores = head(sentence vector),
// cross-entropy, Adam, batches of 32 training sentences. Returns the head.
std::shared_ptr<nn::Linear> train_task(Tensor& table, bool language, const Corpus& corpus,
                                       const Training& training) {
  Generator head_generator(static_cast<uint64_t>(training.seed) + 1);
  auto head = std::make_shared<nn::Linear>(training.D, 2, true, head_generator);
  std::vector<Tensor> params = head->parameters();
  if (table.requires_grad()) params.push_back(table);
  optim::Adam adam(params, {.lr = training.lr});
  train::BatchSampler sampler(static_cast<int64_t>(corpus.train_ids.size()), 32,
                              {.seed = static_cast<uint64_t>(training.seed)});
  for (int64_t epoch = 0; epoch < training.epochs; ++epoch) {
    sampler.start_epoch();
    for (int64_t b = 0; b < sampler.num_batches(); ++b) {
      std::vector<int64_t> which;
      for (const int64_t i : sampler.batch(b))
        which.push_back(corpus.train_ids[i]);
      const Bags bags = bags_of(corpus.sentences, which);
      const std::vector<int64_t> labels = labels_of(corpus.sentences, which, language);
      Tensor scores = (*head)(embedding_bag(table, bags.ids, bags.offsets, BagMode::Mean));
      Tensor loss =
          nn::cross_entropy(scores, from_ids(labels, {static_cast<int64_t>(labels.size())}));
      adam.zero_grad();
      loss.backward();
      adam.step();
    }
  }
  return head;
}

// Share of the held-out sentences whose label `table` + `head` get right.
double test_task(const Tensor& table, nn::Linear& head, bool language, const Corpus& corpus) {
  NoGradGuard no_grad;
  const Bags bags = bags_of(corpus.sentences, corpus.test_ids);
  return accuracy(head(embedding_bag(table, bags.ids, bags.offsets, BagMode::Mean)),
                  labels_of(corpus.sentences, corpus.test_ids, language));
}

// A table and the name it is printed with.
struct Table {
  const char* name;
  const Tensor& weights;
};

// Lists each probe word's k nearest tokens in both tables, counting how many share its sentiment
// lean (a token leans happy when it occurs more often in happy sentences than in sad ones) and
// its language (a token is Chinese when it is not ASCII); then compares the first probe word
// with each word of `against` in both tables.
void compare_neighbours(const Corpus& corpus, const Tensor& sentiment_table,
                        const Tensor& language_table, const std::vector<std::string>& probes,
                        const std::vector<std::string>& against, int64_t k) {
  const text::Vocabulary& vocab = corpus.vocab;
  const int64_t V = vocab.size(), D = sentiment_table.size(1);
  std::vector<int64_t> in_happy(V, 0), in_sad(V, 0);
  for (const Sentence& sentence : corpus.sentences) {
    for (const int64_t id : sentence.ids)
      ++(sentence.happy ? in_happy : in_sad)[id];
  }
  const auto is_chinese = [](const std::string& token) {
    return std::any_of(token.begin(), token.end(), [](char c) { return (c & 0x80) != 0; });
  };
  const auto lean = [&](int64_t id) {
    return in_happy[id] > in_sad[id] ? "happy" : in_sad[id] > in_happy[id] ? "sad" : "even";
  };
  const std::vector<Table> tables = {{"sentiment", sentiment_table}, {"language", language_table}};
  for (const std::string& word : probes) {
    const std::vector<std::string> own = text::tokenize(word);
    const std::string word_lean = lean(vocab.id(own.front()));
    const bool word_chinese = is_chinese(own.front());
    fmt::print("neighbours of {} (leans {}, {}):\n", word, word_lean,
               word_chinese ? "Chinese" : "English");
    for (const Table& table : tables) {
      const Tensor v = word_vector(table.weights, vocab, word).reshape({1, D});
      const Tensor cosines = cosine_similarity(table.weights, ones({V, 1}) * v);
      std::vector<int64_t> order(V);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t a, int64_t b) { return cosines.at(a) > cosines.at(b); });
      std::vector<std::string> shown;
      int64_t same_lean = 0, same_language = 0;
      for (const int64_t id : order) {
        if (std::find(own.begin(), own.end(), vocab.token(id)) != own.end()) continue;
        if (static_cast<int64_t>(shown.size()) == k) break;
        shown.push_back(fmt::format("{} {:.2f}", vocab.token(id), cosines.at(id)));
        same_lean += lean(id) == word_lean;
        same_language += is_chinese(vocab.token(id)) == word_chinese;
      }
      const auto listed =
          static_cast<int64_t>(shown.size());  // k, unless the vocabulary is smaller
      fmt::print("  {:<9} table: {}\n", table.name, fmt::join(shown, ", "));
      fmt::print("  {:9}        {} of {} lean {} like it, {} of {} are {} like it\n", "", same_lean,
                 listed, word_lean, same_language, listed, word_chinese ? "Chinese" : "English");
    }
  }
  // The first probe word against others, in both tables: the same pair, two answers.
  const std::string& first = probes.front();
  for (const std::string& other : against) {
    std::vector<std::string> cells;
    std::vector<float> cosines;
    for (const Table& table : tables) {
      cosines.push_back(cosine_similarity(word_vector(table.weights, vocab, first),
                                          word_vector(table.weights, vocab, other))
                            .item());
      cells.push_back(fmt::format("{} table {:+.2f}", table.name, cosines.back()));
    }
    fmt::print("cosine({}, {}): {} -> closer in the {} table\n", first, other,
               fmt::join(cells, ", "), cosines[0] > cosines[1] ? "sentiment" : "language");
  }
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({2, "Embedding 特点", "properties"},
                            "The same words trained on two tasks give two tables; each keeps "
                            "what its own task needs.");
  int64_t D = 8, epochs = 8, seed = 1, test_every = 4, k = 6;
  double lr = 0.05;
  std::vector<std::string> probes = {"快乐", "happy"};
  std::vector<std::string> against = {"开心", "happy", "悲伤"};
  chapter.knob("--dim", D, "D: length of each word vector in both tables");
  chapter.knob("--epochs", epochs, "passes over the training sentences, for each task");
  chapter.knob("--lr", lr, "Adam's learning rate");
  chapter.knob("--seed", seed, "seed of the starting table, the heads and the batch order");
  chapter.knob("--test-every", test_every, "keep one sentence in N out of training, to test on");
  chapter.knob("--neighbours", k, "how many nearest neighbours to list per probe word");
  chapter.knob("--words", probes, "probe words whose neighbours are listed, comma-separated");
  chapter.knob("--against", against, "words compared with the first probe word in both tables");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  if (D < 1 || epochs < 1 || test_every < 2 || k < 1 || !(lr > 0)) {
    throw ValueError(
        fmt::format("need --dim >= 1, --epochs >= 1, --test-every >= 2, --neighbours >= 1 "
                    "and --lr > 0; got {}, {}, {}, {} and {}",
                    D, epochs, test_every, k, lr));
  }

  // 1. The data: every happy or sad line of the corpus, with both labels.
  const Corpus corpus = read_corpus(chapter.data_file("feelings_corpus.txt"), test_every);
  const text::Vocabulary& vocab = corpus.vocab;
  if (probes.empty()) throw ValueError("--words needs at least one word");
  std::vector<std::string> checked = probes;
  checked.insert(checked.end(), against.begin(), against.end());
  for (const std::string& word : checked) {
    for (const std::string& token : text::tokenize(word)) {
      if (!vocab.contains(token)) {
        throw IndexError(
            fmt::format("probe word '{}' (token '{}') is not in the "
                        "{} tokens of the happy and sad sentences",
                        word, token, vocab.size()));
      }
    }
  }

  // 2. One starting table, copied for both tasks, so any difference later comes from the task.
  const int64_t V = vocab.size();
  Generator generator(static_cast<uint64_t>(seed));
  const Tensor start = nn::init::normal_(zeros({V, D}), 0.0f, 1.0f, generator);
  const Training training{D, epochs, seed, lr};

  // 3. Train the two tables, each with its own head.
  Tensor sentiment_table = start.clone().requires_grad_(true);
  Tensor language_table = start.clone().requires_grad_(true);
  const auto sentiment_head = train_task(sentiment_table, false, corpus, training);
  const auto language_head = train_task(language_table, true, corpus, training);
  fmt::print(
      "trained two models of the same shape, mean of word vectors -> Linear({}, 2), "
      "{} epochs each, from the same table ({} x {}):\n",
      D, epochs, V, D);
  fmt::print("  sentiment model: happy or sad?      test accuracy {:.1f}%\n",
             100 * test_task(sentiment_table, *sentiment_head, false, corpus));
  fmt::print("  language model:  English or Chinese? test accuracy {:.1f}%\n\n",
             100 * test_task(language_table, *language_head, true, corpus));
  sentiment_table = sentiment_table.detach();
  language_table = language_table.detach();

  // 4. Same words, different neighbours; the same pair of words, two answers.
  compare_neighbours(corpus, sentiment_table, language_table, probes, against, k);
  fmt::print("\n");

  // 5. What each table knows: freeze it and train only a fresh Linear head for each task. The
  //    untrained starting table is the baseline: what random vectors give a head to work with.
  const std::vector<Table> frozen = {{"starting (untrained)", start},
                                     {"sentiment", sentiment_table},
                                     {"language", language_table}};
  std::vector<std::array<double, 2>> scores;
  fmt::print("each table frozen, a fresh Linear({}, 2) trained on top, test accuracy:\n", D);
  fmt::print("  {:<22} {:>10} {:>10}\n", "table", "sentiment", "language");
  for (const Table& table : frozen) {
    Tensor fixed = table.weights.detach();
    std::array<double, 2> row{};
    for (const bool language : {false, true}) {
      const auto head = train_task(fixed, language, corpus, training);
      row[language ? 1 : 0] = test_task(fixed, *head, language, corpus);
    }
    scores.push_back(row);
    fmt::print("  {:<22} {:>9.1f}% {:>9.1f}%\n", table.name, 100 * row[0], 100 * row[1]);
  }
  const double margin = 0.05;  // a difference below 5 points of accuracy counts as "no better"
  const bool own_best = scores[1][0] > scores[2][0] && scores[2][1] > scores[1][1];
  fmt::print("each table does best on its own task: {}\n", own_best ? "yes" : "no");
  for (const bool language : {false, true}) {
    const int own = language ? 2 : 1, other = language ? 1 : 2;
    const double gain = scores[other][language] - scores[0][language];
    fmt::print(
        "{} task: the {} table adds {:+.1f} points over the untrained table ({}), "
        "the {} table {:+.1f}\n",
        language ? "language" : "sentiment", language ? "sentiment" : "language", 100 * gain,
        gain < margin ? "nothing of use" : "something", language ? "language" : "sentiment",
        100 * (scores[own][language] - scores[0][language]));
  }
  chapter.finish(
      "a table keeps what its task needed: the same words, trained on another task, get other "
      "neighbours.",
      {fmt::format("{} --words 开心,sad,饺   (which neighbours does each task give a food word?)",
                   chapter.program()),
       fmt::format("{} --dim 2   (two numbers per word: is there still room for both tasks?)",
                   chapter.program()),
       fmt::format("{} --seed 7   (another starting table: do the conclusions hold?)",
                   chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
