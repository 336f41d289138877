// Module checkpoints: named_parameters() <-> safetensors arrays, checked before any copy.
#include "nn/checkpoint.h"

#include <cstring>
#include <vector>

#include "autograd/node.h"
#include "io/checkpoint_check.h"
#include "io/safetensors.h"

namespace embedlab::nn {

void save(const Module& module, const std::string& path,
          const std::map<std::string, std::string>& metadata) {
  const std::vector<NamedParameter> parameters = module.named_parameters();
  std::vector<io::ArrayView> views;
  for (const NamedParameter& p : parameters) {
    const auto sizes = p.tensor.shape().sizes();
    views.push_back(io::make_array_view(p.name, {sizes.begin(), sizes.end()}, p.tensor.data()));
  }
  io::save_safetensors(path, views, metadata);
}

std::map<std::string, std::string> load(Module& module, const std::string& path, bool strict) {
  const io::SafetensorsFile file = io::load_safetensors(path);
  const std::vector<NamedParameter> parameters = module.named_parameters();
  std::vector<io::ExpectedArray> expected;
  for (const NamedParameter& p : parameters) {
    const auto sizes = p.tensor.shape().sizes();
    expected.push_back({p.name, "F32", {sizes.begin(), sizes.end()}});
  }
  io::check_against(file, expected, strict);  // throws before anything changes
  NoGradGuard no_grad;
  for (const NamedParameter& p : parameters) {
    const io::NamedArray* array = file.find(p.name);
    Tensor target = p.tensor;
    std::memcpy(target.data().data(), array->bytes.data(), array->bytes.size());
    bump_version(target);
  }
  return file.metadata;
}

}  // namespace embedlab::nn
