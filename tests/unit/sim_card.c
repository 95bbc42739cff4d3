/* tests/unit/sim_card.c: accelerator cards (core/sim/accel_card): every card in
 * examples/accelerators loads against the real plugins, creates its instances and simulates;
 * SPRING's card is the seeds' SPRING vector; and bad cards are refused at file:line:col with a
 * message that says what is wrong. */
#include "host/host.h"
#include "sim/accel_card.h"
#include "sim_util.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cb_registry reg;

static void setup(void)
{
    cb_registry_init(&reg);
    cb_error e;
    char *dir = cb_test_path("plugins");
    cr_assert(eq(int, cb_registry_load_dir(&reg, dir, &e), CB_OK), "%s", e.msg);
    free(dir);
}

static void teardown(void) { cb_registry_free(&reg); }

TestSuite(sim_card, .init = setup, .fini = teardown);

static void destroy(cb_instance *i)
{
    cb_host *h = i->host;
    cb_instance_destroy(i);
    cb_host_free(h);
}

static void simulate_card(const char *path)
{
    cb_accel_card c;
    cb_diag d;
    char line[1024];
    cr_assert(eq(int, cb_accel_card_load(path, &reg, &c, &d), CB_OK), "%s", cb_diag_line(&d, line, sizeof line));
    cb_instance mac, mem;
    cr_assert(eq(int, cb_accel_card_create(&c, &mac, &mem, &d), CB_OK), "%s", cb_diag_line(&d, line, sizeof line));
    cb_workload w[2] = {sim_conv(3, 16, 32, 32, 3, 1), sim_dense(16 * 32 * 32, 10)};
    cb_sim_net net = sim_chain(w, 2);
    cb_simulator *s = cb_simulator_new();
    cb_sim_parts p = {mac.plugin->vtable, mac.self, mem.plugin->vtable, mem.self};
    cb_sim_report r;
    char why[512];
    cr_assert(eq(int, cb_simulate(s, &net, &c.vec, &p, &c.opts, &r, why, sizeof why), CB_OK), "%s: %s", path, why);
    cr_assert(gt(dbl, r.latency_s, 0.0));
    cr_assert(gt(dbl, r.area_mm2, 0.0));
    cb_sim_report_free(&r);
    cb_simulator_free(s);
    free(net.layers);
    destroy(&mac);
    destroy(&mem);
    cb_accel_card_free(&c);
}

Test(sim_card, every_example_card_simulates)
{
    char *dir = cb_test_src("examples/accelerators");
    DIR *d = opendir(dir);
    cr_assert(ne(ptr, d, NULL), "%s", dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        simulate_card(path);
        n++;
    }
    closedir(d);
    free(dir);
    cr_assert(ge(int, n, 9), "Table 1's nine accelerators");
}

Test(sim_card, spring_is_the_seeds_vector)
{
    char *path = cb_test_src("examples/accelerators/spring.yaml");
    cb_accel_card c;
    cb_diag d;
    cr_assert(eq(int, cb_accel_card_load(path, &reg, &c, &d), CB_OK), "%s", d.msg);
    double v[CB_ACCEL_DIM], spring[CB_ACCEL_DIM] = {2, 16, 8, 4, 8, 3, 3, 1, 12, 24, 4, 1, 1};
    cb_accel_vec_to_array(&c.vec, v);
    cr_assert(eq(int, memcmp(v, spring, sizeof v), 0));
    cr_assert(eq(dbl, c.opts.act_density, 0.5));
    cr_assert(eq(int, cb_accel_pes(&c.vec) * cb_accel_lanes(&c.vec), 64 * 72), "Table 1: 64 PEs x 72 MAC units");
    cr_assert(eq(str, c.mac.name, "mac16"));
    cb_accel_card_free(&c);
    free(path);
}

static const char *GOOD =
    "name: t\n"
    "vector: {p_ib: 2, p_if: 16, p_ix: 8, p_iy: 4, p_of: 8, p_kx: 3, p_ky: 3, batch: 1,\n"
    "         act_buffer_mb: 12, weight_buffer_mb: 24, mask_buffer_mb: 4,\n"
    "         memory_type: 1, memory_config: 1}\n"
    "mac: {plugin: mac16, params: {clock_mhz: 700}}\n"
    "memory: {plugin: rram}\n";

/* GOOD with `from` replaced by `to`, loaded: the first line of the diagnostic must be
 * "<file>:<expect>". */
