/* tests/unit/train_ckpt.c: checkpoints: a save/load round trip reproduces the logits bit for
 * bit and resumes training exactly (optimizer moments and step count included); the file is
 * the safetensors layout; truncated, mis-shaped and foreign files are refused with the file and
 * tensor named, leaving the engine untouched. */
#include "train_fixture.h"

#include <codebench/checkpoint.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cb_engine *make(const tf_graph *t, cb_engine_optim **o, uint64_t seed)
{
    cb_engine *en = NULL;
    cb_error e = {0};
    cb_engine_opts eo = {8, 2};
    cr_assert(eq(int, cb_engine_new(&t->g, tf_host(2), &eo, &en, &e), CB_OK), "%s", e.msg);
    cb_engine_init(en, seed, NULL, NULL, &e);
    cb_recipe r = {sizeof r, CB_OPT_ADAMW, 0.01, 0.9, 0.9, 0.999, 1e-3, 0, 0, 0, 1, 8, 0};
    cr_assert(eq(int, cb_engine_optim_new(en, &r, 0, o, &e), CB_OK));
    return en;
}

static void train(cb_engine *en, cb_engine_optim *o, int from, int steps)
{
    float x[8 * 16];
    int32_t y[8];
    cb_error e = {0};
    for (int s = from; s < from + steps; s++) {
        tf_fill(x, 128, (uint64_t)s);
        for (int i = 0; i < 8; i++)
            y[i] = (s + i) % 3;
        cr_assert(eq(int, cb_engine_step(en, x, y, 8, (uint64_t)s, NULL, &e), CB_OK));
        cb_engine_optim_step(o, 0.01);
    }
}

static void logits(cb_engine *en, float *out)
{
    float x[8 * 16];
    cb_error e = {0};
    tf_fill(x, 128, 1234);
    cr_assert(eq(int, cb_engine_eval(en, x, NULL, 8, out, NULL, &e), CB_OK));
}

static char *tmp_file(const char *name)
{
    char *p = NULL;
    cr_assert(ge(int, asprintf(&p, "/tmp/cb_ckpt_%ld_%s", (long)getpid(), name), 0));
    return p;
}

