/* `rtcascade graph`: build or load the network of a config (or of --set keys, or the default
 * study's), print its statistics, and optionally save it with its degree histograms. */
#include "cli/commands.h"
#include "rtcascade/experiment.h"
#include "rtcascade/graph_h5.h"
#include "rtcascade/runner.h"
#include "rtcascade/specs.h"

#include <getopt.h>
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
    const char *config = NULL, *output = NULL;
    char **sets = calloc((size_t)argc + 1, sizeof *sets);
    int n_sets = 0, force = 0, threads = 0;
    rc_network_spec_t spec;
    memset(&spec, 0, sizeof spec);
    rc_cfg_t *root = NULL;
    rc_graph_t *g = NULL;
    char *base_dir = NULL;
    RC_ALLOC_CHECK(sets, "the command line");
    enum { OPT_SET = 256, OPT_THREADS, OPT_FORCE };
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},         {"set", required_argument, NULL, OPT_SET},
        {"output", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, OPT_THREADS},
        {"force", no_argument, NULL, OPT_FORCE},  {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":ho:", longs, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); goto cleanup;
        case OPT_SET: sets[n_sets++] = optarg; break;
        case 'o': output = optarg; break;
        case OPT_THREADS: RC_TRY(rc_cli_parse_threads(optarg, &threads)); break;
        case OPT_FORCE: force = 1; break;
        default:
            RC_FAIL(RC_ERR_ARGUMENT, "graph: unknown or incomplete option '%s' (see rtcascade "
                    "graph --help)", argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++) {
        if (config != NULL)
            RC_FAIL(RC_ERR_ARGUMENT, "graph: more than one config given ('%s' and '%s')", config,
                    argv[i]);
        config = argv[i];
    }
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
    free(sets);
    return status == RC_OK ? 0 : rc_cli_fail(status);
}
