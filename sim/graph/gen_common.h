/* Private helpers shared by the random graph generators (gen_*.c): per-block random streams that
 * need no allocation, Walker alias tables, power-law expected-degree weights scaled to a mean,
 * binomial splits of an edge budget, and the graph's description string. */
#ifndef RC_GEN_COMMON_H
#define RC_GEN_COMMON_H

#include "rtcascade/error.h"
#include "rtcascade/graph.h"
#include "rtcascade/rng.h"

#include <stddef.h>
#include <stdint.h>

/* Work is cut into blocks of this many edges (or nodes), each drawing from its own stream keyed
 * by (seed, generator tag, block), so results never depend on the thread count. */
#define RC_GEN_BLOCK ((uint64_t)1 << 20)

/* Stream tags: the `a` key of rc_rng_seed, one per generator and phase. */
enum {
    RC_GEN_TAG_ER = 0x4552000,         /* Erdos-Renyi key draws; + round */
    RC_GEN_TAG_ER_SELECT = 0x4553000,  /* Erdos-Renyi: trimming surplus keys */
    RC_GEN_TAG_CL_SPLIT = 0x434c000,   /* Chung-Lu: edges per node block */
    RC_GEN_TAG_CL_EDGES = 0x434c001,   /* Chung-Lu: per-node edge counts in a block */
    RC_GEN_TAG_CL_SHUFFLE = 0x434c002, /* Chung-Lu: in-weight permutation */
    RC_GEN_TAG_CL_TARGETS = 0x434c003, /* Chung-Lu: targets in a block */
    RC_GEN_TAG_PRICE = 0x5052000,
    RC_GEN_TAG_WS = 0x5753000,
    RC_GEN_TAG_SBM_SIZES = 0x5342000,
    RC_GEN_TAG_SBM_THETA = 0x5342001,
    RC_GEN_TAG_SBM_EDGES = 0x5342002,
    RC_GEN_TAG_SBM_PHI = 0x5342003,
    RC_GEN_TAG_SBM_CLOSE = 0x5342004, /* DCSBM: closure edges */
    RC_GEN_TAG_SBM_RECIP = 0x5342005  /* DCSBM: reverses of one-way edges, per node block */
};

/* A stream that lives on the stack, so that parallel blocks open streams without allocating
 * (nothing can fail inside a parallel region). Use &s.r wherever a gsl_rng * is wanted. */
typedef struct rc_gen_stream {
    rc_xoshiro_state_t st;
    gsl_rng r;
} rc_gen_stream_t;

/* Points s at its own state and keys it to (master, a, b). Cannot fail. */
void rc_gen_stream_open(rc_gen_stream_t *s, uint64_t master, uint64_t a, uint64_t b);

/* One slot of a Walker alias table: keep index i when the low 32 random bits are below prob,
 * else take alias. A full slot has prob = UINT32_MAX and alias = i. */
typedef struct rc_alias_slot {
    uint32_t prob;
    uint32_t alias;
} rc_alias_slot_t;

/* Builds the alias table of weights w[0..len) into table (len slots) by Vose's method, using
 * scratch (len uint32) and overwriting w. Weights must be finite and >= 0 with a positive sum;
 * returns RC_ERR_INTERNAL otherwise (callers validate their parameters first). */
rc_status_t rc_alias_build(double *w, uint32_t len, rc_alias_slot_t *table, uint32_t *scratch);

/* The slot that the 64-bit random number x selects: its high half picks the slot. */
static inline uint32_t rc_alias_slot_of(uint64_t x, uint32_t len)
{
    return (uint32_t)(((x >> 32) * (uint64_t)len) >> 32);
}

/* The index that x draws from the table: slot rc_alias_slot_of(x), its low half the coin. */
static inline uint32_t rc_alias_pick(const rc_alias_slot_t *table, uint32_t len, uint64_t x)
{
    uint32_t i = rc_alias_slot_of(x, len);
    rc_alias_slot_t s = table[i];
    /* Branch-free on purpose: the slot is usually a cache miss, and a mispredicted branch on it
     * would flush the loads of the following draws that the CPU already has in flight. */
    uint32_t keep = (uint32_t)((uint32_t)x < s.prob);
    return i ^ ((i ^ s.alias) & (keep - 1u));
}

/* Draws an index in [0, len) from the table with one 64-bit random number. */
static inline uint32_t rc_alias_draw(const rc_alias_slot_t *table, uint32_t len, gsl_rng *r)
{
    return rc_alias_pick(table, len, rc_rng_u64(r));
}

/* x[i] = ((i + 1/2) / n)^(-1/(gamma - 1)), i in [0, n): the deterministic quantiles of a Pareto
 * law with minimum 1 and density exponent gamma, largest first. gamma == 0 gives all ones. */
void rc_gen_powerlaw_quantiles(double *x, uint32_t n, double gamma);

/* Replaces x (positive raw weights) by w_i = min(hi, max(lo, s * x_i)), with the scale s chosen
 * so that the mean of w is `mean`; requires 0 <= lo <= mean <= hi. Returns s. Exact up to
 * rounding: the clamped sum is piecewise linear in s, so a safeguarded Newton iteration lands
 * on the root in a few O(n) passes. Cannot fail. */
double rc_gen_scale_to_mean(double *x, uint32_t n, double mean, double lo, double hi);

/* A Binomial(trials, p) draw for 64-bit trial counts (gsl_ran_binomial takes unsigned int). */
uint64_t rc_gen_binomial(gsl_rng *r, double p, uint64_t trials);

/* Splits `total` into counts[0..k) ~ Multinomial(total, w / sum(w)) by sequential conditional
 * binomials; the last positive-weight part takes what is left, so the counts sum to total
 * exactly. Cannot fail. */
void rc_gen_multinomial(gsl_rng *r, uint64_t total, const double *w, size_t k, uint64_t *counts);

/* rc_edges_init for exactly m edges, with len = m, for the generator to fill (its arrays, which
 * rc_graph_build turns into the graph's adjacency lists in place, are advised onto huge pages
 * there). On failure *e is empty. RC_ERR_NOMEM. */
rc_status_t rc_gen_edges_alloc(rc_edges_t *e, uint64_t m);

/* Sets g->description to a malloc'd printf-formatted string (replacing any). */
rc_status_t rc_gen_describe(rc_graph_t *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Validates the shared (min_degree, max_degree, mean_degree) triple of Chung-Lu and DCSBM, and
 * resolves defaults: *lo = min_degree, *hi = max_degree or n-1 when 0. `who` names the generator
 * in messages. */
rc_status_t rc_gen_check_degrees(const char *who, uint32_t n, double mean, double min_degree,
                                 double max_degree, double *lo, double *hi);

/* Fails with RC_ERR_CONFIG unless value is 0 (no power law) or a finite exponent > 2, the range
 * in which a power law has a finite mean. */
rc_status_t rc_gen_check_exponent(const char *who, const char *name, double value);

#endif
