// embedlab-word2vec: trains word vectors on any text file from the command line, like
// Mikolov's word2vec tool, and shows what they learned.
//
//   embedlab-word2vec data/feelings_corpus.txt --dim 32 --window 4 --min-count 2
//                     --probe happy,sad,快乐 --output vectors.txt --map map.svg
//
// Chinese is cut into words by ICU's dictionary (快乐 is one word); --chinese chars gives one
// token per character instead.
//
// It prints a progress bar while training (words/s, loss, learning rate, ETA), writes the
// files asked for (word2vec text format, TensorBoard projector TSVs, a PCA map as SVG), then
// lists the nearest neighbours of the probe words and the files written. Any error (missing
// file, empty corpus, bad option value, unknown probe word) is one line on stderr and exit
// code 2.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
#include "viz/line_plot.h"
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
  std::string loss_plot;  // the training loss curve (SVG)
  std::vector<std::string> map_words, probes;
  std::vector<std::string> map_groups;  // "NAME=word,word,...": coloured groups on the map
  int64_t map_top = 100;
  int64_t top_k = 8;
  bool progress = true;
  bool composed = false;
  std::string chinese = "words";  // how Chinese text is cut: words (ICU), chars or runs
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
  app.add_option("--chinese", s.chinese,
                 "Cut Chinese into words (ICU's dictionary), chars (one per character) or runs")
      ->capture_default_str();
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
  app.add_option("--loss-plot", s.loss_plot, "Write the training loss curve here (SVG)");
  app.add_option("--map-words", s.map_words, "Words on the map (default: the most frequent)")
      ->delimiter(',');
  app.add_option("--map-group", s.map_groups,
                 "A coloured group of words on the map: NAME=word,word,... (repeatable)");
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
  try {
    s.options.tokenizer.chinese = text::parse_chinese_segmentation(s.chinese);
  } catch (const ValueError& e) {
    throw ValueError(fmt::format("--chinese: {}", e.what()));
  }
  check_options(s.options);
  if (s.top_k < 1 || s.map_top < 2) {
    throw ValueError(
        fmt::format("--top must be >= 1 and --map-top >= 2, got {} and {}", s.top_k, s.map_top));
  }
  for (const std::string& path : {s.output, s.map_path, s.loss_plot}) {
    if (path.empty()) continue;
    const fs::path parent = fs::absolute(path).parent_path();
    if (!fs::is_directory(parent)) {
      throw IOError(fmt::format("cannot write \"{}\": directory \"{}\" does not exist", path,
                                parent.string()));
    }
  }
  if (!s.projector_dir.empty()) fs::create_directories(s.projector_dir);
}

// The loss during training, averaged over 200 equal slices of the words read, for --loss-plot.
struct LossCurve {
  static constexpr int kSlices = 200;
  std::vector<double> sums = std::vector<double>(kSlices, 0.0);
  std::vector<double> counts = std::vector<double>(kSlices, 0.0);
  int64_t epochs = 1;

  void add(const TrainProgress& p) {
    if (p.total_words <= 0 || !std::isfinite(p.step_loss)) return;
    epochs = p.epochs;
    const auto slice = std::min<int64_t>(kSlices - 1, kSlices * p.words_done / p.total_words);
    sums[slice] += p.step_loss;
    counts[slice] += 1.0;
  }

  // x: epochs done (words read / words per epoch); y: mean loss per example in the slice.
  void save(const std::string& path, const std::string& corpus, const char* model) const {
    std::vector<double> xs, ys;
    for (int i = 0; i < kSlices; ++i) {
      if (counts[i] == 0.0) continue;
      xs.push_back(static_cast<double>(epochs) * (i + 0.5) / kSlices);
      ys.push_back(sums[i] / counts[i]);
    }
    if (xs.empty()) throw ValueError("--loss-plot: training made no step, nothing to draw");
    viz::LinePlot plot(fmt::format("Training loss on {}", fs::path(corpus).filename().string()),
                       "epoch", "mean loss per example");
    plot.add_series(fmt::format("{} loss, mean over 1/{} of the training", model, kSlices), xs, ys);
    plot.set_auto_y(true);  // a log axis when the loss falls fast, so the slow part shows
    plot.save(path);
  }
};

// A temporary copy of a corpus that cannot be read twice; removed when the run ends.
struct CorpusCopy {
  std::string path;
  CorpusCopy() = default;
  CorpusCopy(const CorpusCopy&) = delete;
  CorpusCopy& operator=(const CorpusCopy&) = delete;
  ~CorpusCopy() {
    if (!path.empty()) std::remove(path.c_str());
  }
};

// Copies all of `from` into the open file `to_fd` (named `to`); returns the bytes copied.
int64_t copy_all(const std::string& from, int to_fd, const std::string& to) {
  const int from_fd = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (from_fd < 0) {
    throw IOError(fmt::format("cannot open \"{}\": {}", from, std::strerror(errno)));
  }
  std::vector<char> block(1 << 16);
  int64_t copied = 0;
  for (;;) {
    const ssize_t got = ::read(from_fd, block.data(), block.size());
    if (got < 0 && errno == EINTR) continue;
    const int read_errno = errno;
    if (got <= 0) {
      ::close(from_fd);
      if (got < 0) {
        throw IOError(fmt::format("cannot read \"{}\" after {} bytes: {}", from, copied,
                                  std::strerror(read_errno)));
      }
      return copied;
    }
    for (ssize_t done = 0; done < got;) {
      const ssize_t put = ::write(to_fd, block.data() + done, static_cast<size_t>(got - done));
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) {
        const int write_errno = errno;
        ::close(from_fd);
        throw IOError(fmt::format("cannot write the temporary copy \"{}\" of \"{}\": {}", to, from,
                                  std::strerror(write_errno)));
      }
      done += put;
    }
    copied += got;
  }
}

