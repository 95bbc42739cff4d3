/* core/pareto/print.c: the report of `codebench pareto` (see print.h). */
#include "pareto/print.h"
#include "util/util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* How many distinct CNNs and configurations the front holds. */
static void distinct(const cb_pareto_view *v, size_t *cnns, size_t *configs)
{
    unsigned char *seen_c = cb_xcalloc((size_t)v->n_configs + 1, 1);
    unsigned char *seen_n = cb_xcalloc((size_t)v->cells->n + 1, 1);
    *cnns = *configs = 0;
    for (size_t i = 0; i < v->r->front.n; i++) {
        cb_pair_metrics m = cb_front_point(v->r, i, v->n_configs);
        *configs += !seen_c[m.config];
        *cnns += !seen_n[m.cnn];
        seen_c[m.config] = seen_n[m.cnn] = 1;
    }
    free(seen_c);
    free(seen_n);
}

static void print_config(const cb_pareto_view *v, int64_t c, FILE *out)
{
    for (int a = 0; a < v->n_axes; a++)
        fprintf(out, "%s%g", a ? "/" : "", v->configs[c * v->n_axes + a]);
}

static void print_constraints(const cb_reward *w, FILE *out)
{
    int any = 0;
    if (isfinite(w->max_lat_s))
        fprintf(out, "%slatency <= %g ms", any++ ? ", " : "", w->max_lat_s * 1e3);
    if (isfinite(w->max_area_mm2))
        fprintf(out, "%sarea <= %g mm^2", any++ ? ", " : "", w->max_area_mm2);
    if (w->min_acc > 0)
        fprintf(out, "%saccuracy >= %g", any++ ? ", " : "", w->min_acc);
    fprintf(out, "%s", any ? "" : "none");
}

static void print_space(const cb_pareto_view *v, FILE *out)
{
    const cb_enum_result *r = v->r;
    fprintf(out, "space: %s x %lld configurations of %s (", v->cnn_what,
            (long long)v->n_configs, v->accel_name);
    for (int a = 0; a < v->n_axes; a++)
        fprintf(out, "%s%s", a ? "/" : "", v->axes[a].name);
    fprintf(out, ")\n");
    fprintf(out, "pairs: %llu in %.2f s on %d thread%s (%.3g pairs/s; building and preparing CNNs "
            "%.2f s), %llu invalid, %s\n", (unsigned long long)r->pairs, r->seconds,
            r->fast ? v->threads : 1, r->fast && v->threads > 1 ? "s" : "", r->seconds > 0 ? (double)r->pairs / r->seconds : 0,
            r->prepare_seconds, (unsigned long long)r->invalid,
            r->fast ? "plugin's fast path" : "evaluate() per pair");
    if (r->dims == 3)
        fprintf(out, "ranges: accuracy %.4f..%.4f, ", r->min[CB_OBJ_ACC], r->max[CB_OBJ_ACC]);
    else
        fprintf(out, "ranges: ");
    fprintf(out, "latency %.4g..%.4g ms, area %.4g..%.4g mm^2\n", r->min[CB_OBJ_LAT] * 1e3,
            r->max[CB_OBJ_LAT] * 1e3, r->min[CB_OBJ_AREA], r->max[CB_OBJ_AREA]);
}

