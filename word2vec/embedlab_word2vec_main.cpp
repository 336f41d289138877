// embedlab-word2vec: trains word vectors on any text file from the command line, like
// Mikolov's word2vec tool, and shows what they learned.
//
//   embedlab-word2vec data/feelings_corpus.txt --dim 32 --window 4 --min-count 2
//                     --probe happy,sad,快 --output vectors.txt --map map.svg
//
// It prints a progress bar while training (words/s, loss, learning rate, ETA), writes the
// files asked for (word2vec text format, TensorBoard projector TSVs, a PCA map as SVG), then
// lists the nearest neighbours of the probe words and the files written. Any error (missing
// file, empty corpus, bad option value, unknown probe word) is one line on stderr and exit
// code 2.
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "io/projector.h"
#include "tensor/error.h"
#include "train/progress.h"
#include "word2vec/word2vec.h"
#include "word2vec/word_map.h"

namespace fs = std::filesystem;
using namespace embedlab;
using namespace embedlab::word2vec;

namespace {

constexpr int kErrorExit = 2;

// Everything the command line sets.
struct Settings {
  std::string corpus;
  std::string model = "sg";
  Word2VecOptions options;
  double lr = 0.0;  // used only when --lr was given
  bool lr_given = false;
  std::string output, projector_dir, map_path;
  std::vector<std::string> map_words, probes;
  int64_t map_top = 100;
  int64_t top_k = 8;
  bool progress = true;
  bool composed = false;
};

void add_options(CLI::App& app, Settings& s) {
  app.add_option("corpus", s.corpus, "Text file to train on, one sentence per line")->required();
  app.add_option("--model", s.model, "sg (skip-gram) or cbow")->capture_default_str();
  app.add_option("--dim", s.options.dim, "Length of each word vector")->capture_default_str();
  app.add_option("--window", s.options.window, "Largest context distance")->capture_default_str();
  app.add_option("--negative", s.options.negative, "Negative samples per example")
      ->capture_default_str();
  app.add_option("--min-count", s.options.min_count, "Drop words seen fewer times")
      ->capture_default_str();
  app.add_option("--sample", s.options.sample, "Subsampling threshold (0: off)")
      ->capture_default_str();
  app.add_option("--epochs", s.options.epochs, "Passes over the corpus")->capture_default_str();
  app.add_option("--lr", s.lr, "Starting learning rate (default 0.025 sg, 0.05 cbow)");
  app.add_option("--seed", s.options.seed, "Random seed")->capture_default_str();
  app.add_option("--batch", s.options.batch_pairs, "Examples per SGD step")->capture_default_str();
  // The command line trains on every core; the library's default stays one (reproducible).
  s.options.threads = static_cast<int64_t>(std::max(1U, std::thread::hardware_concurrency()));
  app.add_option("--threads", s.options.threads,
                 "Training threads (default: all cores; 1 gives the same vectors every run)")
      ->capture_default_str();
  app.add_flag("--composed", s.composed,
               "Use the composed ops instead of the fused one (slow; for study)");
  app.add_option("--output", s.output, "Write the vectors here (word2vec text format)");
  app.add_option("--projector-dir", s.projector_dir,
                 "Write vectors.tsv and metadata.tsv here (TensorBoard projector)");
  app.add_option("--map", s.map_path, "Write a PCA map of words here (SVG)");
  app.add_option("--map-words", s.map_words, "Words on the map (default: the most frequent)")
      ->delimiter(',');
  app.add_option("--map-top", s.map_top, "How many frequent words the default map shows")
      ->capture_default_str();
  app.add_option("--probe", s.probes, "Words whose neighbours are printed (comma-separated)")
      ->delimiter(',');
  app.add_option("--top", s.top_k, "Neighbours printed per probe word")->capture_default_str();
  app.add_flag("!--no-progress", s.progress, "Do not draw the progress bar");
}

// Checks what can be checked before training: the model name, the option ranges and that
// every output file can be created, so a typo does not cost a whole training run.
void check_settings(Settings& s) {
  if (s.model != "sg" && s.model != "cbow") {
    throw ValueError(fmt::format("--model must be sg or cbow, got \"{}\"", s.model));
  }
  s.options.model = s.model == "sg" ? Model::SkipGram : Model::Cbow;
  if (s.lr_given) s.options.lr = s.lr;
  s.options.fused = !s.composed;
  check_options(s.options);
  if (s.top_k < 1 || s.map_top < 2) {
    throw ValueError(
        fmt::format("--top must be >= 1 and --map-top >= 2, got {} and {}", s.top_k, s.map_top));
  }
  for (const std::string& path : {s.output, s.map_path}) {
    if (path.empty()) continue;
    const fs::path parent = fs::absolute(path).parent_path();
    if (!fs::is_directory(parent)) {
      throw IOError(fmt::format("cannot write \"{}\": directory \"{}\" does not exist", path,
                                parent.string()));
    }
  }
  if (!s.projector_dir.empty()) fs::create_directories(s.projector_dir);
}

TrainStats train_with_progress(Word2Vec& model, const Settings& s) {
  if (!s.progress) return model.train(s.corpus);
  std::unique_ptr<train::ProgressBar> bar;
  const TrainStats stats = model.train(s.corpus, [&](const TrainProgress& p) {
    if (!bar)
      bar = std::make_unique<train::ProgressBar>(std::max<int64_t>(1, p.total_words), "train");
    bar->update(std::min(p.words_done, p.total_words), {{"epoch", double(p.epoch + 1)},
                                                        {"loss", p.epoch_loss},
                                                        {"lr", p.lr},
                                                        {"words/s", p.words_per_second}});
  });
  if (bar) bar->finish();
  return stats;
}

// Writes every file asked for; returns their paths.
std::vector<std::string> write_files(const Word2Vec& model, const Settings& s) {
  std::vector<std::string> written;
  if (!s.output.empty()) {
    io::save_word2vec_text(s.output, model.to_word_vectors());
    written.push_back(s.output + " (word2vec text format)");
  }
  if (!s.projector_dir.empty()) {
    const std::string vectors = (fs::path(s.projector_dir) / "vectors.tsv").string();
    const std::string metadata = (fs::path(s.projector_dir) / "metadata.tsv").string();
    io::save_projector_files(vectors, metadata, model.to_word_vectors());
    written.push_back(vectors + " and " + metadata + " (TensorBoard projector)");
  }
  if (!s.map_path.empty()) {
    const KeyedVectors& kv = model.keyed_vectors();
    const std::vector<std::string> words =
        s.map_words.empty() ? top_words(kv, s.map_top) : s.map_words;
    PcaResult result;
    try {
      result = save_word_map(kv, words, s.map_path);
    } catch (const IndexError& e) {
      throw IndexError(fmt::format("--map-words: {}", e.what()));
    }
    double shown = 0.0;  // the share of the variance the map's axes keep
    for (double ratio : result.explained_variance_ratio)
      shown += ratio;
    written.push_back(fmt::format("{} (PCA map of {} words, {:.0f}% of their variance shown)",
                                  s.map_path, words.size(), 100 * shown));
  }
  return written;
}

// Five frequent words spread over the top 50, skipping the very top (mostly "the", "and").
std::vector<std::string> default_probes(const KeyedVectors& kv) {
  std::vector<std::string> probes;
  for (int64_t rank = 10; rank <= 50 && rank < kv.size(); rank += 10)
    probes.push_back(kv.words()[rank]);
  if (probes.empty()) probes.push_back(kv.words()[0]);
  return probes;
}

// Prints the neighbours of each probe word; returns false if a word was unknown.
bool print_neighbours(const Word2Vec& model, const Settings& s) {
  const std::vector<std::string> probes =
      s.probes.empty() ? default_probes(model.keyed_vectors()) : s.probes;
  bool all_known = true;
  fmt::print("nearest neighbours (cosine similarity):\n");
  for (const std::string& word : probes) {
    try {
      std::string line;
      for (const auto& [neighbour, cosine] : model.most_similar(word, s.top_k))
        line += fmt::format("  {} {:.3f}", neighbour, cosine);
      fmt::print("  {}:{}\n", word, line);
    } catch (const IndexError& e) {
      std::cerr << "embedlab-word2vec: error: --probe: " << e.what() << '\n';
      all_known = false;
    }
  }
  return all_known;
}

int run(Settings& s) {
  check_settings(s);
  Word2Vec model(s.options);
  const TrainStats stats = train_with_progress(model, s);
  fmt::print(
      "trained {} on {} words ({} distinct) x {} epochs, {} thread{}, in {:.2f} s ({:.2f} s "
      "CPU): {:.0f} words/s\n",
      model_name(s.options.model), stats.corpus_words, stats.vocab_size, s.options.epochs,
      stats.threads, stats.threads == 1 ? "" : "s", stats.seconds, stats.cpu_seconds,
      stats.words_per_second);
  const std::vector<std::string> written = write_files(model, s);
  const bool probes_ok = print_neighbours(model, s);
  if (!written.empty()) fmt::print("files written:\n");
  for (const std::string& file : written)
    fmt::print("  {}\n", file);
  return probes_ok ? 0 : kErrorExit;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Trains word2vec (skip-gram or CBOW, negative sampling) on a text file.",
               "embedlab-word2vec");
  Settings settings;
  add_options(app, settings);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "embedlab-word2vec: error: " << e.what() << " (see --help)\n";
    return kErrorExit;
  }
  settings.lr_given = app.count("--lr") > 0;
  try {
    return run(settings);
  } catch (const std::exception& e) {
    std::cerr << "embedlab-word2vec: error: " << e.what() << '\n';
    return kErrorExit;
  }
}
