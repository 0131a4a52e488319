/* Payloads of the journal's records: the experiment header, a network and a finished point,
 * written field by field (u64 and f64 in the machine's byte order, strings as a u64 length and
 * bytes, arrays as raw bytes) and read back with bounds checks, so that a malformed record is
 * reported, never read past. The framing around them (CRC, compression) is results_journal.c. */
#include "io/results_codec.h"
#include "rtcascade/curves.h"
#include "rtcascade/events.h"

#include <stdlib.h>
#include <string.h>

/* ---- buffer and reader ---- */

void rc_jbuf_put(rc_jbuf_t *b, const void *p, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > b->cap) {
        size_t ncap = b->cap ? b->cap : 4096;
        while (ncap < b->len + n)
            ncap *= 2;
        unsigned char *grown = realloc(b->data, ncap);
        if (grown == NULL) {
            b->failed = 1;
            return;
        }
        b->data = grown;
        b->cap = ncap;
    }
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

void rc_jbuf_u64(rc_jbuf_t *b, uint64_t v)
{
    rc_jbuf_put(b, &v, sizeof v);
}

void rc_jbuf_f64(rc_jbuf_t *b, double v)
{
    rc_jbuf_put(b, &v, sizeof v);
}

void rc_jbuf_str(rc_jbuf_t *b, const char *s)
{
    uint64_t n = s ? strlen(s) : 0;
    rc_jbuf_u64(b, n);
    rc_jbuf_put(b, s ? s : "", (size_t)n);
}

