/* tests/unit/sim_util.c: see sim_util.h. */
#include "sim_util.h"

#include "host/host.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cb_plugin *find_in(const char *path, cb_kind kind, const char *name)
{
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL); /* never closed: descriptors live in it */
    cr_assert(ne(ptr, dl, NULL), "cannot load %s: %s", path, dlerror());
    cb_entry_fn entry = (cb_entry_fn)(uintptr_t)dlsym(dl, CB_ENTRY);
    cr_assert(ne(ptr, (void *)(uintptr_t)entry, NULL), "%s has no %s", path, CB_ENTRY);
    const cb_pack *pack = entry();
    cr_assert(eq(u16, pack->abi_major, CB_ABI_MAJOR));
    for (int i = 0; pack->plugins[i]; i++)
        if (pack->plugins[i]->kind == kind && strcmp(pack->plugins[i]->name, name) == 0)
            return pack->plugins[i];
    return NULL;
}

const cb_plugin *sim_plugin(cb_kind kind, const char *name)
{
    char *dir = cb_test_path("plugins/%s", kind == CB_KIND_MAC ? "mac" : "memory");
    DIR *d = opendir(dir);
    cr_assert(ne(ptr, d, NULL), "no plugin folder %s (build the plugins first)", dir);
    const cb_plugin *found = NULL;
    for (struct dirent *e; !found && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".so") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        found = find_in(path, kind, name);
    }
    closedir(d);
    cr_assert(ne(ptr, (void *)found, NULL), "no plugin '%s' in %s", name, dir);
    free(dir);
    return found;
}

static const cb_host *host(void)
{
    static cb_host *h;
    if (!h)
        h = cb_host_new("test");
    return h;
}

typedef int (*mac_create_fn)(const cb_host *, cb_error *, void **, double);

void *sim_mac(const char *name, double clock_mhz)
{
    const cb_plugin *p = sim_plugin(CB_KIND_MAC, name);
    cr_assert(p->params && p->params[0].name && !p->params[1].name &&
                  strcmp(p->params[0].name, "clock_mhz") == 0 && p->params[0].type == CB_T_REAL,
              "%s: create() is expected to take (double clock_mhz)", name);
    void *self = NULL;
    cb_error e;
    memset(&e, 0, sizeof e);
    cr_assert(eq(int, ((mac_create_fn)(uintptr_t)p->create)(host(), &e, &self, clock_mhz), CB_OK), "%s", e.msg);
    return self;
}

/* The memory plugins' create(): INT banks, ranks, channels, bus_bits; REAL clock_mhz; INT
 * t_rcd, t_cas, t_rp, t_wr, t_burst, row_bytes; REAL e_act_pj, e_rd_pj_per_bit,
 * e_wr_pj_per_bit, leak_mw_per_channel, area_mm2_per_channel. */
typedef int (*mem_create_fn)(const cb_host *, cb_error *, void **, int64_t, int64_t, int64_t, int64_t,
                             double, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, double, double,
                             double, double, double);
static const char *const MEM_SCHEMA = "banks ranks channels bus_bits clock_mhz t_rcd t_cas t_rp t_wr "
                                      "t_burst row_bytes e_act_pj e_rd_pj_per_bit e_wr_pj_per_bit "
                                      "leak_mw_per_channel area_mm2_per_channel ";

void *sim_memory(const char *name, int banks, int ranks, int channels)
{
    const cb_plugin *p = sim_plugin(CB_KIND_MEMORY, name);
    char names[1024] = "";
    double d[16];
    int n = 0;
    for (; p->params[n].name && n < 16; n++) {
        strcat(names, p->params[n].name);
        strcat(names, " ");
        d[n] = strtod(p->params[n].def, NULL);
    }
    cr_assert(eq(str, names, (char *)MEM_SCHEMA), "%s: the test's view of create() is out of date", name);
    void *self = NULL;
    cb_error e;
    memset(&e, 0, sizeof e);
    int rc = ((mem_create_fn)(uintptr_t)p->create)(host(), &e, &self, banks, ranks, channels, (int64_t)d[3], d[4],
                                                   (int64_t)d[5], (int64_t)d[6], (int64_t)d[7], (int64_t)d[8],
                                                   (int64_t)d[9], (int64_t)d[10], d[11], d[12], d[13], d[14], d[15]);
    cr_assert(eq(int, rc, CB_OK), "%s: %s", name, e.msg);
    return self;
}

