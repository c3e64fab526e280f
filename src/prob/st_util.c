/* Helpers shared by the statistics files: report number formatting, JSON
 * writers for test, regression and model objects, an extended-precision sum
 * and exact decimal deviations. Kept apart so each object file holds only its
 * mathematics. */
#include "prob/st_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lm_st_fmt(char out[40], double x, int digits) {
    if (digits <= 0) lm_fmt_double_shortest(out, x);
    else lm_fmt_double_sig(out, x, digits);
}

void lm_st_json_num(lm_buf *b, double x) {
    char s[40];
    lm_fmt_double_shortest(s, x);
    if (isfinite(x)) lm_buf_puts(b, s);
    else lm_buf_printf(b, "\"%s\"", s);
}

void lm_st_json_str(lm_buf *b, const char *s) {
    lm_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': lm_buf_puts(b, "\\\""); break;
        case '\\': lm_buf_puts(b, "\\\\"); break;
        case '\n': lm_buf_puts(b, "\\n"); break;
        case '\t': lm_buf_puts(b, "\\t"); break;
        case '\r': lm_buf_puts(b, "\\r"); break;
        default:
            if (*p < 0x20) lm_buf_printf(b, "\\u%04x", *p);
            else lm_buf_putc(b, (char)*p);
        }
    }
    lm_buf_putc(b, '"');
}

void lm_st_json_nums(lm_buf *b, const double *x, int64_t n) {
    if (!x) {
        lm_buf_puts(b, "null");
        return;
    }
    lm_buf_putc(b, '[');
    for (int64_t i = 0; i < n; i++) {
        if (i) lm_buf_putc(b, ',');
        lm_st_json_num(b, x[i]);
    }
    lm_buf_putc(b, ']');
}

void lm_st_json_key(lm_buf *b, const char *key) {
    lm_buf_printf(b, ",\"%s\":", key);
}

long double lm_st_sum_ld(const double *x, int64_t n) {
    long double s = 0;
    for (int64_t i = 0; i < n; i++) s += x[i];
    return s;
}

/* ---- exact decimal deviations ---- */

typedef unsigned __int128 st_u128;

/* x as sign·M·10^E from its shortest round-trip text ("196.3052" gives
 * M = 1963052, E = -4). False for non-finite x. */
static bool dec_parse(double x, bool *neg, uint64_t *M, int *E) {
    if (!isfinite(x)) return false;
    char s[32];
    lm_fmt_double_shortest(s, x);
    const char *p = s;
    *neg = *p == '-';
    if (*neg) p++;
    uint64_t m = 0;
    int e = 0, nd = 0;
    bool frac = false;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            frac = true;
            continue;
        }
        if (*p < '0' || *p > '9' || nd >= 19) return false;
        m = m * 10 + (uint64_t)(*p - '0');
        if (m) nd++;
        if (frac) e--;
    }
    if (*p) e += atoi(p + 1);
    *M = m;
    *E = e;
    return true;
}

void lm_st_dec_ref(double x, lm_st_dec *ref) {
    ref->x = x;
    ref->ok = dec_parse(x, &ref->neg, &ref->M, &ref->E);
}

/* M·10^k as a 128-bit integer, or false when it would not fit. */
static bool scale10(uint64_t M, int k, st_u128 *out) {
    st_u128 v = M;
    for (int i = 0; i < k; i++) {
        if (v > ((st_u128)-1) / 10) return false;
        v *= 10;
    }
    *out = v;
    return true;
}

double lm_st_dec_sub(double x, const lm_st_dec *ref) {
    bool neg;
    uint64_t M;
    int E;
    if (!ref->ok || !dec_parse(x, &neg, &M, &E) || abs(E - ref->E) > 24) return x - ref->x;
    int Ec = E < ref->E ? E : ref->E;
    st_u128 a, b;
    if (!scale10(M, E - Ec, &a) || !scale10(ref->M, ref->E - Ec, &b)) return x - ref->x;
    /* a·(±1) - b·(±1), exactly */
    bool rneg;
    st_u128 mag;
    if (neg == ref->neg) {
        rneg = a < b ? !neg : neg;
        mag = a < b ? b - a : a - b;
    } else {
        if (a > ((st_u128)-1) - b) return x - ref->x;
        rneg = neg;
        mag = a + b;
    }
    if (mag == 0) return 0;
    /* correctly rounded by strtod from the exact decimal text */
    char digits[48], text[64];
    int nd = 0;
    while (mag) {
        digits[nd++] = (char)('0' + (int)(mag % 10));
        mag /= 10;
    }
    int t = 0;
    if (rneg) text[t++] = '-';
    while (nd) text[t++] = digits[--nd];
    snprintf(text + t, sizeof text - (size_t)t, "e%d", Ec);
    return strtod(text, NULL);
}
