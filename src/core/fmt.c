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
    /* For each digit count, the nearest decimal may miss while a neighbour one
       unit away in the last digit reads back exactly (at powers of two, where the
       gaps between doubles change): try both neighbours before more digits. */
    for (int prec = 1; prec <= 17; prec++) {
        char e[40];
        snprintf(e, sizeof e, "%.*e", prec - 1, x);
        if (strtod(e, NULL) != x) {
            /* digits and exponent of e: "-d.ddde+XX" */
            const char *p = e;
            bool neg = *p == '-';
            if (neg) p++;
            uint64_t m = 0;
            for (; *p && *p != 'e'; p++)
                if (*p >= '0' && *p <= '9') m = m * 10 + (uint64_t)(*p - '0');
            int ex = atoi(p + 1);
            bool found = false;
            for (int d = -1; d <= 1 && !found; d += 2) {
                uint64_t mm = m + (uint64_t)(int64_t)d;
                char digits[24];
                snprintf(digits, sizeof digits, "%llu", (unsigned long long)mm);
                int nd = (int)strlen(digits), ex2 = ex + (nd - prec); /* a carry adds a digit */
                if (nd > prec) digits[prec] = '\0';
                snprintf(e, sizeof e, "%s%c%s%se%d", neg ? "-" : "", digits[0], prec > 1 ? "." : "", digits + 1, ex2);
                if (strtod(e, NULL) == x) found = true;
            }
            if (!found) continue;
        }
        /* e round-trips with prec digits: write it the way %g would */
        const char *ep = strchr(e, 'e');
        int ex = atoi(ep + 1);
        if (ex < -4 || ex >= prec) {
            /* exponent form, as %g: mantissa without trailing zeros, e+XX */
            char mant[40], tmp[64];
            size_t ml = (size_t)(ep - e);
            memcpy(mant, e, ml);
            mant[ml] = '\0';
            snprintf(tmp, sizeof tmp, "%se%c%02d", mant, ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
            size_t tl = strlen(tmp);
            if (tl > 31) tl = 31; /* never true: 17 digits, a sign, a point and e-308 fit */
            memcpy(out, tmp, tl);
            out[tl] = '\0';
        } else {
            snprintf(out, 32, "%.*f", prec - 1 - ex > 0 ? prec - 1 - ex : 0, strtod(e, NULL));
        }
        if (strtod(out, NULL) == x) return;
    }
    snprintf(out, 32, "%.17g", x);
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
