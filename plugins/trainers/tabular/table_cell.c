/* plugins/trainers/tabular/table_cell.c: a NAS-Bench-101 cell read back from a network's nodes,
 * for graphs that carry no key (the `cell_ops` parameter turns it on).
 *
 * The network must be wired as NAS-Bench-101's model builder wires cells (core/pareto/cellnet.c,
 * nasbench model_builder.build_module): every node of a cell has the cell's module index; an
 * operation vertex is a node that matches one of the cell ops (by op name and the attributes the
 * pattern names) and reads a node of its own cell; everything else in the cell is glue
 * (projections of the cell input, truncations, sums, the output concatenation). Edges are found
 * by following a vertex's inputs back through glue: reaching another vertex gives that edge,
 * reaching a node outside the cell gives an edge from the cell input. The output vertex is read
 * the same way from the cell's last node. Every cell of the network must give the same key,
 * and the cell must fit NAS-Bench-101 (at most 7 vertices and 9 edges); otherwise the graph is
 * not taken for a NAS-Bench-101 network. */
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One attribute test of a pattern ("kernel=3"). */
static int attr_matches(const cb_node *nd, const char *name, const char *value)
{
    const cb_param *p = nd->vt->attrs;
    for (int k = 0; p && p[k].name; k++) {
        if (strcmp(p[k].name, name))
            continue;
        const cb_value *v = &nd->attrs[k];
        char *end;
        switch (p[k].type) {
        case CB_T_INT: {
            long long x = strtoll(value, &end, 10);
            return *end == '\0' && x == v->i;
        }
        case CB_T_REAL: {
            double x = strtod(value, &end);
            return *end == '\0' && x == v->r;
        }
        case CB_T_BOOL:
            return (!strcmp(value, "true") && v->b) || (!strcmp(value, "false") && !v->b);
        case CB_T_ENUM:
            return p[k].choices && !strcmp(p[k].choices[v->e], value);
        case CB_T_STR:
            return v->s && !strcmp(v->s, value);
        }
        return 0;
    }
    return 0;
}

