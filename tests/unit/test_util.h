/* tests/unit/test_util.h: helpers shared by the unit tests: paths into the build folder
 * ($CODEBENCH_BUILD, else "build") and into the source tree ($CODEBENCH_SRC, else "."), and
 * running the codebench executable with its output captured. */
#ifndef CB_TEST_UTIL_H
#define CB_TEST_UTIL_H

/* malloc'd "<build>/<fmt...>" */
char *cb_test_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* malloc'd "<source>/<fmt...>" */
char *cb_test_src(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One run of <build>/codebench: its exit status (-1: killed by a signal) and what it wrote. */
typedef struct cb_test_cli {
    int status;
    char *out, *err; /* malloc'd, NUL-terminated */
} cb_test_cli;

/* Runs <build>/codebench with args (NULL-terminated, at most 30), stdout and stderr going to
 * dir/cli.out and dir/cli.err, and reads them back. fork and exec rather than system():
 * system() spawns through vfork, which valgrind (make check-valgrind) now and then turns into a
 * crash. Aborts when it cannot fork or read the files back. */
cb_test_cli cb_test_run_cli(const char *dir, const char *const *args);
void cb_test_cli_free(cb_test_cli *r);

#endif
