/* Internals shared by the files of src/ad (tape, networks, data): nothing here
 * is part of the public API (ad.h, data.h). */
#ifndef LEMMA_AD_INT_H
#define LEMMA_AD_INT_H

#include "lemma/ad.h"
#include "lemma/data.h"

/* The 150 Iris rows: four measurements and the species 1..3 (iris.c). */
LM_INTERNAL extern const double lm_iris_data[150][5];

#endif
