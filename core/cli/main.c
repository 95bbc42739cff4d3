/* core/cli/main.c: the codebench executable: global options and the subcommand table.
 * Each subcommand lives in its own cmd_<name>.c (see commands.h). */
#include "cli/commands.h"
#include "host/host.h"

#include <stdio.h>
#include <string.h>

static const cb_command commands[] = {
    {"plugins", "list plugins, show one (`plugins show NAME`), or verify plugin files", cb_cmd_plugins},
    {"validate", "check a manifest without running anything", cb_cmd_validate},
    {"run", "run the study a manifest describes (resumable)", cb_cmd_run},
    {"train", "train one model card on a data set with a trainer plugin", cb_cmd_train},
    {"model", "show a model card: layers, shapes, parameters, MACs, hash", cb_cmd_model},
    {"space", "count, sample or list a CNN design space (nb101, nb201, a space file, a manifest)", cb_cmd_space},
    {"simulate", "simulate a model card on an accelerator card (AccelBench)", cb_cmd_simulate},
    {"sweep", "simulate a model card on every accelerator of a manifest's space; its Pareto front", cb_cmd_sweep},
    {"report", "write a run folder's report: best pair, Pareto fronts, plots, HTML", cb_cmd_report},
    {"export", "print every evaluation of a run folder as CSV or JSON", cb_cmd_export},
    {"pareto", "exact Pareto front of every CNN x accelerator configuration (nb101 x fpga)", cb_cmd_pareto},
    {"worker", "a worker process of `run` (started by it)", cb_cmd_worker},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: codebench [--version] [--help] COMMAND [ARGS]\n\n"
                 "Co-design a CNN and its accelerator, from a YAML manifest.\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`codebench COMMAND --help` explains one command.\n"
                 "Exit status: 0 ok, 1 failure at run time, 2 bad input.\n");
}

int cb_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

static int wants_version(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--version") == 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CB_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CB_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("codebench %s (plugin ABI %d.%d)\n", CB_VERSION, CB_ABI_MAJOR, CB_ABI_MINOR);
        return CB_EXIT_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        if (wants_version(argc - 1, argv + 1)) {
            printf("codebench %s %s (plugin ABI %d.%d)\n", commands[i].name, CB_VERSION,
                   CB_ABI_MAJOR, CB_ABI_MINOR);
            return CB_EXIT_OK;
        }
        int rc = commands[i].run(argc - 1, argv + 1);
        cb_host_shutdown();
        return rc;
    }
    fprintf(stderr, "codebench: unknown command '%s' (`codebench --help` lists them)\n", argv[1]);
    return CB_EXIT_USAGE;
}
