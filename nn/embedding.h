/// @file embedding.h
/// @brief `nn::Embedding` and `nn::EmbeddingBag`: trainable lookup tables, the layer the course
/// is about (嵌入层).
///
/// An Embedding maps integer ids to dense vectors through a (V, D) weight matrix: rows = number
/// of categories (num_embeddings, V), columns = embedding dimension (embedding_dim, D). It has
/// V x D parameters: `Embedding(10000, 128)` has 1,280,000.
///
/// Gradients are row-sparse: backward adds the batch's rows into a compact block (one row per
/// distinct id, see GradRows), and zero_grad and the optimisers visit only those rows. PyTorch
/// makes this opt-in (`sparse=true` + SparseAdam); here it is always on, and `.grad()` still
/// reads as an ordinary dense (V, D) tensor (reading it adds the block into that tensor).
#pragma once

#include <optional>

#include "autograd/ops.h"
#include "nn/module.h"
#include "tensor/random.h"

namespace embedlab::nn {

/// Options of `Embedding`, with PyTorch's names and meaning.
struct EmbeddingOptions {
  /// This id's row starts at zero and never gets a gradient; negative values count from the
  /// end (-1 is the last row), as in PyTorch.
  std::optional<int64_t> padding_idx{};
  /// Rows looked up with a norm above this are rescaled to it, in place, before the lookup.
  std::optional<float> max_norm{};
  float norm_type = 2.0f;           ///< the p of the p-norm used by max_norm (> 0; inf allowed)
  bool scale_grad_by_freq = false;  ///< divide each id's gradient by its count in the batch
};

/// A lookup table of `num_embeddings` vectors of size `embedding_dim`.
///
/// Input: rank-0 ids (one id) give a (D) vector; rank-1 ids (N) give an (N, D) matrix.
/// Weights start as N(0, 1), as in PyTorch.
/// @code
/// nn::Embedding embed(10, 3);
/// Tensor v = embed(tensor({4, 1}, DType::Int64));   // shape (2, 3): rows 4 and 1 of the weight
/// fmt::print("{}\n", embed.num_parameters());       // 30
/// @endcode
/// Differs from PyTorch: (B, L) ids would need a rank-3 result, so they are an error that
/// points to EmbeddingBag; gradients are always row-sparse (see the file comment).
/// @see \chapter_ch04_embedding_layer teaches it.
class Embedding : public Module {
 public:
  /// Makes a (num_embeddings, embedding_dim) table drawn from N(0, 1) with `generator`.
  /// @throws ValueError for a non-positive size, a max_norm that is not finite and > 0, a
  /// norm_type that is not > 0, or a table too large to allocate (naming the call);
  /// IndexError for padding_idx out of range.
  Embedding(int64_t num_embeddings, int64_t embedding_dim, EmbeddingOptions options = {},
            Generator& generator = default_generator());
  /// Makes an Embedding that uses a copy of `weights` (V, D) as its table; frozen by default, as
  /// in PyTorch. PyTorch shares the tensor instead: here training the layer leaves `weights` as
  /// it was (and building it briefly holds two copies).
  /// @throws ShapeError when `weights` is not a matrix; TypeError when it holds int64 ids.
  static std::shared_ptr<Embedding> from_pretrained(const Tensor& weights, bool freeze = true,
                                                    EmbeddingOptions options = {});
  /// Looks up one row per id.
  /// @throws TypeError for float ids; IndexError for an id out of range; ShapeError for rank 2.
  Tensor forward(const Tensor& ids) override;
  /// Returns "Embedding".
  std::string type_name() const override { return "Embedding"; }
  /// Returns "V, D" plus the options that are set, like PyTorch.
  std::string extra_repr() const override;

  /// Returns V, the number of rows.
  int64_t num_embeddings() const { return weight.size(0); }
  /// Returns D, the length of each vector.
  int64_t embedding_dim() const { return weight.size(1); }
  /// Returns the options, with padding_idx made non-negative.
  const EmbeddingOptions& options() const { return options_; }

  Tensor weight;  ///< the (V, D) table, a registered parameter

 private:
  Embedding(Tensor weights, EmbeddingOptions options, bool trainable);
  EmbeddingOptions options_;
};

/// Options of `EmbeddingBag`.
struct EmbeddingBagOptions {
  BagMode mode = BagMode::Mean;          ///< how each bag is pooled: Sum, Mean or Max
  std::optional<int64_t> padding_idx{};  ///< left out of every bag (and of the mean's count)
  std::optional<float> max_norm{};       ///< as in EmbeddingOptions
  float norm_type = 2.0f;                ///< as in EmbeddingOptions
  /// Flat ids: `offsets` has B + 1 entries, the last the number of ids, as in PyTorch.
  bool include_last_offset = false;
};

/// Looks up bags of ids and pools each bag into one vector: (B, L) ids -> (B, D).
///
/// The way to embed a batch of sentences while staying within rank 2: each row of ids is a
/// sentence, each output row its pooled vector. Flat ids with offsets work too.
/// @code
/// nn::EmbeddingBag bag(100, 8);                          // mean by default
/// Tensor sentences = tensor({{1, 2, 3}, {4, 5, 6}}, DType::Int64);
/// Tensor vectors = bag(sentences);                      // shape (2, 8)
/// @endcode
/// @see \chapter_ch07_happy_or_sad teaches it.
class EmbeddingBag : public Module {
 public:
  /// Makes a (num_embeddings, embedding_dim) table drawn from N(0, 1).
  /// @throws ValueError for a non-positive size, a max_norm that is not finite and > 0, a
  /// norm_type that is not > 0, or a table too large to allocate (naming the call);
  /// IndexError for padding_idx out of range.
  EmbeddingBag(int64_t num_embeddings, int64_t embedding_dim, EmbeddingBagOptions options = {},
               Generator& generator = default_generator());
  /// Pools each row of (B, L) ids into one vector of the (B, D) result.
  Tensor forward(const Tensor& ids) override;
  /// Pools flat ids split into bags by `offsets`, each id scaled by `per_sample_weights`
  /// (Sum mode only; pass an undefined tensor for none). `offsets` holds where each bag starts,
  /// plus the end of the last one with `include_last_offset`.
  Tensor forward(const Tensor& ids, const Tensor& offsets,
                 const Tensor& per_sample_weights = Tensor());
  /// Returns "EmbeddingBag".
  std::string type_name() const override { return "EmbeddingBag"; }
  /// Returns "V, D, mode=..." like PyTorch.
  std::string extra_repr() const override;

  Tensor weight;  ///< the (V, D) table, a registered parameter

 private:
  EmbeddingBagOptions options_;
};

}  // namespace embedlab::nn
