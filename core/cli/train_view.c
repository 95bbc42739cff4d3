/* core/cli/train_view.c: how `codebench train` shows progress on stderr. On a terminal, one bar
 * per epoch redrawn in place (epoch, share of its steps, running loss and accuracy, validation
 * accuracy, images per second) and left standing when the epoch ends; in a log or a pipe, one
 * plain line per epoch, so logs stay readable. */
#include "cli/train.h"

#include <unistd.h>

void cb_train_view_init(cb_train_view *v, bool quiet)
{
    v->tty = isatty(STDERR_FILENO) == 1;
    v->quiet = quiet;
    v->open_line = false;
}

static void bar(const cb_train_progress *p, FILE *out)
{
    enum { WIDTH = 24 };
    double done = p->steps > 0 ? (double)p->step / (double)p->steps : 0;
    int fill = (int)(done * WIDTH + 0.5);
    fprintf(out, "\r\033[Kepoch %d/%d [", p->epoch + (p->step < p->steps), p->epochs);
    for (int i = 0; i < WIDTH; i++)
        fputc(i < fill ? '#' : '.', out);
    fprintf(out, "] %3.0f%%  loss %.4f  acc %5.1f%%", 100 * done, p->loss, 100 * p->accuracy);
    if (p->val_accuracy >= 0)
        fprintf(out, "  val %5.1f%%", 100 * p->val_accuracy);
    fprintf(out, "  %.0f img/s", p->images_per_s);
}

void cb_train_view_progress(void *ctx, const cb_train_progress *p)
{
    cb_train_view *v = ctx;
    if (v->quiet)
        return;
    bool end = p->steps > 0 && p->step >= p->steps; /* reported after validation */
    if (v->tty) {
        bar(p, stderr);
        fputs(end ? "\n" : "", stderr);
        v->open_line = !end;
        fflush(stderr);
        return;
    }
    if (!end)
        return;
    fprintf(stderr, "epoch %d/%d: loss %.4f, accuracy %.4f", p->epoch, p->epochs, p->loss, p->accuracy);
    if (p->val_accuracy >= 0)
        fprintf(stderr, ", validation %.4f", p->val_accuracy);
    fprintf(stderr, ", %.0f images/s\n", p->images_per_s);
    fflush(stderr);
}

void cb_train_view_end(cb_train_view *v)
{
    if (v->open_line)
        fputc('\n', stderr);
    v->open_line = false;
}
