// The plumbing every tutorial chapter shares: options (Debian's CLI11 parses them), the data
// and output folders, the banner and the closing lines. CLI11 stays in this one file so each
// chapter compiles without it.
#include "chapter.h"

#include <cstdlib>
#include <system_error>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "tensor/error.h"

namespace embedlab::tutorial {

namespace {

// Adds one knob to the parser; the variable's current value becomes the default shown.
void add_to_parser(CLI::App& app, const Knob& knob) {
  std::visit(
      [&](auto* target) {
        using T = std::remove_pointer_t<decltype(target)>;
        if constexpr (std::is_same_v<T, bool>) {
          app.add_flag(knob.flag, *target, knob.help);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>> ||
                             std::is_same_v<T, std::vector<int64_t>>) {
          app.add_option(knob.flag, *target, knob.help)->delimiter(',')->capture_default_str();
        } else {
          app.add_option(knob.flag, *target, knob.help)->capture_default_str();
        }
      },
      knob.target);
}

// Where a chapter looks for data/ when --data is not given, in order.
std::vector<std::filesystem::path> data_candidates() {
  std::vector<std::filesystem::path> candidates;
  if (const char* from_env = std::getenv("EMBEDLAB_DATA")) candidates.emplace_back(from_env);
  candidates.emplace_back("data");
  candidates.emplace_back(EMBEDLAB_SOURCE_DATA_DIR);  // the source tree this was built from
  return candidates;
}

}  // namespace

Chapter::Chapter(Section section, std::string_view summary)
    : section_(section), summary_(summary), out_dir_(EMBEDLAB_TOUR_DIR) {}

void Chapter::knob(std::string_view flag, int64_t& value, std::string_view help) {
  knobs_.push_back({std::string(flag), std::string(help), &value});
}
void Chapter::knob(std::string_view flag, double& value, std::string_view help) {
  knobs_.push_back({std::string(flag), std::string(help), &value});
}
void Chapter::knob(std::string_view flag, std::string& value, std::string_view help) {
  knobs_.push_back({std::string(flag), std::string(help), &value});
}
void Chapter::knob(std::string_view flag, std::vector<std::string>& value, std::string_view help) {
  knobs_.push_back({std::string(flag), std::string(help), &value});
}
void Chapter::knob(std::string_view flag, std::vector<int64_t>& value, std::string_view help) {
  knobs_.push_back({std::string(flag), std::string(help), &value});
}
void Chapter::flag(std::string_view flag, bool& value, std::string_view help) {
  knobs_.push_back({std::string(flag), std::string(help), &value});
}

int Chapter::parse(int argc, char** argv) {
  program_ = std::filesystem::path(argc > 0 ? argv[0] : "chapter").filename().string();
  CLI::App app(fmt::format("Course section {}: {} ({}). {}", section_.number, section_.chinese,
                           section_.english, summary_),
               program_);
  app.add_option("--data", data_dir_, "folder of the bundled data (found by itself when absent)");
  app.add_option("--out", out_dir_, "folder for pictures and files")->capture_default_str();
  for (const Knob& knob : knobs_)
    add_to_parser(app, knob);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", app.help());
    return 0;
  } catch (const CLI::ParseError& error) {
    fmt::print(stderr, "error: {}\nRun {} --help for the options.\n", error.what(), program_);
    return 2;
  }
  const std::string title = fmt::format("Section {} of 13 · {} · {}", section_.number,
                                        section_.chinese, section_.english);
  fmt::print("══ {} ══\n\n", title);
  return -1;
}

std::filesystem::path Chapter::data_file(std::string_view name) const {
  std::vector<std::filesystem::path> folders;
  if (!data_dir_.empty()) {
    folders.emplace_back(data_dir_);
  } else {
    folders = data_candidates();
  }
  std::string looked;
  for (const auto& folder : folders) {
    const std::filesystem::path path = folder / name;
    std::error_code error;
    if (std::filesystem::is_regular_file(path, error)) return path;
    looked += fmt::format("\n  {}", std::filesystem::absolute(path, error).string());
  }
  throw Error(
      fmt::format("data file {} not found; looked at:{}\nGive the folder with --data DIR "
                  "or the EMBEDLAB_DATA environment variable",
                  name, looked));
}

std::filesystem::path Chapter::output_file(std::string_view name) const {
  const std::filesystem::path folder(out_dir_);
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    throw Error(
        fmt::format("cannot create the output folder {}: {}", folder.string(), error.message()));
  }
  return folder / name;
}

void Chapter::finish(std::string_view takeaway, const std::vector<std::string>& try_this) const {
  fmt::print("\ntakeaway: {}\n", takeaway);
  if (try_this.empty()) return;
  fmt::print("try this:\n");
  for (size_t i = 0; i < try_this.size(); ++i)
    fmt::print("  {}. {}\n", i + 1, try_this[i]);
}

int Chapter::fail(const std::exception& error) {
  // In a student copy of the course assignment, an unwritten task throws NotImplementedError:
  // say which task this chapter waits for, rather than report it as a bug.
  if (const auto* todo = dynamic_cast<const NotImplementedError*>(&error)) {
    fmt::print(stderr,
               "this chapter needs task {0} of the course assignment, which is not written yet:\n"
               "  {1}\n"
               "Finish task {0} first; `scripts/grade.sh --task {0}` checks it.\n",
               todo->task(), error.what());
    return 1;
  }
  fmt::print(stderr, "error: {}\n", error.what());
  return 1;
}

}  // namespace embedlab::tutorial
