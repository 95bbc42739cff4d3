/* plugins/trainers/pytorch/pytorch_job.c: the job file the training script reads: the graph
 * (every vertex's op, its attributes by name and typed as the op's schema says, its inputs,
 * input and output shapes, and the weight tensors its op lists), the recipe, the training
 * options, the data (format, location, counts, index files, normalization), the paths of the
 * initial and trained weights, and of a probe image with the logits the op pack gives for it.
 * The format is private to this pack and its script. */
#include "pytorch.h"

#include <codebench/recipe.h>
#include <codebench/sdk.h>

#include <errno.h>
#include <string.h>

static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(f, "\\u%04x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

/* Shapes travel as [c, d, h, w] (n is the batch, 1 in a cb_graph). */
static void jshape(FILE *f, cb_shape s)
{
    fprintf(f, "[%d,%d,%d,%d]", s.c, s.d, s.h, s.w);
}

static void jvalue(FILE *f, const cb_param *a, cb_value v)
{
    switch (a->type) {
    case CB_T_INT:
        fprintf(f, "%lld", (long long)v.i);
        break;
    case CB_T_REAL:
        fprintf(f, "%.17g", v.r);
        break;
    case CB_T_BOOL:
        fputs(v.b ? "true" : "false", f);
        break;
    case CB_T_ENUM: /* by name: the script never depends on the order of choices */
        jstr(f, a->choices && v.e >= 0 ? a->choices[v.e] : "");
        break;
    default:
        jstr(f, v.s);
    }
}

static cb_shape input_shape(const cb_graph *g, int32_t j)
{
    return j == CB_NET_INPUT ? g->input : g->nodes[j].out;
}

static void jnode(FILE *f, const cb_graph *g, const cb_engine *en, int32_t v)
{
    const cb_node *n = &g->nodes[v];
    fputs("{\"op\":", f);
    jstr(f, n->op);
    fputs(",\"in\":[", f);
    for (int32_t j = 0; j < n->n_in; j++)
        fprintf(f, "%s%d", j ? "," : "", n->in[j] < 0 ? -1 : n->in[j]);
    fputs("],\"in_shapes\":[", f);
    for (int32_t j = 0; j < n->n_in; j++) {
        fputs(j ? "," : "", f);
        jshape(f, input_shape(g, n->in[j]));
    }
    fputs("],\"out\":", f);
    jshape(f, n->out);
    fputs(",\"attrs\":{", f);
    for (int k = 0; n->vt->attrs && n->vt->attrs[k].name; k++) {
        fputs(k ? "," : "", f);
        jstr(f, n->vt->attrs[k].name);
        fputc(':', f);
        jvalue(f, &n->vt->attrs[k], n->attrs[k]);
    }
    fputs("},\"weights\":[", f);
    int first = 1;
    for (int32_t i = 0; i < cb_engine_n_weights(en); i++) {
        int32_t node;
        const cb_weight *w = cb_engine_weight_spec(en, i, &node);
        if (node != v)
            continue;
        fputs(first ? "{\"name\":" : ",{\"name\":", f);
        first = 0;
        jstr(f, w->name);
        fprintf(f, ",\"shape\":[%d,%d,%d,%d,%d],\"trainable\":%s}", w->shape.n, w->shape.c,
                w->shape.d, w->shape.h, w->shape.w, w->trainable ? "true" : "false");
    }
    fputs("]}", f);
}

static void jgraph(FILE *f, const cb_graph *g, const cb_engine *en)
{
    fputs("\"graph\":{\"name\":", f);
    if (g->name)
        jstr(f, g->name);
    else
        fputs("null", f);
    fputs(",\"hash\":", f);
    jstr(f, g->hash);
    fputs(",\"input\":", f);
    jshape(f, g->input);
    fprintf(f, ",\"classes\":%d,\"nodes\":[", g->classes);
    for (int32_t v = 0; v < g->n_nodes; v++) {
        fputs(v ? ",\n" : "\n", f);
        jnode(f, g, en, v);
    }
    fputs("]}", f);
}

static void jrecipe(FILE *f, const pt *p, const cb_recipe *r, uint64_t seed)
{
    fputs(",\n\"recipe\":{\"optimizer\":", f);
    jstr(f, cb_optimizer_names[r->optimizer]);
    fprintf(f, ",\"lr\":%.17g,\"momentum\":%.17g,\"nesterov\":%s,\"beta1\":%.17g,\"beta2\":%.17g,"
               "\"weight_decay\":%.17g,\"schedule\":",
            r->lr, r->momentum, p->cfg.nesterov ? "true" : "false", r->beta1, r->beta2, r->weight_decay);
    jstr(f, cb_schedule_names[r->schedule]);
    fprintf(f, ",\"gamma\":%.17g,\"step_epochs\":%d,\"epochs\":%d,\"batch\":%d}", r->gamma,
            r->step_epochs, r->epochs, r->batch);
    static const char *const devices[] = {"cpu", "cuda", "auto"};
    int64_t threads = p->cfg.threads > 0 ? p->cfg.threads : p->h->threads(p->h);
    /* torch.manual_seed takes 64 bits, signed or not: keep it positive */
    fprintf(f, ",\n\"train\":{\"seed\":%llu,\"device\":\"%s\",\"threads\":%lld,\"augment\":%s,"
               "\"crop_pad\":%lld,\"flip\":%s,\"patience\":%lld}",
            (unsigned long long)(seed >> 1), devices[p->cfg.device], (long long)threads,
            p->cfg.augment ? "true" : "false", (long long)p->cfg.crop_pad,
            p->cfg.flip ? "true" : "false", (long long)p->cfg.patience);
}

static void jdata(FILE *f, const pt *p)
{
    static const char *const formats[] = {"idx", "cifar10", "cifar100", "raw"};
    const pt_data *d = &p->data;
    fputs(",\n\"data\":{\"format\":", f);
    jstr(f, formats[p->cfg.format]);
    fputs(",\"path\":", f);
    jstr(f, p->cfg.path);
    fprintf(f, ",\"channels\":%d,\"height\":%d,\"width\":%d,\"classes\":%d,\"train_images\":%lld,"
               "\"test_images\":%lld,\"train_index\":",
            d->c, d->h, d->w, d->classes, (long long)d->train_images, (long long)d->test_images);
    jstr(f, d->train_idx);
    fputs(",\"val_index\":", f);
    jstr(f, d->val_idx);
    fputs(",\"test_index\":", f);
    jstr(f, d->test_idx);
    fputs(",\"mean\":[", f);
    for (int c = 0; c < d->c; c++)
        fprintf(f, "%s%.9g", c ? "," : "", d->mean[c]);
    fputs("],\"std\":[", f);
    for (int c = 0; c < d->c; c++)
        fprintf(f, "%s%.9g", c ? "," : "", d->std[c]);
    fputs("],\"raw\":{\"train_pixels\":", f);
    jstr(f, d->raw[0]);
    fputs(",\"train_labels\":", f);
    jstr(f, d->raw[1]);
    fputs(",\"test_pixels\":", f);
    jstr(f, d->raw[2]);
    fputs(",\"test_labels\":", f);
    jstr(f, d->raw[3]);
    fputs("}}", f);
}

int pt_job_write(const pt *p, const char *path, const cb_graph *g, const cb_engine *en,
                 const cb_recipe *r, uint64_t seed, const pt_files *files, cb_error *e)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return p->h->fail(p->h, e, CB_EFAIL, NULL, "%s: cannot write: %s", path, strerror(errno));
    fputs("{\"format\":\"codebench-torch-job\",\"version\":1,\n", f);
    jgraph(f, g, en);
    jrecipe(f, p, r, seed);
    jdata(f, p);
    fputs(",\n\"init\":", f);
    jstr(f, files->init);
    fputs(",\"output\":", f);
    jstr(f, files->out);
    fputs(",\"probe\":", f);
    jstr(f, files->probe);
    fputs(",\"probe_logits\":", f);
    jstr(f, files->probe_logits);
    fputs("}\n", f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return p->h->fail(p->h, e, CB_EFAIL, NULL, "%s: cannot write: %s", path, strerror(errno));
    return CB_OK;
}
