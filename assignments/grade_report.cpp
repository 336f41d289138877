// embedlab_grade_report: turns the grader's per-test outcomes into the per-task report and a
// Gradescope results.json (written with nlohmann-json), and validates a results.json against
// Gradescope's format. assignments/grade.py runs the tests and calls this program; it links
// only fmt and nlohmann-json, so it builds even when a submission's framework code does not.
//
//   embedlab_grade_report --tasks assignments/tasks.txt --outcomes outcomes.tsv
//                         --results results.json [--report report.txt] [--output note.txt]
//                         [--seconds 12.5]
//   embedlab_grade_report --validate results.json
//
// outcomes.tsv: one line per test case, tab-separated, with \t \n \\ escaped:
//   task  visibility(visible|hidden)  status(passed|failed)  test name  first failure message
// A line whose test name is empty is a task-level failure (build, time limit, no tests): the
// task scores 0 and the message says why.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace {

using Json = nlohmann::ordered_json;

struct Task {
  std::string id, file, function, title;
  double points = 0;
  int chapter = 0;
};

struct Outcome {
  std::string task, visibility, status, name, message;
};

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "embedlab_grade_report: " << message << "\n";
  std::exit(2);
}

std::string trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

std::vector<std::string> split(const std::string& line, const std::string& sep) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t at; (at = line.find(sep, start)) != std::string::npos; start = at + sep.size())
    fields.push_back(line.substr(start, at - start));
  fields.push_back(line.substr(start));
  return fields;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(fmt::format("cannot read {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes next to `path` first and renames, so a reader never sees half a file.
void write_file(const std::string& path, const std::string& text) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary);
    out << text;
    if (!out) fail(fmt::format("cannot write {}", partial));
  }
  std::error_code error;
  std::filesystem::rename(partial, path, error);
  if (error) fail(fmt::format("cannot rename {} to {}: {}", partial, path, error.message()));
}

std::vector<Task> read_tasks(const std::string& path) {
  std::vector<Task> tasks;
  std::istringstream lines(read_file(path));
  std::string line;
  for (int no = 1; std::getline(lines, line); ++no) {
    if (trim(line).empty() || line[0] == '#') continue;
    const std::vector<std::string> f = split(line, " | ");
    if (f.size() != 7) fail(fmt::format("{}:{}: expected 7 fields, got {}", path, no, f.size()));
    Task task{trim(f[0]), trim(f[3]), trim(f[4]), trim(f[6])};
    try {
      task.points = std::stod(f[1]);
      task.chapter = std::stoi(f[2]);
    } catch (const std::exception&) {
      fail(fmt::format("{}:{}: points '{}' or chapter '{}' is not a number", path, no, f[1], f[2]));
    }
    tasks.push_back(task);
  }
  return tasks;
}

std::vector<Outcome> read_outcomes(const std::string& path) {
  std::vector<Outcome> outcomes;
  std::istringstream lines(read_file(path));
  std::string line;
  for (int no = 1; std::getline(lines, line); ++no) {
    if (line.empty()) continue;
    const std::vector<std::string> f = split(line, "\t");
    if (f.size() != 5) fail(fmt::format("{}:{}: expected 5 fields, got {}", path, no, f.size()));
    outcomes.push_back({f[0], f[1], f[2], unescape(f[3]), unescape(f[4])});
  }
  return outcomes;
}

double round2(double x) {
  return std::round(x * 100.0) / 100.0;
}

// The first lines of a failure message, enough to see what went wrong.
std::string first_lines(const std::string& text, int count) {
  std::istringstream lines(text);
  std::string line, out;
  for (int i = 0; i < count && std::getline(lines, line); ++i)
    out += "      " + line + "\n";
  return out;
}

int write_results(const std::map<std::string, std::string>& args) {
  const std::vector<Task> tasks = read_tasks(args.at("--tasks"));
  const std::vector<Outcome> outcomes = read_outcomes(args.at("--outcomes"));
  Json tests = Json::array();
  std::string report;
  double total = 0, total_max = 0;
  for (const Task& task : tasks) {
    std::vector<const Outcome*> cases[2];  // visible, hidden
    std::string task_failure;
    for (const Outcome& o : outcomes) {
      if (o.task != task.id) continue;
      if (o.name.empty()) {
        task_failure += o.message + "\n";
      } else {
        cases[o.visibility == "hidden" ? 1 : 0].push_back(&o);
      }
    }
    const size_t count = cases[0].size() + cases[1].size();
    if (count == 0 && task_failure.empty()) {
      task_failure = fmt::format("no test carries the tag [task{}]", task.id);
    }
    const std::string title = fmt::format("task {}: {} ({}, chapter {})", task.id, task.function,
                                          task.file, task.chapter);
    double task_score = 0;
    size_t task_passed = 0;
    std::string first_failure;
    for (int hidden = 0; hidden < 2; ++hidden) {
      // A visible entry always (it carries a task-level failure); a hidden one when there are
      // hidden tests.
      if (cases[hidden].empty() && (hidden == 1 || count > 0)) continue;
      const double share =
          count == 0 ? task.points : task.points * double(cases[hidden].size()) / double(count);
      size_t passed = 0;
      std::string output = hidden ? "Hidden tests, shown after the grades are published.\n"
                                  : fmt::format("{}\nWhat to write: {}.\n", title, task.title);
      if (!task_failure.empty()) output += "\n" + task_failure;
      for (const Outcome* o : cases[hidden]) {
        const bool ok = task_failure.empty() && o->status == "passed";
        passed += ok;
        output += fmt::format("\n{} {}", ok ? "passed:" : "FAILED:", o->name);
        if (!ok && !o->message.empty()) {
          output += "\n" + o->message + "\n";
          if (first_failure.empty()) first_failure = o->message;
        }
      }
      const double score = cases[hidden].empty()
                               ? 0.0
                               : round2(share * double(passed) / double(cases[hidden].size()));
      task_score += score;
      task_passed += passed;
      Json entry;
      entry["name"] = hidden ? fmt::format("task {} (hidden tests)", task.id) : title;
      entry["number"] = task.id;
      entry["score"] = score;
      entry["max_score"] = round2(share);
      entry["status"] = score >= round2(share) && !cases[hidden].empty() ? "passed" : "failed";
      entry["visibility"] = hidden ? "after_published" : "visible";
      entry["output"] = output;
      tests.push_back(entry);
    }
    total += task_score;
    total_max += task.points;
    report += fmt::format("task {:<5} {:<28} {:>3}/{:<3} tests passed  {:>6.2f} / {:g} points\n",
                          task.id, task.function, task_passed, count, task_score, task.points);
    if (!task_failure.empty()) report += first_lines(task_failure, 6);
    if (task_failure.empty() && !first_failure.empty()) report += first_lines(first_failure, 6);
  }
  report += fmt::format("total {:.2f} / {:g} points\n", round2(total), total_max);

  Json results;
  results["score"] = round2(total);
  if (args.count("--seconds")) results["execution_time"] = std::stod(args.at("--seconds"));
  results["output"] = args.count("--output") ? read_file(args.at("--output")) : std::string();
  results["visibility"] = "visible";
  results["stdout_visibility"] = "hidden";
  results["tests"] = tests;
  write_file(args.at("--results"), results.dump(2) + "\n");
  if (args.count("--report")) write_file(args.at("--report"), report);
  std::cout << report;
  return 0;
}