// Training reads the corpus 1 + epochs times, but a pipe (`<(zcat corpus.gz)`) or a device
// gives its bytes only once: such an input is read once into a temporary file, and we say so.
void copy_if_readable_once(Settings& s, CorpusCopy& copy) {
  std::error_code error;
  if (!fs::exists(s.corpus, error) || fs::is_regular_file(s.corpus, error) ||
      fs::is_directory(s.corpus, error)) {
    return;  // a file (or a missing path or a folder, which training reports)
  }
  std::string temp = (fs::temp_directory_path() / "embedlab-word2vec-corpus.XXXXXX").string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    throw IOError(fmt::format("cannot create a temporary copy of \"{}\" as \"{}\": {}", s.corpus,
                              temp, std::strerror(errno)));
  }
  copy.path = temp;
  int64_t bytes = 0;
  try {
    bytes = copy_all(s.corpus, fd, temp);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) {
    throw IOError(fmt::format("cannot write the temporary copy \"{}\" of \"{}\": {}", temp,
                              s.corpus, std::strerror(errno)));
  }
  std::cerr << fmt::format(
      "embedlab-word2vec: \"{}\" is not a regular file (a pipe?) and can be read only once, "
      "but training reads it {} times: read it once into the temporary file \"{}\" ({} bytes, "
      "removed at exit)\n",
      s.corpus, 1 + s.options.epochs, temp, bytes);
  s.corpus = temp;
}

TrainStats train_with_progress(Word2Vec& model, const Settings& s, LossCurve& curve) {
  std::unique_ptr<train::ProgressBar> bar;
  const TrainStats stats = model.train(s.corpus, [&](const TrainProgress& p) {
    curve.add(p);
    if (!s.progress) return;
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

// The map's words and their groups: --map-words (group "other" when groups are given too),
// then each --map-group NAME=word,word,...; with neither, the most frequent words.
std::pair<std::vector<std::string>, std::vector<std::string>> map_words_and_groups(
    const KeyedVectors& kv, const Settings& s) {
  std::vector<std::string> words = s.map_words, groups;
  if (s.map_groups.empty()) return {words.empty() ? top_words(kv, s.map_top) : words, groups};
  groups.assign(words.size(), "other");
  for (const std::string& spec : s.map_groups) {
    const size_t equals = spec.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size()) {
      throw ValueError(fmt::format("--map-group: expected NAME=word,word,..., got \"{}\"", spec));
    }
    const std::string name = spec.substr(0, equals);
    std::string list = spec.substr(equals + 1) + ",";
    for (size_t start = 0, comma = list.find(','); comma != std::string::npos;
         start = comma + 1, comma = list.find(',', start)) {
      if (comma == start) continue;  // "a,,b" or a trailing comma
      words.push_back(list.substr(start, comma - start));
      groups.push_back(name);
    }
  }
  return {words, groups};
}

// Writes every file asked for; returns their paths.
std::vector<std::string> write_files(const Word2Vec& model, const Settings& s,
                                     const LossCurve& curve) {
  std::vector<std::string> written;
  if (!s.loss_plot.empty()) {
    curve.save(s.loss_plot, s.corpus, model_name(s.options.model));
    written.push_back(s.loss_plot + " (training loss curve)");
  }
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
    const auto [words, groups] = map_words_and_groups(kv, s);
    WordMapOptions map_options;
    map_options.title = fmt::format("{} vectors of {}, PCA to 2-D", model_name(s.options.model),
                                    fs::path(s.corpus).filename().string());
    map_options.groups = groups;
    PcaResult result;
    try {
      result = save_word_map(kv, words, s.map_path, map_options);
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
  CorpusCopy copy;
  copy_if_readable_once(s, copy);
  Word2Vec model(s.options);
  LossCurve curve;
  const TrainStats stats = train_with_progress(model, s, curve);
  fmt::print(
      "trained {} on {} words ({} distinct) x {} epochs, {} thread{}, in {:.2f} s ({:.2f} s "
      "CPU): {:.0f} words/s\n",
      model_name(s.options.model), stats.corpus_words, stats.vocab_size, s.options.epochs,
      stats.threads, stats.threads == 1 ? "" : "s", stats.seconds, stats.cpu_seconds,
      stats.words_per_second);
  const std::vector<std::string> written = write_files(model, s, curve);
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
  int status = kErrorExit;
  try {
    status = run(settings);
  } catch (const std::exception& e) {
    std::cerr << "embedlab-word2vec: error: " << e.what() << '\n';
    return kErrorExit;
  }
  // Standard output is buffered: a full disk (`> /dev/full`) shows only when it is flushed.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::cerr << "embedlab-word2vec: error: cannot write to standard output: "
              << std::strerror(errno) << '\n';
    return kErrorExit;
  }
  return status;
}
