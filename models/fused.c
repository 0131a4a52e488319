/* The fused kernels' shared machinery (fused.h): per-thread state, a group's seeds and passes,
 * reach by bit-sliced counting, and each run's cascade rebuilt from the group's claims in the
 * order, and with the parents, that the per-run kernel gives the same coins. */
#include "fused.h"
#include "rtcascade/memory.h"

#include <stdlib.h>
#include <string.h>

void rc_fused_ws_free(rc_fused_ws_t *fw)
{
    if (fw == NULL)
        return;
    free(fw->node);
    free(fw->touched);
    free(fw->next);
    free(fw->counted);
    free(fw->entries);
    free(fw->claims);
    free(fw->blocks);
    free(fw->seed_entry);
    free(fw->lstamp);
    free(fw->lcount);
    free(fw->ent);
    free(fw);
}

rc_status_t rc_fused_ws_alloc(uint32_t n, rc_fused_ws_t **out)
{
    rc_status_t status = RC_OK;
    rc_fused_ws_t *fw = NULL;
    *out = NULL;
    const size_t len = (size_t)n + 1;
    RC_TRY(rc_memory_check((uint64_t)len * (sizeof(fz_node_t) + 6 * sizeof(uint32_t)),
                           "a per-thread fused-kernel workspace"));
    fw = calloc(1, sizeof *fw);
    RC_ALLOC_CHECK(fw, "a fused-kernel workspace");
    fw->n = n;
    /* calloc: stamps start below every epoch, and untouched pages cost nothing. */
    fw->node = calloc(len, sizeof *fw->node);
    rc_memory_advise_huge(fw->node, len * sizeof *fw->node);
    fw->touched = malloc(len * sizeof *fw->touched);
    fw->next = malloc(len * sizeof *fw->next);
    fw->counted = malloc(len * sizeof *fw->counted);
    fw->lstamp = calloc(len, sizeof *fw->lstamp);
    fw->lcount = malloc(len * sizeof *fw->lcount);
    fw->ent = malloc((len + 1) * sizeof *fw->ent);
    RC_ALLOC_CHECK(fw->node, "fused node states");
    RC_ALLOC_CHECK(fw->touched, "fused node lists");
    RC_ALLOC_CHECK(fw->next, "fused node lists");
    RC_ALLOC_CHECK(fw->counted, "fused node lists");
    RC_ALLOC_CHECK(fw->lstamp, "fused lane stamps");
    RC_ALLOC_CHECK(fw->lcount, "fused lane counts");
    RC_ALLOC_CHECK(fw->ent, "fused lane entries");
    *out = fw;
    fw = NULL;
cleanup:
    rc_fused_ws_free(fw);
    return status;
}

uint64_t rc_fused_ws_visits(const rc_fused_ws_t *fw)
{
    return fw->n_entries;
}

/* Grows *p (elements of `size` bytes, *cap of them) to hold `need`. */
static rc_status_t grow(void **p, uint64_t *cap, uint64_t need, size_t size, const char *what)
{
    if (need <= *cap)
        return RC_OK;
    uint64_t ncap = *cap ? *cap : 1024;
    while (ncap < need)
        ncap *= 2;
    rc_status_t st = rc_memory_check(ncap * size, what);
    if (st != RC_OK)
        return st;
    void *q = realloc(*p, (size_t)(ncap * size));
    if (q == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for %s (%llu bytes)", what,
                        (unsigned long long)(ncap * size));
    *p = q;
    *cap = ncap;
    return RC_OK;
}

rc_status_t fz_reserve_claims(rc_fused_ws_t *fw, uint64_t more)
{
    return grow((void **)&fw->claims, &fw->cap_claims, fw->n_claims + more, sizeof(fz_claim_t),
                "the fused kernel's claims (a group of 64 runs holds every edge a run's coin "
                "took)");
}

rc_status_t fz_block_of(rc_fused_ws_t *fw, fz_node_t *nd, fz_block_t **out)
{
    if (nd->block == UINT32_MAX) {
        uint64_t cap = fw->cap_blocks;
        if (fw->n_blocks == UINT32_MAX - 1)
            return rc_error(RC_ERR_NOMEM, "fused kernel: too many nodes in one group");
        rc_status_t st = grow((void **)&fw->blocks, &cap, (uint64_t)fw->n_blocks + 1,
                              sizeof(fz_block_t), "the fused kernel's threshold counters");
        if (st != RC_OK)
            return st;
        fw->cap_blocks = (uint32_t)(cap < UINT32_MAX ? cap : UINT32_MAX);
        nd->block = fw->n_blocks++;
        fz_block_t *b = &fw->blocks[nd->block];
        b->init = b->dirty = 0;
    }
    *out = &fw->blocks[nd->block];
    return RC_OK;
}