// Checks a results.json against Gradescope's documented format: a top-level object with a
// numeric score or a tests array; each test with numeric score and max_score, and only the
// known visibility and status values. Also checks that the score is the tests' sum.
int validate(const std::string& path) {
  std::vector<std::string> problems;
  Json results;
  try {
    results = Json::parse(read_file(path));
  } catch (const Json::parse_error& error) {
    std::cerr << path << ": not JSON: " << error.what() << "\n";
    return 1;
  }
  const std::set<std::string> visibilities{"hidden", "after_due_date", "after_published",
                                           "visible"};
  auto check_visibility = [&](const Json& object, const std::string& key, const std::string& at) {
    if (object.contains(key) &&
        (!object[key].is_string() || !visibilities.count(object[key].get<std::string>()))) {
      problems.push_back(
          fmt::format("{}: {} must be one of hidden, after_due_date, "
                      "after_published, visible; got {}",
                      at, key, object[key].dump()));
    }
  };
  if (!results.is_object()) {
    problems.push_back("the top level must be an object");
  } else {
    if (!results.contains("score") && !results.contains("tests"))
      problems.push_back("needs a score or a tests array");
    if (results.contains("score") && !results["score"].is_number())
      problems.push_back(fmt::format("score must be a number, got {}", results["score"].dump()));
    for (const char* key : {"output", "stdout_visibility"}) {
      if (results.contains(key) && !results[key].is_string())
        problems.push_back(fmt::format("{} must be a string", key));
    }
    check_visibility(results, "visibility", "top level");
    check_visibility(results, "stdout_visibility", "top level");
    double sum = 0;
    if (results.contains("tests")) {
      if (!results["tests"].is_array()) problems.push_back("tests must be an array");
      size_t i = 0;
      for (const Json& test : results["tests"]) {
        const std::string at = fmt::format("tests[{}]", i++);
        if (!test.is_object()) {
          problems.push_back(at + ": must be an object");
          continue;
        }
        for (const char* key : {"score", "max_score"}) {
          if (test.contains(key) && !test[key].is_number())
            problems.push_back(fmt::format("{}: {} must be a number", at, key));
        }
        if (!test.contains("score") || !test.contains("max_score"))
          problems.push_back(at + ": needs score and max_score");
        for (const char* key : {"name", "output", "number"}) {
          if (test.contains(key) && !test[key].is_string())
            problems.push_back(fmt::format("{}: {} must be a string", at, key));
        }
        if (test.contains("status") && test["status"] != "passed" && test["status"] != "failed")
          problems.push_back(fmt::format("{}: status must be passed or failed", at));
        check_visibility(test, "visibility", at);
        if (test.contains("score") && test["score"].is_number()) {
          sum += test["score"].get<double>();
          if (test.contains("max_score") && test["max_score"].is_number() &&
              test["score"].get<double>() > test["max_score"].get<double>() + 1e-9)
            problems.push_back(fmt::format("{}: score {} exceeds max_score {}", at,
                                           test["score"].dump(), test["max_score"].dump()));
        }
      }
      if (results.contains("score") && results["score"].is_number() &&
          std::abs(results["score"].get<double>() - sum) > 0.011)
        problems.push_back(fmt::format("score {} is not the sum of the tests' scores {}",
                                       results["score"].dump(), sum));
    }
  }
  for (const std::string& problem : problems)
    std::cerr << path << ": " << problem << "\n";
  if (problems.empty()) std::cout << path << ": a valid Gradescope results.json\n";
  return problems.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2)
    args[argv[i]] = argv[i + 1];
  if (argc % 2 == 0) fail(fmt::format("option {} has no value", argv[argc - 1]));
  if (args.count("--validate")) return validate(args["--validate"]);
  for (const char* needed : {"--tasks", "--outcomes", "--results"}) {
    if (!args.count(needed)) {
      fail(
          fmt::format("missing {}; usage: --tasks FILE --outcomes FILE --results FILE "
                      "[--report FILE] [--output FILE] [--seconds S] | --validate FILE",
                      needed));
    }
  }
  return write_results(args);
}
