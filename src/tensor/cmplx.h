/* <complex.h> with CMPLX for every compiler lemma is built with. glibc defines
 * CMPLX only for compilers with __builtin_complex (not clang 14, which builds
 * the fuzzer); C11 lays a complex out as two doubles, so build one exactly
 * (inf and nan parts included) through that layout. */
#ifndef LEMMA_TENSOR_CMPLX_H
#define LEMMA_TENSOR_CMPLX_H

#include <complex.h>

#ifndef CMPLX
static inline double _Complex lm_cmplx(double re, double im) {
    union {
        double _Complex z;
        double d[2];
    } u;
    u.d[0] = re;
    u.d[1] = im;
    return u.z;
}
#define CMPLX(re, im) lm_cmplx((re), (im))
#endif

#endif
