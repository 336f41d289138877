/// @file random.h
/// @brief `Generator`: a seedable source of random numbers, so every run can be repeated.
///
/// The numbers come from `std::mt19937_64` and are turned into floats with our own formulas
/// (not `std::normal_distribution`, whose output differs between standard libraries), so a seed
/// gives the same tensors on every machine.
///
/// Threads: the default generator (the one used when no generator is passed) may be used from
/// several threads at once; each draw takes a lock, so the sequence each thread sees depends on
/// the schedule. A `Generator` you make yourself belongs to one thread at a time (no lock, no
/// cost): give each thread its own, seeded differently, for repeatable threaded runs. See
/// docs/threads_and_lifetimes.md.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>

#include "tensor/lifetime.h"

namespace embedlab {

/// A seedable random-number generator for `rand`, `randn`, `randint`, init and shuffling.
class Generator {
 public:
  /// Makes a generator that starts from `seed`; use it from one thread at a time.
  explicit Generator(uint64_t seed = 0) : engine_(seed) {}
  /// Makes a generator at the same point of the same sequence as `other` (for one thread).
  Generator(const Generator& other);
  /// Moves this generator to the same point of the same sequence as `other`.
  Generator& operator=(const Generator& other);
  /// Restarts the sequence from `seed`.
  void manual_seed(uint64_t seed);
  /// Returns 64 random bits.
  uint64_t next_u64();
  /// Returns a float drawn uniformly from [0, 1).
  float uniform();
  /// Returns a float drawn uniformly from [low, high).
  float uniform(float low, float high) { return low + (high - low) * uniform(); }
  /// Returns a float drawn from the normal distribution N(mean, std^2) (Box-Muller).
  float normal(float mean = 0.0f, float std = 1.0f);
  /// Returns an integer drawn uniformly from [low, high).
  /// @throws ValueError when `high <= low`.
  int64_t integer(int64_t low, int64_t high);
  /// Returns true when every draw takes a lock, so threads may share this generator (true for
  /// the default generator only).
  bool is_thread_safe() const { return thread_safe_; }
  /// Returns a watch that tells an object keeping a reference to this generator (nn::Dropout)
  /// whether the generator still exists.
  LifetimeWatch watch() const { return lifetime_.watch(); }

 private:
  friend Generator& default_generator();
  /// Takes the lock when the generator is shared between threads; else an empty lock.
  std::unique_lock<std::mutex> lock() const {
    return thread_safe_ ? std::unique_lock<std::mutex>(mutex_) : std::unique_lock<std::mutex>();
  }

  std::mt19937_64 engine_;
  bool thread_safe_ = false;
  mutable std::mutex mutex_;  // guards engine_ when thread_safe_
  Lifetime lifetime_;
};

/// Returns the generator used when none is passed (seed it with `manual_seed`); safe to use
/// from several threads at once.
Generator& default_generator();

/// Seeds the default generator, like `torch::manual_seed`.
void manual_seed(uint64_t seed);

}  // namespace embedlab
