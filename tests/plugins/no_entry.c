/* Refused: a shared object without the codebench_plugins entry symbol. */
#include <codebench/plugin.h>
CB_EXPORT int not_a_codebench_pack(void);
CB_EXPORT int not_a_codebench_pack(void) { return 42; }
