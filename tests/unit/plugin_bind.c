/* tests/unit/plugin_bind.c: the libffi binding of int, real, bool, string and enum parameters
 * to a real plugin's typed create(), and the strict parser every value goes through. */
#include "../plugins/fixture.h"
#include "host/host.h"
#include "plugin/bind.h"
#include "plugin/param.h"
#include "plugin/registry.h"
#include "test_util.h"

#include <codebench/codebench.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

static cb_registry reg;

static const cb_plugin *fx_mem(void)
{
    cb_registry_init(&reg);
    cb_error e;
    char *path = cb_test_path("tests/plugins/good/fixture_pack.so");
    cr_assert(eq(int, cb_registry_load_file(&reg, path, &e), CB_OK), "%s", e.msg);
    free(path);
    const cb_entry *en = cb_registry_find(&reg, CB_KIND_MEMORY, "fx_mem", &e);
    cr_assert(ne(ptr, (void *)en, NULL));
    return en->plugin;
}

static void parse(const cb_plugin *p, cb_value *vals, const char *name, const char *text, bool quoted)
{
    int i = cb_param_index(p->params, name);
    cr_assert(ge(int, i, 0));
    char why[256];
    cr_assert(eq(int, cb_param_parse(&p->params[i], text, quoted, &vals[i], why, sizeof why), CB_OK),
              "%s: %s", name, why);
}

Test(plugin_bind, defaults_reach_create)
{
    const cb_plugin *p = fx_mem();
    cb_value vals[8];
    char why[256];
    cr_assert(eq(int, cb_param_defaults(p->params, vals, why, sizeof why), CB_OK), "%s", why);
    cb_host *h = cb_host_new(p->name);
    cb_instance inst;
    cb_error e;
    cr_assert(eq(int, cb_plugin_create(p, h, vals, &inst, &e), CB_OK), "%s", e.msg);
    const fx_mem_self *s = inst.self;
    cr_assert(eq(i64, s->banks, 16));
    cr_assert(eq(dbl, s->clock_ghz, 1.0));
    cr_assert(eq(int, s->ecc, 0));
    cr_assert(eq(str, (char *)s->label, "main"));
    cr_assert(eq(int, s->policy, 0));
    cb_instance_destroy(&inst);
    cb_host_free(h);
    cb_registry_free(&reg);
}

Test(plugin_bind, every_type_reaches_create)
{
    const cb_plugin *p = fx_mem();
    cb_value vals[8];
    char why[256];
    cr_assert(eq(int, cb_param_defaults(p->params, vals, why, sizeof why), CB_OK));
    parse(p, vals, "banks", "48", false);
    parse(p, vals, "clock_ghz", "2.5", false);
    parse(p, vals, "ecc", "true", false);
    parse(p, vals, "label", "hbm-left", true);
    parse(p, vals, "policy", "closed", false);
    cb_host *h = cb_host_new(p->name);
    cb_instance inst;
    cb_error e;
    cr_assert(eq(int, cb_plugin_create(p, h, vals, &inst, &e), CB_OK), "%s", e.msg);
    const fx_mem_self *s = inst.self;
    cr_assert(eq(i64, s->banks, 48));
    cr_assert(eq(dbl, s->clock_ghz, 2.5));
    cr_assert(eq(int, s->ecc, 1));
    cr_assert(eq(str, (char *)s->label, "hbm-left"));
    cr_assert(eq(int, s->policy, 1));
    /* and the instance works through its vtable */
    const cb_memory_vt *vt = p->vtable;
    cb_mem_model m;
    cr_assert(eq(int, vt->describe(inst.self, &m, &e), CB_OK));
    cr_assert(eq(dbl, m.peak_gbps, 2.5 * 8.0 * 48));
    cr_assert(eq(dbl, m.latency_ns, 20.0));
    cb_instance_destroy(&inst);
    cb_host_free(h);
    cb_registry_free(&reg);
}

Test(plugin_bind, create_failure_names_plugin_and_parameter)
{
    const cb_plugin *p = fx_mem();
    cb_value vals[8];
    char why[256];
    cr_assert(eq(int, cb_param_defaults(p->params, vals, why, sizeof why), CB_OK));
    parse(p, vals, "label", "fail", false);
    cb_host *h = cb_host_new(p->name);
    cb_instance inst;
    cb_error e;
    cr_assert(eq(int, cb_plugin_create(p, h, vals, &inst, &e), CB_EINVAL));
    cr_assert(eq(str, e.plugin, "fx_mem"));
    cr_assert(eq(str, e.param, "label"));
    cr_assert(eq(str, e.msg, "label 'fail' asks this fixture to fail"));
    cr_assert(eq(ptr, inst.self, NULL));
    cb_host_free(h);
    cb_registry_free(&reg);
}

