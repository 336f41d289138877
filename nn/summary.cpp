// nn::summary: walks the module tree (parent before children, as named_parameters does),
// builds one row of text cells per module, then pads the columns and adds the totals.
// Phase 1 (optional) runs an example input to learn output shapes.
#include "nn/summary.h"

#include <algorithm>
#include <cstdlib>
#include <typeinfo>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "autograd/node.h"
#include "nn/sequential.h"

namespace embedlab::nn {

namespace {

constexpr int64_t kBytesPerParam = 4;  // float32

// The cells of one table row, in column order.
using Row = std::vector<std::string>;

// Output shapes recorded by the example forward, by module.
using ShapeMap = std::vector<std::pair<const Module*, Shape>>;

// What the walk accumulates.
struct Walk {
  std::vector<Row> rows;
  std::vector<std::pair<const TensorImpl*, std::string>> seen;  // parameter -> first name
  const ShapeMap* shapes = nullptr;
  int64_t total = 0;
  int64_t trainable = 0;
};

// The number of terminal columns `text` takes: UTF-8 continuation bytes take none ("×").
size_t display_width(const std::string& text) {
  size_t width = 0;
  for (char c : text)
    width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return width;
}

// "10000 × 128" for a matrix, "2" for a vector, "1" for a scalar.
std::string factors(const Tensor& t) {
  if (t.rank() == 0) return "1";
  std::string text = std::to_string(t.size(0));
  for (int dim = 1; dim < t.rank(); ++dim)
    text += " × " + std::to_string(t.size(dim));
  return text;
}

std::string output_shape(const Module& module, const ShapeMap* shapes) {
  if (!shapes) return "-";
  for (const auto& [m, shape] : *shapes) {
    if (m == &module) return shape.to_string();
  }
  return "-";
}

// "yes" when every counted parameter trains, "no" when all are frozen, else "partly".
const char* trainable_text(int64_t count, int64_t trainable) {
  if (trainable == count) return "yes";
  return trainable == 0 ? "no" : "partly";
}

// The cells for a module's own parameters: arithmetic, memory, trainable.
void describe_own_parameters(const Module& module, const std::string& prefix, Walk& walk,
                             Row& row) {
  std::vector<std::string> terms, shared;
  int64_t count = 0, trainable = 0, tensors = 0;
  for (const NamedParameter& p : module.named_parameters()) {
    if (p.name.find('.') != std::string::npos) continue;  // a child's: its own row shows it
    const TensorImpl* impl = p.tensor.impl();
    auto first = std::find_if(walk.seen.begin(), walk.seen.end(),
                              [impl](const auto& entry) { return entry.first == impl; });
    if (first != walk.seen.end()) {
      shared.push_back(fmt::format("{} = {}", p.name, first->second));
      continue;
    }
    walk.seen.emplace_back(impl, prefix + p.name);
    terms.push_back(factors(p.tensor));
    count += p.tensor.numel();
    trainable += p.tensor.requires_grad() ? p.tensor.numel() : 0;
    ++tensors;
  }
  walk.total += count;
  walk.trainable += trainable;
  if (tensors == 0 && shared.empty()) {
    row.insert(row.end(), {"-", "-", "-"});
    return;
  }
  // A lone vector or scalar needs no arithmetic: "2", not "2 = 2".
  std::string params = with_thousands_separators(count);
  const bool lone_vector = tensors == 1 && terms[0].find(' ') == std::string::npos;
  if (tensors > 0 && !lone_vector) params = fmt::format("{} = {}", fmt::join(terms, " + "), params);
  if (!shared.empty())
    params += fmt::format(" (shared: {}, counted once)", fmt::join(shared, ", "));
  row.push_back(params);
  row.push_back(tensors > 0 ? human_bytes(count * kBytesPerParam) : "-");
  row.push_back(tensors == 0 ? "-" : trainable_text(count, trainable));
}

void add_rows(const Module& module, const std::string& name, int depth, Walk& walk) {
  const std::string indent(depth > 1 ? 2 * (depth - 1) : 0, ' ');
  const std::string args = module.extra_repr();
  Row row{indent + (depth == 0 ? "(model)" : name),
          // "ReLU()" and "Linear(...)" as in the printed tree; a container is just "Sequential".
          module.type_name() +
              (args.empty() && !module.named_children().empty() ? "" : "(" + args + ")"),
          output_shape(module, walk.shapes)};
  describe_own_parameters(module, depth == 0 ? "" : name + ".", walk, row);
  walk.rows.push_back(std::move(row));
  for (const auto& [child_name, child] : module.named_children()) {
    add_rows(*child, depth == 0 ? child_name : name + "." + child_name, depth + 1, walk);
  }
}

// Pads every cell to its column's width; the last column is not padded.
std::string render_table(const std::vector<Row>& rows, size_t& table_width) {
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const Row& row : rows) {
    for (size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], display_width(row[c]));
  }
  table_width = 0;
  for (size_t w : widths)
    table_width += w + 2;
  table_width -= 2;
  std::string text;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (size_t c = 0; c < rows[r].size(); ++c) {
      line += rows[r][c];
      if (c + 1 < rows[r].size())
        line += std::string(widths[c] - display_width(rows[r][c]) + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    text += line + "\n";
    if (r == 0) text += std::string(table_width, '=') + "\n";
  }
  return text;
}

std::string render(const Module& model, const ShapeMap* shapes, const SummaryOptions& options) {
  Walk walk;
  walk.shapes = shapes;
  walk.rows.push_back({"Layer", "Type", "Output shape", "Parameters", "Memory", "Trainable"});
  add_rows(model, "", 0, walk);
  size_t width = 0;
  std::string text = render_table(walk.rows, width);
  text += std::string(width, '=') + "\n";
  const int64_t frozen = walk.total - walk.trainable;
  const int64_t bytes = walk.total * kBytesPerParam;
  text += fmt::format("Total params: {}\n", with_thousands_separators(walk.total));
  text += fmt::format("Trainable params: {}\n", with_thousands_separators(walk.trainable));
  text += fmt::format("Non-trainable params: {}\n", with_thousands_separators(frozen));
  text += fmt::format("Parameter memory (float32): {} bytes ({})\n",
                      with_thousands_separators(bytes), human_bytes(bytes));
  if (options.training_note) {
    const int64_t grad_bytes = walk.trainable * kBytesPerParam;
    text += fmt::format(
        "Training with Adam adds gradients ({}) and two moment buffers ({}): about {} in all, "
        "activations not counted.\n",
        human_bytes(grad_bytes), human_bytes(2 * grad_bytes), human_bytes(bytes + 3 * grad_bytes));
  }
  return text;
}

// Runs `input` through `module`, recording the output shape of the module and, inside a
// Sequential (exactly that type, so an overridden forward is respected), of every child.
Tensor run_recording(Module& module, const Tensor& input, ShapeMap& shapes) {
  Tensor out;
  if (typeid(module) == typeid(Sequential)) {
    out = input;
    for (const auto& [name, child] : module.named_children())
      out = run_recording(*child, out, shapes);
  } else {
    out = module.forward(input);
  }
  shapes.emplace_back(&module, out.shape());
  return out;
}

// Remembers every module's training flag and restores them all when it goes out of scope,
// even when the forward threw.
class TrainingModes {
 public:
  explicit TrainingModes(Module& model) { collect(model); }
  ~TrainingModes() {
    // Parents first: each train() call resets its subtree, and the children's calls follow.
    for (auto& [module, training] : modes_)
      module->train(training);
  }
  TrainingModes(const TrainingModes&) = delete;
  TrainingModes& operator=(const TrainingModes&) = delete;

 private:
  void collect(Module& module) {
    modes_.emplace_back(&module, module.is_training());
    for (const auto& [name, child] : module.named_children())
      collect(*child);
  }
  std::vector<std::pair<Module*, bool>> modes_;
};

}  // namespace

std::string with_thousands_separators(int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -static_cast<uint64_t>(value) : value);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return value < 0 ? "-" + text : text;
}

std::string human_bytes(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  static const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024.0;
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string summary(const Module& model, const SummaryOptions& options) {
  return render(model, nullptr, options);
}

std::string summary(Module& model, const Tensor& example_input, const SummaryOptions& options) {
  ShapeMap shapes;
  {
    TrainingModes restore(model);
    model.eval();  // Dropout off: the summary must not consume random numbers
    NoGradGuard no_grad;
    run_recording(model, example_input, shapes);
  }
  return render(model, &shapes, options);
}

}  // namespace embedlab::nn
