/* Whole-number helpers for the layers that keep exact integers: exact
 * rationals (src/tensor/exact*.c), Markov chain periods, exercise generators. */
#include "lemma/core.h"

#include <stdint.h>

int64_t lm_gcd64(int64_t a, int64_t b) {
    uint64_t x = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a, y = b < 0 ? (uint64_t)0 - (uint64_t)b : (uint64_t)b;
    while (y) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    return (int64_t)x; /* only gcd(INT64_MIN, 0 or INT64_MIN) = 2^63 does not fit, and wraps */
}