const char *sim_mem_name(int type)
{
    static const char *const NAMES[CB_MEM_TYPES] = {"rram", "dram", "hbm"};
    return NAMES[type - 1];
}

cb_sim_parts sim_parts(const cb_accel_vec *v)
{
    static void *macs[2], *mems[CB_MEM_TYPES][6];
    int m = v->p_if == 16;
    if (!macs[m])
        macs[m] = sim_mac(m ? "mac16" : "mac1", 700);
    void **mem = &mems[v->mem_type - 1][v->mem_config - 1];
    if (!*mem) {
        int b, r, c;
        cr_assert(cb_mem_geometry(v->mem_type, v->mem_config, &b, &r, &c));
        *mem = sim_memory(sim_mem_name(v->mem_type), b, r, c);
    }
    return (cb_sim_parts){sim_plugin(CB_KIND_MAC, m ? "mac16" : "mac1")->vtable, macs[m],
                          sim_plugin(CB_KIND_MEMORY, sim_mem_name(v->mem_type))->vtable, *mem};
}

cb_workload sim_conv(int64_t cin, int64_t cout, int64_t h, int64_t w, int64_t k, int stride)
{
    int64_t oh = (h - 1) / stride + 1, ow = (w - 1) / stride + 1; /* 'same' padding */
    cb_workload wl = {.size = sizeof wl, .kind = CB_WL_CONV, .n_ib = 1, .n_if = cin, .n_ix = ow,
                      .n_iy = oh, .n_of = cout, .n_kx = k, .n_ky = k, .groups = 1, .n_kz = 1,
                      .out_d = 1, .stride = stride, .pad = (int32_t)(k / 2),
                      .activation = CB_ACT_RELU, .in_elems = cin * h * w, .out_elems = cout * oh * ow,
                      .weight_elems = cout * cin * k * k, .elements = cout * oh * ow, .window = (int32_t)(k * k)};
    return wl;
}

cb_workload sim_dense(int64_t in, int64_t out)
{
    cb_workload wl = {.size = sizeof wl, .kind = CB_WL_CONV, .n_ib = 1, .n_if = in, .n_ix = 1, .n_iy = 1,
                      .n_of = out, .n_kx = 1, .n_ky = 1, .groups = 1, .n_kz = 1, .out_d = 1, .stride = 1,
                      .activation = CB_ACT_RELU, .in_elems = in, .out_elems = out,
                      .weight_elems = in * out + out, .elements = out, .window = 1};
    return wl;
}

cb_sim_net sim_chain(const cb_workload *w, int n)
{
    cb_sim_net net = {n, calloc((size_t)n, sizeof(cb_sim_layer_in))};
    cr_assert(ne(ptr, net.layers, NULL));
    for (int i = 0; i < n; i++) {
        cb_sim_layer_in *L = &net.layers[i];
        snprintf(L->name, sizeof L->name, "l%d", i);
        snprintf(L->op, sizeof L->op, "test");
        L->w = w[i];
        L->n_in = 1;
        L->in[0] = i == 0 ? CB_NET_INPUT : i - 1;
        L->macs = (uint64_t)(w[i].n_if * w[i].n_of * w[i].n_ix * w[i].n_iy * w[i].n_kx * w[i].n_ky);
    }
    return net;
}

cb_sim_report sim_run(cb_simulator *s, const cb_sim_net *net, const cb_accel_vec *v, double density)
{
    cb_sim_parts p = sim_parts(v);
    cb_sim_opts o = {density, density};
    cb_sim_report r;
    char why[512];
    cr_assert(eq(int, cb_simulate(s, net, v, &p, &o, &r, why, sizeof why), CB_OK), "%s", why);
    return r;
}
