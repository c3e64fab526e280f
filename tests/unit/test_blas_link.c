/* Checks that cblas_dgemm resolves to OpenBLAS and not to GSL's reference
 * libgslcblas: both export the symbol, and the wrong one is about 8× slower
 * (DESIGN.md, "Dependencies"; cmake/Deps.cmake links GSL without it). */
#define _GNU_SOURCE
#include <dlfcn.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cblas.h>
#include <string.h>

#include "lemma/tensor.h"

/* The shared object that defines the symbol at this address, or NULL. */
static const char *object_of(void *addr) {
    Dl_info info;
    if (!addr || dladdr(addr, &info) == 0 || !info.dli_fname) return NULL;
    return info.dli_fname;
}

static void test_dgemm_is_openblas(void **state) {
    (void)state;
    /* The address the engine's calls take (the executables are PIE, so this
     * is the definition itself, not a PLT stub). */
    void *direct;
    void (*fn)(void) = (void (*)(void))cblas_dgemm;
    memcpy(&direct, &fn, sizeof direct);
    const char *path = object_of(direct);
    assert_non_null(path);
    print_message("cblas_dgemm comes from %s\n", path ? path : "(nowhere)");
    assert_non_null(strstr(path, "openblas"));
    assert_null(strstr(path, "gslcblas"));

    /* Debian's libgsl lists libgslcblas as NEEDED, so that library is loaded
     * anyway; what matters is that OpenBLAS, a direct dependency, comes first
     * in the global search order. That order is what dlsym(RTLD_DEFAULT)
     * follows and what GSL's own cblas calls bind to. */
    void *global = dlsym(RTLD_DEFAULT, "cblas_dgemm");
    const char *gpath = object_of(global);
    assert_non_null(gpath);
    assert_non_null(strstr(gpath, "openblas"));
    assert_null(strstr(gpath, "gslcblas"));
}

/* The engine product really goes through that library: a 5×5 product (past
 * the tiny-matrix loop) is right. ref: numpy.eye(5) @ numpy.arange(25.).reshape(5,5) */
static void test_engine_product_uses_blas(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *e = lm_tensor_eye(5, &err);
    lm_tensor *a = lm_tensor_matrix(5, 5, &err);
    for (int i = 0; i < 25; i++) a->data[i] = i;
    lm_tensor *c = lm_tensor_matmul(e, a, &err);
    assert_non_null(c);
    for (int i = 0; i < 25; i++) assert_true(c->data[i] == (double)i);
    lm_tensor_release(e);
    lm_tensor_release(a);
    lm_tensor_release(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dgemm_is_openblas),
        cmocka_unit_test(test_engine_product_uses_blas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