void rc_jbuf_free(rc_jbuf_t *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

rc_status_t rc_jbuf_check(const rc_jbuf_t *b)
{
    return b->failed ? rc_error(RC_ERR_NOMEM, "out of memory allocating a journal record") : RC_OK;
}

void rc_jread(rc_jreader_t *r, void *p, size_t n)
{
    if (r->failed || n > r->len - r->pos) {
        r->failed = 1;
        memset(p, 0, n);
        return;
    }
    memcpy(p, r->data + r->pos, n);
    r->pos += n;
}

uint64_t rc_jread_u64(rc_jreader_t *r)
{
    uint64_t v = 0;
    rc_jread(r, &v, sizeof v);
    return v;
}

double rc_jread_f64(rc_jreader_t *r)
{
    double v = 0;
    rc_jread(r, &v, sizeof v);
    return v;
}

char *rc_jread_str(rc_jreader_t *r)
{
    uint64_t n = rc_jread_u64(r);
    if (r->failed || n > r->len - r->pos) {
        r->failed = 1;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (s == NULL) {
        r->failed = 1;
        return NULL;
    }
    memcpy(s, r->data + r->pos, (size_t)n);
    s[n] = '\0';
    r->pos += (size_t)n;
    return s;
}

/* ---- the header record ---- */

void rc_jheader_encode(rc_jbuf_t *b, const rc_jheader_t *h)
{
    rc_jbuf_u64(b, h->version);
    rc_jbuf_u64(b, h->full);
    rc_jbuf_u64(b, h->seed);
    rc_jbuf_u64(b, h->runs);
    rc_jbuf_u64(b, h->n_points);
    rc_jbuf_str(b, h->resolved);
    rc_jbuf_str(b, h->created);
    rc_jbuf_str(b, h->command_line);
    rc_jbuf_str(b, h->config_text);
    rc_jbuf_str(b, h->config_path);
}

void rc_jheader_clear(rc_jheader_t *h)
{
    free(h->resolved);
    free(h->created);
    free(h->command_line);
    free(h->config_text);
    free(h->config_path);
    memset(h, 0, sizeof *h);
}

rc_status_t rc_jheader_decode(const void *data, size_t len, const char *path, const char *jpath,
                              rc_jheader_t *h)
{
    rc_jreader_t rd = {data, len, 0, 0};
    memset(h, 0, sizeof *h);
    h->version = rc_jread_u64(&rd);
    h->full = rc_jread_u64(&rd);
    h->seed = rc_jread_u64(&rd);
    h->runs = rc_jread_u64(&rd);
    h->n_points = rc_jread_u64(&rd);
    h->resolved = rc_jread_str(&rd);
    h->created = rc_jread_str(&rd);
    h->command_line = rc_jread_str(&rd);
    h->config_text = rc_jread_str(&rd);
    h->config_path = rc_jread_str(&rd);
    if (rd.failed || h->version != RC_JOURNAL_VERSION) {
        rc_jheader_clear(h);
        return rc_error(RC_ERR_INPUT, "%s: the journal %s has an unreadable header", path, jpath);
    }
    return RC_OK;
}

/* ---- the point record ---- */

/* A metric summary: its count, then the ten statistics from mean to max. */
static void rc_jbuf_summary(rc_jbuf_t *b, const rc_metric_summary_t *s)
{
    const double v[] = {s->mean, s->sd,     s->se,  s->min, s->q05,
                        s->q25,  s->median, s->q75, s->q95, s->max};
    rc_jbuf_u64(b, s->count);
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        rc_jbuf_f64(b, v[k]);
}

static void rc_jread_summary(rc_jreader_t *rd, rc_metric_summary_t *s)
{
    double *v[] = {&s->mean, &s->sd,     &s->se,  &s->min, &s->q05,
                   &s->q25,  &s->median, &s->q75, &s->q95, &s->max};
    s->count = rc_jread_u64(rd);
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        *v[k] = rc_jread_f64(rd);
}

void rc_jpoint_encode(rc_jbuf_t *b, const rc_mc_results_t *res, int runs_apart)
{
    const uint64_t n = res->runs;
    const int timed = res->timed && res->final_time && res->t50 && res->t90;
    rc_jbuf_u64(b, res->point);
    rc_jbuf_u64(b, n);
    rc_jbuf_u64(b, res->seeds);
    rc_jbuf_u64(b, (uint64_t)timed);
    rc_jbuf_u64(b, res->global_threshold);
    rc_jbuf_u64(b, res->gen_len);
    rc_jbuf_u64(b, runs_apart != 0);
    if (!runs_apart) {
        rc_jbuf_put(b, res->size, n * sizeof *res->size);
        rc_jbuf_put(b, res->retweets, n * sizeof *res->retweets);
        rc_jbuf_put(b, res->reach, n * sizeof *res->reach);
        rc_jbuf_put(b, res->depth, n * sizeof *res->depth);
        rc_jbuf_put(b, res->max_breadth, n * sizeof *res->max_breadth);
        rc_jbuf_put(b, res->virality, n * sizeof *res->virality);
        if (timed) {
            rc_jbuf_put(b, res->final_time, n * sizeof *res->final_time);
            rc_jbuf_put(b, res->t50, n * sizeof *res->t50);
            rc_jbuf_put(b, res->t90, n * sizeof *res->t90);
        }
        rc_jbuf_put(b, res->global, n * sizeof *res->global);
        rc_jbuf_put(b, res->capped, n * sizeof *res->capped);
    }
    rc_jbuf_put(b, res->gen_total, (size_t)res->gen_len * sizeof *res->gen_total);
    for (int m = 0; m < RC_N_METRICS; m++)
        rc_jbuf_summary(b, &res->summary[m]);
    rc_jbuf_f64(b, res->p_global);
    rc_jbuf_f64(b, res->p_global_se);
    rc_jbuf_f64(b, res->p_capped);
    rc_jbuf_f64(b, res->mean_size_global);
    rc_jbuf_u64(b, res->audience);
    rc_jbuf_summary(b, &res->reach_per_member);
    rc_jbuf_u64(b, (uint64_t)res->kernel);
    rc_jbuf_u64(b, res->growth ? 3 * RC_GROWTH_TIMES : 0);
    if (res->growth != NULL)
        rc_jbuf_put(b, res->growth, 3 * RC_GROWTH_TIMES * sizeof *res->growth);
    const rc_events_t *ev = res->events;
    rc_jbuf_u64(b, ev != NULL);
    if (ev == NULL)
        return;
    const uint64_t c = ev->count;
    rc_jbuf_u64(b, ev->first_run);
    rc_jbuf_u64(b, ev->runs);
    rc_jbuf_u64(b, c);
    rc_jbuf_u64(b, (uint64_t)ev->timed | (uint64_t)ev->rooted << 1 |
                       (uint64_t)(ev->mark != NULL) << 2 | (uint64_t)(ev->node_id != NULL) << 3);
    rc_jbuf_put(b, ev->offset, (size_t)(ev->runs + 1) * sizeof *ev->offset);
    rc_jbuf_put(b, ev->node, (size_t)c * sizeof *ev->node);
    rc_jbuf_put(b, ev->parent, (size_t)c * sizeof *ev->parent);
    rc_jbuf_put(b, ev->generation, (size_t)c * sizeof *ev->generation);
    if (ev->time != NULL)
        rc_jbuf_put(b, ev->time, (size_t)c * sizeof *ev->time);
    if (ev->mark != NULL)
        rc_jbuf_put(b, ev->mark, (size_t)c * sizeof *ev->mark);
    if (ev->node_id != NULL)
        rc_jbuf_put(b, ev->node_id, (size_t)c * sizeof *ev->node_id);
}

/* An array of `count` elements of an events record into *field (malloc'ed). */
#define RC_JREAD_EVENTS(rd, field, count)                                                          \
    do {                                                                                           \
        ev->field = malloc((count) ? (size_t)(count) * sizeof *ev->field : 1);                     \
        RC_ALLOC_CHECK(ev->field, "a journal record");                                             \
        rc_jread((rd), ev->field, (size_t)(count) * sizeof *ev->field);                            \
    } while (0)

/* The events part of a point record into *out (NULL when the record has none). */
static rc_status_t rc_jread_events(rc_jreader_t *rd, size_t len, rc_events_t **out)
{
    rc_status_t status = RC_OK;
    rc_events_t *ev = NULL;
    *out = NULL;
    if (rc_jread_u64(rd) == 0)
        return RC_OK;
    uint64_t first = rc_jread_u64(rd), runs = rc_jread_u64(rd), c = rc_jread_u64(rd);
    uint64_t flags = rc_jread_u64(rd);
    if (rd->failed || runs == 0 || runs > len || c > len) {
        rd->failed = 1; /* counts larger than the record: damage */
        return RC_OK;
    }
    RC_TRY(rc_events_new(first, runs, &ev));
    ev->count = c;
    ev->timed = (int)(flags & 1);
    ev->rooted = (int)(flags >> 1 & 1);
    RC_JREAD_EVENTS(rd, offset, runs + 1);
    RC_JREAD_EVENTS(rd, node, c);
    RC_JREAD_EVENTS(rd, parent, c);
    RC_JREAD_EVENTS(rd, generation, c);
    if (flags & 1)
        RC_JREAD_EVENTS(rd, time, c);
    if (flags & 4)
        RC_JREAD_EVENTS(rd, mark, c);
    if (flags & 8)
        RC_JREAD_EVENTS(rd, node_id, c);
    for (uint64_t i = 0; i < runs && !rd->failed; i++)
        if (ev->offset[i] > ev->offset[i + 1] || ev->offset[runs] != c)
            rd->failed = 1;
    *out = ev;
    ev = NULL;
cleanup:
    rc_events_free(ev);
    return status;
}

#define RC_JREAD_ARRAY(rd, field, count)                                                           \
    do {                                                                                           \
        res->field = malloc((count) ? (size_t)(count) * sizeof *res->field : 1);                   \
        RC_ALLOC_CHECK(res->field, "a journal record");                                            \
        rc_jread((rd), res->field, (size_t)(count) * sizeof *res->field);                          \
    } while (0)

rc_status_t rc_jpoint_decode(const void *data, size_t len, const char *path, const char *jpath,
                             rc_mc_results_t **out, int *runs_apart)
{
    rc_status_t status = RC_OK;
    rc_jreader_t rd = {data, len, 0, 0};
    rc_mc_results_t *res = calloc(1, sizeof *res);
    *out = NULL;
    *runs_apart = 0;
    RC_ALLOC_CHECK(res, "a journal record");
    res->point = rc_jread_u64(&rd);
    res->runs = rc_jread_u64(&rd);
    res->seeds = (uint32_t)rc_jread_u64(&rd);
    res->timed = (int)rc_jread_u64(&rd);
    res->global_threshold = rc_jread_u64(&rd);
    uint64_t gen_len = rc_jread_u64(&rd), apart = rc_jread_u64(&rd);
    const uint64_t n = res->runs;
    /* counts larger than the record are damage: refuse them before allocating (the runs of a
     * point whose runs are apart are checked against its runs record) */
    if (rd.failed || (n > len && !apart) || gen_len > len || apart > 1)
        RC_FAIL(RC_ERR_INPUT, "%s: a point record of the journal %s is malformed", path, jpath);
    res->gen_len = (uint32_t)gen_len;
    if (!apart) {
        RC_JREAD_ARRAY(&rd, size, n);
        RC_JREAD_ARRAY(&rd, retweets, n);
        RC_JREAD_ARRAY(&rd, reach, n);
        RC_JREAD_ARRAY(&rd, depth, n);
        RC_JREAD_ARRAY(&rd, max_breadth, n);
        RC_JREAD_ARRAY(&rd, virality, n);
        if (res->timed) {
            RC_JREAD_ARRAY(&rd, final_time, n);
            RC_JREAD_ARRAY(&rd, t50, n);
            RC_JREAD_ARRAY(&rd, t90, n);
        }
        RC_JREAD_ARRAY(&rd, global, n);
        RC_JREAD_ARRAY(&rd, capped, n);
    }
    RC_JREAD_ARRAY(&rd, gen_total, gen_len);
    for (int m = 0; m < RC_N_METRICS; m++)
        rc_jread_summary(&rd, &res->summary[m]);
    res->p_global = rc_jread_f64(&rd);
    res->p_global_se = rc_jread_f64(&rd);
    res->p_capped = rc_jread_f64(&rd);
    res->mean_size_global = rc_jread_f64(&rd);
    res->audience = (uint32_t)rc_jread_u64(&rd);
    rc_jread_summary(&rd, &res->reach_per_member);
    res->kernel = (int)rc_jread_u64(&rd);
    if (res->kernel != RC_KERNEL_PER_RUN && res->kernel != RC_KERNEL_FUSED)
        rd.failed = 1;
    uint64_t growth = rc_jread_u64(&rd);
    if (growth != 0 && growth != 3 * RC_GROWTH_TIMES)
        rd.failed = 1;
    if (growth != 0 && !rd.failed)
        RC_JREAD_ARRAY(&rd, growth, growth);
    if (!rd.failed)
        RC_TRY(rc_jread_events(&rd, len, &res->events));
    if (rd.failed)
        RC_FAIL(RC_ERR_INPUT, "%s: a point record of the journal %s is malformed", path, jpath);
    *out = res;
    *runs_apart = (int)apart;
    res = NULL;
cleanup:
    rc_mc_results_free(res);
    return status;
}

/* ---- the network record ---- */

void rc_net_rec_clear(rc_net_rec_t *n)
{
    free(n->description);
    free(n->spec);
    free(n->hist[0]);
    free(n->hist[1]);
    memset(n, 0, sizeof *n);
}

void rc_jnet_encode(rc_jbuf_t *b, const rc_net_rec_t *n)
{
    const rc_graph_stats_t *s = &n->st;
    rc_jbuf_u64(b, n->id);
    rc_jbuf_str(b, n->description);
    rc_jbuf_str(b, n->spec);
    rc_jbuf_u64(b, s->nodes);
    rc_jbuf_u64(b, s->edges);
    rc_jbuf_f64(b, s->mean_degree);
    rc_jbuf_u64(b, s->max_out_degree);
    rc_jbuf_u64(b, s->max_in_degree);
    rc_jbuf_u64(b, s->isolated);
    rc_jbuf_f64(b, s->reciprocity);
    rc_jbuf_f64(b, s->out_tail_exponent);
    rc_jbuf_u64(b, s->out_tail_xmin);
    rc_jbuf_f64(b, s->in_tail_exponent);
    rc_jbuf_u64(b, s->in_tail_xmin);
    rc_jbuf_u64(b, s->communities);
    rc_jbuf_f64(b, s->intra_fraction);
    rc_jbuf_u64(b, (uint64_t)n->undirected);
    rc_jbuf_f64(b, s->transitivity);
    rc_jbuf_f64(b, s->transitivity_se);
    rc_jbuf_f64(b, s->clustering);
    rc_jbuf_f64(b, s->clustering_se);
    rc_jbuf_u64(b, s->clustering_samples);
    for (int d = 0; d < 2; d++) {
        rc_jbuf_u64(b, n->hist_len[d]);
        rc_jbuf_put(b, n->hist[d], (size_t)n->hist_len[d] * sizeof *n->hist[d]);
    }
}

rc_status_t rc_jnet_decode(const void *data, size_t len, const char *path, const char *jpath,
                           rc_net_rec_t *n)
{
    rc_status_t status = RC_OK;
    rc_jreader_t rd = {data, len, 0, 0};
    rc_graph_stats_t *s = &n->st;
    memset(n, 0, sizeof *n);
    n->id = rc_jread_u64(&rd);
    n->description = rc_jread_str(&rd);
    n->spec = rc_jread_str(&rd);
    s->nodes = (uint32_t)rc_jread_u64(&rd);
    s->edges = rc_jread_u64(&rd);
    s->mean_degree = rc_jread_f64(&rd);
    s->max_out_degree = rc_jread_u64(&rd);
    s->max_in_degree = rc_jread_u64(&rd);
    s->isolated = (uint32_t)rc_jread_u64(&rd);
    s->reciprocity = rc_jread_f64(&rd);
    s->out_tail_exponent = rc_jread_f64(&rd);
    s->out_tail_xmin = rc_jread_u64(&rd);
    s->in_tail_exponent = rc_jread_f64(&rd);
    s->in_tail_xmin = rc_jread_u64(&rd);
    s->communities = (uint32_t)rc_jread_u64(&rd);
    s->intra_fraction = rc_jread_f64(&rd);
    n->undirected = (int)rc_jread_u64(&rd);
    s->transitivity = rc_jread_f64(&rd);
    s->transitivity_se = rc_jread_f64(&rd);
    s->clustering = rc_jread_f64(&rd);
    s->clustering_se = rc_jread_f64(&rd);
    s->clustering_samples = rc_jread_u64(&rd);
    for (int d = 0; d < 2 && !rd.failed; d++) {
        n->hist_len[d] = rc_jread_u64(&rd);
        if (n->hist_len[d] > len)
            break;
        n->hist[d] = malloc(n->hist_len[d] ? (size_t)n->hist_len[d] * sizeof *n->hist[d] : 1);
        RC_ALLOC_CHECK(n->hist[d], "a journal record");
        rc_jread(&rd, n->hist[d], (size_t)n->hist_len[d] * sizeof *n->hist[d]);
    }
    if (rd.failed || !n->hist[0] || !n->hist[1])
        RC_FAIL(RC_ERR_INPUT, "%s: a network record of the journal %s is malformed", path, jpath);
cleanup:
    if (status != RC_OK)
        rc_net_rec_clear(n);
    return status;
}
