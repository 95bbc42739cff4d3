/* core/graph/forms.h: the unlabelled module shapes of a space, one per isomorphism class.
 *
 * Owns: enumerating every full DAG (module.h) of vmin..vmax vertices with at most max_edges
 * edges, keeping one representative per isomorphism class (input and output stay in place: in
 * a full DAG they are the only source and sink), with its automorphism group. The
 * representative is the class's smallest seeds' bit mask over the vertex orders that keep the
 * matrix upper-triangular (topological orders). Labelled modules are then classes of labellings
 * of one form under its automorphisms (graph/modenum.h), which is how a space of modules is
 * counted, enumerated and sampled without hashing every labelled matrix.
 */
#ifndef CB_GRAPH_FORMS_H
#define CB_GRAPH_FORMS_H

#include "graph/module.h"

#include <stddef.h>

#define CB_FORMS_MAXV 8 /* (n - 2)! vertex orders are tried per mask */

typedef struct cb_form {
    cb_module m;       /* labels unused */
    uint64_t mask;
    int32_t n_aut;     /* automorphisms, the identity first */
    uint8_t *aut;      /* n_aut x m.n: vertex v goes to aut[k * m.n + v] */
} cb_form;

typedef struct cb_forms {
    cb_form *v;
    size_t n, cap;
    uint64_t full_dags; /* full DAGs seen, isomorphic ones included (the seeds' matrices) */
    uint64_t full_by_n[CB_FORMS_MAXV + 1]; /* the same per vertex count */
} cb_forms;

/* CB_OK, or CB_EINVAL when vmin < 2, vmax > CB_FORMS_MAXV or vmin > vmax. */
int cb_forms_build(cb_forms *f, int vmin, int vmax, int max_edges);
void cb_forms_free(cb_forms *f);

#endif
