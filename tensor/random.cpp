// Generator: uniform, normal and integer draws from a 64-bit Mersenne Twister.
#include "tensor/random.h"

#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab {

float Generator::uniform() {
  // The top 24 bits make every float in [0, 1) with spacing 2^-24 equally likely.
  return static_cast<float>(engine_() >> 40) * 0x1.0p-24f;
}

float Generator::normal(float mean, float std) {
  // Box-Muller: two uniforms u1 in (0, 1] and u2 give one standard normal draw.
  double u1 = 1.0 - static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  double u2 = static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  return mean + std * static_cast<float>(z);
}

int64_t Generator::integer(int64_t low, int64_t high) {
  if (high <= low) throw ValueError(fmt::format("randint: empty range [{}, {})", low, high));
  const auto range = static_cast<uint64_t>(high - low);
  // Rejection sampling: draws above the last whole multiple of `range` are redrawn, so every
  // value in [0, range) is exactly equally likely.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
  uint64_t draw = engine_();
  while (draw >= limit)
    draw = engine_();
  return low + static_cast<int64_t>(draw % range);
}

Generator& default_generator() {
  static Generator generator(0);
  return generator;
}

void manual_seed(uint64_t seed) {
  default_generator().manual_seed(seed);
}

}  // namespace embedlab
