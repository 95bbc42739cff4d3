/* common.c: what the std op pack's families share: the seeds' choice lists, attribute
 * decoding (activation, padding, groups), weight specs, workload and shape-error helpers. */
#include "std_ops.h"

#include <stdio.h>
#include <string.h>

/* The 100 distinct output-channel values of the released CNNBench CIFAR-10 configuration
 * (jha-lab/cnn_design-space cnnbench/configs/CIFAR10/config.yaml); the paper speaks of 98
 * values from 4 to 8256. See docs/ops.md. */
const char *const sop_channel_choices[] = {
    "4",    "6",    "8",    "10",   "12",   "14",   "16",   "18",   "20",   "22",   "24",
    "26",   "28",   "30",   "32",   "34",   "36",   "40",   "44",   "48",   "50",   "52",
    "56",   "58",   "64",   "68",   "72",   "76",   "80",   "86",   "88",   "96",   "104",
    "112",  "120",  "128",  "136",  "144",  "160",  "176",  "192",  "200",  "206",  "208",
    "224",  "232",  "240",  "256",  "272",  "288",  "304",  "320",  "336",  "344",  "352",
    "384",  "432",  "448",  "480",  "512",  "528",  "576",  "624",  "640",  "672",  "720",
    "728",  "768",  "816",  "824",  "864",  "960",  "1024", "1056", "1152", "1200", "1248",
    "1280", "1344", "1376", "1392", "1408", "1536", "1632", "1792", "1824", "1920", "2048",
    "2064", "2112", "2304", "2560", "2688", "2880", "3072", "3456", "3840", "4944", "5504",
    "8256", NULL};

const char *const sop_act_choices[] = {"relu", "silu", "none", NULL};
const char *const sop_pad_choices[] = {"same", "0", "1", "2", "3", NULL};
const char *const sop_group_choices[] = {"1", "4", "8", "16", "dw", NULL};

int sop_act(int choice)
{
    static const int acts[] = {CB_ACT_RELU, CB_ACT_SILU, CB_ACT_NONE};
    return choice >= 0 && choice < 3 ? acts[choice] : CB_ACT_NONE;
}

int sop_pad(int choice, int k)
{
    return choice <= 0 ? (k - 1) / 2 : choice - 1;
}

int sop_groups(int choice, int cin, int cout)
{
    static const int req[] = {1, 4, 8, 16};
    int g = choice >= 0 && choice < 4 ? req[choice] : cin;
    if (g < 1)
        g = 1;
    /* the seeds' model builder lowers groups until they divide both channel counts */
    while (g > 1 && (cin % g != 0 || cout % g != 0))
        g--;
    return g;
}

int sop_conv_out(int in, int k, int stride, int pad)
{
    int span = in + 2 * pad - k;
    return span < 0 ? 0 : span / stride + 1;
}

size_t sop_no_bytes(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    (void)a, (void)n_in, (void)in, (void)out;
    return 0;
}

int sop_no_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                   cb_weight *w, int max)
{
    (void)a, (void)n_in, (void)in, (void)out, (void)w, (void)max;
    return 0;
}

void sop_wl_init(cb_workload *w, int kind, int n_in, const cb_shape *in, const cb_shape *out)
{
    memset(w, 0, sizeof *w);
    w->size = sizeof *w;
    w->kind = kind;
    w->n_ib = out->n;
    w->groups = 1;
    w->n_kz = 1;
    w->out_d = out->d;
    for (int i = 0; i < n_in; i++)
        w->in_elems += cb_shape_numel(in[i]);
    w->out_elems = cb_shape_numel(*out);
    w->elements = w->out_elems;
    w->window = 1;
}

cb_weight sop_weight(const char *name, int32_t n, int32_t c, int32_t d, int32_t h, int32_t w,
                     int init, int trainable, int64_t fan_in)
{
    cb_weight r;
    memset(&r, 0, sizeof r);
    size_t len = strlen(name); /* names are chosen to fit; cut, never overrun */
    memcpy(r.name, name, len < sizeof r.name ? len : sizeof r.name - 1);
    r.shape = (cb_shape){n, c, d, h, w};
    r.init = init;
    r.trainable = trainable;
    r.fan_in = fan_in;
    return r;
}

int sop_bn_weights(cb_weight *w, int at, int max, const char *prefix, int32_t c)
{
    static const char *names[] = {"gamma", "beta", "running_mean", "running_var"};
    static const int inits[] = {CB_INIT_ONE, CB_INIT_ZERO, CB_INIT_ZERO, CB_INIT_ONE};
    for (int i = 0; i < 4 && at < max; i++, at++) {
        char name[32];
        snprintf(name, sizeof name, "%s%s", prefix, names[i]);
        /* running statistics are buffers: optimizers never touch them */
        w[at] = sop_weight(name, c, 1, 1, 1, 1, inits[i], i < 2, c);
    }
    return at;
}

int sop_shape_error(cb_error *e, const char *param, const char *op, int n_in, const cb_shape *in,
                    const char *what)
{
    char shapes[400] = "", one[64];
    size_t at = 0;
    for (int i = 0; i < n_in && at < sizeof shapes - 1; i++) {
        int k = snprintf(shapes + at, sizeof shapes - at, "%s%s", i ? ", " : "",
                         cb_shape_str(in[i], one, sizeof one));
        at += k > 0 ? (size_t)k : 0;
    }
    return cb_error_set(e, CB_EINVAL, param, "%s: %s (input%s %s)", op, what, n_in > 1 ? "s" : "",
                        shapes);
}

int sop_need_2d(cb_error *e, const char *op, const cb_shape *in)
{
    if (in->d == 1)
        return CB_OK;
    return sop_shape_error(e, NULL, op, 1, in, "takes a 2-D input (depth 1)");
}

void sop_bias_grad(const float *g, int n, int c, int64_t s, float *db)
{
    for (int ch = 0; ch < c; ch++) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
            const float *p = g + ((int64_t)i * c + ch) * s;
            float part = 0;
            for (int64_t k = 0; k < s; k++)
                part += p[k];
            acc += part;
        }
        db[ch] += (float)acc;
    }
}
