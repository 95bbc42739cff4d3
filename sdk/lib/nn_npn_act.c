/* nn_npn_act.c: the NPN activations (ReLU and sigmoid of a Gaussian, after Wang et al.'s
 * natural-parameter networks and the reference BOSHNAS code), written once over hyper-dual
 * numbers so that one evaluation yields the moments, their Jacobian and the Jacobian's
 * derivative along a direction exactly: the backward pass needs the Jacobian, the
 * forward-over-reverse Hessian-vector product its derivative. */
#include <codebench/nn.h>

#include <math.h>

/* v + a e1 + b e2 + ab e1 e2 with e1^2 = e2^2 = 0 */
typedef struct hd {
    double v, a, b, ab;
} hd;

static hd hd_const(double v)
{
    return (hd){v, 0, 0, 0};
}

static hd add(hd x, hd y)
{
    return (hd){x.v + y.v, x.a + y.a, x.b + y.b, x.ab + y.ab};
}

static hd sub(hd x, hd y)
{
    return (hd){x.v - y.v, x.a - y.a, x.b - y.b, x.ab - y.ab};
}

static hd scale(hd x, double k)
{
    return (hd){k * x.v, k * x.a, k * x.b, k * x.ab};
}

static hd mul(hd x, hd y)
{
    return (hd){x.v * y.v, x.a * y.v + x.v * y.a, x.b * y.v + x.v * y.b,
                x.ab * y.v + x.a * y.b + x.b * y.a + x.v * y.ab};
}

/* f(x) from f, f', f'' at x.v (the chain rule to second order) */
static hd apply(hd x, double f0, double f1, double f2)
{
    return (hd){f0, f1 * x.a, f1 * x.b, f1 * x.ab + f2 * x.a * x.b};
}

static hd hexp(hd x)
{
    double e = exp(x.v);
    return apply(x, e, e, e);
}

static hd hsqrt(hd x)
{
    double r = sqrt(x.v);
    return apply(x, r, 0.5 / r, -0.25 / (r * x.v));
}

static hd recip(hd x)
{
    double i = 1.0 / x.v;
    return apply(x, i, -i * i, 2 * i * i * i);
}

static hd hsigmoid(hd x)
{
    double s = cb_nn_act_f(CB_NN_SIGMOID, x.v);
    return apply(x, s, s * (1 - s), s * (1 - s) * (1 - 2 * s));
}

/* max(x, lo): a variance floor; below it the value is constant */
static hd floor_at(hd x, double lo)
{
    return x.v < lo ? hd_const(lo) : x;
}

#define VAR_MIN 1e-10
#define PI 3.14159265358979323846

static void npn_relu(hd m, hd s, hd *om, hd *os)
{
    const double k = sqrt(8.0 / PI), inv_sqrt_2pi = 1.0 / sqrt(2.0 * PI);
    s = floor_at(s, 1e-12);
    hd r = hsqrt(s);
    hd z = hsigmoid(scale(mul(m, recip(r)), k));
    hd phi = scale(mul(r, hexp(scale(mul(mul(m, m), recip(s)), -0.5))), inv_sqrt_2pi);
    *om = add(mul(z, m), phi);
    *os = floor_at(sub(add(mul(z, add(mul(m, m), s)), mul(m, phi)), mul(*om, *om)), VAR_MIN);
}

static void npn_sigmoid(hd m, hd s, hd *om, hd *os)
{
    const double xi2 = PI / 8, alpha = 4 - 2 * sqrt(2.0), beta = -log(sqrt(2.0) + 1);
    s = floor_at(s, 0);
    *om = hsigmoid(mul(m, recip(hsqrt(add(hd_const(1), scale(s, xi2))))));
    hd top = scale(add(m, hd_const(beta)), alpha);
    hd second = hsigmoid(mul(top, recip(hsqrt(add(hd_const(1), scale(s, xi2 * alpha * alpha))))));
    *os = floor_at(sub(second, mul(*om, *om)), VAR_MIN);
}

static void eval(cb_npn_act a, hd m, hd s, hd *om, hd *os)
{
    switch (a) {
    case CB_NPN_RELU: npn_relu(m, s, om, os); break;
    case CB_NPN_SIGMOID: npn_sigmoid(m, s, om, os); break;
    default: *om = m, *os = s; break;
    }
}

void cb_npn_act_eval(cb_npn_act a, double m, double s, double dm, double ds, double *om,
                     double *os, double jac[4], double djac[4])
{
    hd rm, rs;
    if (!djac) {
        /* e1 seeds m and e2 seeds s: one evaluation gives both columns of the Jacobian */
        eval(a, (hd){m, 1, 0, 0}, (hd){s, 0, 1, 0}, &rm, &rs);
        if (jac) {
            jac[0] = rm.a, jac[1] = rm.b;
            jac[2] = rs.a, jac[3] = rs.b;
        }
        *om = rm.v;
        *os = rs.v;
        return;
    }
    /* column j of the Jacobian: e1 seeds input j, e2 carries the direction (dm, ds), and the
     * e1 e2 part is the column's derivative along it */
    for (int j = 0; j < 2; j++) {
        eval(a, (hd){m, j == 0, dm, 0}, (hd){s, j == 1, ds, 0}, &rm, &rs);
        if (jac) {
            jac[j] = rm.a;
            jac[2 + j] = rs.a;
        }
        djac[j] = rm.ab;
        djac[2 + j] = rs.ab;
    }
    *om = rm.v;
    *os = rs.v;
}
