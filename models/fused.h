/* The fused kernels' shared machinery (models layer, private): a group's node states (one bit
 * per run), the passes' frontier entries and claims, and the extraction of each run's cascade.
 *
 * A pass processes the entries of one generation. An entry is a node u together with the lanes
 * (runs) in which u adopted in the previous generation; the model walks u's followers once for
 * all those lanes and records, for each follower v whose coin (IC) or threshold (LT) counts in
 * some lanes, a claim (v, lanes). Claims of an entry lie together, in u's follower order.
 * A run's cascade is then rebuilt by a breadth-first walk of its own adopters over their
 * entries' claims carrying its bit: adopters in the order the per-run kernel appends them, each
 * with the parent the per-run kernel gives it (IC: its first claim in that order; LT: the
 * claim that makes its count reach its threshold). */
#ifndef RC_MODELS_FUSED_H
#define RC_MODELS_FUSED_H

#include "rtcascade/model.h"

#include <stdint.h>

/* A node's state in the current group (valid when stamp == the group's epoch). */
typedef struct fz_node {
    uint64_t adopted; /* lanes where it adopted before the current pass */
    uint64_t claimed; /* lanes where it adopts in the current pass */
    uint64_t exposed; /* lanes where it was shown the post (reach) */
    uint32_t stamp;   /* group epoch */
    uint32_t pass;    /* pass id at which `next` was set (or, LT, it was counted in a pass) */
    uint32_t next;    /* its position among the next pass's entries */
    uint32_t block;   /* LT: its block of per-lane counters */
} fz_node_t;

/* A node that adopted in some lanes in the previous pass. */
typedef struct fz_entry {
    uint32_t node;
    uint32_t pad;
    uint64_t lanes;      /* where it adopted in the previous pass */
    uint64_t begin, end; /* its claims */
} fz_entry_t;

/* A follower v of an entry's node counted in `lanes`; `entry` is v's entry in the next pass
 * (the claim's lanes are among the lanes where v adopts in it). */
typedef struct fz_claim {
    uint32_t v;
    uint32_t entry;
    uint64_t lanes;
} fz_claim_t;

/* LT: per-lane counters of a node: need left before the current pass (after adoption: the
 * rank among its claims of the one that made it adopt), and this pass's decrements. */
typedef struct fz_block {
    int32_t rem[RC_LANES];
    uint32_t dec[RC_LANES];
    uint64_t init;  /* lanes whose threshold is drawn */
    uint64_t dirty; /* lanes decremented in the current pass */
} fz_block_t;

struct rc_fused_ws {
    uint32_t n;
    uint32_t epoch;           /* current group */
    uint32_t pass_id;         /* current pass (all groups) */
    fz_node_t *node;          /* n */
    uint32_t *touched;        /* nodes stamped in this group */
    uint32_t n_touched;
    uint32_t *next;           /* nodes adopting in the current pass, by `next` position */
    uint32_t n_next;
    uint32_t *counted;        /* LT: nodes decremented in the current pass */
    uint32_t n_counted;
    fz_entry_t *entries;
    uint64_t n_entries, cap_entries;
    uint64_t pass_first;      /* the current pass's entries are [pass_first, n_entries) */
    fz_claim_t *claims;
    uint64_t n_claims, cap_claims;
    fz_block_t *blocks;       /* LT */
    uint32_t n_blocks, cap_blocks;
    uint64_t live;            /* lanes still advancing */
    uint64_t past_cap;        /* lanes past the size cap (they stop after one more pass) */
    uint64_t lane_size[RC_LANES]; /* adopters so far per lane, seeds included */
    uint64_t reach[RC_LANES]; /* exposures outside the audience, per lane (fz_count_reach) */
    uint32_t *seed_entry;     /* entry of each seed of the group (as grp->seeds) */
    uint32_t cap_seed_entry;
    /* The extraction of one lane. */
    uint32_t *lstamp;         /* n: lane epochs */
    uint32_t *lcount;         /* n: LT claims counted so far */
    uint32_t lepoch;
    uint32_t *ent;            /* per adopter of the lane: its entry */
};

/* Starts group grp: a new epoch, every lane of grp->lanes live, its seeds placed (exposed and
 * adopted in their lanes) and the first pass's entries made. RC_ERR_NOMEM. */
rc_status_t fz_begin(rc_fused_ws_t *fw, const rc_fused_group_t *grp);

/* The node state of v in this group, stamped and zeroed on first use. */
static inline fz_node_t *fz_touch(rc_fused_ws_t *fw, uint32_t v)
{
    fz_node_t *nd = &fw->node[v];
    if (nd->stamp != fw->epoch) {
        nd->stamp = fw->epoch;
        nd->adopted = nd->claimed = nd->exposed = 0;
        nd->pass = 0;
        nd->block = UINT32_MAX;
        fw->touched[fw->n_touched++] = v;
    }
    return nd;
}

/* Room for `more` claims. RC_ERR_NOMEM. */
rc_status_t fz_reserve_claims(rc_fused_ws_t *fw, uint64_t more);

/* v (state nd) adopts in lanes `lanes` in this pass: it gets a place among the next pass's
 * entries the first time. */
static inline void fz_adopt(rc_fused_ws_t *fw, fz_node_t *nd, uint32_t v, uint64_t lanes)
{
    if (nd->pass != fw->pass_id) {
        nd->pass = fw->pass_id;
        nd->next = fw->n_next;
        fw->next[fw->n_next++] = v;
    }
    nd->claimed |= lanes;
}

/* Appends the claim (v, lanes) (room reserved) with v's next-pass entry. */
static inline void fz_claim(rc_fused_ws_t *fw, uint32_t v, const fz_node_t *nd, uint64_t lanes)
{
    fz_claim_t *c = &fw->claims[fw->n_claims++];
    c->v = v;
    c->entry = (uint32_t)(fw->n_entries + nd->next);
    c->lanes = lanes;
}

/* Ends a pass: the nodes of fw->next become the next pass's entries (lanes: where they adopted),
 * lane sizes grow, lanes past `cap` adopters (0 = none) stop. Returns 1 when the next pass has
 * entries. RC_ERR_NOMEM (*more = 0). */
rc_status_t fz_pass_end(rc_fused_ws_t *fw, uint32_t cap, int *more);

/* After the last pass: per lane, the nodes exposed outside the audience `aud` (may be NULL) into
 * fw->reach. */
void fz_count_reach(rc_fused_ws_t *fw, const uint64_t *aud);

/* How a lane's adopters are taken from the claims. */
typedef enum fz_rule {
    FZ_FIRST = 0, /* IC: the first claim in the run's order adopts */
    FZ_RANK = 1   /* LT: the claim whose rank is the node's stored rank (rem) adopts */
} fz_rule_t;

/* Rebuilds lane `lane`'s cascade into ws (as the per-run kernel: seeds, then adopters in order)
 * and emits it. cap = ctx->max_size. IC lanes that reached the cap are replayed edge by edge so
 * that reach counts exactly the exposures before the cap was hit; LT lanes that passed it
 * count the followers of every adopter kept. */
rc_status_t fz_emit_lane(rc_fused_ws_t *fw, const rc_run_ctx_t *ctx, const rc_fused_group_t *grp,
                         unsigned lane, fz_rule_t rule, rc_workspace_t *ws, rc_fused_emit_t emit,
                         void *emit_ctx);

/* LT: the block of v (allocated on first use). RC_ERR_NOMEM. */
rc_status_t fz_block_of(rc_fused_ws_t *fw, fz_node_t *nd, fz_block_t **out);

#endif
