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
