/* tests/unit/report_fixture.h: a small run database for the report and export tests: 40
 * synthetic evaluations with known metrics (latency and energies spanning decades), failed and
 * infeasible ones with their errors (one full of characters CSV and HTML must escape; the
 * infeasible ones beat every ok pair, which they must not be credited for), one pending pair,
 * and per-layer rows for some. */
#ifndef CB_TEST_REPORT_FIXTURE_H
#define CB_TEST_REPORT_FIXTURE_H

#include "store/store.h"

#include <stddef.h>

#define REPORT_FIXTURE_ROWS 40
#define REPORT_FIXTURE_ODD_ERROR "bad \"vector\", <b>bold</b> & more\nsecond line"

typedef struct report_fixture {
    char dir[64];
    cb_eval_row *rows; /* as the store reads them back */
    size_t n;
    int n_layer_rows;  /* layer rows written */
} report_fixture;

/* Makes a temporary run folder holding the database; rows filled from the store. */
void report_fixture_make(report_fixture *f);
/* Removes the folder and frees the rows. */
void report_fixture_remove(report_fixture *f);

/* The whole file at path, NUL-terminated (malloc'd), and its length; NULL when unreadable. */
char *report_slurp(const char *path, size_t *len);

#endif
