/* core/report/report_errors.c: the failures section's data: failed and infeasible rows grouped
 * by (status, error text), most frequent first. */
#include "report/report.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static const cb_eval_row *sort_rows;

static int by_status_error_id(const void *x, const void *y)
{
    const cb_eval_row *a = &sort_rows[*(const size_t *)x], *b = &sort_rows[*(const size_t *)y];
    if (a->status != b->status)
        return a->status < b->status ? -1 : 1;
    int c = strcmp(a->error, b->error);
    if (c)
        return c;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int by_count(const void *x, const void *y)
{
    const cb_report_error *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return a->first_id < b->first_id ? -1 : a->first_id > b->first_id;
}

/* Sorting the failed rows by (status, error) makes each group contiguous, so grouping is
 * O(n log n) even when every error text differs. */
void cb_report_group_errors(cb_report *r)
{
    size_t *idx = cb_xmalloc((r->n_rows + 1) * sizeof *idx), n = 0;
    for (size_t i = 0; i < r->n_rows; i++)
        if (r->rows[i].status == CB_ROW_FAILED || r->rows[i].status == CB_ROW_INFEASIBLE)
            idx[n++] = i;
    sort_rows = r->rows;
    qsort(idx, n, sizeof *idx, by_status_error_id);
    r->errors = cb_xmalloc((n + 1) * sizeof *r->errors);
    r->n_errors = 0;
    for (size_t j = 0; j < n; j++) {
        const cb_eval_row *row = &r->rows[idx[j]];
        cb_report_error *last = r->n_errors ? &r->errors[r->n_errors - 1] : NULL;
        if (last && last->status == row->status && strcmp(last->text, row->error) == 0) {
            last->count++;
            continue;
        }
        r->errors[r->n_errors++] = (cb_report_error){row->status, row->error, 1, row->id};
    }
    qsort(r->errors, r->n_errors, sizeof *r->errors, by_count);
    free(idx);
}