rc_status_t fz_pass_end(rc_fused_ws_t *fw, uint32_t cap, int *more)
{
    rc_status_t status = RC_OK;
    *more = 0;
    const uint64_t first = fw->n_entries;
    if (first + fw->n_next >= UINT32_MAX)
        RC_FAIL(RC_ERR_NOMEM, "fused kernel: a group of runs holds more than 2^32 adoptions; "
                "use engine.kernel: per_run");
    RC_TRY(grow((void **)&fw->entries, &fw->cap_entries, first + fw->n_next, sizeof(fz_entry_t),
                "the fused kernel's frontier"));
    /* Lanes past the cap run one more pass (an LT run past it still has crossings to find
     * among its kept adopters' followers), then stop. */
    uint64_t past = 0;
    for (uint32_t i = 0; i < fw->n_next; i++) {
        const uint32_t v = fw->next[i];
        fz_node_t *nd = &fw->node[v];
        fz_entry_t *e = &fw->entries[first + i];
        e->node = v;
        e->pad = 0;
        e->lanes = nd->claimed;
        e->begin = e->end = 0;
        nd->adopted |= nd->claimed;
        for (uint64_t x = nd->claimed; x != 0; x &= x - 1)
            fw->lane_size[__builtin_ctzll(x)]++;
        nd->claimed = 0;
    }
    if (cap > 0)
        for (uint64_t x = fw->live; x != 0; x &= x - 1) {
            const int j = __builtin_ctzll(x);
            if (fw->lane_size[j] > cap)
                past |= (uint64_t)1 << j;
        }
    fw->live &= ~fw->past_cap; /* past the cap at the previous pass's end: done now */
    fw->past_cap |= past;
    fw->n_entries = first + fw->n_next;
    fw->pass_first = first;
    fw->n_next = 0;
    fw->pass_id++;
    *more = fw->n_entries > fw->pass_first && fw->live != 0;
cleanup:
    return status;
}

rc_status_t fz_begin(rc_fused_ws_t *fw, const rc_fused_group_t *grp)
{
    rc_status_t status = RC_OK;
    if (++fw->epoch == 0) { /* wrapped: old stamps could look current */
        for (uint32_t v = 0; v <= fw->n; v++)
            fw->node[v].stamp = 0;
        fw->epoch = 1;
    }
    fw->pass_id = 1;
    fw->n_touched = fw->n_next = fw->n_counted = 0;
    fw->n_entries = fw->pass_first = fw->n_claims = 0;
    fw->n_blocks = 0;
    fw->live = grp->lanes;
    fw->past_cap = 0;
    memset(fw->lane_size, 0, sizeof fw->lane_size);
    const uint32_t total = grp->seed_off[RC_LANES];
    if (total > fw->cap_seed_entry) {
        uint32_t *p = realloc(fw->seed_entry, (size_t)total * sizeof *p);
        RC_ALLOC_CHECK(p, "the fused kernel's seeds");
        fw->seed_entry = p;
        fw->cap_seed_entry = total;
    }
    for (uint64_t x = grp->lanes; x != 0; x &= x - 1) {
        const int j = __builtin_ctzll(x);
        const uint64_t bit = (uint64_t)1 << j;
        for (uint32_t k = grp->seed_off[j]; k < grp->seed_off[j + 1]; k++) {
            const uint32_t v = grp->seeds[k];
            fz_node_t *nd = fz_touch(fw, v);
            nd->exposed |= bit;
            fz_adopt(fw, nd, v, bit); /* a repeated seed adopts once */
            fw->seed_entry[k] = nd->next;
        }
    }
    int more;
    RC_TRY(fz_pass_end(fw, 0, &more)); /* the seeds' entries start at 0: seed_entry is theirs */
cleanup:
    return status;
}

void fz_count_reach(rc_fused_ws_t *fw, const uint64_t *aud)
{
    uint64_t plane[33] = {0}; /* bit-sliced counters: lane j's count is bit j of the planes */
    for (uint32_t i = 0; i < fw->n_touched; i++) {
        const uint32_t v = fw->touched[i];
        if (rc_audience_has(aud, v))
            continue; /* counted in reach from the start */
        uint64_t carry = fw->node[v].exposed;
        for (int k = 0; carry != 0 && k < 33; k++) {
            const uint64_t c = plane[k] & carry;
            plane[k] ^= carry;
            carry = c;
        }
    }
    for (int j = 0; j < RC_LANES; j++) {
        uint64_t r = 0;
        for (int k = 0; k < 33; k++)
            r |= ((plane[k] >> j) & 1u) << k;
        fw->reach[j] = r;
    }
}

