/* codebench/codebench.h: everything a plugin author needs, in one include. */
#ifndef CODEBENCH_CODEBENCH_H
#define CODEBENCH_CODEBENCH_H
#include "plugin.h"
#include "op.h"
#include "mac.h"
#include "memory.h"
#include "graph.h"
#include "space.h"
#include "search.h"
#include "trainer.h"
#include "accel.h"
#include "rng.h"
#include "sdk.h"
#endif
