/* Experiment expansion: scenarios x sweep points (grid and zip), ranges, resolved configs,
 * shared networks, and the config errors found before any work starts. */
#include "rc_test.h"
#include "rtcascade/experiment.h"

#include <stdlib.h>
#include <string.h>

/* A network and a model, so that every point resolves. */
#define NET "network: {generator: erdos_renyi, nodes: 100, mean_degree: 2}\n"
#define IC "model: {name: independent_cascade, p: 0.1}\n"

static rc_experiment_t *make(const char *yaml, rc_status_t expect, const char *msg)
{
    rc_cfg_t *cfg = NULL;
    rc_experiment_t *ex = NULL;
    CHECK_OK(rc_cfg_parse_string(yaml, "x.yaml", &cfg));
    if (expect == RC_OK)
        CHECK_OK(rc_experiment_create(cfg, "x", &ex));
    else
        CHECK_FAILS(rc_experiment_create(cfg, "x", &ex), expect, msg);
    rc_cfg_free(cfg);
    return ex;
}

/* A real parameter of point p's model, read through the model's parameter table. */
static double param(const rc_experiment_t *ex, size_t p, const char *name)
{
    const rc_point_t *pt = &ex->points[p];
    const rc_param_t *par = rc_params_find(pt->model->params, name);
    if (par == NULL || par->type != RC_PARAM_REAL)
        return NAN;
    return *(const double *)((const char *)pt->params + par->offset);
}

/* The mean degree of point p's (Erdos-Renyi) network: edges per node. */
static double mean_degree(const rc_experiment_t *ex, size_t p)
{
    const rc_network_spec_t *n = &ex->networks[ex->points[p].network_id];
    return (double)n->edges / (double)n->nodes;
}

/* Scenarios x grid sweep: point order, values, merges, shared networks. */
static void test_grid(void)
{
    rc_experiment_t *ex = make("seed: 7\nruns: 100\n"
                               "network: {generator: erdos_renyi, nodes: 100, mean_degree: 2}\n"
                               "model: {name: independent_cascade, p: 0.1}\n"
                               "scenarios:\n"
                               "  small: {seeds: {count: 1}}\n"
                               "  big: {seeds: {count: 5}, model: {p: 0.2}}\n"
                               "sweep:\n"
                               "  network.mean_degree: [1, 2, 4]\n"
                               "  model.p: {from: 0.01, to: 0.1, num: 2, log: true}\n",
                               RC_OK, "");
    CHECK(ex != NULL);
    if (ex != NULL) {
        CHECK(strcmp(ex->name, "x") == 0 && strcmp(ex->output, "results/x.h5") == 0);
        CHECK_EQ_U64(ex->seed, 7);
        CHECK_EQ_U64(ex->runs, 100);
        CHECK_EQ_U64(ex->n_scenarios, 2);
        CHECK_EQ_U64(ex->n_swept, 2);
        CHECK_EQ_U64(ex->n_points, 12);
        CHECK_EQ_U64(ex->n_networks, 3); /* the network differs only by mean_degree */
        CHECK(strcmp(ex->points[0].scenario, "small") == 0);
        CHECK(strcmp(ex->points[6].scenario, "big") == 0);
        /* last key fastest */
        CHECK(mean_degree(ex, 0) == 1);
        CHECK(param(ex, 0, "p") == 0.01);
        CHECK(param(ex, 1, "p") == 0.1);
        CHECK(mean_degree(ex, 2) == 2);
        CHECK(strcmp(ex->points[1].values[1], "0.1") == 0);
        /* the sweep overrides the scenario, which overrides the base */
        CHECK(param(ex, 6, "p") == 0.01);
        CHECK_EQ_U64(ex->points[6].seeds.count, 5);
        CHECK_EQ_U64(ex->points[0].seeds.count, 1);
        CHECK(strcmp(ex->points[6].model->name, "independent_cascade") == 0);
        CHECK(ex->points[0].network_id == ex->points[1].network_id);
        CHECK(ex->points[0].network_id == ex->points[6].network_id);
        CHECK(ex->points[0].network_id != ex->points[2].network_id);
        rc_experiment_free(ex);
    }

}

