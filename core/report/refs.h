/* core/report/refs.h: the report's reference pairs: published CNNs on published accelerators
 * that the manifest lists under output.references (docs/reports.md, "Reference pairs").
 *
 * Owns: finding the manifest a run was started from (its text is in the run database; the
 * file it came from is looked for near the run folder, or given), opening its study as a
 * worker would (its plugins, objective and normalizers), simulating each reference's model
 * card on its accelerator card with AccelBench, and scoring it under the run's objective when
 * its accuracy is given. A reference that cannot be simulated is shown with the reason, never
 * a failure of the whole report. */
#ifndef CB_CORE_REPORT_REFS_H
#define CB_CORE_REPORT_REFS_H

#include <codebench/space.h>
#include <stddef.h>

typedef struct cb_report_ref {
    char label[272];             /* the manifest's, or "<model> on <accelerator>" */
    char model[128], accel[128]; /* the cards' names (their `name:`), else their paths */
    int simulated;               /* 1: m holds AccelBench's figures */
    int input_matches;           /* the card's input shape is the study's */
    int feasible;                /* meets the objective's constraints (scored pairs only) */
    cb_metrics m;                /* accuracy NaN: not trained; performance NaN: not scored */
    char input[48];              /* the card's input, "1x28x28" */
    char note[512];              /* why not simulated or not scored; "" when both */
} cb_report_ref;

typedef struct cb_report_refs {
    int declared;                /* the manifest lists references */
    cb_report_ref *v;
    size_t n;
    char manifest[4096];         /* the manifest file whose study scored them ("" if none) */
    char study_input[48];        /* the study's CNN input, "1x28x28" */
    int norm_checked;            /* re-scoring the best pair gave its stored performance */
    double norm_latency_s, norm_area_mm2, norm_dyn_j, norm_leak_j; /* the run's normalizers */
    char note[1024];             /* why no reference could be computed; "" otherwise */
} cb_report_refs;

struct cb_report;

/* The manifest text recorded in run_dir/codebench.db (malloc'd), or NULL when there is none. */
char *cb_report_manifest_text(const char *run_dir);

/* 1 when the manifest text's output mapping lists references (the text alone is parsed: its
 * files need not exist). */
int cb_report_text_has_references(const char *text);

/* The manifest file near run_dir whose text is exactly text: the run folder, then up to three
 * folders above it, each searched two folders deep (hidden folders skipped, a bounded number
 * of entries). Returns a malloc'd path, or NULL. */
char *cb_report_find_manifest(const char *run_dir, const char *text);

/* Fills r->refs from the references the manifest at manifest_path lists (nothing when it
 * lists none). Never fails: what went wrong is in r->refs.note or a reference's note. Needs
 * r->best (the normalizers are checked by re-scoring it, after replaying the growths of the
 * CNN hierarchy run_dir's database holds, so a grown best CNN is found). */
void cb_report_references(struct cb_report *r, const char *manifest_path, const char *run_dir);

void cb_report_refs_free(cb_report_refs *refs);

#endif
