/* tests/unit/test_util.h: helpers shared by the unit tests: paths into the build folder
 * ($CODEBENCH_BUILD, else "build") and into the source tree ($CODEBENCH_SRC, else "."). */
#ifndef CB_TEST_UTIL_H
#define CB_TEST_UTIL_H

/* malloc'd "<build>/<fmt...>" */
char *cb_test_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* malloc'd "<source>/<fmt...>" */
char *cb_test_src(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
