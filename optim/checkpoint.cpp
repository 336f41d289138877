// Optimiser checkpoints: every tensor visit_state shows, plus name, lr and step count as
// metadata. Loading checks everything in a first pass and assigns in a second.
#include "optim/checkpoint.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "io/safetensors.h"
#include "tensor/creation.h"
#include "tensor/error.h"

namespace embedlab::optim {

void save(Optimizer& optimizer, const std::string& path) {
  std::vector<io::ArrayView> views;
  std::vector<Tensor> alive;  // visit_state may show temporaries (the step counts): keep them
  optimizer.visit_state([&](const std::string& name, Tensor& state, const Shape&) {
    if (!state.defined()) return;
    alive.push_back(state);
    const auto sizes = state.shape().sizes();
    std::vector<int64_t> shape(sizes.begin(), sizes.end());
    if (state.dtype() == DType::Float32) {
      views.push_back(io::make_array_view(name, shape, std::as_const(state).data()));
    } else {
      views.push_back(io::make_array_view(name, shape, std::as_const(state).ids()));
    }
  });
  const std::map<std::string, std::string> metadata = {
      {"optimizer", optimizer.name()},
      {"lr", fmt::format("{}", optimizer.lr())},
      {"step_count", std::to_string(optimizer.step_count())},
      {"num_params", std::to_string(optimizer.params().size())}};
  io::save_safetensors(path, views, metadata);
}

namespace {
std::string metadata_value(const io::SafetensorsFile& file, const std::string& key,
                           const std::string& path) {
  auto it = file.metadata.find(key);
  if (it == file.metadata.end()) {
    throw ValueError(fmt::format("optimizer checkpoint {}: metadata has no '{}'", path, key));
  }
  return it->second;
}

// Reads a whole metadata string as a number: "0.1abc", " 5" or "" are refused (std::stod and
// std::stoll would have read a prefix and ignored the rest).
template <typename Number>
Number parse_number(const io::SafetensorsFile& file, const std::string& key,
                    const std::string& path) {
  const std::string text = metadata_value(file, key, path);
  Number value{};
  const char* last = text.data() + text.size();
  auto [end, error] = std::from_chars(text.data(), last, value);
  if (error != std::errc() || end != last) {
    throw FormatError(fmt::format("optimizer checkpoint {}: metadata '{}' is \"{}\", not {}", path,
                                  key, text.substr(0, 40),
                                  std::is_integral_v<Number> ? "an integer" : "a number"));
  }
  return value;
}

// Checks the values of one state array before anything is assigned: NaN or infinity anywhere
// would spread into the weights at the next step; a negative second moment (Adam's exp_avg_sq,
// Adagrad's sum) would become NaN under its square root; a per-parameter step count must lie
// in [0, step_count] (a negative one made Adam's bias correction divide by a negative number).
void check_state_values(const io::NamedArray& array, int64_t step_count, const std::string& path) {
  if (array.dtype == "I64") {
    const std::vector<int64_t> steps = io::to_int64_vector(array);
    for (size_t i = 0; i < steps.size(); ++i) {
      if (steps[i] < 0 || steps[i] > step_count) {
        throw FormatError(
            fmt::format("optimizer checkpoint {}: '{}' [{}] = {} is out of range [0, {}] (the "
                        "step count)",
                        path, array.name, i, steps[i], step_count));
      }
    }
    return;
  }
  const bool squares = array.name.ends_with("exp_avg_sq") || array.name.ends_with(".sum");
  const std::vector<float> values = io::to_float_vector(array);
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]) || (squares && values[i] < 0.0f)) {
      throw FormatError(fmt::format(
          "optimizer checkpoint {}: '{}' element {} is {}, but it must "
          "be finite{}",
          path, array.name, i, values[i], squares ? " and >= 0 (a sum of squares)" : ""));
    }
  }
}

Tensor to_tensor(const io::NamedArray& array, const Shape& shape) {
  if (array.dtype == "I64") return from_ids(io::to_int64_vector(array), shape);
  return from_vector(io::to_float_vector(array), shape);
}
}  // namespace

void load(Optimizer& optimizer, const std::string& path) {
  const io::SafetensorsFile file = io::load_safetensors(path);
  const std::string kind = metadata_value(file, "optimizer", path);
  const std::string count = metadata_value(file, "num_params", path);
  if (kind != optimizer.name() || count != std::to_string(optimizer.params().size())) {
    throw ValueError(
        fmt::format("optimizer checkpoint {}: saved by {} over {} parameters, cannot "
                    "load into {} over {}",
                    path, kind, count, optimizer.name(), optimizer.params().size()));
  }
  const auto lr = parse_number<double>(file, "lr", path);
  const auto step_count = parse_number<int64_t>(file, "step_count", path);
  // Checked now, not by set_lr at the end, so a bad value changes nothing.
  if (!std::isfinite(lr) || lr < 0.0 || step_count < 0) {
    throw FormatError(
        fmt::format("optimizer checkpoint {}: lr {} or step_count {} is out of "
                    "range (lr must be finite and >= 0, step_count >= 0)",
                    path, lr, step_count));
  }
  // Pass 1: every key the optimiser knows must match the file's dtype and shape.
  std::set<std::string> known;
  optimizer.visit_state([&](const std::string& name, Tensor&, const Shape& shape) {
    known.insert(name);
    const io::NamedArray* array = file.find(name);
    if (!array && name == "steps") {
      throw ValueError(fmt::format("optimizer checkpoint {}: key 'steps' is missing", path));
    }
    if (!array) return;
    const std::string dtype = name == "steps" ? "I64" : "F32";
    if (array->dtype != dtype || Shape::from(array->shape) != shape) {
      throw ValueError(
          fmt::format("optimizer checkpoint {}: '{}' is {} {} in the file, {} {} "
                      "expected",
                      path, name, array->dtype, Shape::from(array->shape).to_string(), dtype,
                      shape.to_string()));
    }
    check_state_values(*array, step_count, path);
  });
  for (const io::NamedArray& array : file.arrays) {
    if (!known.count(array.name)) {
      throw ValueError(
          fmt::format("optimizer checkpoint {}: unexpected key '{}'", path, array.name));
    }
  }
  // Pass 2: nothing can fail any more; take the values over.
  optimizer.visit_state([&](const std::string& name, Tensor& state, const Shape& shape) {
    const io::NamedArray* array = file.find(name);
    state = array ? to_tensor(*array, shape) : Tensor();
  });
  optimizer.set_lr(lr);
  optimizer.set_step_count(step_count);
}

}  // namespace embedlab::optim
