/* The results journal "<OUT.h5>.journal": an append-only file of checksummed, compressed
 * records (experiment header, networks, finished points) written and fsync'd BEFORE the same
 * data goes into the HDF5 file, so that a file damaged by a kill inside its short write window
 * can be rebuilt. This is the framing of records; their payloads are io/results_codec.h.
 * Private to sim/io/results_*.c. Its byte order is the machine's own: a journal is a scratch
 * file for resuming on the machine that wrote it, not an exchange format. */
#ifndef RC_RESULTS_JOURNAL_H
#define RC_RESULTS_JOURNAL_H

#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

typedef enum rc_jrec_type {
    RC_JREC_HEADER = 1,  /* provenance and identity of the experiment (first record) */
    RC_JREC_NETWORK = 2, /* one /networks/stats row and its degree histograms; key = network id */
    RC_JREC_POINT = 3,   /* one finished point's runs, curves and summary; key = point */
    RC_JREC_RESUMED = 4, /* one line of the `resumed` attribute */
    RC_JREC_RUNS = 5     /* one point's /runs chunks, as the file stores them (compressed
                            already, so stored as they are); appended with its point record,
                            just before it; key = point */
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

/* Appends one record (payload compressed with zlib level 1, except an RC_JREC_RUNS payload,
 * stored as it is; CRC-32 checked) and fdatasync's it:
 * once this returns RC_OK the record survives a kill or a power cut. */
rc_status_t rc_journal_append(rc_journal_t *j, rc_jrec_type_t type, uint64_t key,
                              const void *payload, size_t len);

/* The record rc_journal_append writes (frame, payload compressed, checksum), made without the
 * journal, so that any thread can make it ahead of the write: *out (malloc'ed, *out_len bytes).
 * RC_ERR_NOMEM. */
rc_status_t rc_journal_record(rc_jrec_type_t type, uint64_t key, const void *payload, size_t len,
                              unsigned char **out, size_t *out_len);

/* Appends a record made by rc_journal_record: one pwrite, then fdatasync. RC_ERR_IO as
 * rc_journal_append. */
rc_status_t rc_journal_append_record(rc_journal_t *j, const unsigned char *rec, size_t len);

/* Lists the good records in order (*recs malloc'ed, caller frees). A torn or damaged tail (a
 * kill during an append) ends the list and is cut off the file so later appends follow the
 * last good record. Reads every byte once to check the CRCs; inflates nothing. */
rc_status_t rc_journal_scan(rc_journal_t *j, rc_jrec_t **recs, size_t *n);

/* Reads (and inflates, unless stored) one record's payload into *data (malloc'ed,
 * rec->raw_len bytes). */
rc_status_t rc_journal_load(rc_journal_t *j, const rc_jrec_t *rec, void **data);

/* Closes (and with `remove`, deletes) the journal; releases the lock. NULL is harmless.
 * RC_ERR_IO when the removal fails, or the close of a journal that is kept. */
rc_status_t rc_journal_close(rc_journal_t *j, int remove);

#endif
