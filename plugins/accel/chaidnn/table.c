/* plugins/accel/chaidnn/table.c: the lookup table of a block of configurations: for each, its
 * area and whether it fits the device; for every operation type known so far, its latency
 * and the engine it runs on under each configuration; and the groups of configurations that
 * use the same engines for every type (the scheduler runs a group's lanes side by side).
 * Unused lanes repeat the first configuration. */
#include "chaidnn.h"

#include <string.h>

size_t ch_table_bytes(size_t n_types)
{
    return sizeof(ch_table) + n_types * CH_LANES * (sizeof(double) + 1);
}

static void fill_lane(const ch_family *f, const ch_types *t, const ch_config *c, int lane,
                      const uint8_t *used, ch_table *h, double *lat, uint8_t *eng)
{
    ch_area a;
    ch_area_of(f, c, &a);
    ch_engine e[CH_N_ENGINES];
    ch_engines(c, e);
    h->area_mm2[lane] = a.mm2;
    h->fits[lane] = a.fits;
    for (size_t i = 0; i < t->n; i++) {
        lat[i * CH_LANES + (size_t)lane] = !used || used[i] ? ch_op_seconds(f, c, e, &t->v[i]) : 0;
        eng[(size_t)lane * t->n + i] = (uint8_t)ch_engine_of(&t->v[i], c);
    }
}

void ch_table_fill(const ch_family *f, const ch_types *t, const ch_config *c, int n,
                   const uint8_t *used, void *table)
{
    ch_table *h = table;
    double *lat = (double *)(h + 1);
    uint8_t *eng = (uint8_t *)(lat + t->n * CH_LANES);
    memset(h, 0, sizeof *h);
    h->n_types = (int32_t)t->n;
    h->lanes = n;
    for (int lane = 0; lane < n; lane++)
        fill_lane(f, t, &c[lane], lane, used, h, lat, eng);
    for (int lane = n; lane < CH_LANES; lane++) { /* padding: a copy of lane 0 */
        h->area_mm2[lane] = h->area_mm2[0];
        h->fits[lane] = h->fits[0];
        for (size_t i = 0; i < t->n; i++)
            lat[i * CH_LANES + (size_t)lane] = lat[i * CH_LANES];
        memcpy(eng + (size_t)lane * t->n, eng, t->n);
    }
    for (int lane = 0; lane < CH_LANES; lane++) {
        int g = 0;
        while (g < h->n_groups &&
               memcmp(eng + (size_t)h->first[g] * t->n, eng + (size_t)lane * t->n, t->n))
            g++;
        if (g == h->n_groups)
            h->first[h->n_groups++] = lane;
        h->group_of[lane] = g;
    }
}