int tb_patterns_parse(const char *spec, tb_pattern *pat, int *n, char *why, size_t len)
{
    *n = 0;
    char buf[512];
    if (strlen(spec) >= sizeof buf) {
        snprintf(why, len, "too long (at most %zu characters)", sizeof buf - 1);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", spec);
    char *save = NULL;
    for (char *item = strtok_r(buf, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
        if (*n == TB_CELL_OPS) {
            snprintf(why, len, "NAS-Bench-101 has %d cell ops (0, 1, 2), the list names more", TB_CELL_OPS);
            return -1;
        }
        tb_pattern *p = &pat[(*n)++];
        memset(p, 0, sizeof *p);
        char *save2 = NULL;
        for (char *w = strtok_r(item, " \t", &save2); w; w = strtok_r(NULL, " \t", &save2)) {
            char *eq = strchr(w, '=');
            if (!p->op[0] && !eq) {
                snprintf(p->op, sizeof p->op, "%s", w);
                continue;
            }
            if (!p->op[0] || !eq || eq == w || p->n_attrs == TB_PATTERN_ATTRS) {
                snprintf(why, len, "cell op %d: expected 'OP [attr=value ...]' with at most %d attributes, "
                         "got '%s'", *n - 1, TB_PATTERN_ATTRS, w);
                return -1;
            }
            *eq = '\0';
            snprintf(p->attr[p->n_attrs], sizeof p->attr[0], "%s", w);
            snprintf(p->value[p->n_attrs++], sizeof p->value[0], "%s", eq + 1);
        }
        if (!p->op[0]) {
            snprintf(why, len, "cell op %d is empty", *n - 1);
            return -1;
        }
    }
    if (*n != TB_CELL_OPS) {
        snprintf(why, len, "expected the %d NAS-Bench-101 cell ops (codes 0, 1, 2) separated by ';', got %d",
                 TB_CELL_OPS, *n);
        return -1;
    }
    return 0;
}

/* The op code node i computes (0..2), or -1 when it matches no pattern. */
static int op_code(const tb_pattern *pat, const cb_node *nd)
{
    for (int c = 0; c < TB_CELL_OPS; c++) {
        if (strcmp(nd->op, pat[c].op))
            continue;
        int ok = 1;
        for (int a = 0; a < pat[c].n_attrs && ok; a++)
            ok = attr_matches(nd, pat[c].attr[a], pat[c].value[a]);
        if (ok)
            return c;
    }
    return -1;
}

typedef struct cell_scan {
    const cb_graph *g;
    int32_t module, first, last;  /* the cell's nodes are [first, last] */
    int vid[512];                 /* vertex of each node of the cell, or 0 for glue */
    unsigned char adj[TB_NB101_MAXV * TB_NB101_MAXV];
    int n;                        /* vertices, input and output included, once known */
} cell_scan;

static int in_cell(const cell_scan *s, int32_t j)
{
    return j != CB_NET_INPUT && j >= s->first && j <= s->last && s->g->nodes[j].module == s->module;
}

/* Marks edges into vertex `to` from whatever node j leads back to. */
static void trace(cell_scan *s, int32_t j, int to, int depth)
{
    if (!in_cell(s, j)) {
        s->adj[0 * s->n + to] = 1;
        return;
    }
    int v = s->vid[j - s->first];
    if (v > 0) {
        s->adj[v * s->n + to] = 1;
        return;
    }
    if (depth > 64)
        return; /* glue is a few nodes deep; a deeper chain is not a NAS-Bench-101 cell */
    const cb_node *nd = &s->g->nodes[j];
    for (int32_t k = 0; k < nd->n_in; k++)
        trace(s, nd->in[k], to, depth + 1);
}

/* Cell `module` of g, hashed into hex. */
static int scan_cell(const tb_pattern *pat, const cb_graph *g, int32_t module, char *hex, char *why, size_t len)
{
    cell_scan s;
    memset(&s, 0, sizeof s);
    s.g = g;
    s.module = module;
    s.first = -1;
    for (int32_t i = 0; i < g->n_nodes; i++)
        if (g->nodes[i].module == module) {
            if (s.first < 0)
                s.first = i;
            s.last = i;
        }
    if (s.last - s.first + 1 > (int32_t)(sizeof s.vid / sizeof *s.vid)) {
        snprintf(why, len, "cell %d has %d nodes, more than a NAS-Bench-101 cell makes", module, s.last - s.first + 1);
        return -1;
    }
    int ops[TB_NB101_MAXV], k = 0;
    ops[0] = -1;
    for (int32_t i = s.first; i <= s.last; i++) {
        const cb_node *nd = &g->nodes[i];
        if (nd->module != module) {
            snprintf(why, len, "the nodes of cell %d are not contiguous", module);
            return -1;
        }
        int code = op_code(pat, nd), reads_cell = 0;
        for (int32_t j = 0; j < nd->n_in; j++)
            reads_cell |= in_cell(&s, nd->in[j]);
        if (code < 0 || !reads_cell)
            continue; /* glue: a projection of the cell input reads outside the cell */
        if (++k > TB_NB101_MAXV - 2) {
            snprintf(why, len, "cell %d has more than %d operation vertices", module, TB_NB101_MAXV - 2);
            return -1;
        }
        s.vid[i - s.first] = k;
        ops[k] = code;
    }
    s.n = k + 2;
    ops[s.n - 1] = -2;
    for (int32_t i = s.first; i <= s.last; i++) {
        int v = s.vid[i - s.first];
        const cb_node *nd = &g->nodes[i];
        for (int32_t j = 0; v > 0 && j < nd->n_in; j++)
            trace(&s, nd->in[j], v, 0);
    }
    if (s.vid[s.last - s.first] > 0)
        s.adj[s.vid[s.last - s.first] * s.n + s.n - 1] = 1;
    else
        for (int32_t j = 0; j < g->nodes[s.last].n_in; j++)
            trace(&s, g->nodes[s.last].in[j], s.n - 1, 0);
    int edges = 0;
    for (int x = 0; x < s.n * s.n; x++)
        edges += s.adj[x];
    if (edges > 9) {
        snprintf(why, len, "cell %d has %d edges, NAS-Bench-101 cells at most 9", module, edges);
        return -1;
    }
    if (tb_nb101_hash(s.n, s.adj, ops, hex)) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    return 0;
}

int tb_cell_from_graph(const tb_pattern *pat, const cb_graph *g, char *hex, char *why, size_t len)
{
    int32_t cells = -1;
    for (int32_t i = 0; i < g->n_nodes; i++)
        if (g->nodes[i].module > cells)
            cells = g->nodes[i].module;
    if (cells < 0) {
        snprintf(why, len, "it has no cells (no node belongs to a module)");
        return -1;
    }
    hex[0] = '\0';
    for (int32_t m = 0; m <= cells; m++) {
        char h[33];
        if (scan_cell(pat, g, m, h, why, len))
            return -1;
        if (m > 0 && strcmp(h, hex)) {
            snprintf(why, len, "its cells differ (cell 0 is %s, cell %d %s), as NAS-Bench-101's never do", hex, m, h);
            return -1;
        }
        memcpy(hex, h, 33);
    }
    return 0;
}