/* A fresh lane epoch (clearing the stamps once every 2^32). */
static uint32_t lane_epoch(rc_fused_ws_t *fw)
{
    if (++fw->lepoch == 0) {
        memset(fw->lstamp, 0, ((size_t)fw->n + 1) * sizeof *fw->lstamp);
        fw->lepoch = 1;
    }
    return fw->lepoch;
}

/* The state of one lane's rebuild. */
typedef struct lane {
    rc_fused_ws_t *fw;
    rc_workspace_t *ws;
    const rc_run_ctx_t *ctx;
    unsigned j;
    uint64_t bit;
    uint32_t adopt_ep, seen_ep; /* lstamp values: adopted (or settled); shown (IC) or counting */
    uint32_t size, seeds, cap;
    uint64_t reach;
    int capped;
} lane_t;

static inline void lane_append(lane_t *l, uint32_t v, uint32_t parent, uint32_t entry)
{
    rc_workspace_t *ws = l->ws;
    l->fw->lstamp[v] = l->adopt_ep;
    ws->adopted[l->size] = v;
    ws->parent[l->size] = parent;
    ws->generation[l->size] = parent == RC_NO_PARENT ? 0 : ws->generation[parent] + 1;
    l->fw->ent[l->size] = entry;
    l->size++;
}

/* The lane's distinct seeds in order, as generation 0; IC counts their reach here (exact
 * replays). */
static void lane_seeds(lane_t *l, const rc_fused_group_t *grp, int count_reach)
{
    const uint64_t *aud = l->ctx->audience_bits;
    for (uint32_t k = grp->seed_off[l->j]; k < grp->seed_off[l->j + 1]; k++) {
        const uint32_t v = grp->seeds[k];
        if (l->fw->lstamp[v] == l->adopt_ep)
            continue;
        if (count_reach)
            l->reach += 1u ^ rc_audience_has(aud, v);
        lane_append(l, v, RC_NO_PARENT, l->fw->seed_entry[k]);
    }
    l->seeds = l->size;
}

/* Whether claim c makes v adopt in the lane under `rule` (LT: counts it). */
static inline int lane_takes(lane_t *l, const fz_claim_t *c, fz_rule_t rule)
{
    rc_fused_ws_t *fw = l->fw;
    const uint32_t v = c->v;
    if (!(c->lanes & l->bit) || fw->lstamp[v] == l->adopt_ep)
        return 0;
    if (rule == FZ_FIRST)
        return 1;
    if (fw->lstamp[v] != l->seen_ep) {
        fw->lstamp[v] = l->seen_ep;
        fw->lcount[v] = 0;
    }
    return (int32_t)++fw->lcount[v] == fw->blocks[fw->node[v].block].rem[l->j];
}

/* How far ahead in a lane's adopters their entries, and then their claims, are requested: a
 * group's claims (every edge a coin took, in any of its runs) are far larger than the caches,
 * and a lane visits its adopters' entries in its own order, a random read each. */
#define FZ_AHEAD_ENTRY 16
#define FZ_AHEAD_CLAIMS 8

static inline void lane_look_ahead(const rc_fused_ws_t *fw, uint32_t head, uint32_t size)
{
    if (head + FZ_AHEAD_ENTRY < size)
        __builtin_prefetch(&fw->entries[fw->ent[head + FZ_AHEAD_ENTRY]]);
    if (head + FZ_AHEAD_CLAIMS < size) {
        const fz_entry_t *e = &fw->entries[fw->ent[head + FZ_AHEAD_CLAIMS]];
        for (uint64_t k = e->begin; k < e->end; k += 64 / sizeof(fz_claim_t))
            __builtin_prefetch(&fw->claims[k]);
        if (e->end > e->begin)
            __builtin_prefetch(&fw->claims[e->end - 1]);
    }
}

/* The lane's adopters from the claims alone (no cap reached). */
static void lane_walk(lane_t *l, fz_rule_t rule)
{
    rc_fused_ws_t *fw = l->fw;
    for (uint32_t head = 0; head < l->size; head++) {
        lane_look_ahead(fw, head, l->size);
        const fz_entry_t *e = &fw->entries[fw->ent[head]];
        for (uint64_t k = e->begin; k < e->end; k++)
            if (lane_takes(l, &fw->claims[k], rule))
                lane_append(l, fw->claims[k].v, head, fw->claims[k].entry);
    }
}

