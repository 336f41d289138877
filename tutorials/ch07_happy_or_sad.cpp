// Chapter 7 — 图示 (the figure): from a sentence to a vector, then happy or sad?
//
// The one idea: the course's figure turns a sentence into one vector that stands for its
// meaning: sentence -> tokens -> ids -> one looked-up vector per token -> their mean, one
// sentence vector (mean pooling). The chapter first walks one sentence through that figure with
// numbers, then trains the table: EmbeddingBag does the lookup and the mean, a Linear layer
// scores "happy" vs "sad", and cross_entropy + Adam adjust both the layer and the rows of the
// table each sentence used. Some sentences are kept out of training and used only to test, so
// the accuracy printed on them says whether the model learned something that carries over.
// Afterwards words used in happy sentences point the same way: cosine(快乐, 开心) > cosine(快乐,
// 悲伤).
//
// Run: ch07_happy_or_sad [--dim 16] [--epochs 15] [--lr 0.05] [--seed 42] [--test-every 5]
//      (reads data/happy_sad.tsv; writes ch07_happy_sad_loss.svg)
#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

namespace {

struct Example {
  std::string sentence;
  std::vector<int64_t> ids;  // token ids of the sentence (tokens unseen in training left out)
  int64_t label;             // 0 = sad, 1 = happy
};

// Reads "label<TAB>sentence" lines into (sentence, label) pairs.
std::vector<std::pair<std::string, int64_t>> read_labelled(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IOError(fmt::format("cannot open {}", path));
  std::vector<std::pair<std::string, int64_t>> rows;
  for (std::string line; std::getline(in, line);) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::string label = line.substr(0, tab);
    if (label != "happy" && label != "sad") {
      throw FormatError(fmt::format("{}: label '{}' is neither happy nor sad", path, label));
    }
    rows.emplace_back(line.substr(tab + 1), label == "happy" ? 1 : 0);
  }
  return rows;
}

// The ids of a sentence's tokens that the vocabulary knows; counts the ones it does not.
std::vector<int64_t> known_ids(const std::string& sentence, const text::Vocabulary& vocab,
                               int64_t& unknown) {
  std::vector<int64_t> ids;
  for (const std::string& token : text::tokenize(sentence)) {
    const int64_t id = vocab.find(token);
    if (id >= 0) {
      ids.push_back(id);
    } else {
      ++unknown;
    }
  }
  return ids;
}

// The mean of the table rows for the tokens of `word`: the word's vector.
// The sentences kept out for testing are never seen in training, so a probe word that occurs only
// in them has no row: say so, with the count, rather than "not found".
Tensor word_vector(nn::EmbeddingBag& bag, const text::Vocabulary& vocab, const std::string& word,
                   const std::vector<std::pair<std::string, int64_t>>& test_rows) {
  std::vector<int64_t> ids;
  for (const std::string& token : text::tokenize(word)) {
    if (vocab.find(token) < 0) {
      const auto in_test = std::count_if(test_rows.begin(), test_rows.end(), [&](const auto& row) {
        return row.first.find(token) != std::string::npos;
      });
      if (in_test == 0) {
        throw ValueError(fmt::format(
            "--words: \"{}\" is in none of the sentences of data/happy_sad.tsv; pick words "
            "the sentences use",
            token));
      }
      throw ValueError(fmt::format(
          "--words: \"{}\" is only in sentences kept out to test ({} of the {}), so training "
          "never gave it a row; pick another word or a larger --test-every",
          token, in_test, test_rows.size()));
    }
    ids.push_back(vocab.id(token));
  }
  NoGradGuard no_grad;
  return bag(from_ids(ids, Shape{1, static_cast<int64_t>(ids.size())}))[0];
}

