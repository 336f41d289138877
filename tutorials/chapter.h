/// @file chapter.h
/// @brief What every tutorial chapter shares: its course section, its command-line knobs, where
/// it finds `data/` and where it writes pictures, and how it ends (takeaway and exercises).
///
/// Holds only the plumbing around a lesson, never a piece of the lesson itself: the concept a
/// chapter teaches is written out in the chapter's own `main()` with the framework's public API.
#pragma once

#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace embedlab::tutorial {

/// The course section a chapter mirrors (`../shared/course/concept-map.md`).
struct Section {
  int number = 0;            ///< Section number in the course, 1 to 13.
  std::string_view chinese;  ///< The course's own title, e.g. "Embedding 层".
  std::string_view english;  ///< Its English title, e.g. "the Embedding layer".
};

/// One command-line knob of a chapter, as `--help` lists it.
struct Knob {
  std::string flag;  ///< The option, e.g. "--dim".
  std::string help;  ///< What it changes, in the learner's words.
  /// The chapter's variable that receives the value; its type decides how the text is read.
  std::variant<int64_t*, double*, std::string*, std::vector<std::string>*, std::vector<int64_t>*,
               bool*>
      target;
};

/// A tutorial chapter's options, folders and closing lines.
///
/// Every chapter declares its constants as knobs before `parse`, so `--help` lists them with
/// their defaults and an unknown option is an error that says so.
///
/// A line that prints a measured time starts with the stopwatch `⏱` (it differs from run to
/// run): `scripts/update_tutorial_docs.py` leaves such lines out when it checks that a chapter's
/// docs page still shows the program's output.
/// @code
/// tutorial::Chapter chapter({4, "Embedding 层", "the Embedding layer"},
///                           "A lookup is row selection; backward touches only the rows read.");
/// int64_t rows = 5;
/// chapter.knob("--rows", rows, "V: rows of the weight table");
/// if (const int code = chapter.parse(argc, argv); code >= 0) return code;
/// @endcode
class Chapter {
 public:
  /// Names the chapter's course section and its one-sentence summary (shown by `--help`).
  Chapter(Section section, std::string_view summary);

  /// Declares an integer knob; its current value is the default `--help` shows.
  void knob(std::string_view flag, int64_t& value, std::string_view help);
  /// Declares a floating-point knob.
  void knob(std::string_view flag, double& value, std::string_view help);
  /// Declares a text knob (a word, a path).
  void knob(std::string_view flag, std::string& value, std::string_view help);
  /// Declares a list knob: comma-separated (`--words 快乐,悲伤`) or repeated.
  void knob(std::string_view flag, std::vector<std::string>& value, std::string_view help);
  /// Declares a list-of-integers knob (`--ids 1,3,1,4`).
  void knob(std::string_view flag, std::vector<int64_t>& value, std::string_view help);
  /// Declares an on/off switch, off unless given.
  void flag(std::string_view flag, bool& value, std::string_view help);

  /// Reads the command line, then prints the section banner.
  /// Every chapter also accepts `--data DIR` (where the bundled data is; found automatically
  /// when absent) and `--out DIR` (where pictures go; the build's `tour/` folder by default).
  /// @return -1 to go on with the chapter, or the exit code to return at once: 0 after
  ///         `--help`, 2 after an unknown option or a bad value (the message says which).
  int parse(int argc, char** argv);

  /// Returns the path of a bundled data file, or throws naming every folder it looked in.
  std::filesystem::path data_file(std::string_view name) const;

  /// Returns the path for an output file in the output folder, creating the folder.
  std::filesystem::path output_file(std::string_view name) const;

  /// Prints the closing lines: the one-line takeaway and 2-4 "try this" exercises.
  void finish(std::string_view takeaway, const std::vector<std::string>& try_this) const;

  /// Prints an error the way every chapter does (no program name) and returns exit code 1.
  ///
  /// In a student copy of the course assignment, a NotImplementedError says which task the
  /// chapter needs finished first (docs/assignments.md).
  static int fail(const std::exception& error);

  /// The program's name as the learner typed it, for exercise lines.
  const std::string& program() const { return program_; }

  /// The course section this chapter mirrors.
  const Section& section() const { return section_; }

 private:
  Section section_;
  std::string summary_;
  std::string program_;
  std::vector<Knob> knobs_;
  std::string data_dir_;
  std::string out_dir_;
};

}  // namespace embedlab::tutorial
