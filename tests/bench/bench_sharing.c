/* How much a group of 64 independent-cascade runs can share its edge reads, whatever the kernel
 * (the measurement behind docs/benchmarks.md, "Why fusing does not pay here").
 *
 * A fused kernel reads a node's followers once for every run of its group in which the node has
 * adopted and not yet been read: one "visit" of the node serves the runs (lanes) it carries. The
 * more lanes a visit carries, the fewer follower reads per adoption, and the more a fused kernel
 * can gain over one run at a time, which reads every adopter's followers once per run. This
 * program runs groups of 64 cascades on a directed G(n, m) with the fused kernel's coins (run j's
 * coin on edge e is bit j of rc_ctr_bernoulli at counter e) and counts visits under three orders:
 *
 *   generation  a visit is a node with the lanes in which it adopted in the previous
 *               generation (the order of the fused kernel, which keeps each run's generations);
 *   fifo        order-free: a node is queued when it adopts in a lane and is not queued already,
 *               and a visit carries every lane that reached it while it waited (the live-edge
 *               view: the adopter sets do not depend on the order; generations and trees would
 *               have to be rebuilt per run afterwards);
 *   sweep       order-free: nodes are visited in index order, sweep after sweep, until no lane
 *               is pending, so lanes pile up at a node between two sweeps.
 *
 * Every order reaches the same adopters (checked). Seeds: one random node per run (--common 0),
 * or the same K random nodes in every run of a group (--common K: a hand-picked set shared by
 * all runs). The network is G(n, m) unless --network gives a config's `network:` map (YAML
 * flow style, e.g. '{generator: chung_lu, nodes: 100000, ...}'). Prints one JSON object per
 * order. */
#include "rtcascade/config.h"
#include "rtcascade/graph.h"
#include "rtcascade/graph_h5.h"
#include "rtcascade/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LANES = 64 };

typedef enum order { GENERATION = 0, FIFO = 1, SWEEP = 2 } order_t;
static const char *const order_names[] = {"generation", "fifo", "sweep"};

/* Nodes waiting for a visit, in a ring. In the order-free orders a node waits in it exactly
 * when it has lanes pending, so n slots would do; by generation a node can wait twice (in the
 * current generation and the next), so the ring has 2n. */
typedef struct ring {
    uint32_t *slot;
    uint32_t cap, head, count;
} ring_t;

static void ring_push(ring_t *q, uint32_t v)
{
    uint64_t at = (uint64_t)q->head + q->count++;
    q->slot[at >= q->cap ? at - q->cap : at] = v;
}

static uint32_t ring_pop(ring_t *q)
{
    const uint32_t v = q->slot[q->head];
    q->head = q->head + 1 == q->cap ? 0 : q->head + 1;
    q->count--;
    return v;
}

typedef struct state {
    const rc_graph_t *g;
    uint64_t q;        /* edge probability / 2^32 */
    uint64_t key;      /* the group's coin key */
    uint64_t *adopted; /* n: lanes where the node adopted */
    uint64_t *pending; /* n: lanes where it adopted and has not been visited */
    double visits, reads;
} state_t;

/* Visits u for `lanes`: every follower's coins drawn for them (those where it has not adopted),
 * new adoptions made pending; a follower that had nothing pending joins q (when not NULL). */
static void visit(state_t *s, uint32_t u, uint64_t lanes, ring_t *q)
{
    const rc_graph_t *g = s->g;
    s->visits += 1;
    s->reads += (double)(g->out_off[u + 1] - g->out_off[u]);
    for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
        const uint32_t v = g->out_nbr[e];
        const uint64_t rel = lanes & ~s->adopted[v];
        if (rel == 0)
            continue;
        const uint64_t took = rc_ctr_bernoulli(rc_ctr_u64(s->key, e), rel, s->q);
        if (took == 0)
            continue;
        s->adopted[v] |= took;
        if (s->pending[v] == 0 && q != NULL)
            ring_push(q, v);
        s->pending[v] |= took;
    }
}

/* One group, its seeds already adopted and pending and in q. */
static void run_group(state_t *s, order_t order, ring_t *q, uint64_t *carry)
{
    const uint32_t n = s->g->n;
    if (order == GENERATION) {
        /* The generation is what q holds at its start; each of its nodes carries the lanes
         * pending then, and what adopts during it waits for the next one. */
        while (q->count > 0) {
            const uint32_t len = q->count;
            for (uint32_t i = 0; i < len; i++) {
                const uint64_t at = (uint64_t)q->head + i;
                const uint32_t u = q->slot[at < q->cap ? at : at - q->cap];
                carry[i] = s->pending[u];
                s->pending[u] = 0;
            }
            for (uint32_t i = 0; i < len; i++) {
                const uint32_t u = ring_pop(q);
                visit(s, u, carry[i], q);
            }
        }
    } else if (order == FIFO) {
        while (q->count > 0) {
            const uint32_t u = ring_pop(q);
            const uint64_t lanes = s->pending[u];
            s->pending[u] = 0;
            visit(s, u, lanes, q);
        }
    } else {
        q->count = 0; /* sweeps find the pending nodes themselves */
        for (int any = 1; any;) {
            any = 0;
            for (uint32_t u = 0; u < n; u++) {
                const uint64_t lanes = s->pending[u];
                if (lanes == 0)
                    continue;
                any = 1;
                s->pending[u] = 0;
                visit(s, u, lanes, NULL);
            }
        }
    }
}

