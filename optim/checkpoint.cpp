// Optimiser checkpoints: every tensor visit_state shows, plus name, lr and step count as
// metadata. Loading checks everything in a first pass and assigns in a second.
#include "optim/checkpoint.h"

#include <cmath>
#include <cstring>
#include <map>
#include <set>
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
  double lr = 0.0;
  int64_t step_count = 0;
  try {
    lr = std::stod(metadata_value(file, "lr", path));
    step_count = std::stoll(metadata_value(file, "step_count", path));
  } catch (const std::logic_error&) {  // std::invalid_argument or std::out_of_range
    throw FormatError(
        fmt::format("optimizer checkpoint {}: lr or step_count is not a number", path));
  }
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
