/* core/pareto/cells.h: NAS-Bench-101 cells as the CNN side of an enumeration.
 *
 * Owns: a list of cells (cb_modules with NAS-Bench-101's labels, graph/nb101.h) from one of two
 * places: the benchmark's table (graph/nbdata.h: cells with their trained accuracies and keys)
 * or the whole space (graph/forms.h and graph/modenum.h: all 423,624 cells, no accuracies);
 * and handing out each cell's network (pareto/skeleton.h) to cb_enumerate. A label whose name
 * is a number k computes the skeleton's cell op k (NAS-Bench-101's op codes 0, 1, 2); the
 * input and output labels (-1, -2) compute nothing. */
#ifndef CB_CORE_PARETO_CELLS_H
#define CB_CORE_PARETO_CELLS_H

#include "graph/vocab.h"
#include "pareto/enum.h"
#include "pareto/skeleton.h"

typedef struct cb_cellset {
    cb_vocab voc;
    cb_module *cells;
    int64_t n;
    double *accuracy;         /* n values, or NULL (the whole space) */
    char (*key)[33];          /* n benchmark hashes, or NULL */
    int32_t *op_of_label;     /* by vocabulary index: a cell op, or -1 */
    const cb_skeleton *sk;    /* set by cb_cellset_source */
    cb_shape input;
    cb_cellnet net;           /* the network handed out last */
} cb_cellset;

/* The cells of a NAS-Bench-101 table file, with their validation accuracy after `epochs`
 * (4, 12, 36 or 108). CB_EINVAL with why. */
int cb_cellset_table(cb_cellset *cs, const char *path, int epochs, char *why, size_t why_len);

/* Every cell of the NAS-Bench-101 space (7 vertices, 9 edges, 3 ops). */
int cb_cellset_space(cb_cellset *cs, char *why, size_t why_len);

/* The enumeration's view of cs: networks built on sk for an input of shape `input`. */
void cb_cellset_source(cb_cellset *cs, const cb_skeleton *sk, cb_shape input, cb_cnn_source *src);

void cb_cellset_free(cb_cellset *cs);

#endif
