// Learning-rate schedulers: StepLR, CosineAnnealingLR and LinearDecayLR at several epochs,
// how they drive the optimiser's next step, and their argument checks.
#include <catch2/catch.hpp>

#include <limits>

#include "optim_test_utils.h"

using namespace embedlab;
using embedlab::test::require_values;

namespace {

// Records get_last_lr() at epochs 0..epochs (epoch 0 is right after construction).
std::vector<double> lrs(optim::LRScheduler& scheduler, int epochs) {
  std::vector<double> out = {scheduler.get_last_lr()};
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    scheduler.step();
    out.push_back(scheduler.get_last_lr());
  }
  return out;
}

void require_lrs(const std::vector<double>& got, const std::vector<double>& expected) {
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("epoch " << i);
    REQUIRE(got[i] == Approx(expected[i]).margin(1e-9));
  }
}

}  // namespace

TEST_CASE("StepLR multiplies the lr by gamma every step_size epochs", "[optim][scheduler]") {
  Tensor w = tensor({1.0f}).requires_grad_();
  optim::SGD sgd({w}, {.lr = 1.0});
  optim::StepLR schedule(sgd, 2, 0.5);
  REQUIRE(schedule.last_epoch() == 0);
  REQUIRE(schedule.base_lr() == 1.0);
  // lr = 1 * 0.5^floor(epoch / 2).
  require_lrs(lrs(schedule, 5), {1.0, 1.0, 0.5, 0.5, 0.25, 0.25});
  REQUIRE(schedule.last_epoch() == 5);
  REQUIRE(sgd.lr() == 0.25);  // the optimiser follows
  REQUIRE(schedule.lr_at(20) == Approx(1.0 / 1024).margin(1e-12));
}

TEST_CASE("CosineAnnealingLR follows half a cosine down to eta_min", "[optim][scheduler]") {
  Tensor w = tensor({1.0f}).requires_grad_();
  optim::SGD sgd({w}, {.lr = 1.0});
  optim::CosineAnnealingLR schedule(sgd, 4, 0.1);
  // lr = 0.1 + 0.9 (1 + cos(pi t / 4)) / 2:
  // t = 1: cos = 0.707107 -> 0.1 + 0.9 * 0.853553 = 0.868198; t = 2: 0.1 + 0.45 = 0.55;
  // t = 3: cos = -0.707107 -> 0.1 + 0.9 * 0.146447 = 0.231802; t = 4: 0.1;
  // t = 5: the cosine goes on and the lr climbs back to 0.231802, as PyTorch's closed form.
  require_lrs(lrs(schedule, 5), {1.0, 0.8681980515, 0.55, 0.2318019485, 0.1, 0.2318019485});
}

TEST_CASE("LinearDecayLR falls in a straight line, then stays at the end factor",
          "[optim][scheduler]") {
  Tensor w = tensor({1.0f}).requires_grad_();
  optim::SGD sgd({w}, {.lr = 0.1});
  SECTION("to zero over 4 steps") {
    optim::LinearDecayLR schedule(sgd, 4, 0.0);
    // lr = 0.1 (1 - min(t, 4) / 4).
    require_lrs(lrs(schedule, 6), {0.1, 0.075, 0.05, 0.025, 0.0, 0.0, 0.0});
  }
  SECTION("word2vec's floor of 1e-4 times the starting lr") {
    optim::LinearDecayLR schedule(sgd, 10, 1e-4);
    // lr = 0.1 (1 + (1e-4 - 1) t / 10): at t = 5, 0.1 * 0.50005; from t = 10 on, 1e-5.
    REQUIRE(schedule.lr_at(5) == Approx(0.050005).margin(1e-12));
    REQUIRE(schedule.lr_at(10) == Approx(1e-5).margin(1e-12));
    REQUIRE(schedule.lr_at(1000) == Approx(1e-5).margin(1e-12));
  }
}

TEST_CASE("a scheduler step sets the lr of the next optimiser step", "[optim][scheduler]") {
  // loss = sum(w) has gradient 1, so each SGD step moves w by exactly -lr.
  Tensor w = tensor({0.0f}).requires_grad_();
  optim::SGD sgd({w}, {.lr = 1.0});
  optim::StepLR schedule(sgd, 1, 0.5);
  for (int epoch = 0; epoch < 3; ++epoch) {
    sgd.zero_grad();
    w.sum().backward();
    sgd.step();       // lr 1, then 0.5, then 0.25
    schedule.step();  // after optimizer.step(), as in PyTorch
  }
  require_values(w, {-1.75f});
  REQUIRE(sgd.lr() == 0.125);
}

TEST_CASE("scheduler arguments are checked", "[optim][scheduler][errors]") {
  Tensor w = tensor({1.0f}).requires_grad_();
  optim::SGD sgd({w}, {.lr = 1.0});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_AS(optim::StepLR(sgd, 0), ValueError);
  REQUIRE_THROWS_WITH(optim::StepLR(sgd, 0), Catch::Contains("StepLR: step_size = 0 must be >= 1"));
  REQUIRE_THROWS_WITH(optim::StepLR(sgd, 3, nan),
                      Catch::Contains("StepLR: gamma = nan must be finite and > 0"));
  REQUIRE_THROWS_WITH(optim::CosineAnnealingLR(sgd, 0),
                      Catch::Contains("CosineAnnealingLR: T_max = 0 must be >= 1"));
  REQUIRE_THROWS_WITH(optim::CosineAnnealingLR(sgd, 10, -0.1),
                      Catch::Contains("CosineAnnealingLR: eta_min = -0.1 must be finite"));
  REQUIRE_THROWS_WITH(optim::LinearDecayLR(sgd, -5),
                      Catch::Contains("LinearDecayLR: total_steps = -5 must be >= 1"));
  REQUIRE_THROWS_WITH(optim::LinearDecayLR(sgd, 5, 2.0),
                      Catch::Contains("LinearDecayLR: end_factor = 2 must lie in [0, 1]"));
  optim::StepLR schedule(sgd, 2);
  REQUIRE_THROWS_WITH(schedule.lr_at(-1), Catch::Contains("StepLR: epoch -1 must be >= 0"));
  REQUIRE(sgd.lr() == 1.0);  // failed constructions left the lr alone
}
