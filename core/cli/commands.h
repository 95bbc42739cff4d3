/* core/cli/commands.h: the codebench subcommands. Each lives in its own cmd_<name>.c and
 * returns the process exit status: 0 ok, 1 failure at run time, 2 bad input. */
#ifndef CB_CLI_COMMANDS_H
#define CB_CLI_COMMANDS_H

enum { CB_EXIT_OK = 0, CB_EXIT_FAIL = 1, CB_EXIT_USAGE = 2 };

typedef struct cb_command {
    const char *name;
    const char *summary;  /* one line for `codebench --help` */
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
} cb_command;

int cb_cmd_plugins(int argc, char **argv);
int cb_cmd_validate(int argc, char **argv);
int cb_cmd_run(int argc, char **argv);
int cb_cmd_worker(int argc, char **argv);
int cb_cmd_model(int argc, char **argv);
int cb_cmd_train(int argc, char **argv);
int cb_cmd_simulate(int argc, char **argv);
int cb_cmd_sweep(int argc, char **argv);
int cb_cmd_report(int argc, char **argv);
int cb_cmd_export(int argc, char **argv);
int cb_cmd_pareto(int argc, char **argv);
int cb_cmd_space(int argc, char **argv);

/* Shared by subcommands: true when argv holds --help/-h (then print usage and return 0). */
int cb_cli_wants_help(int argc, char **argv);

#endif