static void refused(const char *from, const char *to, const char *expect)
{
    char text[2048], path[] = "/tmp/cb_card_XXXXXX";
    const char *at = strstr(GOOD, from);
    cr_assert(ne(ptr, (void *)at, NULL), "the good card has no '%s'", from);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - GOOD), GOOD, to, at + strlen(from));
    int fd = mkstemp(path);
    cr_assert(ge(int, fd, 0));
    cr_assert(eq(sz, (size_t)write(fd, text, strlen(text)), strlen(text)));
    close(fd);
    cb_accel_card c;
    cb_diag d;
    char line[1024], want[1024];
    cr_assert(eq(int, cb_accel_card_load(path, &reg, &c, &d), CB_EINVAL), "'%s' was accepted", to);
    snprintf(want, sizeof want, "%s:%s", path, expect);
    cr_assert(eq(str, (char *)cb_diag_line(&d, line, sizeof line), want));
    cb_accel_card_free(&c);
    unlink(path);
}

Test(sim_card, bad_cards_are_refused_at_their_place)
{
    refused("p_ix: 8", "p_ix: 12", "2:35: p_ix = 12 is not in the AccelBench space (Table 2: 1, 2, 3, 4, 5, 6, 7, 8)");
    refused("p_ky: 3", "p_ky: 5", "2:71: p_ky = 5 differs from p_kx = 3: the space has P_kx = P_ky (a PE's MAC "
                                  "lanes unroll a square kernel window)");
    refused("memory_type: 1, memory_config: 1", "memory_type: 2, memory_config: 5",
            "4:41: memory_config = 5 does not exist for memory type 2 (configurations 1..4, Table 2)");
    refused("memory_type: 1", "memory_type: 4", "4:23: memory_type must be 1 (monolithic 3D RRAM), 2 (off-chip "
                                                "DRAM) or 3 (HBM)");
    /* a whole number too big for an int (fuzz/accel_card.c found the overflow) */
    refused("memory_type: 1", "memory_type: 3e300", "4:23: memory_type must be 1 (monolithic 3D RRAM), 2 "
                                                    "(off-chip DRAM) or 3 (HBM)");
    refused("batch: 1", "batch: 1.5", "2:81: batch must be a whole number");
    refused("batch: 1,", "", "2:9: vector: missing required key 'batch'");
    refused("mask_buffer_mb: 4", "mask_buffer_mb: \"4\"", "3:67: mask_buffer_mb: expected a number, got '4'");
    refused("name: t\nvector", "name: t\nvectr", "2:1: unknown key 'vectr' (did you mean 'vector'?)");
    refused("clock_mhz: 700", "clok_mhz: 700", "5:31: plugin 'mac16' has no parameter 'clok_mhz' (did you mean "
                                               "'clock_mhz'?)");
    refused("clock_mhz: 700", "clock_mhz: fast", "5:42: plugin 'mac16': parameter 'clock_mhz': expected a number, "
                                                 "got 'fast'");
    refused("{plugin: rram}", "{plugin: rram, params: {banks: 8}}",
            "6:33: memory plugin 'rram': 'banks' is set by the vector's memory_type and memory_config");
    refused("plugin: mac16", "plugin: mac17", "5:15: unknown mac plugin 'mac17' (did you mean 'mac1'?)");
}

Test(sim_card, a_mac_without_p_if_multipliers_is_refused_at_simulation)
{
    char text[2048], path[] = "/tmp/cb_card_XXXXXX";
    const char *from = "plugin: mac16, params: {clock_mhz: 700}", *at = strstr(GOOD, from);
    snprintf(text, sizeof text, "%.*splugin: mac1%s", (int)(at - GOOD), GOOD, at + strlen(from));
    int fd = mkstemp(path);
    cr_assert(eq(sz, (size_t)write(fd, text, strlen(text)), strlen(text)));
    close(fd);
    cb_accel_card c;
    cb_diag d;
    cr_assert(eq(int, cb_accel_card_load(path, &reg, &c, &d), CB_OK), "%s", d.msg);
    cb_instance mac, mem;
    cr_assert(eq(int, cb_accel_card_create(&c, &mac, &mem, &d), CB_OK), "%s", d.msg);
    cb_workload w = sim_conv(8, 8, 8, 8, 3, 1);
    cb_sim_net net = sim_chain(&w, 1);
    cb_simulator *s = cb_simulator_new();
    cb_sim_parts p = {mac.plugin->vtable, mac.self, mem.plugin->vtable, mem.self};
    cb_sim_report r;
    char why[512];
    cr_assert(eq(int, cb_simulate(s, &net, &c.vec, &p, &c.opts, &r, why, sizeof why), CB_EINVAL));
    cr_assert(eq(str, why, "p_if = 16 but the MAC plugin's lane has 1 multipliers"));
    cb_simulator_free(s);
    free(net.layers);
    destroy(&mac);
    destroy(&mem);
    cb_accel_card_free(&c);
    unlink(path);
}
