// The bad-input catalogue, part 2 of 4: nn/ and optim/ (see test_bad_input_catalogue.cpp for
// the rules and the count). Each case checks the exception type and that the message names the
// values: sizes, ids, option names and their values.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <memory>

#include "autograd/ops.h"
#include "nn/activation.h"
#include "nn/embedding.h"
#include "nn/init.h"
#include "nn/linear.h"
#include "nn/loss.h"
#include "nn/sequential.h"
#include "optim/adagrad.h"
#include "optim/adam.h"
#include "optim/clip.h"
#include "optim/scheduler.h"
#include "optim/sgd.h"
#include "reliability_test_utils.h"
#include "tensor/creation.h"
#include "tensor/error.h"

using namespace embedlab;
using embedlab::test::MessageHas;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Tensor ids(std::initializer_list<float> values) {
  return tensor(values, DType::Int64);
}
Tensor param() {
  return tensor({1, 2}).requires_grad_();
}

// A module that registers one parameter, to misuse register_parameter on.
class OneWeight : public nn::Module {
 public:
  OneWeight() { register_parameter("weight", zeros({2})); }
  std::string type_name() const override { return "OneWeight"; }
  void add_again() { register_parameter("weight", zeros({2})); }
};
}  // namespace

// ---- nn/: layer sizes and options ----

TEST_CASE("Embedding(0, 3) names both sizes", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::Embedding(0, 3), ValueError,
                         MessageHas({"Embedding", "num_embeddings (0)", "embedding_dim (3)"}));
}

TEST_CASE("Embedding(10, -2) names the negative dimension", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::Embedding(10, -2), ValueError, MessageHas({"embedding_dim (-2)"}));
}

TEST_CASE("EmbeddingBag(-5, 4) names the negative row count", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::EmbeddingBag(-5, 4), ValueError,
                         MessageHas({"EmbeddingBag", "num_embeddings (-5)"}));
}

TEST_CASE("Linear(0, 2) names both feature counts", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::Linear(0, 2), ValueError,
                         MessageHas({"Linear", "in_features (0)", "out_features (2)"}));
}

TEST_CASE("Embedding padding_idx past the table names it and the range", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::Embedding(10, 3, {.padding_idx = 10}), IndexError,
                         MessageHas({"Embedding", "padding_idx 10", "[-10, 10)"}));
}

TEST_CASE("Embedding negative padding_idx below -V names it and the range", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::Embedding(10, 3, {.padding_idx = -11}), IndexError,
                         MessageHas({"padding_idx -11", "[-10, 10)"}));
}

TEST_CASE("EmbeddingBag padding_idx past the table names it and the range", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::EmbeddingBag(4, 3, {.padding_idx = 4}), IndexError,
                         MessageHas({"EmbeddingBag", "padding_idx 4", "[-4, 4)"}));
}

TEST_CASE("EmbeddingBag negative padding_idx below -V names it and the range", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::EmbeddingBag(4, 3, {.padding_idx = -5}), IndexError,
                         MessageHas({"EmbeddingBag", "padding_idx -5", "[-4, 4)"}));
}

TEST_CASE("Embedding::from_pretrained of a vector names its shape", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::Embedding::from_pretrained(zeros({3})), ShapeError,
                         MessageHas({"from_pretrained", "(V, D)", "(3)"}));
}

TEST_CASE("Embedding::from_pretrained of int64 weights is a dtype error", "[catalogue][nn]") {
  Tensor table = tensor({{1, 2}, {3, 4}}, DType::Int64);
  REQUIRE_THROWS_MATCHES(nn::Embedding::from_pretrained(table), TypeError,
                         MessageHas({"from_pretrained", "int64", "(2, 2)"}));
}

TEST_CASE("EmbeddingBag of float ids names the dtype", "[catalogue][nn]") {
  nn::EmbeddingBag bag(5, 2);
  REQUIRE_THROWS_MATCHES(bag(tensor({{0, 1}})), TypeError,
                         MessageHas({"embedding_bag", "float32", "(1, 2)"}));
}

TEST_CASE("Linear on 100 features when it expects 128 names both", "[catalogue][nn]") {
  nn::Linear fc(128, 2);
  REQUIRE_THROWS_MATCHES(
      fc(zeros({4, 100})), ShapeError,
      MessageHas({"in_features=128", "(4, 100)", "100 features", "expected 128"}));
}

TEST_CASE("Linear on int64 ids names the dtype and points to Embedding", "[catalogue][nn]") {
  nn::Linear fc(3, 2);
  REQUIRE_THROWS_MATCHES(fc(ids({1, 2, 0})), TypeError, MessageHas({"int64", "(3)", "Embedding"}));
}

