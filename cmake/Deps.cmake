# External libraries, all from Debian packages installed by scripts/install-deps.
# GSL is linked WITHOUT libgslcblas: both export cblas_dgemm and GSL's reference
# copy is ~8x slower than OpenBLAS's. tests/unit/test_blas_link.c checks which one wins.
find_package(PkgConfig REQUIRED)
pkg_check_modules(OPENBLAS REQUIRED IMPORTED_TARGET openblas)
pkg_check_modules(LAPACKE REQUIRED IMPORTED_TARGET lapacke)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
pkg_check_modules(READLINE REQUIRED IMPORTED_TARGET readline)
find_library(GSL_LIB gsl REQUIRED)
find_path(GSL_INCLUDE gsl/gsl_version.h REQUIRED)

add_library(lemma::blas INTERFACE IMPORTED)
target_link_libraries(lemma::blas INTERFACE PkgConfig::LAPACKE PkgConfig::OPENBLAS)
add_library(lemma::gsl INTERFACE IMPORTED)
target_include_directories(lemma::gsl INTERFACE ${GSL_INCLUDE})
target_link_libraries(lemma::gsl INTERFACE ${GSL_LIB} PkgConfig::OPENBLAS)
add_library(lemma::jansson ALIAS PkgConfig::JANSSON)
add_library(lemma::readline ALIAS PkgConfig::READLINE)

# R's standalone math library (r-mathlib): the code behind R's d/p/q functions,
# used where GSL's tails and quantiles fall short. Its header wants
# `#define MATHLIB_STANDALONE` before the include (src/prob/dist_int.h does it).
# Standalone Rmath prints its warnings ("full precision may not have been
# achieved in 'qbeta'") with printf to stdout, which would corrupt lemma's output
# and its JSON. So we link a copy of the static archive whose printf calls are
# renamed (objcopy --redefine-sym) to silent functions in src/prob/dist.c; the
# result it returns (NaN or its best value) still reaches the caller. Without the
# archive or objcopy, the shared library is linked as it is.
find_library(RMATH_LIB Rmath REQUIRED)
find_path(RMATH_INCLUDE Rmath.h REQUIRED)
find_library(RMATH_STATIC NAMES libRmath.a)
set(RMATH_QUIET ${CMAKE_BINARY_DIR}/rmath/libRmath_quiet.a)
if(RMATH_STATIC AND CMAKE_OBJCOPY)
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/rmath)
  execute_process(
    COMMAND ${CMAKE_OBJCOPY} --redefine-sym __printf_chk=lm_rmath_printf_chk
            --redefine-sym __fprintf_chk=lm_rmath_fprintf_chk --redefine-sym printf=lm_rmath_printf
            --redefine-sym fprintf=lm_rmath_fprintf ${RMATH_STATIC} ${RMATH_QUIET}
    RESULT_VARIABLE RMATH_QUIET_RC)
endif()
add_library(lemma::rmath INTERFACE IMPORTED)
target_include_directories(lemma::rmath INTERFACE ${RMATH_INCLUDE})
if(RMATH_STATIC AND CMAKE_OBJCOPY AND RMATH_QUIET_RC EQUAL 0)
  target_link_libraries(lemma::rmath INTERFACE ${RMATH_QUIET} m)
  # The silent functions live in liblemma.a, which the linker scans before this
  # archive: naming them undefined up front makes it take them from there.
  target_link_options(lemma::rmath INTERFACE "LINKER:--undefined=lm_rmath_printf_chk,--undefined=lm_rmath_fprintf_chk,--undefined=lm_rmath_printf,--undefined=lm_rmath_fprintf")
else()
  message(STATUS "Rmath: linking ${RMATH_LIB} as it is (its warnings may print)")
  target_link_libraries(lemma::rmath INTERFACE ${RMATH_LIB})
endif()

# cairo renders PNG and PDF plots. Only its headers are used at build time:
# src/plot/cairo.c opens libcairo.so.2 with dlopen when a PNG or PDF is first
# written, because linking it (with fontconfig, freetype, pixman, libpng) would
# slow every start-up of lemma.
pkg_check_modules(CAIRO REQUIRED cairo)
add_library(lemma::cairo INTERFACE IMPORTED)
target_include_directories(lemma::cairo INTERFACE ${CAIRO_INCLUDE_DIRS})
target_link_libraries(lemma::cairo INTERFACE ${CMAKE_DL_LIBS})

# The learning layer and the web server: lessons are Markdown parsed by md4c,
# progress lives in SQLite, `lemma serve` is libmicrohttpd.
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(MD4C REQUIRED IMPORTED_TARGET md4c)
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
add_library(lemma::sqlite ALIAS PkgConfig::SQLITE3)
add_library(lemma::md4c ALIAS PkgConfig::MD4C)
add_library(lemma::mhd ALIAS PkgConfig::MHD)
