/* Experiment expansion: scenarios x sweep points (grid and zip), ranges, resolved configs,
 * shared networks, and the config errors found before any work starts. */
#include "rc_test.h"
#include "rtcascade/experiment.h"

#include <stdlib.h>

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

static double point_double(const rc_experiment_t *ex, size_t p, const char *path)
{
    double v = NAN;
    const rc_cfg_t *node = rc_cfg_lookup(ex->points[p].config, path);
    if (node != NULL)
        rc_cfg_as_double(node, -1e300, 1e300, &v);
    return v;
}

int main(void)
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
        CHECK(point_double(ex, 0, "network.mean_degree") == 1);
        CHECK(point_double(ex, 0, "model.p") == 0.01);
        CHECK(point_double(ex, 1, "model.p") == 0.1);
        CHECK(point_double(ex, 2, "network.mean_degree") == 2);
        CHECK(strcmp(ex->points[1].values[1], "0.1") == 0);
        /* the sweep overrides the scenario, which overrides the base */
        CHECK(point_double(ex, 6, "model.p") == 0.01);
        CHECK(point_double(ex, 6, "seeds.count") == 5);
        CHECK(rc_cfg_lookup(ex->points[6].config, "model.name") != NULL);
        CHECK(rc_cfg_get(ex->points[0].config, "sweep") == NULL);
        CHECK(rc_cfg_get(ex->points[0].config, "scenarios") == NULL);
        CHECK(ex->points[0].network_id == ex->points[1].network_id);
        CHECK(ex->points[0].network_id == ex->points[6].network_id);
        CHECK(ex->points[0].network_id != ex->points[2].network_id);
        rc_experiment_free(ex);
    }

    ex = make("model: {name: x}\nsweep:\n  mode: zip\n  model.p: [0.1, 0.2]\n"
              "  model.q: {from: 1, to: 2, step: 1}\n",
              RC_OK, "");
    if (ex != NULL) {
        CHECK_EQ_U64(ex->n_points, 2);
        CHECK(point_double(ex, 1, "model.p") == 0.2 && point_double(ex, 1, "model.q") == 2);
        CHECK(strcmp(ex->points[0].scenario, "base") == 0);
        rc_experiment_free(ex);
    }
    ex = make("sweep: {model.p: {from: 0, to: 1, step: 0.25}}\n", RC_OK, "");
    if (ex != NULL) {
        CHECK_EQ_U64(ex->n_points, 5);
        CHECK(strcmp(ex->points[4].values[0], "1") == 0);
        rc_experiment_free(ex);
    }

    /* Range values are rounded to 12 significant digits: exact decimals, integral log steps. */
    ex = make("sweep:\n  model.p: {from: 0.1, to: 0.2, step: 0.01}\n"
              "  seeds.count: {from: 1, to: 1000, num: 4, log: true}\n",
              RC_OK, "");
    if (ex != NULL) {
        CHECK_EQ_U64(ex->n_points, 44);
        CHECK(strcmp(ex->points[7 * 4].values[0], "0.17") == 0);
        CHECK(strcmp(ex->points[1].values[1], "10") == 0);
        CHECK(strcmp(ex->points[2].values[1], "100") == 0);
        rc_experiment_free(ex);
    }

    /* A scenario's own sweep: combined with the top-level one, its keys vary fastest; a key
     * swept elsewhere reads as the value in effect at the point (or "" when unset). */
    ex = make("model: {name: independent_cascade, p: 0.1}\n"
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
        CHECK(point_double(ex, 7, "audience.size") == 10000);
        CHECK(point_double(ex, 7, "audience.engagement") == 0.5);
        CHECK(rc_cfg_get(ex->points[7].config, "sweep") == NULL);
        rc_experiment_free(ex);
    }
    make("sweep: {model.p: [1]}\nscenarios: {a: {sweep: {model.p: [2]}}}\n", RC_ERR_CONFIG,
         "'model.p' is already swept by the top-level sweep");
    make("scenarios: {a: {sweep: {model.p: 3}}}\n", RC_ERR_CONFIG,
         "scenarios.a.sweep.model.p: expected a non-empty list");

    /* A bad swept value is reported at the sweep entry it came from. */
    {
        rc_cfg_t *cfg = NULL;
        CHECK_OK(rc_cfg_parse_string("model: {name: independent_cascade}\n"
                                     "sweep: {model.p: [0.1, 2]}\n",
                                     "x.yaml", &cfg));
        CHECK_OK(rc_experiment_create(cfg, "x", &ex));
        double d;
        CHECK_FAILS(rc_cfg_double(rc_cfg_get(ex->points[1].config, "model"), "p", 0, 0, 1, &d),
                    RC_ERR_CONFIG, "x.yaml:2:18: model.p: expected a number in [0, 1], got '2'");
        rc_experiment_free(ex);
        rc_cfg_free(cfg);
    }

    /* Errors, each naming the place and what was expected. */
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
    return rc_test_report("test_experiment");
}
