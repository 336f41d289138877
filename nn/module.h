/// @file module.h
/// @brief `nn::Module`: the base of every layer, with named parameters, children, parameter
/// counts, train/eval mode, zero_grad and a printed tree, as in PyTorch.
///
/// A module registers its trainable tensors with `register_parameter` and its sub-layers with
/// `register_module`; everything else (listing, counting, zeroing, saving) follows from those
/// two lists.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace embedlab::nn {

/// A parameter with its dotted name, as `named_parameters()` lists it ("encoder.weight").
struct NamedParameter {
  std::string name;  ///< dotted path from the module it was listed from
  Tensor tensor;     ///< the parameter itself (shares storage with the module's)
};

/// The base class of layers and models.
///
/// @code
/// auto model = std::make_shared<nn::Sequential>();
/// model->push_back("embed", std::make_shared<nn::Embedding>(10000, 128));
/// fmt::print("{}\n", model->num_parameters());   // 1280000
/// @endcode
class Module {
 public:
  virtual ~Module() = default;

  /// Returns the layer's type name as printed, e.g. "Embedding".
  virtual std::string type_name() const = 0;
  /// Returns the arguments shown in the printed tree, e.g. "10000, 128".
  virtual std::string extra_repr() const { return ""; }
  /// Runs the layer on one tensor. Layers with other inputs (EmbeddingBag's offsets) add
  /// their own `forward` overloads.
  /// @throws Error when the module has no one-tensor forward.
  virtual Tensor forward(const Tensor& input);
  /// Same as `forward(input)`, so a module can be called like a function.
  Tensor operator()(const Tensor& input) { return forward(input); }

  /// Adds a parameter under `name` and returns the stored handle. Sets `requires_grad`.
  /// Layers keep a copy of the handle in a member (`weight`). Assigning a different tensor to
  /// that member later does not change what `parameters()` lists (as in libtorch): to tie or
  /// replace weights, change the values in place (`copy_` under NoGradGuard) instead.
  /// @throws ValueError when the name is empty, has a '.', or is already used.
  Tensor& register_parameter(const std::string& name, Tensor tensor, bool requires_grad = true);
  /// Adds a sub-module under `name` and returns it.
  /// @throws ValueError when the name is empty, has a '.', or is already used, when the module
  /// is null, or when it is this module or contains it (a module graph must not loop).
  template <typename M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    add_child(name, module);
    return module;
  }

  /// Returns every parameter (own first, then children's, depth first); a tensor shared by
  /// two layers is listed once.
  std::vector<Tensor> parameters() const;
  /// Returns every parameter with its dotted name, each shared tensor once (first name wins).
  std::vector<NamedParameter> named_parameters() const;
  /// Returns the direct sub-modules with their names.
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const {
    return children_;
  }
  /// Returns the number of parameter elements (shared tensors counted once); with
  /// `trainable_only`, only those that require grad.
  int64_t num_parameters(bool trainable_only = false) const;

  /// Puts this module and all children in training mode (or eval mode with `false`).
  virtual void train(bool on = true);
  /// Puts this module and all children in evaluation mode (Dropout off).
  void eval() { train(false); }
  /// Returns true in training mode.
  bool is_training() const { return training_; }
  /// Zeroes the gradient of every parameter (only the rows that may be non-zero).
  void zero_grad();

  /// Prints the module tree as PyTorch does:
  /// @code
  /// Sequential(
  ///   (embed): Embedding(10000, 128)
  ///   (fc): Linear(in_features=128, out_features=2, bias=true)
  /// )
  /// @endcode
  std::string to_string() const;

 private:
  void add_child(const std::string& name, std::shared_ptr<Module> module);
  bool reaches(const Module* target) const;
  void collect(const std::string& prefix, std::vector<NamedParameter>& out,
               std::vector<const TensorImpl*>& seen) const;

  std::vector<NamedParameter> parameters_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

}  // namespace embedlab::nn
