// Chapter 7, from a sentence to a vector (图示): happy or sad? A toy training loop.
//
// The one idea: an embedding table is trained like any other weight. Each sentence becomes a
// bag of token ids, EmbeddingBag averages their vectors into one sentence vector (mean
// pooling), a Linear layer scores "happy" vs "sad", and cross_entropy + Adam adjust both the
// layer and the rows of the table the sentence used. Afterwards words that appeared in happy
// sentences point the same way: cosine(快乐, 开心) > cosine(快乐, 悲伤).
//
// Run: ch07_happy_or_sad [--data DIR] [--out DIR]   (reads DIR/happy_sad.tsv; writes
// happy_sad_loss.svg)
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "embedlab.h"

using namespace embedlab;

namespace {

struct Example {
  std::vector<int64_t> ids;  // token ids of the sentence
  int64_t label;             // 0 = sad, 1 = happy
};

// Reads "label<TAB>sentence" lines into (sentence, label) pairs.
std::vector<std::pair<std::string, int64_t>> read_labelled(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IOError(fmt::format("ch07_happy_or_sad: cannot open {}", path));
  std::vector<std::pair<std::string, int64_t>> rows;
  for (std::string line; std::getline(in, line);) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    rows.emplace_back(line.substr(tab + 1), line.substr(0, tab) == "happy" ? 1 : 0);
  }
  return rows;
}

// The mean of the table rows for the characters of `word`: the word's vector.
Tensor word_vector(nn::EmbeddingBag& bag, const text::Vocabulary& vocab, const std::string& word) {
  std::vector<int64_t> ids;
  for (const std::string& token : text::tokenize(word))
    ids.push_back(vocab.id(token));
  NoGradGuard no_grad;
  return bag(from_ids(ids, Shape{1, static_cast<int64_t>(ids.size())}))[0];
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string data_dir = train::flag_value(argc, argv, "--data", "data");
  const std::string out_dir = train::flag_value(argc, argv, "--out", ".");

  // 1. Text to ids: tokenise (Chinese: one token per character) and number the tokens.
  auto rows = read_labelled(data_dir + "/happy_sad.tsv");
  std::vector<std::string> all_tokens;
  for (const auto& row : rows) {
    for (std::string& token : text::tokenize(row.first))
      all_tokens.push_back(std::move(token));
  }
  const text::Vocabulary vocab = text::Vocabulary::build(all_tokens);
  std::vector<std::vector<int64_t>> sequences;
  std::vector<Example> examples;
  for (const auto& [sentence, label] : rows) {
    std::vector<int64_t> ids;
    for (const std::string& token : text::tokenize(sentence))
      ids.push_back(vocab.id(token));
    sequences.push_back(ids);
    examples.push_back({ids, label});
  }
  fmt::print("data: {} sentences, {} distinct tokens\n", examples.size(), vocab.size());

  // 2. The model: mean of the word vectors -> two scores.
  manual_seed(42);
  const int64_t D = 16;
  nn::Sequential model;
  auto bag =
      model.push_back("bag", std::make_shared<nn::EmbeddingBag>(
                                 vocab.size(), D, nn::EmbeddingBagOptions{.mode = BagMode::Mean}));
  auto classifier = model.push_back("classifier", std::make_shared<nn::Linear>(D, 2));
  fmt::print("{}\nparameters: {} x {} + {} = {}\n", model.to_string(), vocab.size(), D,
             classifier->num_parameters(), model.num_parameters());

  // 3. Train: batches of 16 sentences, padded ids are left out of the mean by offsets.
  optim::Adam adam(model.parameters(), {.lr = 0.05});
  train::BatchSampler sampler(static_cast<int64_t>(examples.size()), 16, {.seed = 7});
  std::vector<double> losses;
  const int epochs = 40;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    sampler.start_epoch();
    double epoch_loss = 0.0;
    for (int64_t b = 0; b < sampler.num_batches(); ++b) {
      std::vector<int64_t> flat, offsets, labels;
      for (int64_t index : sampler.batch(b)) {
        offsets.push_back(static_cast<int64_t>(flat.size()));
        flat.insert(flat.end(), examples[index].ids.begin(), examples[index].ids.end());
        labels.push_back(examples[index].label);
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
    if (epoch == 1 || epoch % 10 == 0) {
      fmt::print("epoch {:2d}: mean loss {:.4f}\n", epoch, epoch_loss / examples.size());
    }
  }

  // 4. How well did it learn, and what did the table learn?
  int correct = 0;
  {
    NoGradGuard no_grad;
    for (const Example& example : examples) {
      Tensor ids = from_ids(example.ids, Shape{1, static_cast<int64_t>(example.ids.size())});
      Tensor scores = model.forward(ids);
      correct += (scores.at(0, 1) > scores.at(0, 0)) == (example.label == 1);
    }
  }
  fmt::print("training accuracy: {}/{} = {:.0f}%\n", correct, examples.size(),
             100.0 * correct / static_cast<double>(examples.size()));
  const Tensor happy = word_vector(*bag, vocab, "快乐"), glad = word_vector(*bag, vocab, "开心");
  const Tensor sad = word_vector(*bag, vocab, "悲伤");
  const float happy_glad = cosine_similarity(happy, glad).item();
  const float happy_sad = cosine_similarity(happy, sad).item();
  fmt::print("cosine(快乐, 开心) = {:.3f}\ncosine(快乐, 悲伤) = {:.3f}\n", happy_glad, happy_sad);
  fmt::print("快乐 is closer to 开心 than to 悲伤: {}\n", happy_glad > happy_sad ? "yes" : "no");

  viz::LinePlot plot("happy vs sad: training loss", "step", "cross-entropy loss");
  plot.add_series("loss per batch", losses);
  plot.add_series("moving average (10 steps)", viz::smooth(losses, 10));
  plot.save(out_dir + "/happy_sad_loss.svg");
  fmt::print("wrote {}/happy_sad_loss.svg\n", out_dir);
  fmt::print("takeaway: the table rows are trained weights; words used alike end up alike.\n");
  return 0;
} catch (const std::exception& error) {
  fmt::print(stderr, "ch07_happy_or_sad: {}\n", error.what());
  return 2;
}