/* Zip sweeps and ranges (rounded to 12 significant digits). */
static void test_zip_and_ranges(void)
{
    rc_experiment_t *ex = make(NET IC "sweep:\n  mode: zip\n  model.p: [0.1, 0.2]\n"
              "  seeds.count: {from: 1, to: 2, step: 1}\n",
              RC_OK, "");
    if (ex != NULL) {
        CHECK_EQ_U64(ex->n_points, 2);
        CHECK(param(ex, 1, "p") == 0.2 && ex->points[1].seeds.count == 2);
        CHECK(strcmp(ex->points[0].scenario, "base") == 0);
        CHECK_EQ_U64(ex->n_networks, 1);
        rc_experiment_free(ex);
    }
    ex = make(NET IC "sweep: {model.p: {from: 0, to: 1, step: 0.25}}\n", RC_OK, "");
    if (ex != NULL) {
        CHECK_EQ_U64(ex->n_points, 5);
        CHECK(strcmp(ex->points[4].values[0], "1") == 0);
        rc_experiment_free(ex);
    }

    /* Range values are rounded to 12 significant digits: exact decimals, integral log steps. */
    ex = make(NET IC "sweep:\n  model.p: {from: 0.1, to: 0.2, step: 0.01}\n"
              "  seeds.count: {from: 1, to: 1000, num: 4, log: true}\n",
              RC_OK, "");
    if (ex != NULL) {
        CHECK_EQ_U64(ex->n_points, 44);
        CHECK(strcmp(ex->points[7 * 4].values[0], "0.17") == 0);
        CHECK(strcmp(ex->points[1].values[1], "10") == 0);
        CHECK(strcmp(ex->points[2].values[1], "100") == 0);
        rc_experiment_free(ex);
    }

}

/* A scenario's own sweep: combined with the top-level one, its keys vary fastest; a key swept
 * elsewhere reads as the value in effect at the point (or "" when unset). */
static void test_scenario_sweeps(void)
{
    rc_experiment_t *ex = make(NET "model: {name: independent_cascade, p: 0.1}\n"
              "audience: {size: 10, pick: random, engagement: 0.5}\n"
              "sweep: {model.p: [0.1, 0.2]}\n"
              "scenarios:\n"
              "  fixed: {audience: {size: 250}}\n"
              "  sized:\n"
              "    sweep: {audience.size: [100, 1000, 10000]}\n",
              RC_OK, "");
    if (ex != NULL) {
        CHECK_EQ_U64(ex->n_points, 2 + 6);
        CHECK_EQ_U64(ex->n_swept, 2);
        CHECK(strcmp(ex->swept_keys[1], "audience.size") == 0);
        CHECK(strcmp(ex->points[0].values[1], "250") == 0); /* fixed: not swept, in effect */
        CHECK(strcmp(ex->points[2].scenario, "sized") == 0);
        CHECK(strcmp(ex->points[2].values[0], "0.1") == 0);
        CHECK(strcmp(ex->points[3].values[1], "1000") == 0);
        CHECK(strcmp(ex->points[5].values[0], "0.2") == 0);
        CHECK(ex->points[7].has_audience && ex->points[7].audience.size == 10000);
        CHECK(ex->points[7].audience.engagement == 0.5);
        CHECK(ex->points[0].has_audience && ex->points[0].audience.size == 250);
        rc_experiment_free(ex);
    }
    make("sweep: {model.p: [1]}\nscenarios: {a: {sweep: {model.p: [2]}}}\n", RC_ERR_CONFIG,
         "'model.p' is already swept by the top-level sweep");
    make("scenarios: {a: {sweep: {model.p: 3}}}\n", RC_ERR_CONFIG,
         "scenarios.a.sweep.model.p: expected a non-empty list");

}

