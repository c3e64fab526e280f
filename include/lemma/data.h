/* lemma data sources: a CSV reader, the Iris data set compiled into the
 * program, and seedable synthetic data sets (two moons, Gaussian blobs, a noisy
 * linear relation). X always has one row per sample; class labels are 0/1 for
 * two-class sets (moons), 1..k otherwise (blobs, Iris). Generators draw from the
 * rng they are given, so the same seed gives the same data on every machine. */
#ifndef LEMMA_DATA_H
#define LEMMA_DATA_H

#include "lemma/core.h"
#include "lemma/tensor.h"

/* Reads a numeric CSV file whose first line is a header of column names. A
 * relative path is read from the current directory, or else from beside the
 * program or a folder up to three levels above it (so "data/iris.csv", the
 * shipped copy, is found from a build directory).
 * Returns the m×n matrix (+1) and, when names is not NULL, the header as an
 * array of n owned strings (*names, freed with lm_data_names_free). Errors name
 * the file, line and column: a missing file is `io`, a cell that is not a
 * number or a row with the wrong number of cells is `parse`. Empty cells and
 * NA/NaN read as NaN. */
lm_tensor *lm_data_csv(const char *path, char ***names, int64_t *ncols, lm_err *err);
void lm_data_names_free(char **names, int64_t n);

/* Iris: X 150×4 (sepal length, sepal width, petal length, petal width, cm) and
 * y 150×1 (1 setosa, 2 versicolor, 3 virginica). Either may be NULL. */
lm_status lm_data_iris(lm_tensor **X, lm_tensor **y, lm_err *err);

/* Two interleaving half circles (scikit-learn's make_moons): n points, the
 * first n/2 (rounded down) on the upper moon with label 0, the rest on the
 * lower one with label 1, each coordinate plus N(0, noise²). */
lm_status lm_data_moons(int64_t n, double noise, lm_rng *rng, lm_tensor **X, lm_tensor **y, lm_err *err);
/* k Gaussian clusters in d dimensions: centres uniform in [-box, box]^d, points
 * N(centre, sd²) per coordinate, labels 1..k dealt round-robin (sizes differ by
 * at most one). centres (may be NULL) receives the k×d centres. */
lm_status lm_data_blobs(int64_t n, int64_t k, int64_t d, double sd, double box, lm_rng *rng, lm_tensor **X,
                        lm_tensor **y, lm_tensor **centres, lm_err *err);
/* y = w0 + X·w + N(0, noise²): X uniform in [-1, 1]^(n×d), the true
 * coefficients [w0; w] drawn N(0, 1) (returned in *w, (d+1)×1, may be NULL). */
lm_status lm_data_linear(int64_t n, int64_t d, double noise, lm_rng *rng, lm_tensor **X, lm_tensor **y, lm_tensor **w,
                         lm_err *err);

#endif
