/* plugins/trainers/native/native_epoch.c: one training epoch (shuffle, batches with optional
 * augmentation, a scheduled learning rate, progress reports, cancellation between steps) and
 * the evaluation of a data set. */
#include "native.h"

#include <codebench/sdk.h>

#include <math.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A fresh permutation from the generator alone, so a resumed run continues the same order. */
static void shuffle(int64_t *perm, int64_t n, cb_rng *rng)
{
    for (int64_t i = 0; i < n; i++)
        perm[i] = i;
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)cb_rng_below(rng, (uint64_t)(i + 1));
        int64_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

/* Progress with the running figures of the epoch (run->loss, run->accuracy). */
void native_report(native_run *run, int64_t step, int64_t steps, double ips)
{
    const cb_train_job *job = run->job;
    if (!job->progress)
        return;
    cb_train_progress p = {sizeof p, run->epoch, run->r.epochs, step, steps, run->loss,
                           run->accuracy, run->val_acc, ips};
    job->progress(job->progress_ctx, &p);
}

/* Dropout masks differ every step and follow the step count, so a resumed run repeats them. */
static uint64_t step_seed(const native_run *run)
{
    uint64_t x = run->step_seed ^ (uint64_t)cb_engine_optim_steps(run->opt);
    return cb_splitmix64(&x);
}

static int cancelled(native_run *run, cb_error *e)
{
    const cb_host *h = run->nt->h;
    if (!h->cancelled(h))
        return CB_OK;
    return h->fail(h, e, CB_ECANCEL, NULL, "training stopped at epoch %d on request", run->epoch + 1);
}

int native_epoch(native_run *run, cb_error *e)
{
    native *nt = run->nt;
    const cb_dataset *d = &nt->data.train;
    int64_t n = d->n, batch = run->r.batch, steps = (n + batch - 1) / batch;
    int64_t every = steps / 20 > 0 ? steps / 20 : 1, seen = 0, correct = 0;
    cb_augment aug = {(int32_t)nt->cfg.crop_pad, nt->cfg.flip};
    double loss = 0, t0 = now();
    shuffle(run->perm, n, &run->order);
    for (int64_t s = 0; s < steps; s++) {
        int rc = cancelled(run, e);
        if (rc)
            return rc;
        int32_t rows = (int32_t)(n - s * batch < batch ? n - s * batch : batch);
        cb_dataset_batch(d, run->perm + s * batch, rows, nt->data.mean, nt->data.std,
                         nt->cfg.augment ? &aug : NULL, &run->order, run->x, run->y);
        cb_engine_stats st;
        rc = cb_engine_step(run->en, run->x, run->y, rows, step_seed(run), &st, e);
        if (rc)
            return rc;
        if (!isfinite(st.loss)) { /* diverged: further steps only spread NaN through the weights */
            nt->h->log(nt->h, CB_LOG_WARN, "loss is not finite at epoch %d step %lld: training stopped",
                       run->epoch + 1, (long long)s);
            run->stop = 1;
            break;
        }
        cb_engine_optim_step(run->opt, cb_engine_lr(&run->r, run->epoch + (double)s / (double)steps));
        loss += st.loss;
        correct += st.correct;
        seen += rows;
        run->loss = loss / seen;
        run->accuracy = (double)correct / seen;
        if ((s + 1) % every == 0 && s + 1 < steps) /* the last step reports after validation */
            native_report(run, s + 1, steps, seen / (now() - t0));
    }
    run->train_seconds += now() - t0;
    run->train_images += seen;
    run->loss = seen ? loss / seen : NAN;
    run->accuracy = seen ? (double)correct / seen : 0;
    return CB_OK;
}

int native_evaluate(native_run *run, const cb_dataset *d, double *accuracy, double *loss,
                    cb_error *e)
{
    native *nt = run->nt;
    int64_t batch = run->r.batch, correct = 0;
    double sum = 0;
    for (int64_t at = 0; at < d->n; at += batch) {
        int rc = cancelled(run, e);
        if (rc)
            return rc;
        int32_t rows = (int32_t)(d->n - at < batch ? d->n - at : batch);
        for (int32_t i = 0; i < rows; i++)
            run->perm[i] = at + i;
        cb_dataset_batch(d, run->perm, rows, nt->data.mean, nt->data.std, NULL, NULL, run->x, run->y);
        cb_engine_stats st;
        rc = cb_engine_eval(run->en, run->x, run->y, rows, NULL, &st, e);
        if (rc)
            return rc;
        sum += st.loss;
        correct += st.correct;
    }
    *accuracy = d->n ? (double)correct / (double)d->n : 0;
    if (loss)
        *loss = d->n ? sum / (double)d->n : 0;
    return CB_OK;
}
