/* A finished point made ready to write (results_prep.c), by any thread while the file is busy:
 * its journal records, and its /runs rows packed as the file stores them and, when the
 * experiment's points fill whole chunks, filtered chunk by chunk for the /runs pipeline
 * (shuffle, deflate, Fletcher-32) for HDF5's direct chunk writes. Private to
 * sim/io/results_*.c. */
#ifndef RC_RESULTS_PREP_H
#define RC_RESULTS_PREP_H

#include "io/results_internal.h"
#include "rtcascade/results.h"

#include <stddef.h>
#include <stdint.h>

struct rc_results_prep {
    uint64_t point;
    unsigned char *jrec;   /* the journal records (rc_journal_record): the point's, after its
                              runs record when it has chunks; jrec_len bytes */
    size_t jrec_len;
    uint64_t chunk_rows;   /* rows per /runs chunk; 0: no chunks made (the rows are written
                              through HDF5's pipeline) */
    size_t n_chunks;
    unsigned char **chunk; /* each chunk's filtered bytes, chunk_len[i] long */
    size_t *chunk_len;
};

/* Fills rows (count x rc_table_stride(t) bytes) with the /runs rows of runs [first, first +
 * count) of res, in t's memory layout (packed when t is). Cannot fail. */
void rc_runs_rows(const rc_table_t *t, const rc_mc_results_t *res, uint64_t first,
                  uint64_t count, unsigned char *rows);

/* The /runs rows [first, first + count) of res as HDF5's shuffle filter lays out t's packed
 * rows (t: the /runs table; its columns at their file offsets): byte j of every row, rows in
 * order, at planes + j * count -- made from res's arrays without making the rows. scratch holds
 * count values. Cannot fail. */
void rc_runs_planes(const rc_table_t *t, const rc_mc_results_t *res, uint64_t first,
                    uint64_t count, uint64_t *scratch, unsigned char *planes);

/* Writes prep's chunks as the /runs rows of its point, appended to the open dataset dset at
 * row `start`, when dset's filters and chunks are what prep was made for (*done = 1); *done = 0
 * leaves dset untouched for the ordinary append. RC_ERR_IO naming path. */
rc_status_t rc_runs_write_chunks(hid_t dset, uint64_t start, const struct rc_results_prep *prep,
                                 const char *path, int *done);

/* Fills the per-run arrays of res (a point decoded from the journal with its runs apart: they
 * are NULL; res->runs and res->timed are set) from the payload of its RC_JREC_RUNS record, whose
 * chunks are inflated and checked against their Fletcher-32 sums. With `view`, also makes it a
 * prepared point whose chunks are the record's (pointers into data; release it with
 * rc_runs_view_clear, not rc_results_prep_free), so they are written as they are. RC_ERR_INPUT
 * naming the results file and its journal when the record does not fit res or r's layout;
 * RC_ERR_NOMEM. */
rc_status_t rc_runs_from_record(const rc_results_t *r, const void *data, size_t len,
                                rc_mc_results_t *res, rc_results_prep_t *view);

/* Frees what rc_runs_from_record allocated in a view (not the chunks: they are the record's)
 * and zeroes it; safe on a zeroed view. */
void rc_runs_view_clear(rc_results_prep_t *view);

/* Fletcher-32 as HDF5 computes it (H5_checksum_fletcher32). Cannot fail. */
uint32_t rc_fletcher32(const unsigned char *data, size_t len);

#endif
