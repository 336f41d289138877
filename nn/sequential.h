/// @file sequential.h
/// @brief `nn::Sequential`: a model made of layers run one after another (顺序容器).
///
/// `forward` hands the output of each layer to the next. The layers are ordinary children, so
/// parameters, counts, train/eval, zero_grad and printing come from `Module`.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>

#include "nn/module.h"

namespace embedlab::nn {

/// Runs its layers in order: forward(x) = layer_n(... layer_1(layer_0(x))).
///
/// Layers added without a name are named by position, "0", "1", ..., as in PyTorch, and their
/// parameters are listed as "0.weight", "1.bias".
/// @code
/// auto model = std::make_shared<nn::Sequential>();
/// model->push_back(std::make_shared<nn::EmbeddingBag>(10000, 128));
/// model->push_back("fc", std::make_shared<nn::Linear>(128, 2));
/// Tensor logits = model->forward(tensor({{1, 2, 3}}, DType::Int64));   // shape (1, 2)
/// fmt::print("{}\n", model->to_string());
/// // Sequential(
/// //   (0): EmbeddingBag(10000, 128, mode=mean)
/// //   (fc): Linear(in_features=128, out_features=2, bias=true)
/// // )
/// @endcode
/// Differs from PyTorch: every layer must take and return one tensor (`forward(Tensor)`).
class Sequential : public Module {
 public:
  /// Makes an empty Sequential; forward on it returns the input unchanged.
  Sequential() = default;
  /// Makes a Sequential of `modules`, named "0", "1", ... in order.
  /// @throws ValueError when a module is null.
  Sequential(std::initializer_list<std::shared_ptr<Module>> modules);

  /// Appends `module` under `name` and returns it.
  /// @param name the child's name; must be non-empty, without '.', and not yet used
  /// @param module the layer to append
  /// @throws ValueError for a bad or repeated name, or a null module.
  template <typename M>
  std::shared_ptr<M> push_back(const std::string& name, std::shared_ptr<M> module) {
    return register_module(name, std::move(module));
  }
  /// Appends `module` named by its position ("0" for the first) and returns it.
  /// @throws ValueError for a null module, or when that number is already used as a name.
  template <typename M>
  std::shared_ptr<M> push_back(std::shared_ptr<M> module) {
    return register_module(std::to_string(size()), std::move(module));
  }

  /// Runs every layer in order, each on the previous one's output.
  /// @throws whatever a layer throws (its message names the layer).
  Tensor forward(const Tensor& input) override;
  /// Returns "Sequential".
  std::string type_name() const override { return "Sequential"; }

  /// Returns the number of layers.
  size_t size() const { return named_children().size(); }
  /// Returns layer `index` (no bounds check: see `at`).
  const std::shared_ptr<Module>& operator[](size_t index) const {
    return named_children()[index].second;
  }
  /// Returns layer `index`.
  /// @throws IndexError when index >= size().
  const std::shared_ptr<Module>& at(size_t index) const;
};

}  // namespace embedlab::nn
