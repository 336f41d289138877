// Learning-rate schedulers: the shared step() and each schedule's closed form.
#include "optim/scheduler.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab::optim {

LRScheduler::LRScheduler(Optimizer& optimizer, std::string name)
    : optimizer_(optimizer),
      optimizer_alive_(optimizer.watch()),
      base_lr_(optimizer.lr()),
      last_epoch_(0),
      last_lr_(optimizer.lr()),
      name_(std::move(name)) {}

void LRScheduler::step() {
  ++last_epoch_;
  apply();
}

double LRScheduler::lr_at(int64_t epoch) const {
  if (epoch < 0) throw ValueError(fmt::format("{}: epoch {} must be >= 0", name_, epoch));
  return closed_form(epoch);
}

void LRScheduler::apply() {
  if (optimizer_alive_.expired()) {
    // Reading optimizer_ now would read freed memory (what ASan reports as heap-use-after-free).
    throw ValueError(fmt::format(
        "{}: its optimiser was destroyed; a scheduler must not outlive the optimiser it drives "
        "(make the scheduler after the optimiser, in the same or an inner scope)",
        name_));
  }
  last_lr_ = lr_at(last_epoch_);
  optimizer_.set_lr(last_lr_);
}

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : LRScheduler(optimizer, "StepLR"), step_size_(step_size), gamma_(gamma) {
  if (step_size < 1) {
    throw ValueError(fmt::format("StepLR: step_size = {} must be >= 1", step_size));
  }
  if (!std::isfinite(gamma) || gamma <= 0.0) {
    throw ValueError(fmt::format("StepLR: gamma = {} must be finite and > 0", gamma));
  }
  apply();
}

double StepLR::closed_form(int64_t epoch) const {
  return base_lr_ * std::pow(gamma_, static_cast<double>(epoch / step_size_));
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min)
    : LRScheduler(optimizer, "CosineAnnealingLR"), T_max_(T_max), eta_min_(eta_min) {
  if (T_max < 1) {
    throw ValueError(fmt::format("CosineAnnealingLR: T_max = {} must be >= 1", T_max));
  }
  if (!std::isfinite(eta_min) || eta_min < 0.0) {
    throw ValueError(
        fmt::format("CosineAnnealingLR: eta_min = {} must be finite and >= 0", eta_min));
  }
  apply();
}

double CosineAnnealingLR::closed_form(int64_t epoch) const {
  const double angle = std::numbers::pi * static_cast<double>(epoch) / static_cast<double>(T_max_);
  return eta_min_ + (base_lr_ - eta_min_) * (1.0 + std::cos(angle)) / 2.0;
}

LinearDecayLR::LinearDecayLR(Optimizer& optimizer, int64_t total_steps, double end_factor)
    : LRScheduler(optimizer, "LinearDecayLR"), total_steps_(total_steps), end_factor_(end_factor) {
  if (total_steps < 1) {
    throw ValueError(fmt::format("LinearDecayLR: total_steps = {} must be >= 1", total_steps));
  }
  if (!(end_factor >= 0.0 && end_factor <= 1.0)) {
    throw ValueError(fmt::format("LinearDecayLR: end_factor = {} must lie in [0, 1]", end_factor));
  }
  apply();
}

double LinearDecayLR::closed_form(int64_t epoch) const {
  const double done =
      static_cast<double>(std::min(epoch, total_steps_)) / static_cast<double>(total_steps_);
  return base_lr_ * (1.0 + (end_factor_ - 1.0) * done);
}

}  // namespace embedlab::optim
