/// @file init.h
/// @brief `nn::init`: filling parameters with their starting values (参数初始化), with
/// PyTorch's names and formulas.
///
/// Every function writes into the tensor in place without recording a graph (it runs under
/// `NoGradGuard`, as `torch.nn.init` does), bumps the storage version, and returns the tensor,
/// so `init::zeros_(fc.bias)` works on a parameter that requires grad.
///
/// The fans of a 2-D weight follow PyTorch: for an (out, in) matrix, fan_in = in (the size of
/// dim 1) and fan_out = out (the size of dim 0).
///
/// What is left out: `mode = fan_out` and other nonlinearities for the Kaiming functions,
/// orthogonal and sparse init.
#pragma once

#include <cstdint>
#include <string>

#include "tensor/random.h"
#include "tensor/tensor.h"

namespace embedlab::nn::init {

/// The two fans of a weight matrix, as PyTorch's `_calculate_fan_in_and_fan_out` gives them.
struct Fans {
  int64_t fan_in;   ///< inputs per output unit: size(1) of an (out, in) weight
  int64_t fan_out;  ///< outputs per input unit: size(0) of an (out, in) weight
};

/// Returns fan_in and fan_out of an (out, in) weight.
/// @param tensor a matrix
/// @return {in, out}
/// @throws ShapeError for rank 0 or 1 (fans need two dims).
/// @code
/// auto fans = init::calculate_fans(zeros({2, 128}));   // fans.fan_in == 128, fans.fan_out == 2
/// @endcode
Fans calculate_fans(const Tensor& tensor);

/// Returns the recommended gain for a nonlinearity, as `torch.nn.init.calculate_gain` does.
///
/// "linear", "identity", "sigmoid": 1; "tanh": 5/3; "relu": sqrt(2);
/// "leaky_relu": sqrt(2 / (1 + param^2)), with `param` the negative slope.
/// @param nonlinearity the name, as in PyTorch
/// @param param the negative slope for "leaky_relu" (PyTorch's default 0.01)
/// @throws ValueError for another name.
/// @code
/// float gain = init::calculate_gain("tanh");   // 1.6667
/// @endcode
float calculate_gain(const std::string& nonlinearity, float param = 0.01f);

/// Fills `tensor` with draws from U(a, b).
/// @param tensor a float32 tensor of any shape
/// @param a the lower bound
/// @param b the upper bound
/// @param generator where the draws come from
/// @return `tensor`
/// @throws TypeError for an int64 tensor; ValueError when a > b.
/// @code
/// Tensor w = zeros({2, 3});
/// init::uniform_(w, -0.1f, 0.1f);   // every element now in [-0.1, 0.1)
/// @endcode
Tensor uniform_(Tensor tensor, float a = 0.0f, float b = 1.0f,
                Generator& generator = default_generator());

/// Fills `tensor` with draws from N(mean, std^2).
/// @param tensor a float32 tensor of any shape
/// @param mean the mean
/// @param std the standard deviation
/// @param generator where the draws come from
/// @return `tensor`
/// @throws TypeError for an int64 tensor; ValueError when std is negative.
/// @code
/// init::normal_(embed.weight, 0.0f, 0.02f);   // small random embeddings, as in GPT-2
/// @endcode
Tensor normal_(Tensor tensor, float mean = 0.0f, float std = 1.0f,
               Generator& generator = default_generator());

/// Fills `tensor` with zeros.
/// @return `tensor`
/// @throws TypeError for an int64 tensor.
/// @code
/// init::zeros_(fc.bias);
/// @endcode
Tensor zeros_(Tensor tensor);

/// Fills `tensor` with ones.
/// @return `tensor`
/// @throws TypeError for an int64 tensor.
/// @code
/// init::ones_(scale);
/// @endcode
Tensor ones_(Tensor tensor);

/// Fills `tensor` with `value`.
/// @return `tensor`
/// @throws TypeError for an int64 tensor.
/// @code
/// init::constant_(fc.bias, 0.1f);
/// @endcode
Tensor constant_(Tensor tensor, float value);

/// Fills an (out, in) weight with Glorot/Xavier uniform values:
/// U(-bound, bound) with bound = gain * sqrt(6 / (fan_in + fan_out)).
/// @param tensor a float32 matrix
/// @param gain a factor for the nonlinearity that follows (see `calculate_gain`)
/// @param generator where the draws come from
/// @return `tensor`
/// @throws ShapeError for rank 0 or 1; TypeError for an int64 tensor.
/// @code
/// Tensor w = zeros({2, 4});
/// init::xavier_uniform_(w);   // bound = sqrt(6 / (4 + 2)) = 1
/// @endcode
Tensor xavier_uniform_(Tensor tensor, float gain = 1.0f,
                       Generator& generator = default_generator());

/// Fills an (out, in) weight with He/Kaiming uniform values, as PyTorch does with its defaults
/// (mode fan_in, nonlinearity leaky_relu): gain = sqrt(2 / (1 + a^2)),
/// bound = gain * sqrt(3 / fan_in), values from U(-bound, bound).
///
/// With a = sqrt(5), PyTorch's choice for Linear, bound = 1 / sqrt(fan_in).
/// @param tensor a float32 matrix
/// @param a the negative slope of the leaky ReLU that follows (0 for ReLU)
/// @param generator where the draws come from
/// @return `tensor`
/// @throws ShapeError for rank 0 or 1; TypeError for an int64 tensor.
/// @code
/// Tensor w = zeros({2, 128});
/// init::kaiming_uniform_(w, std::sqrt(5.0f));   // bound = 1 / sqrt(128) = 0.0884
/// @endcode
/// Differs from PyTorch: no `mode` or `nonlinearity` arguments (always fan_in, leaky_relu).
Tensor kaiming_uniform_(Tensor tensor, float a = 0.0f, Generator& generator = default_generator());

}  // namespace embedlab::nn::init
