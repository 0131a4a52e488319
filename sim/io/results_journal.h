/* The results journal "<OUT.h5>.journal": an append-only file of checksummed, compressed
 * records (experiment header, networks, finished points) written and fsync'd BEFORE the same
 * data goes into the HDF5 file, so that a file damaged by a kill inside its short write window
 * can be rebuilt. Private to sim/io/results_*.c. Its byte order is the machine's own: a journal
 * is a scratch file for resuming on the machine that wrote it, not an exchange format. */
#ifndef RC_RESULTS_JOURNAL_H
#define RC_RESULTS_JOURNAL_H

#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

typedef enum rc_jrec_type {
    RC_JREC_HEADER = 1,  /* provenance and identity of the experiment (first record) */
    RC_JREC_NETWORK = 2, /* one /networks/stats row and its degree histograms; key = network id */
    RC_JREC_POINT = 3,   /* one finished point's runs, curves and summary; key = point */
    RC_JREC_RESUMED = 4  /* one line of the `resumed` attribute */
} rc_jrec_type_t;

/* Where a good record lies in the journal (found by rc_journal_scan). */
typedef struct rc_jrec {
    uint32_t type;
    uint64_t key;
    uint64_t offset;   /* of its compressed payload */
    uint64_t comp_len; /* compressed payload bytes */
    uint64_t raw_len;  /* payload bytes once inflated */
} rc_jrec_t;

typedef struct rc_journal rc_journal_t;

/* Opens (with `create`, creates) the journal at `path` and takes an exclusive lock on it, so a
 * second writer of the same results file is refused (RC_ERR_IO naming `what`, the results
 * file). Without `create`, a missing journal leaves *out NULL and returns RC_OK. */
rc_status_t rc_journal_open(const char *path, const char *what, int create, rc_journal_t **out);

/* Empties the journal (a fresh experiment). */
rc_status_t rc_journal_reset(rc_journal_t *j);

/* Appends one record (payload compressed with zlib level 1, CRC-32 checked) and fdatasync's it:
 * once this returns RC_OK the record survives a kill or a power cut. */
rc_status_t rc_journal_append(rc_journal_t *j, rc_jrec_type_t type, uint64_t key,
                              const void *payload, size_t len);

/* Lists the good records in order (*recs malloc'ed, caller frees). A torn or damaged tail (a
 * kill during an append) ends the list and is cut off the file so later appends follow the
 * last good record. Reads every byte once to check the CRCs; inflates nothing. */
rc_status_t rc_journal_scan(rc_journal_t *j, rc_jrec_t **recs, size_t *n);

/* Reads and inflates one record's payload into *data (malloc'ed, rec->raw_len bytes). */
rc_status_t rc_journal_load(rc_journal_t *j, const rc_jrec_t *rec, void **data);

/* Closes (and with `remove`, deletes) the journal; releases the lock. NULL is harmless.
 * RC_ERR_IO only when the removal fails. */
rc_status_t rc_journal_close(rc_journal_t *j, int remove);

/* ---- payload encoding: a growable byte buffer and a bounds-checked reader ---- */

typedef struct rc_jbuf {
    unsigned char *data;
    size_t len, cap;
    int failed; /* an allocation failed: the buffer is unusable */
} rc_jbuf_t;

void rc_jbuf_put(rc_jbuf_t *b, const void *p, size_t n);
void rc_jbuf_u64(rc_jbuf_t *b, uint64_t v);
void rc_jbuf_f64(rc_jbuf_t *b, double v);
void rc_jbuf_str(rc_jbuf_t *b, const char *s); /* NULL is stored as "" */
void rc_jbuf_free(rc_jbuf_t *b);

typedef struct rc_jreader {
    const unsigned char *data;
    size_t len, pos;
    int failed; /* read past the end: the record is malformed */
} rc_jreader_t;

void rc_jread(rc_jreader_t *r, void *p, size_t n);
uint64_t rc_jread_u64(rc_jreader_t *r);
double rc_jread_f64(rc_jreader_t *r);
/* A malloc'ed copy of the next string (NULL when malformed or out of memory: r->failed set). */
char *rc_jread_str(rc_jreader_t *r);

#endif
