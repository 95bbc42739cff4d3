/* engine_sched.c: learning-rate schedules (see cb_engine_lr in codebench/engine.h). */
#include <codebench/engine.h>

#include <math.h>

double cb_engine_lr(const cb_recipe *r, double t)
{
    double gamma = r->gamma > 0 ? r->gamma : 1.0;
    switch (r->schedule) {
    case CB_SCHED_COSINE: {
        double T = r->epochs > 0 ? r->epochs : 1;
        double f = t < 0 ? 0 : t > T ? 1 : t / T;
        return r->lr * 0.5 * (1.0 + cos(3.14159265358979323846 * f));
    }
    case CB_SCHED_EXPONENTIAL:
        return r->lr * pow(gamma, floor(t));
    case CB_SCHED_STEP: {
        int period = r->step_epochs > 0 ? r->step_epochs : 1;
        return r->lr * pow(gamma, floor(floor(t) / period));
    }
    default:
        return r->lr;
    }
}
