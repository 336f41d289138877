/// @file scheduler.h
/// @brief Learning-rate schedules: `StepLR`, `CosineAnnealingLR` and `LinearDecayLR` (the
/// linear decay word2vec uses), each a closed form of the epoch number.
///
/// As in PyTorch, make the scheduler after the optimiser and call `scheduler.step()` once per
/// epoch (or per batch, if the schedule counts batches) after `optimizer.step()`:
/// @code
/// optim::SGD sgd(model->parameters(), {.lr = 0.1});
/// optim::StepLR schedule(sgd, 30, 0.1);
/// for (int epoch = 0; epoch < 90; ++epoch) { train_one_epoch(sgd); schedule.step(); }
/// @endcode
/// Differs from PyTorch: one learning rate per optimiser (no parameter groups), so
/// `get_last_lr()` returns a number, not a list; and every schedule is computed from its closed
/// form, so two schedulers on one optimiser do not chain (the last to step sets the lr).
#pragma once

#include <cstdint>
#include <string>

#include "optim/optimizer.h"

namespace embedlab::optim {

/// The base of learning-rate schedulers: remembers the starting lr and sets the optimiser's lr
/// from `lr_at(epoch)` at every `step()`.
class LRScheduler {
 public:
  /// Takes the optimiser whose lr it drives; its current lr becomes the base lr.
  ///
  /// The scheduler keeps a reference to the optimiser, which must outlive it: a `step()` after
  /// the optimiser is destroyed throws ValueError instead of writing into freed memory.
  LRScheduler(Optimizer& optimizer, std::string name);
  /// Destroys the scheduler (the optimiser keeps the last lr it was given).
  virtual ~LRScheduler() = default;

  /// Advances one epoch and sets the optimiser's lr for it; call after `optimizer.step()`.
  /// @throws ValueError when the optimiser has been destroyed (the scheduler outlived it).
  void step();
  /// Returns the lr this scheduler set most recently (the base lr before the first `step()`).
  double get_last_lr() const { return last_lr_; }
  /// Returns the number of `step()` calls so far (0 right after construction, as in PyTorch).
  int64_t last_epoch() const { return last_epoch_; }
  /// Returns the optimiser's lr when the scheduler was made.
  double base_lr() const { return base_lr_; }
  /// Returns the scheduler's name, such as "StepLR".
  const std::string& name() const { return name_; }
  /// Returns the lr the schedule gives at `epoch` (0 is the start), without changing anything.
  /// @throws ValueError when `epoch` is negative.
  double lr_at(int64_t epoch) const;

 protected:
  /// Returns the schedule's lr at `epoch` >= 0: the one formula each scheduler defines.
  virtual double closed_form(int64_t epoch) const = 0;
  /// Sets the optimiser's lr to `lr_at(last_epoch())`; derived constructors call it last.
  void apply();

  Optimizer& optimizer_;           ///< the optimiser whose lr is set
  LifetimeWatch optimizer_alive_;  ///< tells whether `optimizer_` still exists
  double base_lr_;                 ///< lr at epoch 0
  int64_t last_epoch_;             ///< completed `step()` calls
  double last_lr_;                 ///< lr set at the last `step()`
  std::string name_;               ///< "StepLR", ...
};

/// Multiplies the lr by `gamma` every `step_size` epochs: lr = base * gamma^floor(epoch /
/// step_size).
/// @code
/// optim::StepLR schedule(sgd, 2, 0.5);   // base 1.0: epochs 0..4 give 1, 1, 0.5, 0.5, 0.25
/// @endcode
class StepLR : public LRScheduler {
 public:
  /// Makes the schedule.
  /// @throws ValueError when step_size < 1 or gamma is not finite and > 0.
  StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);

 protected:
  /// Returns base * gamma^floor(epoch / step_size).
  double closed_form(int64_t epoch) const override;

 private:
  int64_t step_size_;
  double gamma_;
};

/// Follows half a cosine from the base lr down to `eta_min` over `T_max` epochs:
/// lr = eta_min + (base - eta_min) * (1 + cos(pi * epoch / T_max)) / 2.
/// Past T_max the cosine goes on, so the lr climbs back, as PyTorch's closed form does.
class CosineAnnealingLR : public LRScheduler {
 public:
  /// Makes the schedule.
  /// @throws ValueError when T_max < 1 or eta_min is negative or not finite.
  CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min = 0.0);

 protected:
  /// Returns eta_min + (base - eta_min) * (1 + cos(pi * epoch / T_max)) / 2.
  double closed_form(int64_t epoch) const override;

 private:
  int64_t T_max_;
  double eta_min_;
};

/// Lowers the lr in a straight line from base to base * end_factor over `total_steps` steps,
/// then keeps it there: word2vec's linear decay (its floor is end_factor = 1e-4).
/// Same as torch.optim.lr_scheduler.LinearLR with start_factor = 1.
/// @code
/// optim::LinearDecayLR schedule(sgd, 4, 0.0);   // base 0.1: 0.1, 0.075, 0.05, 0.025, 0, 0 ...
/// @endcode
class LinearDecayLR : public LRScheduler {
 public:
  /// Makes the schedule.
  /// @throws ValueError when total_steps < 1 or end_factor is outside [0, 1].
  LinearDecayLR(Optimizer& optimizer, int64_t total_steps, double end_factor = 0.0);

 protected:
  /// Returns base * (1 + (end_factor - 1) * min(epoch, total_steps) / total_steps).
  double closed_form(int64_t epoch) const override;

 private:
  int64_t total_steps_;
  double end_factor_;
};

}  // namespace embedlab::optim
