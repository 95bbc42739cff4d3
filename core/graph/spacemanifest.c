/* core/graph/spacemanifest.c: the module space a manifest's cnn section describes (cnn.ops,
 * cnn.module, cnn.stacks, cnn.head.max_vertices; docs/manifest.md). A manifest names the
 * module ops only, so the space has modules but no networks (no head ops, no glue): counting
 * and sampling modules work, building networks needs a space file (graph/spacefile.h). */
#include "graph/spacemanifest.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static int add_op(cb_modspace *sp, const cb_plugin_ref *ref, char *why, size_t len)
{
    const cb_plugin *p = ref->entry->plugin;
    cb_opchoice c;
    if (cb_opchoice_init(&c, p->name, p->vtable, true, why, len)) {
        cb_opchoice_free(&c);
        return CB_EINVAL;
    }
    for (size_t a = 0; a < ref->n_attrs && (int)a < c.n_attrs; a++)
        if (ref->attrs[a].n > 0) /* narrowed in the manifest */
            cb_opchoice_set(&c, (int)a, ref->attrs[a].v, (int)ref->attrs[a].n);
    cb_opset_add(&sp->ops, &c);
    return CB_OK;
}

int cb_modspace_from_manifest(const cb_manifest *m, cb_modspace *sp, char *why, size_t len)
{
    const cb_manifest_cnn *cnn = &m->cnn;
    memset(sp, 0, sizeof *sp);
    cb_vocab_init(&sp->voc);
    sp->name = cb_xstrdup(m->name ? m->name : "manifest");
    sp->input = (cb_shape){1, (int32_t)cnn->input.channels, 1, (int32_t)cnn->input.height, (int32_t)cnn->input.width};
    sp->classes = (int32_t)cnn->classes;
    sp->algo = CB_HASH_SHA256;
    sp->max_vertices = (int)cnn->module.max_vertices;
    sp->max_edges = (int)cnn->module.max_edges;
    sp->max_modules = (int)cnn->stacks.max_modules;
    sp->head_max = (int)cnn->head.max_vertices;
    for (size_t i = 0; i < cnn->stacks.levels.n && i < CB_MAX_LEVELS; i++)
        sp->levels[sp->n_levels++] = (int)cnn->stacks.levels.v[i].i;
    for (size_t i = 0; i < cnn->ops.n; i++)
        if (add_op(sp, &cnn->ops.v[i], why, len)) {
            cb_modspace_free(sp);
            return CB_EINVAL;
        }
    if (sp->head_max < 4) /* the head needs input, flatten, classifier, output */
        sp->head_max = 4;
    if (cb_modspace_ready(sp)) {
        snprintf(why, len, "cnn: the module limits leave no modules");
        cb_modspace_free(sp);
        return CB_EINVAL;
    }
    return CB_OK;
}