/* IC past the cap: the per-run loop itself, edge by edge (exposures counted as they happen),
 * with the coins read from the claims; stops at the adoption that reaches the cap. */
static void lane_walk_ic_capped(lane_t *l)
{
    rc_fused_ws_t *fw = l->fw;
    const rc_graph_t *g = l->ctx->graph;
    const uint64_t *aud = l->ctx->audience_bits;
    for (uint32_t head = 0; head < l->size; head++) {
        const uint32_t u = l->ws->adopted[head];
        const fz_entry_t *e = &fw->entries[fw->ent[head]];
        uint64_t k = e->begin;
        for (uint64_t x = g->out_off[u]; x < g->out_off[u + 1]; x++) {
            const uint32_t v = g->out_nbr[x];
            const uint32_t st = fw->lstamp[v];
            if (st != l->seen_ep && st != l->adopt_ep) {
                l->reach += 1u ^ rc_audience_has(aud, v);
                fw->lstamp[v] = l->seen_ep;
            }
            if (k >= e->end || fw->claims[k].v != v)
                continue;
            const fz_claim_t *c = &fw->claims[k++];
            if (!lane_takes(l, c, FZ_FIRST))
                continue;
            lane_append(l, v, head, c->entry);
            if (l->size >= l->cap) {
                l->capped = 1;
                return;
            }
        }
    }
}

/* LT past the cap: adopters from the claims, those crossing once the cap is full settled
 * (flagging the run capped); then reach: the seeds and every kept adopter's followers. */
static void lane_walk_lt_capped(lane_t *l)
{
    rc_fused_ws_t *fw = l->fw;
    const rc_graph_t *g = l->ctx->graph;
    const uint64_t *aud = l->ctx->audience_bits;
    for (uint32_t head = 0; head < l->size; head++) {
        const fz_entry_t *e = &fw->entries[fw->ent[head]];
        for (uint64_t k = e->begin; k < e->end; k++) {
            const fz_claim_t *c = &fw->claims[k];
            if (!lane_takes(l, c, FZ_RANK))
                continue;
            if (l->size >= l->cap) {
                l->capped = 1;
                fw->lstamp[c->v] = l->adopt_ep; /* settled */
                continue;
            }
            lane_append(l, c->v, head, c->entry);
        }
    }
    const uint32_t ep = lane_epoch(fw);
    for (uint32_t i = 0; i < l->size; i++) {
        const uint32_t u = l->ws->adopted[i];
        if (fw->lstamp[u] != ep && i < l->seeds) {
            fw->lstamp[u] = ep;
            l->reach += 1u ^ rc_audience_has(aud, u);
        }
    }
    for (uint32_t i = 0; i < l->size; i++) {
        const uint32_t u = l->ws->adopted[i];
        for (uint64_t x = g->out_off[u]; x < g->out_off[u + 1]; x++) {
            const uint32_t v = g->out_nbr[x];
            if (fw->lstamp[v] != ep) {
                fw->lstamp[v] = ep;
                l->reach += 1u ^ rc_audience_has(aud, v);
            }
        }
    }
}

rc_status_t fz_emit_lane(rc_fused_ws_t *fw, const rc_run_ctx_t *ctx, const rc_fused_group_t *grp,
                         unsigned lane, fz_rule_t rule, rc_workspace_t *ws, rc_fused_emit_t emit,
                         void *emit_ctx)
{
    lane_t l = {.fw = fw, .ws = ws, .ctx = ctx, .j = lane, .bit = (uint64_t)1 << lane,
                .cap = ctx->max_size ? ctx->max_size : UINT32_MAX,
                .reach = ctx->audience_size};
    l.seen_ep = lane_epoch(fw);
    l.adopt_ep = lane_epoch(fw);
    const int exact = ctx->max_size > 0 && fw->lane_size[lane] >= ctx->max_size;
    if (!exact) {
        lane_seeds(&l, grp, 0);
        lane_walk(&l, rule);
        l.reach += fw->reach[lane];
    } else if (rule == FZ_FIRST) {
        lane_seeds(&l, grp, 1);
        lane_walk_ic_capped(&l);
    } else {
        lane_seeds(&l, grp, 0);
        lane_walk_lt_capped(&l);
    }
    rc_cascade_t c;
    rc_cascade_finish(&c, ws, l.size, l.seeds, 0, l.reach, l.capped,
                      ctx->audience_bits != NULL);
    return emit(emit_ctx, lane, &c);
}
