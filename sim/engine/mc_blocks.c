/* Blocks of runs (mc_blocks.h): a result flattened into bytes and back, and put at its place in
 * the result of its whole point. Every per-run value is copied, never recomputed, and the
 * per-generation totals are integer sums, so a point joined from blocks in any order equals
 * the one-call run bit for bit once rc_mc_summarize has run on it (in run order). */
#include "rtcascade/mc_blocks.h"
#include "rtcascade/curves.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_MAGIC 0x314b4c4243524cULL /* tag of a packed block ("LRCBLK1" in memory) */
#define HEADER_WORDS 13
#define GROWTH_WORDS (3 * RC_GROWTH_TIMES)

rc_status_t rc_mc_results_alloc(uint64_t runs, int timed, rc_mc_results_t **out)
{
    rc_status_t status = RC_OK;
    rc_mc_results_t *res = calloc(1, sizeof *res);
    *out = NULL;
    RC_ALLOC_CHECK(res, "Monte Carlo results");
    size_t n = runs ? (size_t)runs : 1;
#define ALLOC_ARRAY(field)                                                                         \
    do {                                                                                           \
        res->field = calloc(n, sizeof *res->field);                                                \
        RC_ALLOC_CHECK(res->field, "per-run " #field " values");                                   \
    } while (0)
    ALLOC_ARRAY(size);
    ALLOC_ARRAY(retweets);
    ALLOC_ARRAY(reach);
    ALLOC_ARRAY(depth);
    ALLOC_ARRAY(max_breadth);
    ALLOC_ARRAY(virality);
    ALLOC_ARRAY(edges);
    ALLOC_ARRAY(global);
    ALLOC_ARRAY(capped);
    if (timed) {
        ALLOC_ARRAY(final_time);
        ALLOC_ARRAY(t50);
        ALLOC_ARRAY(t90);
    }
#undef ALLOC_ARRAY
    res->runs = runs;
    res->timed = timed != 0;
    res->kernel = RC_KERNEL_PER_RUN;
    *out = res;
    res = NULL;
cleanup:
    rc_mc_results_free(res);
    return status;
}

/* The per-run arrays in buffer order, with their element sizes: the one list that pack,
 * unpack and put_block walk, so the three cannot disagree. */
typedef struct run_array {
    void *data;
    size_t elem;
} run_array_t;

#define N_RUN_ARRAYS 12

/* The arrays of res (time arrays only when timed); returns how many. */
static size_t run_arrays(const rc_mc_results_t *res, run_array_t a[N_RUN_ARRAYS])
{
    size_t k = 0;
#define ADD(field)                                                                                 \
    do {                                                                                           \
        a[k].data = res->field;                                                                    \
        a[k].elem = sizeof *res->field;                                                            \
        k++;                                                                                       \
    } while (0)
    ADD(size);
    ADD(retweets);
    ADD(reach);
    ADD(depth);
    ADD(max_breadth);
    ADD(virality);
    ADD(edges);
    ADD(global);
    ADD(capped);
    if (res->timed) {
        ADD(final_time);
        ADD(t50);
        ADD(t90);
    }
#undef ADD
    return k;
}

/* Bytes per run of the arrays of a result (timed or not). */
static size_t bytes_per_run(int timed)
{
    rc_mc_results_t probe;
    run_array_t a[N_RUN_ARRAYS];
    memset(&probe, 0, sizeof probe);
    probe.timed = timed;
    size_t k = run_arrays(&probe, a), b = 0;
    for (size_t i = 0; i < k; i++)
        b += a[i].elem;
    return b;
}

rc_status_t rc_mc_results_pack(const rc_mc_results_t *res, void **buf, size_t *len)
{
    rc_status_t status = RC_OK;
    run_array_t a[N_RUN_ARRAYS];
    const size_t n = (size_t)res->runs;
    const size_t growth = res->growth != NULL ? GROWTH_WORDS : 0;
    const size_t total = HEADER_WORDS * sizeof(uint64_t) + n * bytes_per_run(res->timed) +
                         (size_t)res->gen_len * sizeof *res->gen_total + growth * sizeof(uint64_t);
    unsigned char *b = malloc(total ? total : 1);
    *buf = NULL;
    *len = 0;
    RC_ALLOC_CHECK(b, "a block of results to send");
    uint64_t seconds_bits;
    memcpy(&seconds_bits, &res->seconds, sizeof seconds_bits);
    const uint64_t header[HEADER_WORDS] = {BLOCK_MAGIC,
                                           res->runs,
                                           res->point,
                                           res->seeds,
                                           (uint64_t)(res->timed != 0),
                                           res->global_threshold,
                                           res->audience,
                                           res->gen_len,
                                           seconds_bits,
                                           (uint64_t)total,
                                           (uint64_t)res->kernel,
                                           (uint64_t)growth,
                                           res->fused_visits};
    unsigned char *p = b;
    memcpy(p, header, sizeof header);
    p += sizeof header;
    size_t k = run_arrays(res, a);
    for (size_t i = 0; i < k; i++) {
        if (n > 0)
            memcpy(p, a[i].data, n * a[i].elem);
        p += n * a[i].elem;
    }
    if (res->gen_len > 0)
        memcpy(p, res->gen_total, (size_t)res->gen_len * sizeof *res->gen_total);
    p += (size_t)res->gen_len * sizeof *res->gen_total;
    if (growth > 0)
        memcpy(p, res->growth, growth * sizeof(uint64_t));
    *buf = b;
    *len = total;
cleanup:
    return status;
}

rc_status_t rc_mc_results_unpack(const void *buf, size_t len, rc_mc_results_t **out)
{
    rc_status_t status = RC_OK;
    rc_mc_results_t *res = NULL;
    uint64_t h[HEADER_WORDS];
    run_array_t a[N_RUN_ARRAYS];
    *out = NULL;
    if (len < sizeof h)
        RC_FAIL(RC_ERR_INTERNAL, "a block of results: %zu bytes, shorter than its header", len);
    memcpy(h, buf, sizeof h);
    if (h[0] != BLOCK_MAGIC || h[4] > 1 || h[9] != len || h[3] > UINT32_MAX ||
        h[6] > UINT32_MAX || h[7] > UINT32_MAX ||
        (h[10] != RC_KERNEL_PER_RUN && h[10] != RC_KERNEL_FUSED) ||
        (h[11] != 0 && h[11] != GROWTH_WORDS))
        RC_FAIL(RC_ERR_INTERNAL, "a block of results: not a packed block (%zu bytes)", len);
    const uint64_t runs = h[1];
    const int timed = (int)h[4];
    const size_t per_run = bytes_per_run(timed);
    /* Checked before allocating: runs * per_run + gen_len + growth words must be what is
     * left. */
    const size_t body = len - sizeof h;
    if (runs > body / per_run || body - (size_t)runs * per_run != (h[7] + h[11]) * sizeof(uint64_t))
        RC_FAIL(RC_ERR_INTERNAL,
                "a block of results: %zu bytes do not hold %llu runs and %llu generations", len,
                (unsigned long long)runs, (unsigned long long)h[7]);
    RC_TRY(rc_mc_results_alloc(runs, timed, &res));
    res->point = h[2];
    res->seeds = (uint32_t)h[3];
    res->global_threshold = h[5];
    res->audience = (uint32_t)h[6];
    res->kernel = (int)h[10];
    res->fused_visits = h[12];
    memcpy(&res->seconds, &h[8], sizeof res->seconds);
    const unsigned char *p = (const unsigned char *)buf + sizeof h;
    size_t k = run_arrays(res, a);
    for (size_t i = 0; i < k; i++) {
        if (runs > 0)
            memcpy(a[i].data, p, (size_t)runs * a[i].elem);
        p += (size_t)runs * a[i].elem;
    }
    if (h[7] > 0) {
        res->gen_total = malloc((size_t)h[7] * sizeof *res->gen_total);
        RC_ALLOC_CHECK(res->gen_total, "adoptions per generation");
        memcpy(res->gen_total, p, (size_t)h[7] * sizeof *res->gen_total);
        res->gen_len = (uint32_t)h[7];
        p += (size_t)h[7] * sizeof *res->gen_total;
    }
    if (h[11] > 0) {
        res->growth = malloc(GROWTH_WORDS * sizeof *res->growth);
        RC_ALLOC_CHECK(res->growth, "the growth curve");
        memcpy(res->growth, p, GROWTH_WORDS * sizeof *res->growth);
    }
    *out = res;
    res = NULL;
cleanup:
    rc_mc_results_free(res);
    return status;
}

rc_status_t rc_mc_results_put_block(rc_mc_results_t *dst, uint64_t first_run,
                                    const rc_mc_results_t *block)
{
    rc_status_t status = RC_OK;
    run_array_t to[N_RUN_ARRAYS], from[N_RUN_ARRAYS];
    if (first_run > dst->runs || block->runs > dst->runs - first_run)
        RC_FAIL(RC_ERR_INTERNAL, "runs %llu..%llu of point %llu: past its %llu runs",
                (unsigned long long)first_run, (unsigned long long)(first_run + block->runs),
                (unsigned long long)block->point, (unsigned long long)dst->runs);
    if ((dst->timed != 0) != (block->timed != 0))
        RC_FAIL(RC_ERR_INTERNAL, "runs from %llu of point %llu: timed and untimed results mixed",
                (unsigned long long)first_run, (unsigned long long)block->point);
    /* A run's global threshold is at least 1, so 0 means no block is in yet. */
    if (dst->global_threshold != 0 &&
        (dst->point != block->point || dst->seeds != block->seeds ||
         dst->global_threshold != block->global_threshold || dst->audience != block->audience))
        RC_FAIL(RC_ERR_INTERNAL,
                "runs from %llu of point %llu do not belong with the earlier blocks of point %llu",
                (unsigned long long)first_run, (unsigned long long)block->point,
                (unsigned long long)dst->point);
    if (block->gen_len > dst->gen_len) {
        uint64_t *t = realloc(dst->gen_total, (size_t)block->gen_len * sizeof *t);
        RC_ALLOC_CHECK(t, "adoptions per generation");
        memset(t + dst->gen_len, 0, (size_t)(block->gen_len - dst->gen_len) * sizeof *t);
        dst->gen_total = t;
        dst->gen_len = block->gen_len;
    }
    for (uint32_t k = 0; k < block->gen_len; k++)
        dst->gen_total[k] += block->gen_total[k];
    dst->fused_visits += block->fused_visits;
    if (block->growth != NULL) {
        if (dst->growth == NULL) {
            dst->growth = calloc(GROWTH_WORDS, sizeof *dst->growth);
            RC_ALLOC_CHECK(dst->growth, "the growth curve");
        }
        rc_growth_merge(dst->growth, block->growth);
    }
    size_t k = run_arrays(dst, to);
    run_arrays(block, from);
    for (size_t i = 0; i < k && block->runs > 0; i++)
        memcpy((unsigned char *)to[i].data + (size_t)first_run * to[i].elem, from[i].data,
               (size_t)block->runs * to[i].elem);
    dst->point = block->point;
    dst->seeds = block->seeds;
    dst->global_threshold = block->global_threshold;
    dst->audience = block->audience;
    dst->kernel = block->kernel;
    dst->seconds += block->seconds;
cleanup:
    return status;
}
