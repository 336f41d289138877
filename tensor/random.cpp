// Generator: uniform, normal and integer draws from a 64-bit Mersenne Twister. Each draw
// takes the lock only for the shared default generator (see random.h).
#include "tensor/random.h"

#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab {

Generator::Generator(const Generator& other) {
  auto other_lock = other.lock();
  engine_ = other.engine_;
}

Generator& Generator::operator=(const Generator& other) {
  if (this == &other) return *this;
  std::mt19937_64 copied;
  {
    auto other_lock = other.lock();
    copied = other.engine_;
  }
  auto own_lock = lock();
  engine_ = copied;
  return *this;
}

void Generator::manual_seed(uint64_t seed) {
  auto held = lock();
  engine_.seed(seed);
}

uint64_t Generator::next_u64() {
  auto held = lock();
  return engine_();
}

float Generator::uniform() {
  auto held = lock();
  // The top 24 bits make every float in [0, 1) with spacing 2^-24 equally likely.
  return static_cast<float>(engine_() >> 40) * 0x1.0p-24f;
}

float Generator::normal(float mean, float std) {
  uint64_t bits1 = 0, bits2 = 0;
  {
    auto held = lock();  // one lock for both draws: a pair is never split between threads
    bits1 = engine_();
    bits2 = engine_();
  }
  // Box-Muller: two uniforms u1 in (0, 1] and u2 give one standard normal draw.
  double u1 = 1.0 - static_cast<double>(bits1 >> 11) * 0x1.0p-53;
  double u2 = static_cast<double>(bits2 >> 11) * 0x1.0p-53;
  double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  return mean + std * static_cast<float>(z);
}

int64_t Generator::integer(int64_t low, int64_t high) {
  if (high <= low) throw ValueError(fmt::format("randint: empty range [{}, {})", low, high));
  // Computed in unsigned arithmetic: high - low overflows int64 for a range like
  // [INT64_MIN, INT64_MAX).
  const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  // Rejection sampling: draws above the last whole multiple of `range` are redrawn, so every
  // value in [0, range) is exactly equally likely.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
  auto held = lock();
  uint64_t draw = engine_();
  while (draw >= limit)
    draw = engine_();
  // Wrapping unsigned addition, then back: low + draw always lies in [low, high).
  return static_cast<int64_t>(static_cast<uint64_t>(low) + draw % range);
}

Generator& default_generator() {
  // Made on first use (thread-safe since C++11) and never destroyed, so layers built in static
  // destructors or other threads at exit still find it.
  static Generator* generator = [] {
    auto* shared = new Generator(0);
    shared->thread_safe_ = true;
    return shared;
  }();
  return *generator;
}

void manual_seed(uint64_t seed) {
  default_generator().manual_seed(seed);
}

}  // namespace embedlab