Test(train_ckpt, round_trip_is_bit_exact_and_resumes)
{
    tf_graph t;
    tf_small_net(&t);
    cb_engine_optim *oa, *ob;
    cb_engine *a = make(&t, &oa, 1), *b = make(&t, &ob, 2);
    train(a, oa, 0, 5);
    char *path = tmp_file("rt.safetensors");
    cb_ckpt_info info = {"abc123", 3, 5, {1, 2, 3, 0xffffffffffffffffull}, 0.625, 1}, back;
    cb_error e = {0};
    cr_assert(eq(int, cb_ckpt_save(path, a, oa, &info, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, cb_ckpt_load(path, b, ob, &back, &e), CB_OK), "%s", e.msg);
    float la[24], lb[24];
    logits(a, la);
    logits(b, lb);
    cr_assert(eq(int, memcmp(la, lb, sizeof la), 0), "logits differ after loading");
    cr_assert(eq(str, back.graph_hash, "abc123"));
    cr_assert(eq(int, back.epoch, 3));
    cr_assert(eq(i64, back.step, 5));
    cr_assert(eq(u64, back.rng[3], 0xffffffffffffffffull));
    cr_assert(eq(dbl, back.best_val, 0.625));
    cr_assert(eq(int, back.bad_epochs, 1));
    cr_assert(eq(i64, cb_engine_optim_steps(ob), 5));
    /* three more steps on each: identical weights, so the moments came back too */
    train(a, oa, 5, 3);
    train(b, ob, 5, 3);
    for (int32_t i = 0; i < cb_engine_n_weights(a); i++)
        cr_assert(eq(int, memcmp(cb_engine_weight(a, i)->data, cb_engine_weight(b, i)->data,
                                 (size_t)cb_shape_numel(cb_engine_weight(a, i)->shape) * 4), 0),
                  "weight %d differs after resuming", i);
    unlink(path);
    free(path);
    cb_engine_optim_free(oa);
    cb_engine_optim_free(ob);
    cb_engine_free(a);
    cb_engine_free(b);
}

Test(train_ckpt, file_is_safetensors)
{
    tf_graph t;
    tf_small_net(&t);
    cb_engine_optim *o;
    cb_engine *en = make(&t, &o, 1);
    char *path = tmp_file("st.safetensors");
    cb_error e = {0};
    cr_assert(eq(int, cb_ckpt_save(path, en, NULL, NULL, &e), CB_OK));
    FILE *f = fopen(path, "rb");
    uint8_t len8[8];
    cr_assert(eq(sz, fread(len8, 1, 8, f), 8));
    uint64_t hlen = 0;
    for (int k = 0; k < 8; k++)
        hlen |= (uint64_t)len8[k] << (8 * k);
    cr_assert(eq(u64, hlen % 8, 0));
    char *head = calloc(hlen + 1, 1);
    cr_assert(eq(sz, fread(head, 1, hlen, f), hlen));
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    cr_assert(eq(chr, head[0], '{'));
    cr_assert(ne(ptr, strstr(head, "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[8,16],\"data_offsets\":[0,512]}"), NULL), "%s", head);
    cr_assert(ne(ptr, strstr(head, "\"5.running_mean\""), NULL), "%s", head);
    /* weights of 16x8+8+8x8+8+8+3x8+3 floats follow the header, nothing else */
    cr_assert(eq(long, size, (long)(8 + hlen + 4 * (128 + 8 + 64 + 8 + 8 + 24 + 3))));
    float w0;
    f = fopen(path, "rb");
    fseek(f, (long)(8 + hlen), SEEK_SET);
    cr_assert(eq(sz, fread(&w0, 4, 1, f), 1));
    fclose(f);
    cr_assert(eq(flt, w0, cb_engine_weight(en, 0)->data[0]));
    unlink(path);
    free(path);
    free(head);
    cb_engine_optim_free(o);
    cb_engine_free(en);
}

Test(train_ckpt, damaged_files_are_refused)
{
    tf_graph t, wide;
    tf_small_net(&t);
    cb_engine_optim *o, *o2;
    cb_engine *en = make(&t, &o, 1);
    char *path = tmp_file("bad.safetensors"), *cut = tmp_file("cut.safetensors");
    cb_error e = {0};
    cr_assert(eq(int, cb_ckpt_save(path, en, o, NULL, &e), CB_OK));
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)size);
    cr_assert(eq(sz, fread(buf, 1, (size_t)size, f), (size_t)size));
    fclose(f);
    f = fopen(cut, "wb");
    fwrite(buf, 1, (size_t)size - 100, f);
    fclose(f);
    float before[128];
    memcpy(before, cb_engine_weight(en, 0)->data, sizeof before);
    cb_engine_init(en, 99, NULL, NULL, &e); /* different values, to see that nothing is read */
    memcpy(before, cb_engine_weight(en, 0)->data, sizeof before);
    int rc = cb_ckpt_load(cut, en, o, NULL, &e);
    cr_assert(eq(int, rc, CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, cut), NULL), "%s", e.msg);
    cr_assert(ne(ptr, strstr(e.msg, "truncated"), NULL), "%s", e.msg);
    cr_assert(eq(int, memcmp(before, cb_engine_weight(en, 0)->data, sizeof before), 0));
    /* a graph whose second dense layer is wider: shapes named in the message */
    tf_graph_init(&wide, (cb_shape){1, 1, 1, 4, 4}, 3);
    cb_value u8 = {.i = 8}, u9 = {.i = 9}, u3 = {.i = 3};
    int32_t x = CB_NET_INPUT, d0 = tf_add_node(&wide, "dense", &tf_dense, &u8, 1, 1, &x);
    int32_t d1 = tf_add_node(&wide, "dense", &tf_dense, &u9, 1, 1, &d0);
    tf_add_node(&wide, "dense", &tf_dense, &u3, 1, 1, &d1);
    cb_engine *w = make(&wide, &o2, 1);
    cr_assert(eq(int, cb_ckpt_load(path, w, NULL, NULL, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "no tensor 1.weight"), NULL), "%s", e.msg);
    f = fopen(cut, "wb");
    fwrite("\x0c\0\0\0\0\0\0\0{\"a\":{\"dtype\":", 1, 20, f); /* JSON cut short */
    fclose(f);
    cr_assert(eq(int, cb_ckpt_load(cut, en, NULL, NULL, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "bad header JSON"), NULL), "%s", e.msg);
    unlink(path);
    unlink(cut);
    free(path);
    free(cut);
    free(buf);
    cb_engine_optim_free(o);
    cb_engine_optim_free(o2);
    cb_engine_free(en);
    cb_engine_free(w);
}
