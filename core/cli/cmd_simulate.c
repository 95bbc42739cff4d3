/* core/cli/cmd_simulate.c: `codebench simulate --model CARD --accel ACCEL`: one CNN (a model
 * card) on one accelerator (an accelerator card) through AccelBench (core/sim): latency,
 * area, dynamic and leakage energy, throughput, EDP, and with --layers every layer's cycles. */
#include "cli/commands.h"
#include "cnn/net.h"
#include "host/host.h"
#include "sim/accel_card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: codebench simulate --model CARD --accel ACCEL [--layers] [--plugin-path DIR]...\n\n"
                 "Simulates one batch of the model card's CNN on the accelerator card's accelerator\n"
                 "(examples/accelerators/) and prints latency, area, dynamic and leakage energy,\n"
                 "throughput and EDP; --layers adds a row per layer (docs/accelbench.md).\n");
}

typedef struct opts {
    const char *model, *accel, *path[16];
    size_t n_path;
    int layers;
} opts;

static int parse(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        bool more = i + 1 < argc;
        if (strcmp(argv[i], "--model") == 0 && more)
            o->model = argv[++i];
        else if (strcmp(argv[i], "--accel") == 0 && more)
            o->accel = argv[++i];
        else if (strcmp(argv[i], "--plugin-path") == 0 && more && o->n_path < 16)
            o->path[o->n_path++] = argv[++i];
        else if (strcmp(argv[i], "--layers") == 0)
            o->layers = 1;
        else
            return -1;
    }
    return o->model && o->accel ? 0 : -1;
}

static void print_vector(const cb_accel_card *c)
{
    const cb_accel_vec *v = &c->vec;
    printf("accelerator %s: [%d, %d, %d, %d, %d, %d, %d, %d, %g, %g, %g, %d, %d] "
           "(%d PEs x %d MAC lanes x %d multipliers; %s, %s)\n",
           c->name, v->p_ib, v->p_if, v->p_ix, v->p_iy, v->p_of, v->p_kx, v->p_ky, v->batch, v->act_mb,
           v->wgt_mb, v->mask_mb, v->mem_type, v->mem_config, cb_accel_pes(v), cb_accel_lanes(v),
           v->p_if, c->mac.name, c->memory.name);
}

static void print_layers(const cb_net *net, const cb_sim_report *r)
{
    printf("\n  %-4s %-14s %-16s %12s %12s %12s %12s %10s %12s\n", "#", "LAYER", "OP", "CYCLES",
           "COMPUTE", "STALL", "RELOAD", "PASS", "DYN (uJ)");
    for (int i = 0; i < r->n_layers; i++) {
        const cb_sim_layer_out *L = &r->layers[i];
        printf("  %-4d %-14s %-16s %12.0f %12.0f %12.0f %12.0f %10.0f %12.3f\n", i + 1, net->names[i],
               net->nodes[i].op, L->cycles, L->compute_cycles, L->stall_cycles, L->reload_cycles,
               L->pass_cycles, L->dyn_energy_j * 1e6);
    }
}

static void print_totals(const cb_accel_card *c, const cb_sim_report *r)
{
    printf("\n  latency          %.6g ms for a batch of %d (%.0f cycles at %g MHz)\n", r->latency_s * 1e3,
           c->vec.batch, r->cycles, r->clock_mhz);
    printf("    compute        %.0f cycles; memory stalls %.0f (of which buffer reloads %.0f); "
           "passes %.0f; pipeline fill %.0f\n",
           r->compute_cycles, r->stall_cycles, r->reload_cycles, r->pass_cycles, r->fill_cycles);
    printf("  area             %.4g mm^2 (", r->area_mm2);
    for (int i = 0; i < CB_AREA_PARTS; i++)
        printf("%s%s %.3g", i ? ", " : "", cb_sim_area_part(i), r->area_by[i]);
    printf(")\n  dynamic energy   %.6g mJ (compute %.4g, main memory %.4g, buffers %.4g, DMA %.4g)\n",
           r->dyn_energy_j * 1e3, r->dyn_compute_j * 1e3, r->dyn_memory_j * 1e3, r->dyn_buffer_j * 1e3,
           r->dyn_dma_j * 1e3);
    printf("  leakage energy   %.6g mJ\n  throughput       %.6g images/s\n  EDP              %.6g J s\n",
           r->leak_energy_j * 1e3, r->throughput_fps, r->edp);
    printf("  main memory      %.6g MB moved, %llu row hits, %llu row misses\n", r->mem_bytes / 1048576.0,
           (unsigned long long)r->row_hits, (unsigned long long)r->row_misses);
}

static int simulate(const opts *o, cb_net *net, cb_accel_card *c)
{
    cb_instance mac, mem;
    cb_diag d;
    if (cb_accel_card_create(c, &mac, &mem, &d)) {
        cb_diag_print(&d, stderr);
        return CB_EXIT_USAGE;
    }
    char why[512];
    cb_sim_net sn;
    cb_sim_report r;
    int rc = cb_sim_net_from_graph(&net->g, &sn, why, sizeof why);
    if (rc == CB_OK) {
        cb_simulator *s = cb_simulator_new();
        cb_sim_parts parts = {mac.plugin->vtable, mac.self, mem.plugin->vtable, mem.self};
        rc = cb_simulate(s, &sn, &c->vec, &parts, &c->opts, &r, why, sizeof why);
        cb_simulator_free(s);
        cb_sim_net_free(&sn);
    }
    if (rc == CB_OK) {
        printf("model %s (%d layers, %.4g G MACs per image) on ", net->name, net->g.n_nodes, (double)net->macs / 1e9);
        print_vector(c);
        if (o->layers)
            print_layers(net, &r);
        print_totals(c, &r);
        cb_sim_report_free(&r);
    } else {
        fprintf(stderr, "codebench simulate: %s\n", why);
    }
    cb_host *hosts[2] = {mac.host, mem.host};
    cb_instance_destroy(&mac);
    cb_instance_destroy(&mem);
    cb_host_free(hosts[0]);
    cb_host_free(hosts[1]);
    return rc == CB_OK ? CB_EXIT_OK : rc == CB_EINVAL ? CB_EXIT_USAGE : CB_EXIT_FAIL;
}

int cb_cmd_simulate(int argc, char **argv)
{
    opts o;
    if (cb_cli_wants_help(argc, argv)) {
        usage(stdout);
        return CB_EXIT_OK;
    }
    if (parse(argc, argv, &o)) {
        usage(stderr);
        return CB_EXIT_USAGE;
    }
    cb_registry reg;
    cb_registry_init(&reg);
    cb_error e;
    memset(&e, 0, sizeof e);
    int rc = CB_EXIT_USAGE;
    if (cb_registry_load_default(&reg, o.path, o.n_path, &e)) {
        fprintf(stderr, "codebench simulate: %s\n", e.msg);
        cb_registry_free(&reg);
        return CB_EXIT_USAGE;
    }
    cb_net net;
    cb_accel_card card;
    cb_diag d;
    memset(&net, 0, sizeof net);
    memset(&card, 0, sizeof card);
    if (cb_net_load_card(o.model, &reg, &net, &d) || cb_accel_card_load(o.accel, &reg, &card, &d))
        cb_diag_print(&d, stderr);
    else
        rc = simulate(&o, &net, &card);
    cb_accel_card_free(&card);
    cb_net_free(&net);
    cb_registry_free(&reg);
    return rc;
}
