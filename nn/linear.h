/// @file linear.h
/// @brief `nn::Linear`: the fully connected layer y = x W^T + b (全连接层), and the fused
/// `linear` op it runs, with its named backward.
///
/// A Linear layer with `in_features` inputs and `out_features` outputs holds a weight W of
/// shape (out, in) and a bias b of shape (out): out x in + out parameters, so `Linear(128, 2)`
/// has 128 x 2 + 2 = 258. In the course it sits on top of an Embedding to turn a pooled
/// sentence vector into class scores (logits).
///
/// What is left out: inputs of rank 3 or more (embedlab tensors have rank 0-2).
#pragma once

#include "autograd/node.h"
#include "nn/module.h"
#include "tensor/random.h"

namespace embedlab::nn {

/// Computes y = x W^T + b in one recorded op, like `torch::nn::functional::linear`.
///
/// Shapes: `input` (in) gives (out); `input` (N, in) gives (N, out); `weight` is (out, in) and
/// `bias` (out), or an undefined tensor for no bias. The op is named "linear" and its
/// derivative is `linear_backward`.
/// @param input float32 features, (in) or (N, in)
/// @param weight float32 (out, in) matrix
/// @param bias float32 (out) vector, or `Tensor()` for none
/// @return (out) or (N, out) float32 outputs
/// @throws TypeError for int64 tensors; ShapeError when the sizes do not fit (all shapes named).
/// @code
/// Tensor x = tensor({{1, 2}});                  // (1, 2)
/// Tensor w = tensor({{1, 0}, {1, 1}, {0, 2}});  // (3, 2)
/// Tensor y = nn::linear(x, w, tensor({0.5f, 0, -1}));
/// fmt::print("{}\n", y);   // tensor([[1.5000, 3.0000, 3.0000]])
/// @endcode
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor());

/// Backward of `linear`: sends grad_out (N, out) back to the input, the weight and the bias.
///
///   grad_input = grad_out . W        (N, out) . (out, in) -> (N, in)
///   grad_weight = grad_out^T . x     (out, N) . (N, in)   -> (out, in)
///   grad_bias = sum over rows of grad_out                 -> (out)
/// @param node the recorded "linear" node (inputs: input, weight, and bias when there is one)
/// @param grad_out the gradient of the output, (out) or (N, out)
/// @param out the output (unused)
void linear_backward(Node& node, const Tensor& grad_out, const Tensor& out);

/// A fully connected layer: y = x W^T + b, with PyTorch's default initialisation.
///
/// The weight (out_features, in_features) is drawn by `init::kaiming_uniform_` with
/// a = sqrt(5), which works out to U(-1/sqrt(in), 1/sqrt(in)); the bias is drawn from the same
/// U(-1/sqrt(in), 1/sqrt(in)). Both come from `generator`, so a seed fixes them.
/// @code
/// Generator generator(42);
/// nn::Linear fc(128, 2, true, generator);
/// Tensor logits = fc(randn({4, 128}));   // shape (4, 2)
/// fmt::print("{}\n", fc.num_parameters());   // 258  (2 x 128 weights + 2 biases)
/// fmt::print("{}\n", fc.to_string());   // Linear(in_features=128, out_features=2, bias=true)
/// @endcode
/// Differs from PyTorch: inputs have rank 1 or 2 only, and the printed bias is `true`, not
/// `True`.
class Linear : public Module {
 public:
  /// Makes a layer with an (out_features, in_features) weight and, when `bias`, an
  /// (out_features) bias, both drawn from U(-1/sqrt(in), 1/sqrt(in)).
  /// @param in_features the size of each input vector
  /// @param out_features the size of each output vector
  /// @param bias whether the layer adds a learned bias
  /// @param generator where the random initial values come from
  /// @throws ValueError when a size is not positive.
  Linear(int64_t in_features, int64_t out_features, bool bias = true,
         Generator& generator = default_generator());

  /// Returns input W^T + b: (in) -> (out) or (N, in) -> (N, out).
  /// @throws TypeError for int64 input; ShapeError for a scalar input or a wrong feature count,
  /// e.g. `Linear(in_features=128, out_features=2): input of shape (4, 100) has 100 features,
  /// expected 128`.
  Tensor forward(const Tensor& input) override;
  /// Returns "Linear".
  std::string type_name() const override { return "Linear"; }
  /// Returns "in_features=128, out_features=2, bias=true".
  std::string extra_repr() const override;

  /// Returns the size of each input vector.
  int64_t in_features() const { return in_features_; }
  /// Returns the size of each output vector.
  int64_t out_features() const { return out_features_; }

  Tensor weight;  ///< the (out_features, in_features) matrix W, a registered parameter
  Tensor bias;    ///< the (out_features) vector b, or undefined when bias = false

 private:
  int64_t in_features_;
  int64_t out_features_;
};

}  // namespace embedlab::nn
