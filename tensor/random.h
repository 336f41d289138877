/// @file random.h
/// @brief `Generator`: a seedable source of random numbers, so every run can be repeated.
///
/// The numbers come from `std::mt19937_64` and are turned into floats with our own formulas
/// (not `std::normal_distribution`, whose output differs between standard libraries), so a seed
/// gives the same tensors on every machine.
#pragma once

#include <cstdint>
#include <random>

namespace embedlab {

/// A seedable random-number generator for `rand`, `randn`, `randint`, init and shuffling.
class Generator {
 public:
  /// Makes a generator that starts from `seed`.
  explicit Generator(uint64_t seed = 0) : engine_(seed) {}
  /// Restarts the sequence from `seed`.
  void manual_seed(uint64_t seed) { engine_.seed(seed); }
  /// Returns 64 random bits.
  uint64_t next_u64() { return engine_(); }
  /// Returns a float drawn uniformly from [0, 1).
  float uniform();
  /// Returns a float drawn uniformly from [low, high).
  float uniform(float low, float high) { return low + (high - low) * uniform(); }
  /// Returns a float drawn from the normal distribution N(mean, std^2) (Box-Muller).
  float normal(float mean = 0.0f, float std = 1.0f);
  /// Returns an integer drawn uniformly from [low, high).
  /// @throws ValueError when `high <= low`.
  int64_t integer(int64_t low, int64_t high);

 private:
  std::mt19937_64 engine_;
};

/// Returns the generator used when none is passed (seed it with `manual_seed`).
Generator& default_generator();

/// Seeds the default generator, like `torch::manual_seed`.
void manual_seed(uint64_t seed);

}  // namespace embedlab