// The first few numbers of a vector, enough to recognise it.
std::string head_of(const Tensor& v) {
  std::vector<std::string> shown;
  for (int64_t k = 0; k < std::min<int64_t>(4, v.numel()); ++k)
    shown.push_back(fmt::format("{:+.3f}", v.at(k)));
  return fmt::format("[{}{}] ({} numbers)", fmt::join(shown, ", "), v.numel() > 4 ? ", …" : "",
                     v.numel());
}

// Right answers of the model on `examples`, one sentence at a time.
int count_right(nn::Sequential& model, const std::vector<Example>& examples) {
  NoGradGuard no_grad;
  int right = 0;
  for (const Example& example : examples) {
    const Tensor scores =
        model.forward(from_ids(example.ids, Shape{1, static_cast<int64_t>(example.ids.size())}));
    right += (scores.at(0, 1) > scores.at(0, 0)) == (example.label == 1);
  }
  return right;
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({7, "图示", "the figure: from a sentence to a vector"},
                            "A sentence becomes token ids, the ids become vectors, their mean is "
                            "one sentence vector; training shapes the table.");
  int64_t D = 16, epochs = 15, batch = 16, seed = 42, test_every = 5;
  double lr = 0.05;
  std::string figure_sentence;
  std::vector<std::string> probe = {"快乐", "开心", "悲伤"};
  chapter.knob("--dim", D, "D: numbers per token vector");
  chapter.knob("--epochs", epochs, "passes over the training sentences");
  chapter.knob("--lr", lr, "Adam's learning rate");
  chapter.knob("--batch", batch, "sentences per training step");
  chapter.knob("--seed", seed, "seed of the initial table and of the batch order");
  chapter.knob("--test-every", test_every,
               "keep every k-th sentence out of training, to test on (2 or more)");
  chapter.knob("--sentence", figure_sentence,
               "the sentence walked through the figure (default: the first training sentence)");
  chapter.knob("--words", probe, "three words a,b,c: is a closer to b than to c after training?");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  if (test_every < 2 || D < 1 || epochs < 1 || batch < 1 || probe.size() != 3) {
    throw ValueError(fmt::format(
        "need --test-every >= 2, --dim, --epochs, --batch >= 1 and three --words; got {}, {}, "
        "{}, {} and {} words",
        test_every, D, epochs, batch, probe.size()));
  }

  // 1. Split the sentences: every k-th one is kept out of training. The vocabulary is built from
  //    the training sentences only, as it would be for sentences the model meets later.
  const auto rows = read_labelled(chapter.data_file("happy_sad.tsv").string());
  std::vector<std::pair<std::string, int64_t>> train_rows, test_rows;
  for (size_t i = 0; i < rows.size(); ++i)
    (static_cast<int64_t>(i) % test_every == test_every - 1 ? test_rows : train_rows)
        .push_back(rows[i]);
  std::vector<std::string> all_tokens;
  for (const auto& row : train_rows) {
    for (std::string& token : text::tokenize(row.first))
      all_tokens.push_back(std::move(token));
  }
  const text::Vocabulary vocab = text::Vocabulary::build(all_tokens);
  std::vector<Example> train_set, test_set;
  int64_t unknown_train = 0, unknown_test = 0;
  for (const auto& [sentence, label] : train_rows)
    train_set.push_back({sentence, known_ids(sentence, vocab, unknown_train), label});
  for (const auto& [sentence, label] : test_rows) {
    std::vector<int64_t> ids = known_ids(sentence, vocab, unknown_test);
    if (ids.empty()) ids.push_back(vocab.id_or_unk("<unk>"));  // nothing known: the <unk> row
    test_set.push_back({sentence, ids, label});
  }
  fmt::print(
      "data: {} sentences; {} to train on, {} kept out to test (one in {}); {} token ids "
      "(<unk> included) from the training sentences\n",
      rows.size(), train_set.size(), test_set.size(), test_every, vocab.size());
  fmt::print("test-sentence tokens never seen in training (left out of their mean): {}\n\n",
             unknown_test);

  // 2. The model: mean of the token vectors -> two scores.
  manual_seed(static_cast<uint64_t>(seed));
  nn::Sequential model;
  auto bag =
      model.push_back("bag", std::make_shared<nn::EmbeddingBag>(
                                 vocab.size(), D, nn::EmbeddingBagOptions{.mode = BagMode::Mean}));
  auto classifier = model.push_back("classifier", std::make_shared<nn::Linear>(D, 2));
  fmt::print("{}\nparameters: {} x {} + {} = {}\n\n", model.to_string(), vocab.size(), D,
             classifier->num_parameters(), model.num_parameters());

  // 3. The figure, with numbers, before any training: one sentence all the way to one vector.
  const std::string sentence =
      figure_sentence.empty() ? train_set.front().sentence : figure_sentence;
  const std::vector<std::string> tokens = text::tokenize(sentence);
  fmt::print("the figure (图示) for \"{}\":\n", sentence);
  fmt::print("  sentence -> {} tokens: {}\n", tokens.size(), fmt::join(tokens, " | "));
  std::vector<int64_t> figure_ids;
  std::vector<std::string> id_text;
  for (const std::string& token : tokens) {
    const int64_t id = vocab.find(token);
    id_text.push_back(id >= 0 ? std::to_string(id) : "unseen");
    if (id >= 0) figure_ids.push_back(id);
  }
  fmt::print(
      "  tokens -> ids: {}{}\n", fmt::join(id_text, ", "),
      figure_ids.size() < tokens.size() ? "   (unseen tokens have no row and are left out)" : "");
  if (figure_ids.empty()) {
    throw ValueError(
        fmt::format("no token of \"{}\" is in the vocabulary; pick a sentence with "
                    "words from data/happy_sad.tsv",
                    sentence));
  }
  Tensor summed = zeros({D});
  {
    NoGradGuard no_grad;
    fmt::print("  ids -> vectors (row id of the table, still random):\n");
    for (const int64_t id : figure_ids) {
      const Tensor row = bag->weight.detach()[id];
      fmt::print("    {:>4} {:<10} -> {}\n", id, vocab.token(id), head_of(row));
      summed = summed + row;
    }
    const auto n = static_cast<float>(figure_ids.size());
    const Tensor by_hand = summed / n;
    const Tensor pooled =
        bag->forward(from_ids(figure_ids, Shape{1, static_cast<int64_t>(figure_ids.size())}))[0];
    fmt::print("  vectors -> one sentence vector, their mean (sum / {}): {}\n", figure_ids.size(),
               head_of(by_hand));
    fmt::print("  EmbeddingBag(mode=mean) gives the same vector: max difference {:g}\n",
               max(abs(pooled - by_hand)).item());
    const Tensor scores = classifier->forward(pooled.reshape({1, D}));
    fmt::print(
        "  sentence vector -> Linear -> scores (sad, happy) = ({:.3f}, {:.3f}): untrained, "
        "so a guess\n\n",
        scores.at(0, 0), scores.at(0, 1));
  }

  // 4. Train on the training sentences: batches of --batch sentences; the offsets tell the bag
  //    where each sentence's ids begin in the flat list.
  optim::Adam adam(model.parameters(), {.lr = lr});
  train::BatchSampler sampler(static_cast<int64_t>(train_set.size()), batch,
                              {.seed = static_cast<uint64_t>(seed)});
  std::vector<double> losses;
  for (int64_t epoch = 1; epoch <= epochs; ++epoch) {
    sampler.start_epoch();
    double epoch_loss = 0.0;
    for (int64_t b = 0; b < sampler.num_batches(); ++b) {
      std::vector<int64_t> flat, offsets, labels;
      for (int64_t index : sampler.batch(b)) {
        offsets.push_back(static_cast<int64_t>(flat.size()));
        flat.insert(flat.end(), train_set[index].ids.begin(), train_set[index].ids.end());
        labels.push_back(train_set[index].label);
      }
      const auto B = static_cast<int64_t>(labels.size());
      Tensor sentence_vectors = bag->forward(
          from_ids(flat, Shape{static_cast<int64_t>(flat.size())}), from_ids(offsets, Shape{B}));
      Tensor loss =
          nn::cross_entropy(classifier->forward(sentence_vectors), from_ids(labels, Shape{B}));
      adam.zero_grad();
      loss.backward();
      adam.step();
      losses.push_back(loss.item());
      epoch_loss += loss.item() * static_cast<double>(B);
    }
    if (epoch == 1 || epoch % 5 == 0 || epoch == epochs) {
      fmt::print("epoch {:2d}: mean loss {:.4f}\n", epoch,
                 epoch_loss / static_cast<double>(train_set.size()));
    }
  }

  // 5. How well did it learn, on sentences it trained on and on sentences it never saw?
  const int train_right = count_right(model, train_set);
  const int test_right = count_right(model, test_set);
  fmt::print("training accuracy: {}/{} = {:.0f}%\n", train_right, train_set.size(),
             100.0 * train_right / static_cast<double>(train_set.size()));
  fmt::print("test accuracy (sentences never trained on): {}/{} = {:.0f}%\n", test_right,
             test_set.size(), 100.0 * test_right / static_cast<double>(test_set.size()));
  {
    NoGradGuard no_grad;
    for (const Example& example : test_set) {
      const Tensor p = softmax(
          model.forward(from_ids(example.ids, Shape{1, static_cast<int64_t>(example.ids.size())})),
          1);
      const bool happy = p.at(0, 1) > p.at(0, 0);
      fmt::print("  test: {:<5} p(happy) = {:.2f} {} \"{}\"\n",
                 example.label == 1 ? "happy" : "sad", p.at(0, 1),
                 happy == (example.label == 1) ? "right" : "WRONG", example.sentence);
    }
  }

  {
    NoGradGuard no_grad;
    const Tensor p = softmax(
        model.forward(from_ids(figure_ids, Shape{1, static_cast<int64_t>(figure_ids.size())})), 1);
    fmt::print("the figure's sentence after training: p(happy) = {:.2f} for \"{}\"\n", p.at(0, 1),
               sentence);
  }

  // 6. What did the table learn? Compare the probe words' vectors (mean of their tokens' rows).
  const Tensor a = word_vector(*bag, vocab, probe[0], test_rows);
  const Tensor b = word_vector(*bag, vocab, probe[1], test_rows);
  const Tensor c = word_vector(*bag, vocab, probe[2], test_rows);
  const float ab = cosine_similarity(a, b).item(), ac = cosine_similarity(a, c).item();
  fmt::print("\ncosine({}, {}) = {:.3f}\ncosine({}, {}) = {:.3f}\n", probe[0], probe[1], ab,
             probe[0], probe[2], ac);
  fmt::print("{} is closer to {} than to {}: {}\n", probe[0], probe[1], probe[2],
             ab > ac ? "yes" : "no");

  viz::LinePlot plot("happy vs sad: training loss", "step", "cross-entropy loss");
  plot.add_series("loss per batch", losses);
  plot.add_series("moving average (10 steps)", viz::smooth(losses, 10));
  const auto picture = chapter.output_file("ch07_happy_sad_loss.svg");
  plot.save(picture.string());
  fmt::print("wrote {}\n", picture.filename().string());

  chapter.finish(
      "a sentence vector is the mean of its token vectors; the table rows are trained weights, so "
      "tokens used alike end up alike.",
      {fmt::format("{} --sentence \"我今天非常开心\"   (walk your own sentence through the figure)",
                   chapter.program()),
       fmt::format("{} --dim 2 --epochs 10   (a tiny table, little training: do the test "
                   "sentences still come out right?)",
                   chapter.program()),
       fmt::format("{} --words happy,glad,sad   (the same question for English words)",
                   chapter.program())});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