static const cb_param p_int = {"banks", CB_T_INT, "16", 1, 64, NULL, "", "", 0};
static const cb_param p_real = {"lr", CB_T_REAL, "0.1", 0, 1, NULL, "", "", 0};
static const cb_param p_bool = {"ecc", CB_T_BOOL, "false", 0, 0, NULL, "", "", 0};
static const cb_param p_enum = {"mode", CB_T_ENUM, "a", 0, 0, CB_CHOICES("a", "b"), "", "", 0};
static const cb_param p_kernel = {"kernel", CB_T_INT, "3", 1, 11, CB_CHOICES("1", "3", "5", "7", "11"), "", "", 0};

static void bad(const cb_param *p, const char *text, bool quoted, const char *want)
{
    cb_value v;
    char why[256] = "";
    cr_assert(eq(int, cb_param_parse(p, text, quoted, &v, why, sizeof why), CB_EINVAL), "%s accepted", text);
    cr_assert(eq(str, why, (char *)want));
}

Test(plugin_param, strict_parsing)
{
    bad(&p_int, "8x", false, "expected an integer, got '8x'");
    bad(&p_int, "8", true, "expected an integer, got the string \"8\"");
    bad(&p_int, "8.0", false, "expected an integer, got '8.0'");
    bad(&p_int, "99999999999999999999", false, "99999999999999999999 does not fit in a 64-bit integer");
    bad(&p_int, "100", false, "100 is out of range 1..64");
    bad(&p_int, "", false, "expected an integer, got ''");
    bad(&p_real, "nan", false, "expected a number, got 'nan'");
    bad(&p_real, "1e999", false, "expected a number, got '1e999'");
    bad(&p_real, "1.5", false, "1.5 is out of range 0..1");
    bad(&p_bool, "yes", false, "expected true or false, got 'yes'");
    bad(&p_bool, "true", true, "expected true or false, got the string \"true\"");
    bad(&p_enum, "c", false, "'c' is not one of {a, b}");
    bad(&p_kernel, "4", false, "4 is not one of {1, 3, 5, 7, 11}");
    cb_value v;
    char why[256];
    cr_assert(eq(int, cb_param_parse(&p_int, "-0", false, &v, why, sizeof why), CB_EINVAL));
    cr_assert(eq(int, cb_param_parse(&p_int, "64", false, &v, why, sizeof why), CB_OK));
    cr_assert(eq(i64, v.i, 64));
    cr_assert(eq(int, cb_param_parse(&p_real, "1e-3", false, &v, why, sizeof why), CB_OK));
    cr_assert(eq(dbl, v.r, 1e-3));
    cr_assert(eq(int, cb_param_parse(&p_enum, "b", true, &v, why, sizeof why), CB_OK));
    cr_assert(eq(int, v.e, 1));
    cr_assert(eq(int, cb_param_parse(&p_kernel, "11", false, &v, why, sizeof why), CB_OK));
    cr_assert(eq(i64, v.i, 11));
}

Test(plugin_param, value_and_range_strings)
{
    char buf[128];
    cb_value v = {.r = 0.1};
    cr_assert(eq(str, (char *)cb_value_str(&p_real, v, buf, sizeof buf), "0.1"));
    cr_assert(eq(str, (char *)cb_param_range_str(&p_int, buf, sizeof buf), "1..64"));
    cr_assert(eq(str, (char *)cb_param_range_str(&p_enum, buf, sizeof buf), "{a, b}"));
    cr_assert(eq(str, (char *)cb_param_range_str(&p_bool, buf, sizeof buf), "true, false"));
}

Test(plugin_lint, broken_schemas)
{
    char why[256];
    const cb_param dup[] = {p_int, p_int, {0}};
    cr_assert(eq(int, cb_schema_lint(dup, why, sizeof why), CB_EINVAL));
    cr_assert(eq(str, why, "parameter 'banks' is declared twice"));
    const cb_param camel[] = {{"numBanks", CB_T_INT, "1", 1, 2, NULL, "", "", 0}, {0}};
    cr_assert(eq(int, cb_schema_lint(camel, why, sizeof why), CB_EINVAL));
    const cb_param no_choices[] = {{"mode", CB_T_ENUM, NULL, 0, 0, NULL, "", "", 0}, {0}};
    cr_assert(eq(int, cb_schema_lint(no_choices, why, sizeof why), CB_EINVAL));
    cr_assert(eq(str, why, "parameter 'mode': an enum needs at least one choice"));
    const cb_param bad_choice[] = {{"k", CB_T_INT, "3", 1, 5, CB_CHOICES("3", "7"), "", "", 0}, {0}};
    cr_assert(eq(int, cb_schema_lint(bad_choice, why, sizeof why), CB_EINVAL));
    cr_assert(eq(str, why, "parameter 'k': choice 7 is out of range 1..5"));
    const cb_param ok[] = {p_int, p_real, p_bool, p_enum, p_kernel, {0}};
    cr_assert(eq(int, cb_schema_lint(ok, why, sizeof why), CB_OK), "%s", why);
}