void cb_pareto_print(const cb_pareto_view *v, FILE *out)
{
    const cb_enum_result *r = v->r;
    size_t cnns, configs;
    distinct(v, &cnns, &configs);
    print_space(v, out);
    fprintf(out, "pareto front over (%s): %zu pairs, %zu CNNs, %zu configurations (%llu pairs "
            "reached the dominance test)\n", r->dims == 3 ? "accuracy, latency, area" : "latency, area",
            r->front.n, cnns, configs, (unsigned long long)r->offered);
    fprintf(out, "reward: w(area, latency, accuracy) = (%g, %g, %g); constraints: ", v->w->w_area,
            v->w->w_lat, v->w->w_acc);
    print_constraints(v->w, out);
    if (r->dims == 2 && (v->w->w_acc > 0 || v->w->min_acc > 0))
        fprintf(out, " (no accuracies here: the accuracy weight counts 0 and an accuracy bound "
                "excludes every pair)");
    cb_ranked *rk = cb_xmalloc((r->front.n + 1) * sizeof *rk);
    size_t n = cb_rank_front(r, v->w, v->n_configs, rk);
    fprintf(out, "\nfeasible front pairs: %zu; the best %zu by reward:\n", n, n < v->top ? n : v->top);
    fprintf(out, "  %4s %8s %9s %11s %9s %8s  %-32s %s\n", "rank", "reward", "accuracy", "latency_ms",
            "area_mm2", "cnn", "key", "configuration");
    for (size_t i = 0; i < n && i < v->top; i++) {
        cb_pair_metrics m = cb_front_point(r, rk[i].index, v->n_configs);
        char acc[32] = "-";
        if (!isnan(m.accuracy))
            snprintf(acc, sizeof acc, "%.5f", m.accuracy);
        fprintf(out, "  %4zu %8.5f %9s %11.4f %9.3f %8lld  %-32s ", i + 1, rk[i].reward, acc,
                m.latency_s * 1e3, m.area_mm2, (long long)m.cnn,
                v->cells->key ? v->cells->key[m.cnn] : "-");
        print_config(v, m.config, out);
        fputc('\n', out);
    }
    free(rk);
}

static void csv_header(const cb_pareto_view *v, FILE *f)
{
    fprintf(f, "rank,reward,feasible,accuracy,latency_ms,area_mm2,cnn,key");
    for (int a = 0; a < v->n_axes; a++)
        fprintf(f, ",%s", v->axes[a].name);
    fputc('\n', f);
}

static void csv_row(const cb_pareto_view *v, FILE *f, size_t rank, size_t index)
{
    cb_pair_metrics m = cb_front_point(v->r, index, v->n_configs);
    fprintf(f, "%zu,%.17g,%d,%.17g,%.17g,%.17g,%lld,%s", rank, cb_pair_reward(v->r, v->w, &m),
            cb_pair_feasible(v->w, &m), m.accuracy, m.latency_s * 1e3, m.area_mm2,
            (long long)m.cnn, v->cells->key ? v->cells->key[m.cnn] : "");
    for (int a = 0; a < v->n_axes; a++)
        fprintf(f, ",%.17g", v->configs[m.config * v->n_axes + a]);
    fputc('\n', f);
}

static FILE *open_in(const char *dir, const char *name, char *why, size_t len)
{
    char *path = cb_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        snprintf(why, len, "cannot write %s: %s", path, strerror(errno));
    free(path);
    return f;
}

int cb_pareto_csv(const cb_pareto_view *v, const char *dir, char *why, size_t why_len)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(why, why_len, "cannot create %s: %s", dir, strerror(errno));
        return CB_EFAIL;
    }
    FILE *front = open_in(dir, "front.csv", why, why_len), *top = NULL;
    if (front)
        top = open_in(dir, "top.csv", why, why_len);
    if (!front || !top) {
        if (front)
            fclose(front);
        return CB_EFAIL;
    }
    csv_header(v, front);
    for (size_t i = 0; i < v->r->front.n; i++)
        csv_row(v, front, 0, i);
    cb_ranked *rk = cb_xmalloc((v->r->front.n + 1) * sizeof *rk);
    size_t n = cb_rank_front(v->r, v->w, v->n_configs, rk);
    csv_header(v, top);
    for (size_t i = 0; i < n; i++)
        csv_row(v, top, i + 1, rk[i].index);
    free(rk);
    int bad = ferror(front) | ferror(top);
    bad |= fclose(front) != 0;
    bad |= fclose(top) != 0;
    if (bad) {
        snprintf(why, why_len, "writing the CSV files in %s failed", dir);
        return CB_EFAIL;
    }
    return CB_OK;
}
