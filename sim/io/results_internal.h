/* Private HDF5 helpers of the results file (sim/io/results_*.c), on top of the generic ones of
 * io/h5util.h: typed and list attributes, and flat tables described column by column, stored as
 * packed compound datasets (so pandas.DataFrame(f["runs"][()]) works) and held in memory as aligned
 * rows. Only sim/io includes this (it includes hdf5.h). */
#ifndef RC_RESULTS_INTERNAL_H
#define RC_RESULTS_INTERNAL_H

#include "io/h5safe.h"
#include "io/h5util.h"
#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

/* What rc_h5_read_u64 says a file lacking a required attribute is not. */
#define RC_RESULTS_KIND "rtcascade results file"

/* ---- attributes (all failures: RC_ERR_IO naming path and attribute) ---- */

rc_status_t rc_rh5_attr_u64(hid_t loc, const char *name, uint64_t value, const char *path);
rc_status_t rc_rh5_attr_i32(hid_t loc, const char *name, int32_t value, const char *path);
/* A 1-D array of n strings (n may be 0), fixed-length UTF-8 as wide as the longest. */
rc_status_t rc_rh5_attr_strs(hid_t loc, const char *name, char *const *values, size_t n,
                             const char *path);
/* Replaces (or creates) a string / u64 attribute. */
rc_status_t rc_rh5_attr_set_str(hid_t loc, const char *name, const char *value, const char *path);
rc_status_t rc_rh5_attr_set_u64(hid_t loc, const char *name, uint64_t value, const char *path);

/* Reads a 1-D fixed-length string array attribute into *values (malloc'ed array of malloc'ed
 * strings); anything else is RC_ERR_INPUT (see rc_h5_read_str). */
rc_status_t rc_rh5_read_strs(hid_t loc, const char *name, char ***values, size_t *n,
                             const char *path);
void rc_rh5_free_strs(char **values, size_t n);

/* ---- tables ---- */

typedef enum rc_col_kind {
    RC_COL_U64,
    RC_COL_U32,
    RC_COL_U8,
    RC_COL_F64,
    RC_COL_STR  /* fixed-length, null-padded UTF-8 of `width` bytes (numpy 'S<width>') */
} rc_col_kind_t;

typedef struct rc_col {
    char *name;
    rc_col_kind_t kind;
    size_t width; /* bytes of a fixed-length string */
    size_t moff;  /* offset in a memory row (aligned) */
    size_t foff;  /* offset in a file row (packed) */
} rc_col_t;

typedef struct rc_table {
    rc_col_t *cols;
    size_t n, cap;
    size_t msize; /* bytes of a memory row */
    size_t fsize; /* bytes of a file row */
    int packed;   /* memory rows packed like file rows (set before adding columns): the write is
                     then a plain copy, with no HDF5 type conversion */
    int failed;   /* an allocation failed while adding columns */
    int typed;    /* mtype/ftype below are built (rc_table_prepare) */
    hid_t mtype, ftype;
} rc_table_t;

/* Adds a column (copies name); returns its index. Check t->failed after adding them all. */
size_t rc_table_add(rc_table_t *t, const char *name, rc_col_kind_t kind, size_t width);
/* Index of the column called name, or (size_t)-1. */
size_t rc_table_find(const rc_table_t *t, const char *name);
void rc_table_free(rc_table_t *t);

/* Bytes from one memory row to the next (aligned tables round up to 8). */
size_t rc_table_stride(const rc_table_t *t);

/* Memory and file compound types of t (caller closes both). */
rc_status_t rc_table_types(const rc_table_t *t, hid_t *mtype, hid_t *ftype);
/* Builds t's types once and keeps them in t (closed by rc_table_free), so that appends do not
 * rebuild a compound of a hundred members each time. Call after the last rc_table_add. */
rc_status_t rc_table_prepare(rc_table_t *t);

/* Setters into a memory row (row points at the row's first byte). A string longer than its
 * column is cut at the width (columns are sized from the experiment, so it does not happen). */
void rc_row_u64(const rc_table_t *t, void *row, size_t col, uint64_t v);
void rc_row_u32(const rc_table_t *t, void *row, size_t col, uint32_t v);
void rc_row_u8(const rc_table_t *t, void *row, size_t col, uint8_t v);
void rc_row_f64(const rc_table_t *t, void *row, size_t col, double v);
void rc_row_str(const rc_table_t *t, void *row, size_t col, const char *s);

/* Creates dataset `name` under loc holding `nrows` rows (data may be NULL when nrows is 0):
 * extendible along rows, in chunks of chunk_rows rows, each Fletcher-32 checksummed; with
 * `compress`, also shuffled and deflated (level 1). */
rc_status_t rc_table_create(hid_t loc, const char *name, const rc_table_t *t, const void *rows,
                            uint64_t nrows, uint64_t chunk_rows, int compress, const char *path);
/* Appends nrows memory rows to the extendible dataset `name` under loc. */
rc_status_t rc_table_append(hid_t loc, const char *name, const rc_table_t *t, const void *rows,
                            uint64_t nrows, const char *path);

/* Number of rows of dataset `name` under loc (RC_ERR_INPUT when missing or not 1-D). */
rc_status_t rc_rh5_rows(hid_t loc, const char *name, uint64_t *rows, const char *path);
/* Reads column `col` of dataset `name` under loc converted to uint64 or double (malloc'ed,
 * *rows entries). RC_ERR_INPUT when missing or unreadable. */
rc_status_t rc_rh5_read_col_u64(hid_t loc, const char *name, const char *col, uint64_t **data,
                                uint64_t *rows, const char *path);
rc_status_t rc_rh5_read_col_f64(hid_t loc, const char *name, const char *col, double **data,
                                uint64_t *rows, const char *path);
/* Reads a fixed-length string column as malloc'ed strings (variable-length: RC_ERR_INPUT). */
rc_status_t rc_rh5_read_col_str(hid_t loc, const char *name, const char *col, char ***data,
                                uint64_t *rows, const char *path);

/* Current time as ISO 8601 UTC ("2024-05-01T12:34:56Z") into buf (at least 32 bytes). */
void rc_rh5_now(char *buf, size_t len);

#endif
