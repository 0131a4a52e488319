/* Payloads of the results journal's records (io/results_journal.h frames them): the experiment
 * header, a network, a finished point, each encoded field by field in the machine's byte order.
 * This file and results_codec.c are the one place that knows their byte layout; bump
 * RC_JOURNAL_VERSION when it changes. Private to sim/io/results_*.c; knows no HDF5. */
#ifndef RC_RESULTS_CODEC_H
#define RC_RESULTS_CODEC_H

#include "rtcascade/engine.h"
#include "rtcascade/error.h"
#include "rtcascade/graph.h"

#include <stddef.h>
#include <stdint.h>

/* Version of the payloads, the header record's first field. 2: point records end with the
 * audience and reach_per_member; 3: then with the growth sums and the events; 4: a point's
 * per-run values may be in an RC_JREC_RUNS record instead (its /runs chunks), said by a flag
 * after the number of generations. */
#define RC_JOURNAL_VERSION 4

/* ---- a growable byte buffer and a bounds-checked reader ---- */

/* Start from {0}. An allocation failure sets `failed`; later appends then do nothing, so a
 * record is built without checks and checked once with rc_jbuf_check. */
typedef struct rc_jbuf {
    unsigned char *data;
    size_t len, cap;
    int failed; /* an allocation failed: the buffer is unusable */
} rc_jbuf_t;

/* Appends n bytes of p, a u64, an f64, or a string (its length as a u64, then its bytes; NULL
 * is stored as ""). Cannot fail otherwise. */
void rc_jbuf_put(rc_jbuf_t *b, const void *p, size_t n);
void rc_jbuf_u64(rc_jbuf_t *b, uint64_t v);
void rc_jbuf_f64(rc_jbuf_t *b, double v);
void rc_jbuf_str(rc_jbuf_t *b, const char *s);
/* Frees the bytes and zeroes b; safe on a zeroed buffer. */
void rc_jbuf_free(rc_jbuf_t *b);
/* RC_ERR_NOMEM when an append to b failed, else RC_OK. */
rc_status_t rc_jbuf_check(const rc_jbuf_t *b);

/* Reads data[0..len) from pos 0: {data, len, 0, 0}. Reading past the end sets `failed` and
 * yields zeros, so a record is decoded without checks and checked once at the end. */
typedef struct rc_jreader {
    const unsigned char *data;
    size_t len, pos;
    int failed; /* read past the end: the record is malformed */
} rc_jreader_t;

/* The next n bytes into p, the next u64, the next f64 (zeros once past the end). */
void rc_jread(rc_jreader_t *r, void *p, size_t n);
uint64_t rc_jread_u64(rc_jreader_t *r);
double rc_jread_f64(rc_jreader_t *r);
/* A malloc'ed copy of the next string (NULL when malformed or out of memory: r->failed set). */
char *rc_jread_str(rc_jreader_t *r);

/* ---- records ---- */

/* The header record: identity and provenance of the experiment. `full`: the journal holds
 * every point since the file was created, so it can rebuild the file alone (0 when it was
 * restarted for a file whose earlier journal was lost). Decoded strings are malloc'ed. */
typedef struct rc_jheader {
    uint64_t version, full, seed, runs, n_points;
    char *resolved, *created, *command_line, *config_text, *config_path;
} rc_jheader_t;

/* Appends h to b (check b with rc_jbuf_check). Cannot fail otherwise. */
void rc_jheader_encode(rc_jbuf_t *b, const rc_jheader_t *h);
/* Decodes a header record into *h (free with rc_jheader_clear). RC_ERR_INPUT naming `path`
 * (the results file) and `jpath` (its journal) when malformed or of another version. */
rc_status_t rc_jheader_decode(const void *data, size_t len, const char *path, const char *jpath,
                              rc_jheader_t *h);
/* Frees the strings of h and zeroes it; safe on a zeroed header. */
void rc_jheader_clear(rc_jheader_t *h);

/* A network as recorded: its /networks/stats row and degree histograms. */
typedef struct rc_net_rec {
    uint64_t id;
    char *description, *spec;
    rc_graph_stats_t st;
    int undirected;
    uint64_t *hist[2]; /* out, in */
    uint64_t hist_len[2];
} rc_net_rec_t;

/* Frees what n owns and zeroes it; safe on a zeroed record. */
void rc_net_rec_clear(rc_net_rec_t *n);
/* Appends n to b (check b with rc_jbuf_check). */
void rc_jnet_encode(rc_jbuf_t *b, const rc_net_rec_t *n);
/* Decodes a network record into *n (free with rc_net_rec_clear; cleared on error). RC_ERR_INPUT
 * naming path and jpath when malformed. */
rc_status_t rc_jnet_decode(const void *data, size_t len, const char *path, const char *jpath,
                           rc_net_rec_t *n);

/* Appends the point res to b: what the results file keeps of it (per-run arrays, adoptions per
 * generation, summaries, growth sums, events), not the wall time or work counters. With
 * `runs_apart`, the per-run arrays are left out: they go in the point's RC_JREC_RUNS record
 * (results_prep.h). Check b with rc_jbuf_check. */
void rc_jpoint_encode(rc_jbuf_t *b, const rc_mc_results_t *res, int runs_apart);
/* Decodes a point record into a new *out (free with rc_mc_results_free; the fields the record
 * does not hold are zero or NULL); *runs_apart says that the per-run arrays (size, retweets,
 * reach, depth, max_breadth, virality, global, capped, and the times when res->timed) are not
 * in it but in the point's RC_JREC_RUNS record, and are left NULL. RC_ERR_INPUT naming path and
 * jpath when malformed. */
rc_status_t rc_jpoint_decode(const void *data, size_t len, const char *path, const char *jpath,
                             rc_mc_results_t **out, int *runs_apart);

#endif
