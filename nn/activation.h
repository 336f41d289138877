/// @file activation.h
/// @brief Layers without weights that go between the others: `ReLU`, `Tanh`, `Sigmoid`
/// (激活函数, activation functions) and `Dropout`, with the `dropout` op and its backward.
///
/// ReLU, Tanh and Sigmoid call the ops of the same name in autograd/ops.h; they exist as
/// modules so a `Sequential` can hold them. Dropout is an op here, because its backward must
/// reuse the exact mask its forward drew.
#pragma once

#include "autograd/node.h"
#include "nn/module.h"
#include "tensor/random.h"

namespace embedlab::nn {

/// Applies max(x, 0) to every element.
/// @code
/// nn::ReLU relu;
/// fmt::print("{}\n", relu(tensor({-1, 2})));   // tensor([0., 2.])
/// @endcode
class ReLU : public Module {
 public:
  /// Returns max(input, 0), element by element (the `relu` op).
  /// @throws TypeError for int64 input.
  Tensor forward(const Tensor& input) override;
  /// Returns "ReLU".
  std::string type_name() const override { return "ReLU"; }
};

/// Applies tanh to every element, squashing it into (-1, 1).
/// @code
/// nn::Tanh tanh_layer;
/// fmt::print("{}\n", tanh_layer(tensor({0})));   // tensor([0.])
/// @endcode
class Tanh : public Module {
 public:
  /// Returns tanh(input), element by element (the `tanh` op).
  /// @throws TypeError for int64 input.
  Tensor forward(const Tensor& input) override;
  /// Returns "Tanh".
  std::string type_name() const override { return "Tanh"; }
};

/// Applies the logistic sigmoid 1 / (1 + e^-x) to every element, squashing it into (0, 1).
/// @code
/// nn::Sigmoid sigmoid_layer;
/// fmt::print("{}\n", sigmoid_layer(tensor({0})));   // tensor([0.5000])
/// @endcode
class Sigmoid : public Module {
 public:
  /// Returns sigmoid(input), element by element (the `sigmoid` op).
  /// @throws TypeError for int64 input.
  Tensor forward(const Tensor& input) override;
  /// Returns "Sigmoid".
  std::string type_name() const override { return "Sigmoid"; }
};

/// Zeroes each element with probability `p` and scales the others by 1 / (1 - p), when
/// `training`; returns `input` itself otherwise (or when p = 0).
///
/// Scaling the kept elements keeps the expected value of every element unchanged, so nothing
/// needs rescaling at evaluation time ("inverted dropout", as in PyTorch). The op is named
/// "dropout" and its derivative is `dropout_backward`.
/// @param input a float32 tensor of any shape
/// @param p the probability of zeroing an element, in [0, 1)
/// @param training apply dropout (true) or return the input unchanged (false)
/// @param generator where the random mask comes from
/// @throws ValueError when p is outside [0, 1); TypeError for int64 input.
/// @code
/// Generator generator(0);
/// Tensor y = nn::dropout(ones({4}), 0.5f, true, generator);   // each element 0 or 2
/// @endcode
/// Differs from PyTorch: p = 1 is refused (PyTorch returns all zeros); there is no `inplace`.
Tensor dropout(const Tensor& input, float p, bool training = true,
               Generator& generator = default_generator());

/// Backward of `dropout`: grad_input = grad_out * mask / (1 - p), with the forward's mask.
/// @param node the recorded "dropout" node; `saved.mask` holds mask / (1 - p)
/// @param grad_out the gradient of the output
/// @param out the output (unused)
void dropout_backward(Node& node, const Tensor& grad_out, const Tensor& out);

/// Randomly zeroes elements while training, to keep a network from relying on any one unit.
///
/// In training mode (the default) each element is zeroed with probability p and the rest are
/// scaled by 1 / (1 - p); after `eval()` the layer returns its input unchanged.
/// @code
/// nn::Dropout drop(0.5f);
/// Tensor y = drop(ones({4}));   // e.g. tensor([2., 0., 0., 2.])
/// drop.eval();
/// Tensor z = drop(ones({4}));   // tensor([1., 1., 1., 1.])
/// @endcode
/// Differs from PyTorch: p = 1 is refused; the layer keeps a reference to `generator`, which
/// must outlive it (the default generator always does); a forward after the generator is
/// destroyed throws ValueError.
class Dropout : public Module {
 public:
  /// Makes a dropout layer that zeroes with probability `p`, drawing from `generator`.
  /// @param p the probability of zeroing an element, in [0, 1)
  /// @param generator where the masks come from; must outlive the layer
  /// @throws ValueError when p is outside [0, 1).
  explicit Dropout(float p = 0.5f, Generator& generator = default_generator());
  /// Applies `dropout(input, p, is_training(), generator)`.
  /// @throws TypeError for int64 input; ValueError when the generator has been destroyed.
  Tensor forward(const Tensor& input) override;
  /// Returns "Dropout".
  std::string type_name() const override { return "Dropout"; }
  /// Returns "p=0.5".
  std::string extra_repr() const override;
  /// Returns the probability of zeroing an element.
  float p() const { return p_; }

 private:
  float p_;
  Generator* generator_;           // not owned
  LifetimeWatch generator_alive_;  // tells whether *generator_ still exists
};

}  // namespace embedlab::nn
