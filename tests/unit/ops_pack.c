/* tests/unit/ops_pack.c: the std op pack as a whole: the ops it carries, their descriptors and
 * attribute schemas (checked by the core's own lint), the cost ranks that order them by
 * computational complexity, and a .so that exports codebench_plugins and nothing else. */
#include "ops_util.h"

#include "plugin/registry.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const all_ops[] = {
    "conv2d",  "dwsconv2d", "conv3d", "conv_transpose2d", "batchnorm", "relu",
    "silu",    "maxpool",   "avgpool", "global_avgpool", "channel_shuffle", "dropout",
    "upsample", "flatten",  "dense",  "add",            "concat",          NULL};

static const cb_plugin *find(const char *name)
{
    const cb_pack *p = ops_pack();
    for (int i = 0; p->plugins[i]; i++)
        if (strcmp(p->plugins[i]->name, name) == 0)
            return p->plugins[i];
    return NULL;
}

Test(ops_pack, every_op_is_a_stateless_op_plugin_with_a_clean_schema)
{
    int n = 0;
    for (const cb_plugin *const *pl = ops_pack()->plugins; *pl; pl++)
        n++;
    cr_assert(eq(int, n, 17));
    for (int i = 0; all_ops[i]; i++) {
        const cb_plugin *p = find(all_ops[i]);
        cr_assert(ne(ptr, (void *)p, NULL), "no op %s", all_ops[i]);
        cr_assert(eq(int, p->kind, CB_KIND_OP));
        cr_assert(eq(ptr, (void *)(uintptr_t)p->create, NULL));
        const cb_op_vt *vt = p->vtable;
        cr_assert(eq(u32, vt->size, (uint32_t)sizeof(cb_op_vt)));
        cr_assert(vt->infer && vt->count && vt->workload && vt->weights && vt->state_size &&
                  vt->workspace_size && vt->forward && vt->backward);
        char why[300] = "";
        cr_assert(eq(int, cb_schema_lint(vt->attrs, why, sizeof why), CB_OK), "%s: %s", p->name, why);
        /* a design-space attribute says which values the space holds */
        for (int k = 0; vt->attrs && vt->attrs[k].name; k++)
            if (vt->attrs[k].flags & CB_P_SPACE)
                cr_assert(ne(ptr, (void *)vt->attrs[k].choices, NULL), "%s.%s", p->name,
                          vt->attrs[k].name);
    }
}

Test(ops_pack, seeds_design_space_values)
{
    const cb_op_vt *vt = find("conv2d")->vtable;
    int k = cb_param_index(vt->attrs, "channels");
    int n = 0;
    while (vt->attrs[k].choices[n])
        n++;
    cr_assert(eq(int, n, 100));
    cr_assert(eq(str, (char *)vt->attrs[k].choices[0], "4"));
    cr_assert(eq(str, (char *)vt->attrs[k].choices[n - 1], "8256"));
    k = cb_param_index(vt->attrs, "kernel");
    cr_assert(eq(str, (char *)vt->attrs[k].choices[4], "11"));
    vt = find("upsample")->vtable;
    k = cb_param_index(vt->attrs, "size");
    cr_assert(eq(str, (char *)vt->attrs[k].choices[7], "800"));
}

Test(ops_pack, cost_ranks_follow_computational_complexity)
{
    const char *order[] = {"flatten", "dropout", "relu", "channel_shuffle", "silu", "add",
                           "concat", "maxpool", "avgpool", "global_avgpool", "batchnorm",
                           "upsample", "dense", "dwsconv2d", "conv2d", "conv_transpose2d",
                           "conv3d"};
    int prev = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int rank = ((const cb_op_vt *)find(order[i])->vtable)->cost_rank;
        cr_assert(gt(int, rank, prev), "%s rank %d", order[i], rank);
        prev = rank;
    }
}

Test(ops_pack, exports_only_the_entry_point)
{
    char *path = cb_test_path("plugins/ops/std.so"), cmd[4200], line[512];
    snprintf(cmd, sizeof cmd, "nm -D --defined-only '%s' 2>/dev/null", path);
    FILE *f = popen(cmd, "r");
    cr_assert(ne(ptr, f, NULL));
    int symbols = 0, entry = 0;
    while (fgets(line, sizeof line, f)) {
        symbols++;
        entry += strstr(line, " " CB_ENTRY) != NULL;
    }
    int rc = pclose(f);
    if (rc != 0 && symbols == 0)
        cr_skip_test("nm is not available");
    cr_assert(eq(int, symbols, 1), "%s exports %d symbols", path, symbols);
    cr_assert(eq(int, entry, 1));
    free(path);
}