int main(int argc, char **argv)
{
    uint32_t n = 100000, common = 0, groups = 16;
    uint64_t m = 1000000, seed = 1;
    double p = 0.12;
    const char *network = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (strcmp(a, "--nodes") == 0)
            n = (uint32_t)strtoul(v, NULL, 10);
        else if (strcmp(a, "--edges") == 0)
            m = strtoull(v, NULL, 10);
        else if (strcmp(a, "--p") == 0)
            p = strtod(v, NULL);
        else if (strcmp(a, "--groups") == 0)
            groups = (uint32_t)strtoul(v, NULL, 10);
        else if (strcmp(a, "--common") == 0)
            common = (uint32_t)strtoul(v, NULL, 10);
        else if (strcmp(a, "--seed") == 0)
            seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--network") == 0)
            network = v;
        else {
            fprintf(stderr, "usage: rc_bench_sharing [--nodes N] [--edges M] [--p P] "
                            "[--groups G] [--common K] [--seed S]\n"
                            "                        [--network YAML]\n");
            return 2;
        }
    }
    if ((argc - 1) % 2 != 0 || n == 0 || n > UINT32_MAX / 2 || groups == 0) {
        fprintf(stderr, "rc_bench_sharing: bad arguments\n");
        return 2;
    }
    rc_graph_t *g = NULL;
    rc_cfg_t *cfg = NULL;
    rc_status_t st = network == NULL ? rc_gen_erdos_renyi(n, m, 0, seed, &g)
                     : rc_cfg_parse_string(network, "--network", &cfg);
    if (st == RC_OK && network != NULL)
        st = rc_network_build(cfg, seed, ".", &g);
    rc_cfg_free(cfg);
    if (st == RC_OK)
        n = g->n;
    if (st == RC_OK && n > UINT32_MAX / 2)
        st = rc_error(RC_ERR_CONFIG, "--network: too many nodes");
    if (st != RC_OK) {
        fprintf(stderr, "rc_bench_sharing: %s\n", rc_error_message());
        return 1;
    }
    state_t s = {.g = g, .q = rc_ctr_q32(p)};
    s.adopted = malloc((size_t)n * sizeof *s.adopted);
    s.pending = malloc((size_t)n * sizeof *s.pending);
    /* A generation's nodes can wait in q again for the next one: 2n slots. */
    ring_t q = {.slot = malloc(2 * (size_t)n * sizeof *q.slot), .cap = 2 * n};
    uint64_t *carry = malloc((size_t)2 * n * sizeof *carry);
    uint32_t *shared = malloc((size_t)(common ? common : 1) * sizeof *shared);
    gsl_rng *r = rc_rng_alloc();
    if (!s.adopted || !s.pending || !q.slot || !carry || !shared || !r) {
        fprintf(stderr, "rc_bench_sharing: out of memory\n");
        return 1;
    }
    int rc = 0;
    uint64_t digest0 = 0;
    for (int order = GENERATION; order <= SWEEP; order++) {
        s.visits = s.reads = 0;
        double adoptions = 0, trials = 0;
        uint64_t digest = 0; /* of every group's adopters: the orders must agree */
        for (uint32_t grp = 0; grp < groups; grp++) {
            memset(s.adopted, 0, (size_t)n * sizeof *s.adopted);
            memset(s.pending, 0, (size_t)n * sizeof *s.pending);
            s.key = rc_ctr_key(seed, 0, grp);
            rc_rng_seed(r, seed, 1, grp); /* the same seeds for every order */
            for (uint32_t i = 0; i < common; i++)
                shared[i] = rc_rng_below(r, n);
            q.head = q.count = 0;
            for (int j = 0; j < LANES; j++)
                for (uint32_t i = 0; i < (common ? common : 1); i++) {
                    const uint32_t v = common ? shared[i] : rc_rng_below(r, n);
                    if (s.pending[v] == 0)
                        ring_push(&q, v);
                    s.adopted[v] |= (uint64_t)1 << j;
                    s.pending[v] |= (uint64_t)1 << j;
                }
            run_group(&s, (order_t)order, &q, carry);
            for (uint32_t v = 0; v < n; v++) {
                const double c = __builtin_popcountll(s.adopted[v]);
                adoptions += c;
                trials += c * (double)(g->out_off[v + 1] - g->out_off[v]);
                digest += rc_mix64(s.adopted[v] ^ rc_mix64((uint64_t)grp << 32 | v));
            }
        }
        if (order == GENERATION)
            digest0 = digest;
        const int same = digest == digest0;
        printf("{\"order\": \"%s\", \"network\": \"%s\", \"nodes\": %u, \"edges\": %llu, "
               "\"p\": %g, \"groups\": %u, \"common_seeds\": %u, \"adoptions\": %.0f, "
               "\"visits\": %.0f, \"lanes_per_visit\": %.3f, \"follower_reads\": %.0f, "
               "\"per_run_follower_reads\": %.0f, \"reads_saved\": %.3f, "
               "\"same_adopters\": %s}\n",
               order_names[order], g->description ? g->description : "", n,
               (unsigned long long)g->m, p, groups, common, adoptions, s.visits,
               adoptions / s.visits, s.reads, trials, trials / s.reads, same ? "true" : "false");
        if (!same)
            rc = 1;
    }
    gsl_rng_free(r);
    free(shared);
    free(carry);
    free(s.adopted);
    free(s.pending);
    free(q.slot);
    rc_graph_free(g);
    return rc;
}