TEST_CASE("Dropout(p = 1) names p and its range", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::Dropout(1.0f), ValueError, MessageHas({"[0, 1)", "got 1"}));
}

TEST_CASE("registering a parameter name twice names it", "[catalogue][nn]") {
  OneWeight module;
  REQUIRE_THROWS_MATCHES(module.add_again(), ValueError,
                         MessageHas({"OneWeight", "'weight'", "already registered"}));
}

TEST_CASE("Sequential::at past the last layer names the index and range", "[catalogue][nn]") {
  nn::Sequential model({std::make_shared<nn::ReLU>(), std::make_shared<nn::Tanh>()});
  REQUIRE_THROWS_MATCHES(model.at(5), IndexError, MessageHas({"index 5", "[0, 2)"}));
}

TEST_CASE("calculate_gain of an unknown nonlinearity names it", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::init::calculate_gain("swish"), ValueError,
                         MessageHas({"\"swish\"", "tanh"}));
}

TEST_CASE("kaiming_uniform_ of a vector names its shape", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::init::kaiming_uniform_(zeros({3})), ShapeError,
                         MessageHas({"fan_in", "(3)"}));
}

// ---- nn/: losses ----

TEST_CASE("cross_entropy with a float target names the dtype and shape", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::cross_entropy(zeros({2, 3}), tensor({0, 1})), TypeError,
                         MessageHas({"cross_entropy", "float32", "(2)"}));
}

TEST_CASE("cross_entropy with a class past C names id, position and range", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::cross_entropy(zeros({2, 3}), ids({0, 3})), IndexError,
                         MessageHas({"cross_entropy", "target id 3 at position 1", "[0, 3)"}));
}

TEST_CASE("nll_loss with a negative class names id, position and range", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::nll_loss(zeros({2, 3}), ids({-1, 0})), IndexError,
                         MessageHas({"nll_loss", "target id -1 at position 0", "[0, 3)"}));
}

TEST_CASE("cross_entropy with a target of the wrong length names the shapes", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::cross_entropy(zeros({2, 3}), ids({0, 1, 2})), ShapeError,
                         MessageHas({"(2, 3)", "target of shape (2)", "got shape (3)"}));
}

TEST_CASE("mse_loss of different shapes names both", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::mse_loss(zeros({2}), zeros({3})), ShapeError,
                         MessageHas({"mse_loss", "(2)", "(3)"}));
}

TEST_CASE("binary_cross_entropy_with_logits of different shapes names both", "[catalogue][nn]") {
  REQUIRE_THROWS_MATCHES(nn::binary_cross_entropy_with_logits(zeros({2, 1}), zeros({2})),
                         ShapeError,
                         MessageHas({"binary_cross_entropy_with_logits", "(2, 1)", "(2)"}));
}

// ---- optim/: optimisers ----

TEST_CASE("an optimiser given no parameters says so", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::SGD({}), ValueError,
                         MessageHas({"SGD", "empty parameter list", "parameters()"}));
}

TEST_CASE("an optimiser given int64 ids names the parameter and dtype", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::Adam({param(), ids({1})}), TypeError,
                         MessageHas({"Adam", "parameter 1", "int64"}));
}

TEST_CASE("an optimiser given one tensor twice names both positions", "[catalogue][optim]") {
  // Listed twice, the tensor would take two steps per step() without any sign of it.
  Tensor w = param();
  REQUIRE_THROWS_MATCHES(optim::SGD({w, param(), w}), ValueError,
                         MessageHas({"SGD", "parameter 2", "parameter 0", "same tensor"}));
}

TEST_CASE("SGD with a negative learning rate names it", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::SGD({param()}, {.lr = -0.1}), ValueError,
                         MessageHas({"SGD", "learning rate -0.1"}));
}

TEST_CASE("SGD with a NaN learning rate names it", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::SGD({param()}, {.lr = kNaN}), ValueError,
                         MessageHas({"SGD", "learning rate nan"}));
}

TEST_CASE("Adam with an infinite learning rate names it", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::Adam({param()}, {.lr = kInf}), ValueError,
                         MessageHas({"Adam", "learning rate inf"}));
}

TEST_CASE("Adagrad with a negative learning rate names it", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::Adagrad({param()}, {.lr = -1.0}), ValueError,
                         MessageHas({"Adagrad", "learning rate -1"}));
}

