/* nn_act.c: scalar activations with their first and second derivatives (MLP layers and the
 * forward-over-reverse input derivatives need f, f' and f''). */
#include <codebench/nn.h>

#include <math.h>

static double sigmoid(double x)
{
    /* split by sign so that exp never overflows */
    if (x >= 0)
        return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

static double softplus(double x)
{
    return x > 30 ? x : x < -30 ? exp(x) : log1p(exp(x));
}

double cb_nn_act_f(cb_nn_act a, double x)
{
    switch (a) {
    case CB_NN_RELU: return x > 0 ? x : 0;
    case CB_NN_SIGMOID: return sigmoid(x);
    case CB_NN_TANH: return tanh(x);
    case CB_NN_SOFTPLUS: return softplus(x);
    default: return x;
    }
}

double cb_nn_act_df(cb_nn_act a, double x)
{
    switch (a) {
    case CB_NN_RELU: return x > 0 ? 1 : 0;
    case CB_NN_SIGMOID:
    case CB_NN_SOFTPLUS: {
        double s = sigmoid(x);
        return a == CB_NN_SIGMOID ? s * (1 - s) : s;
    }
    case CB_NN_TANH: {
        double t = tanh(x);
        return 1 - t * t;
    }
    default: return 1;
    }
}

double cb_nn_act_d2f(cb_nn_act a, double x)
{
    switch (a) {
    case CB_NN_SIGMOID: {
        double s = sigmoid(x);
        return s * (1 - s) * (1 - 2 * s);
    }
    case CB_NN_SOFTPLUS: {
        double s = sigmoid(x);
        return s * (1 - s);
    }
    case CB_NN_TANH: {
        double t = tanh(x);
        return -2 * t * (1 - t * t);
    }
    default: return 0; /* identity, and ReLU almost everywhere */
    }
}
