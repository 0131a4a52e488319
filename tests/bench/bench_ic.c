/* Throughput benchmark of the independent cascade engine (run by scripts/bench_ic.py): builds a
 * directed Erdos-Renyi graph, runs single-random-seed cascades and prints one JSON object with
 * edge trials/s (out-edges of every adopter, examined or skipped over) and activations/s.
 * Optionally writes the graph as raw uint32 (src, dst) pairs and the runs' seed nodes, so that
 * another tool can run the same cascades on the same graph. */
#include "rtcascade/specs.h"
#include "rtcascade/engine.h"
#include "rtcascade/graph.h"
#include "rtcascade/model.h"
#include "rtcascade/rng.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(void)
{
    fprintf(stderr, "usage: rc_bench_ic [--nodes N] [--edges M] [--p P] [--runs R] [--threads T]\n"
                    "                   [--seed S] [--kernel auto|per_run|fused] [--model ic|lt]\n"
                    "                   [--write-edges FILE] [--write-seeds FILE]\n");
}

static int write_edges(const rc_graph_t *g, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    uint32_t buf[2 * 4096];
    size_t k = 0;
    for (uint32_t u = 0; u < g->n; u++)
        for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
            buf[k++] = u;
            buf[k++] = g->out_nbr[e];
            if (k == sizeof buf / sizeof buf[0]) {
                if (fwrite(buf, sizeof buf[0], k, f) != k)
                    goto fail;
                k = 0;
            }
        }
    if (fwrite(buf, sizeof buf[0], k, f) != k)
        goto fail;
    return fclose(f) == 0 ? 0 : -1;
fail:
    fclose(f);
    return -1;
}

int main(int argc, char **argv)
{
    uint32_t n = 1000000;
    uint64_t m = 10000000, runs = 200, seed = 1;
    double p = 0.12;
    int threads = 1;
    const char *edges_path = NULL, *seeds_path = NULL, *kernel = "auto", *model_name = "ic";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v == NULL) {
            usage();
            return 2;
        }
        if (strcmp(a, "--nodes") == 0)
            n = (uint32_t)strtoul(v, NULL, 10);
        else if (strcmp(a, "--edges") == 0)
            m = strtoull(v, NULL, 10);
        else if (strcmp(a, "--p") == 0)
            p = strtod(v, NULL);
        else if (strcmp(a, "--runs") == 0)
            runs = strtoull(v, NULL, 10);
        else if (strcmp(a, "--threads") == 0)
            threads = atoi(v);
        else if (strcmp(a, "--seed") == 0)
            seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--kernel") == 0)
            kernel = v;
        else if (strcmp(a, "--model") == 0)
            model_name = v;
        else if (strcmp(a, "--write-edges") == 0)
            edges_path = v;
        else if (strcmp(a, "--write-seeds") == 0)
            seeds_path = v;
        else {
            usage();
            return 2;
        }
        i++;
    }

    rc_graph_t *g = NULL;
    rc_mc_results_t *res = NULL;
    const rc_model_t *model = NULL;
    void *params = NULL;
    rc_cfg_t *cfg = NULL;
    int rc = 1;
    double t0 = omp_get_wtime();
    if (rc_gen_erdos_renyi(n, m, 0, seed, &g) != RC_OK)
        goto fail;
    double build = omp_get_wtime() - t0;
    if (edges_path != NULL && write_edges(g, edges_path) != 0) {
        fprintf(stderr, "rc_bench_ic: cannot write %s\n", edges_path);
        goto done;
    }
    char yaml[128];
    if (strcmp(model_name, "lt") == 0)
        snprintf(yaml, sizeof yaml, "{name: linear_threshold}");
    else
        snprintf(yaml, sizeof yaml, "{name: independent_cascade, p: %.17g}", p);
    if (rc_cfg_parse_string(yaml, "<bench>", &cfg) != RC_OK ||
        rc_model_parse(cfg, &model, &params) != RC_OK)
        goto fail;
    rc_seed_spec_t spec = {.strategy = RC_SEEDS_RANDOM, .count = 1};
    rc_mc_options_t opt = rc_mc_default_options();
    opt.threads = threads;
    rc_kernel_t k;
    if (rc_kernel_parse(kernel, &k) != RC_OK)
        goto fail;
    opt.kernel = k;
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    if (rc_mc_run(g, model, params, &spec, runs, seed, 0, &opt, &res) != RC_OK)
        goto fail;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    const double cpu = (double)(c1.tv_sec - c0.tv_sec) + 1e-9 * (double)(c1.tv_nsec - c0.tv_nsec);
    if (seeds_path != NULL) {
        /* The engine's seed for run r with one random seed: the first draw of stream
         * (seed, point 0, r), as Floyd's algorithm makes exactly one draw below n. */
        FILE *f = fopen(seeds_path, "wb");
        gsl_rng *r = rc_rng_alloc();
        for (uint64_t run = 0; f != NULL && r != NULL && run < runs; run++) {
            rc_rng_seed(r, seed, 0, run);
            uint32_t s = rc_rng_below(r, n);
            uint32_t size = res->size[run];
            fwrite(&s, sizeof s, 1, f);
            fwrite(&size, sizeof size, 1, f);
        }
        gsl_rng_free(r);
        if (f == NULL || fclose(f) != 0) {
            fprintf(stderr, "rc_bench_ic: cannot write %s\n", seeds_path);
            goto done;
        }
    }
    printf("{\"nodes\": %u, \"edges\": %llu, \"p\": %g, \"runs\": %llu, \"threads\": %d, "
           "\"build_seconds\": %.3f, \"seconds\": %.4f, \"edge_trials\": %llu, "
           "\"activations\": %llu, \"edge_trials_per_s\": %.6g, \"activations_per_s\": %.6g, "
           "\"p_global\": %.4f, \"mean_size\": %.2f, \"kernel\": \"%s\", "
           "\"cpu_seconds\": %.4f, \"activations_per_cpu_s\": %.6g, \"mean_reach\": %.2f, "
           "\"mean_depth\": %.3f, \"mean_virality\": %.4f}\n",
           g->n, (unsigned long long)g->m, p, (unsigned long long)runs, threads, build,
           res->seconds, (unsigned long long)res->total_edges,
           (unsigned long long)res->total_adoptions, (double)res->total_edges / res->seconds,
           (double)res->total_adoptions / res->seconds, res->p_global,
           (double)res->total_adoptions / (double)runs, rc_kernel_names[res->kernel], cpu,
           (double)res->total_adoptions / cpu, res->summary[RC_METRIC_REACH].mean,
           res->summary[RC_METRIC_DEPTH].mean, res->summary[RC_METRIC_VIRALITY].mean);
    rc = 0;
    goto done;
fail:
    fprintf(stderr, "rc_bench_ic: %s\n", rc_error_message());
done:
    rc_mc_results_free(res);
    if (params != NULL)
        rc_model_params_free(model, params);
    rc_cfg_free(cfg);
    rc_graph_free(g);
    return rc;
}