TEST_CASE("set_lr(NaN) names the optimiser and the value", "[catalogue][optim]") {
  optim::Adam adam({param()});
  REQUIRE_THROWS_MATCHES(adam.set_lr(kNaN), ValueError, MessageHas({"Adam", "learning rate nan"}));
  REQUIRE(adam.lr() == Approx(1e-3).margin(0.0));
}

TEST_CASE("Adam with beta1 = 1 names beta1 and its range", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::Adam({param()}, {.beta1 = 1.0}), ValueError,
                         MessageHas({"beta1 = 1", "[0, 1)"}));
}

TEST_CASE("Adam with a negative beta2 names beta2", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::Adam({param()}, {.beta2 = -0.1}), ValueError,
                         MessageHas({"beta2 = -0.1", "[0, 1)"}));
}

TEST_CASE("SGD with Nesterov but no momentum names both options", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::SGD({param()}, {.nesterov = true}), ValueError,
                         MessageHas({"nesterov", "momentum = 0", "dampening = 0"}));
}

TEST_CASE("SGD with a negative momentum names it and its range", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::SGD({param()}, {.momentum = -0.9}), ValueError,
                         MessageHas({"momentum = -0.9", "[0, 1]"}));
}

TEST_CASE("Adagrad with a negative eps names eps", "[catalogue][optim]") {
  REQUIRE_THROWS_MATCHES(optim::Adagrad({param()}, {.eps = -1.0}), ValueError,
                         MessageHas({"Adagrad", "eps = -1"}));
}

// ---- optim/: schedulers and clipping ----

TEST_CASE("StepLR with step_size 0 names it", "[catalogue][optim][scheduler]") {
  optim::SGD sgd({param()});
  REQUIRE_THROWS_MATCHES(optim::StepLR(sgd, 0), ValueError,
                         MessageHas({"StepLR", "step_size = 0"}));
}

TEST_CASE("StepLR with a negative gamma names it", "[catalogue][optim][scheduler]") {
  optim::SGD sgd({param()});
  REQUIRE_THROWS_MATCHES(optim::StepLR(sgd, 2, -0.5), ValueError, MessageHas({"gamma = -0.5"}));
}

TEST_CASE("CosineAnnealingLR with T_max 0 names it", "[catalogue][optim][scheduler]") {
  optim::SGD sgd({param()});
  REQUIRE_THROWS_MATCHES(optim::CosineAnnealingLR(sgd, 0), ValueError,
                         MessageHas({"CosineAnnealingLR", "T_max = 0"}));
}

TEST_CASE("LinearDecayLR with end_factor 2 names it and its range",
          "[catalogue][optim][scheduler]") {
  optim::SGD sgd({param()});
  REQUIRE_THROWS_MATCHES(optim::LinearDecayLR(sgd, 10, 2.0), ValueError,
                         MessageHas({"end_factor = 2", "[0, 1]"}));
}

TEST_CASE("a scheduler asked for epoch -1 names it", "[catalogue][optim][scheduler]") {
  optim::SGD sgd({param()});
  optim::StepLR schedule(sgd, 2);
  REQUIRE_THROWS_MATCHES(schedule.lr_at(-1), ValueError, MessageHas({"StepLR", "epoch -1"}));
}

TEST_CASE("clip_grad_norm_ with a negative max_norm names it", "[catalogue][optim][clip]") {
  REQUIRE_THROWS_MATCHES(optim::clip_grad_norm_({param()}, -1.0), ValueError,
                         MessageHas({"clip_grad_norm_", "max_norm = -1"}));
}

TEST_CASE("clip_grad_norm_ with norm_type 0 names it", "[catalogue][optim][clip]") {
  REQUIRE_THROWS_MATCHES(optim::clip_grad_norm_({param()}, 1.0, 0.0), ValueError,
                         MessageHas({"norm_type = 0"}));
}

TEST_CASE("clip_grad_norm_ of NaN gradients with error_if_nonfinite names the norm",
          "[catalogue][optim][clip]") {
  Tensor w = param();
  sum(w * std::numeric_limits<float>::quiet_NaN()).backward();
  REQUIRE_THROWS_MATCHES(optim::clip_grad_norm_({w}, 1.0, 2.0, true), ValueError,
                         MessageHas({"order 2", "is nan"}));
}

TEST_CASE("clip_grad_value_ with a negative clip value names it", "[catalogue][optim][clip]") {
  REQUIRE_THROWS_MATCHES(optim::clip_grad_value_({param()}, -0.5), ValueError,
                         MessageHas({"clip_value = -0.5"}));
}
