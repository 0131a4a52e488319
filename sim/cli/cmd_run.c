/* `rtcascade run` (minimal form): builds the config's network, runs the Monte Carlo engine for
 * its model and seeds at the base point, and prints summary statistics. Sweeps, scenarios and
 * the HDF5 results file come with the experiment runner that replaces this. */
#include "cli/commands.h"
#include "rtcascade/config.h"
#include "rtcascade/engine.h"
#include "rtcascade/model.h"
#include "rtcascade/network.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rtcascade run [CONFIG.yaml] [--set key.path=value ...] [--threads N]\n\n"
            "Runs `runs` cascades of `model:` from `seeds:` on `network:` and prints summary\n"
            "statistics of every metric. Config keys read: seed, runs, network, model, seeds,\n"
            "global_fraction (a run is global when its size reaches this fraction of the\n"
            "nodes; default 0.05) and max_size (stop a run at this many adopters; default 0 =\n"
            "no cap). Without CONFIG the default study's base point is run.\n");
}

static void print_summary(const rc_mc_results_t *res, const rc_graph_t *g)
{
    printf("%-12s %12s %12s %12s %10s %10s %10s %10s %10s %10s %12s\n", "metric", "mean", "sd",
           "se", "min", "q05", "q25", "median", "q75", "q95", "max");
    for (int m = 0; m < RC_N_METRICS; m++) {
        const rc_metric_summary_t *s = &res->summary[m];
        if (s->count == 0)
            continue;
        printf("%-12s %12.6g %12.6g %12.4g %10.4g %10.4g %10.4g %10.4g %10.4g %10.4g %12.6g\n",
               rc_metric_names[m], s->mean, s->sd, s->se, s->min, s->q05, s->q25, s->median,
               s->q75, s->q95, s->max);
    }
    printf("p_global:    %.6g +- %.2g (size >= %llu of %u nodes)\n", res->p_global,
           res->p_global_se, (unsigned long long)res->global_threshold, g->n);
    if (res->p_global > 0)
        printf("global size: %.6g mean adopters (%.4g of the network)\n",
               res->mean_size_global, res->mean_size_global / g->n);
    printf("p_capped:    %.6g\n", res->p_capped);
    printf("generations: ");
    for (uint32_t k = 0; k < res->gen_len && k < 12; k++)
        printf("%s%.4g", k ? " " : "", (double)res->gen_total[k] / (double)res->runs);
    printf("%s (mean adoptions per generation)\n", res->gen_len > 12 ? " ..." : "");
    double s = res->seconds > 0 ? res->seconds : 1e-9;
    printf("time:        %.3f s, %.3g runs/s, %.3g edge trials/s, %.3g adoptions/s\n",
           res->seconds, (double)res->runs / s, (double)res->total_edges / s,
           (double)res->total_adoptions / s);
}

int rc_cmd_run(int argc, char **argv)
{
    rc_status_t status = RC_OK;
    const char *config = NULL;
    char **sets = calloc((size_t)argc + 1, sizeof *sets);
    int n_sets = 0;
    rc_cfg_t *root = NULL;
    rc_graph_t *g = NULL;
    char *base_dir = NULL;
    const rc_model_t *model = NULL;
    void *params = NULL;
    rc_seed_spec_t seeds;
    rc_mc_results_t *res = NULL;
    memset(&seeds, 0, sizeof seeds);
    RC_ALLOC_CHECK(sets, "the command line");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            goto cleanup;
        } else if (strcmp(a, "--set") == 0 && i + 1 < argc) {
            sets[n_sets++] = argv[++i];
        } else if (strncmp(a, "--set=", 6) == 0) {
            sets[n_sets++] = argv[i] + 6;
        } else if (strcmp(a, "--threads") == 0 && i + 1 < argc) {
            RC_TRY(rc_cli_set_threads(argv[++i]));
        } else if (a[0] == '-' && a[1] != '\0') {
            RC_FAIL(RC_ERR_USAGE, "run: unknown or incomplete option '%s' (see rtcascade run "
                                  "--help)", a);
        } else if (config == NULL) {
            config = a;
        } else {
            RC_FAIL(RC_ERR_USAGE, "run: more than one config given ('%s' and '%s')", config, a);
        }
    }
    RC_TRY(rc_cli_load_config(config, sets, n_sets, &root, &base_dir));
    uint64_t seed = 0, runs = 0;
    RC_TRY(rc_cfg_uint64(root, "seed", 42, 0, UINT64_MAX, &seed));
    RC_TRY(rc_cfg_uint64(root, "runs", 1000, 1, (uint64_t)1 << 40, &runs));
    rc_mc_options_t opt = rc_mc_default_options();
    RC_TRY(rc_cfg_double(root, "global_fraction", opt.global_fraction, 0.0, 1.0,
                         &opt.global_fraction));
    RC_TRY(rc_cfg_uint32(root, "max_size", 0, 0, RC_MAX_NODES, &opt.max_size));
    RC_TRY(rc_model_parse(rc_cfg_get(root, "model"), &model, &params));
    RC_TRY(rc_seeds_parse(rc_cfg_get(root, "seeds"), &seeds));
    if (rc_cfg_get(root, "sweep") != NULL || rc_cfg_get(root, "scenarios") != NULL)
        fprintf(stderr, "rtcascade: note: this build runs the base point only (sweep and "
                        "scenarios are not run yet)\n");

    double t0 = omp_get_wtime();
    RC_TRY(rc_network_build(rc_cfg_get(root, "network"), seed, base_dir, &g));
    printf("network:     %s (%u nodes, %llu edges, built in %.2f s)\n",
           g->description ? g->description : "?", g->n, (unsigned long long)g->m,
           omp_get_wtime() - t0);
    printf("model:       %s; seeds: %s x %u; runs: %llu; seed: %llu; threads: %d\n",
           model->name, rc_seed_strategy_names[seeds.strategy], seeds.count,
           (unsigned long long)runs, (unsigned long long)seed, omp_get_max_threads());
    fflush(stdout);
    RC_TRY(rc_mc_run(g, model, params, &seeds, runs, seed, 0, &opt, &res));
    print_summary(res, g);
cleanup:
    rc_mc_results_free(res);
    rc_seeds_clear(&seeds);
    if (params != NULL)
        model->free_params(params);
    rc_graph_free(g);
    rc_cfg_free(root);
    free(base_dir);
    free(sets);
    return status == RC_OK ? 0 : rc_cli_fail(status);
}
