// Module: the parameter and child registries and everything derived from them.
#include "nn/module.h"

#include <algorithm>

#include <fmt/format.h>

#include "autograd/grad_rows.h"
#include "tensor/error.h"

namespace embedlab::nn {

namespace {
void check_name(const std::string& name, const std::string& owner, bool taken) {
  if (name.empty() || name.find('.') != std::string::npos) {
    throw ValueError(
        fmt::format("{}: name '{}' must be non-empty and contain no '.'", owner, name));
  }
  if (taken) throw ValueError(fmt::format("{}: name '{}' is already registered", owner, name));
}
}  // namespace

Tensor Module::forward(const Tensor&) {
  throw Error(fmt::format("{} has no forward(Tensor); call its own forward overload", type_name()));
}

Tensor& Module::register_parameter(const std::string& name, Tensor tensor, bool requires_grad) {
  const bool taken = std::any_of(parameters_.begin(), parameters_.end(),
                                 [&](const NamedParameter& p) { return p.name == name; });
  check_name(name, type_name() + "::register_parameter", taken);
  tensor.requires_grad_(requires_grad);
  parameters_.push_back({name, std::move(tensor)});
  return parameters_.back().tensor;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> module) {
  const bool taken = std::any_of(children_.begin(), children_.end(),
                                 [&](const auto& child) { return child.first == name; });
  check_name(name, type_name() + "::register_module", taken);
  if (!module) throw ValueError(fmt::format("register_module: module '{}' is null", name));
  // A module inside itself would send parameters(), train() and printing into endless
  // recursion (and keep itself alive through its own shared_ptr).
  if (module->reaches(this)) {
    throw ValueError(
        fmt::format("{}::register_module: adding '{}' ({}) would make the module contain itself; a "
                    "module may be shared, but never be its own child or descendant",
                    type_name(), name, module->type_name()));
  }
  children_.emplace_back(name, std::move(module));
}

// True when `target` is this module or one of its descendants (the graph is acyclic, so the
// walk ends).
bool Module::reaches(const Module* target) const {
  if (this == target) return true;
  return std::any_of(children_.begin(), children_.end(),
                     [&](const auto& child) { return child.second->reaches(target); });
}

void Module::collect(const std::string& prefix, std::vector<NamedParameter>& out,
                     std::vector<const TensorImpl*>& seen) const {
  for (const NamedParameter& p : parameters_) {
    if (std::find(seen.begin(), seen.end(), p.tensor.impl()) != seen.end()) continue;
    seen.push_back(p.tensor.impl());
    out.push_back({prefix + p.name, p.tensor});
  }
  for (const auto& [name, child] : children_)
    child->collect(prefix + name + ".", out, seen);
}

std::vector<NamedParameter> Module::named_parameters() const {
  std::vector<NamedParameter> out;
  std::vector<const TensorImpl*> seen;
  collect("", out, seen);
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (NamedParameter& p : named_parameters())
    out.push_back(std::move(p.tensor));
  return out;
}

int64_t Module::num_parameters(bool trainable_only) const {
  // BEGIN SOLUTION task 4.3
  // STUB: (void)trainable_only;
  int64_t count = 0;
  for (const NamedParameter& p : named_parameters()) {
    if (!trainable_only || p.tensor.requires_grad()) count += p.tensor.numel();
  }
  return count;
  // END SOLUTION
}

void Module::train(bool on) {
  training_ = on;
  for (auto& child : children_)
    child.second->train(on);
}

void Module::zero_grad() {
  for (const NamedParameter& p : named_parameters())
    embedlab::zero_grad(p.tensor);
}

std::string Module::to_string() const {
  std::string text = type_name() + "(" + extra_repr();
  if (children_.empty()) return text + ")";
  text += "\n";
  for (const auto& [name, child] : children_) {
    std::string child_text = child->to_string();
    // Indent the child's own lines by two spaces so nesting shows.
    for (size_t pos = child_text.find('\n'); pos != std::string::npos;
         pos = child_text.find('\n', pos + 1)) {
      child_text.insert(pos + 1, "  ");
    }
    text += fmt::format("  ({}): {}\n", name, child_text);
  }
  return text + ")";
}

}  // namespace embedlab::nn
