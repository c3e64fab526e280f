/* Number formatting shared by every printer: the shortest round-trip form for
 * JSON and `format long`, and n significant digits for people. */
#include "lemma/core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool nonfinite(char *out, size_t n, double x) {
    if (isnan(x)) snprintf(out, n, "nan");
    else if (isinf(x)) snprintf(out, n, x > 0 ? "inf" : "-inf");
    else return false;
    return true;
}

void lm_fmt_double_shortest(char out[32], double x) {
    if (nonfinite(out, 32, x)) return;
    if (x == 0) {
        strcpy(out, "0");
        return;
    }
    /* Integers below 2^53 print without exponent or point. */
    if (fabs(x) < 9007199254740992.0 && x == floor(x)) {
        snprintf(out, 32, "%.0f", x);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, 32, "%.*g", prec, x);
        if (strtod(out, NULL) == x) return;
    }
}

void lm_fmt_double_sig(char out[40], double x, int digits) {
    if (nonfinite(out, 40, x)) return;
    if (x == 0) {
        strcpy(out, "0");
        return;
    }
    if (digits < 1) digits = 1;
    if (digits > 17) digits = 17;
    double ax = fabs(x);
    if (ax < 1e10 && x == floor(x)) { /* whole numbers print whole up to ten digits */
        snprintf(out, 40, "%.0f", x);
        return;
    }
    if (ax >= 1e-5 && ax < 1e5) {
        /* fixed notation with `digits` significant digits, trailing zeros dropped */
        int intdigits = ax >= 1 ? (int)floor(log10(ax)) + 1 : 0;
        int dec = digits - intdigits;
        if (ax < 1) dec = digits - (int)floor(log10(ax)) - 1;
        if (dec < 0) dec = 0;
        if (dec > 20) dec = 20;
        snprintf(out, 40, "%.*f", dec, x);
        if (strchr(out, '.')) {
            size_t n = strlen(out);
            while (n > 0 && out[n - 1] == '0') out[--n] = '\0';
            if (n > 0 && out[n - 1] == '.') out[--n] = '\0';
        }
        if (strcmp(out, "-0") == 0) strcpy(out, "0");
        return;
    }
    snprintf(out, 40, "%.*e", digits - 1, x);
    /* drop trailing zeros of the mantissa: 1.5000e+07 -> 1.5e+07 */
    char *e = strchr(out, 'e');
    if (e) {
        char *m = e;
        while (m > out && m[-1] == '0') m--;
        if (m > out && m[-1] == '.') m--;
        memmove(m, e, strlen(e) + 1);
    }
}