/* Networks shared by points, and errors found when the points are resolved. */
static void test_points(void)
{
    rc_experiment_t *ex = NULL;
    /* A bad swept value is reported at the sweep entry it came from, when the experiment is
     * made (every point is parsed then). */
    make(NET "model: {name: independent_cascade}\nsweep: {model.p: [0.1, 2]}\n", RC_ERR_CONFIG,
         "x.yaml:3:18: model.p: expected a number in [0, 1], got '2'");
    make(NET "sweep: {seeds.count: [1]}\n", RC_ERR_CONFIG, "missing required key 'model'");
    make(IC "runs: 5\n", RC_ERR_CONFIG, "missing required key 'network'");

    /* Networks are shared by what they build: the same spec under another cache path or an
     * explicit seed equal to the experiment's is the same network. */
    ex = make(IC "seed: 5\nscenarios:\n"
              "  a: {network: {generator: star, nodes: 10}}\n"
              "  b: {network: {generator: star, nodes: 10, seed: 5}}\n"
              "  c: {network: {generator: star, nodes: 11}}\n",
              RC_OK, "");
    if (ex != NULL) {
        CHECK_EQ_U64(ex->n_networks, 2);
        CHECK(ex->points[0].network_id == ex->points[1].network_id);
        CHECK(ex->points[2].network_id != ex->points[0].network_id);
        const rc_point_t *first = NULL;
        CHECK_EQ_U64(rc_experiment_network_points(ex, 0, &first), 2);
        CHECK(first == &ex->points[0]);
        rc_experiment_free(ex);
    }

}

/* Errors, each naming the place and what was expected. */
static void test_errors(void)
{
    make("runz: 5\n", RC_ERR_CONFIG, "x.yaml:1:1: unknown key 'runz' in the config (did you mean 'runs'?)");
    make("runs: 0\n", RC_ERR_CONFIG, "x.yaml:1:7: runs: expected an integer in [1, 1099511627776], got '0'");
    make("sweep: {modle.p: [1]}\n", RC_ERR_CONFIG, "sweep: 'modle.p' does not name a config key (did you mean 'model.p'?)");
    make("sweep: {seed: [1, 2]}\n", RC_ERR_CONFIG, "sweep: 'seed' cannot be swept");
    make("sweep: {model.p: 0.1}\n", RC_ERR_CONFIG, "x.yaml:1:18: sweep.model.p: expected a non-empty list");
    make("sweep: {model.p: []}\n", RC_ERR_CONFIG, "expected a non-empty list");
    make("sweep: {model.p: {from: 1, to: 0, step: 0.1}}\n", RC_ERR_CONFIG, "never gets from 1 to 0");
    make("sweep: {model.p: {from: 0, to: 1}}\n", RC_ERR_CONFIG, "a range needs either step: or num: (got neither)");
    make("sweep: {model.p: {from: 0, to: 1, num: 3, log: true}}\n", RC_ERR_CONFIG, "a log range needs from: and to: > 0");
    make("sweep: {model.p: {from: 0, to: 1, num: 3, by: 2}}\n", RC_ERR_CONFIG, "unknown key 'by' in sweep.model.p");
    make("sweep: {mode: zip, model.p: [1, 2], model.q: [1]}\n", RC_ERR_CONFIG, "model.p has 2 values and model.q has 1");
    make("sweep: {mode: zipp, model.p: [1]}\n", RC_ERR_CONFIG, "did you mean 'zip'?");
    make("scenarios: {a: 3}\n", RC_ERR_CONFIG, "scenarios.a: expected a map of overrides");
    make("scenarios: {a: {runs: 3}}\n", RC_ERR_CONFIG, "'runs' is the same for the whole experiment");
    make("scenarios: {a: {modle: {}}}\n", RC_ERR_CONFIG, "unknown key 'modle' in scenarios.a (did you mean 'model'?)");
    make("scenarios: []\n", RC_ERR_CONFIG, "scenarios: expected a map of name: {overrides}");
}

int main(void)
{
    test_grid();
    test_zip_and_ranges();
    test_scenario_sweeps();
    test_points();
    test_errors();
    return rc_test_report("test_experiment");
}
