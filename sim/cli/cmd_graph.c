/* `rtcascade graph`: build or load the network of a config (or of --set keys, or the default
 * study's), print its statistics, and optionally save it with its degree histograms. */
#include "cli/commands.h"
#include "rtcascade/experiment.h"
#include "rtcascade/graph_h5.h"
#include "rtcascade/runner.h"
#include "rtcascade/specs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rtcascade graph [CONFIG.yaml] [--set network.key=value ...] [-o GRAPH.h5]\n"
            "                       [--force] [--threads N]\n\n"
            "Builds or loads the `network:` of CONFIG (the default study's when none is given)\n"
            "and prints its statistics. --set overrides any key; without a config,\n"
            "--set network.generator=... starts a network description from scratch, e.g.\n"
            "  rtcascade graph --set network.generator=file --set network.path=edges.txt \\\n"
            "                  --set network.direction=follows\n"
            "-o saves the graph (CSR, ids, communities, degree histograms) as HDF5; such a file\n"
            "can be reused as `network: {cache: GRAPH.h5, ...}`. An existing file is kept unless\n"
            "--force is given.\n");
}

int rc_cmd_graph(int argc, char **argv)
{
    rc_status_t status = RC_OK;
    rc_cli_args_t a;
    rc_network_spec_t spec;
    memset(&spec, 0, sizeof spec);
    rc_cfg_t *root = NULL;
    rc_graph_t *g = NULL;
    char *base_dir = NULL;
    RC_TRY(rc_cli_parse_args(argc, argv, "graph", "hsotf", &a));
    if (a.help) {
        usage(stdout);
        goto cleanup;
    }
    const char *config = a.config, *output = a.output;
    char **sets = a.sets;
    int n_sets = a.n_sets, force = a.force, threads = a.threads;
    if (output != NULL && !force && access(output, F_OK) == 0)
        RC_FAIL(RC_ERR_ARGUMENT, "%s: already exists (use --force to replace it)", output);

    /* Without a config, --set network.generator=... describes a network from scratch rather
     * than editing the default study's. */
    if (config == NULL) {
        for (int i = 0; i < n_sets; i++) {
            if (strncmp(sets[i], "network.generator=", 18) == 0) {
                memmove(sets + 1, sets, (size_t)n_sets * sizeof *sets);
                sets[0] = "network={}";
                n_sets++;
                break;
            }
        }
    }
    RC_TRY(rc_config_load(config, sets, (size_t)n_sets, &root, &base_dir));
    uint64_t seed = 0;
    RC_TRY(rc_cfg_uint64(root, "seed", 42, 0, UINT64_MAX, &seed));
    double built = 0.0;
    RC_TRY(rc_network_spec_parse(rc_cfg_get(root, "network"), seed, &spec));
    RC_TRY(rc_run_load_network(&spec, base_dir, threads, &g, &built));

    rc_graph_stats_t st;
    RC_TRY(rc_run_graph_stats(g, threads, &st));
    RC_TRY(rc_graph_attach_stats(g, &st)); /* saved with the graph below */
    rc_graph_print_stats(stdout, g, &st);
    printf("built in:          %.2f s\n", built);
    if (output != NULL) {
        RC_TRY(rc_graph_save_h5(g, output, NULL));
        printf("saved to:          %s\n", output);
    }
cleanup:
    rc_network_spec_clear(&spec);
    rc_graph_free(g);
    rc_cfg_free(root);
    free(base_dir);
    free(a.sets);
    return status == RC_OK ? 0 : rc_cli_fail(status);
}
