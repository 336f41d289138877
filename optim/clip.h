/// @file clip.h
/// @brief Gradient clipping: `clip_grad_norm_` and `clip_grad_value_`, as in torch.nn.utils.
///
/// Both visit only the gradient rows that may be non-zero (see autograd/grad_rows.h), so
/// clipping an embedding's gradient costs O(rows used x D), like the optimiser step. Call them
/// between `loss.backward()` and `optimizer.step()`. Left out: PyTorch's `foreach` flag.
#pragma once

#include <vector>

#include "tensor/tensor.h"

namespace embedlab::optim {

/// Returns the norm of all gradients of `params` taken together, as if joined into one vector.
///
/// norm_type p gives (sum over every element of |g|^p)^(1/p); infinity gives max |g|.
/// Parameters without a gradient are skipped; an empty list gives 0.
/// @throws ValueError when norm_type is not > 0 (infinity is allowed).
double total_grad_norm(const std::vector<Tensor>& params, double norm_type = 2.0);

/// Scales all gradients down together so their total norm is at most `max_norm`, and returns
/// the total norm measured before scaling, as torch.nn.utils.clip_grad_norm_ does.
///
/// When total > max_norm every gradient is multiplied by max_norm / (total + 1e-6); the 1e-6
/// keeps the division finite, so the clipped norm is a hair under max_norm.
/// @code
/// loss.backward();
/// double norm = optim::clip_grad_norm_(model->parameters(), 1.0);  // gradient (3, 4): 5
/// // the gradient is now about (0.6, 0.8)
/// optimizer.step();
/// @endcode
/// @param params the parameters whose gradients are scaled
/// @param max_norm the largest total norm allowed
/// @param norm_type the p of the p-norm (infinity for the largest absolute value)
/// @param error_if_nonfinite throw instead of scaling when the total is NaN or infinite.
/// @throws ValueError when max_norm is negative or NaN, norm_type is not > 0, or (with
/// error_if_nonfinite) the total norm is not finite.
double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);

/// Limits every gradient element to [-clip_value, clip_value], in place.
/// @throws ValueError when clip_value is negative or NaN.
void clip_grad_value_(const std::vector<Tensor>& params, double clip_value);

}  // namespace embedlab::optim
