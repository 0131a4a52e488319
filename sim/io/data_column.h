/* A column of numbers from a CSV file, for parameters that hold data (RC_PARAM_COLUMN): the io
 * layer reads it so that a model only sees an array. Private to sim/io. */
#ifndef RC_IO_DATA_COLUMN_H
#define RC_IO_DATA_COLUMN_H

#include "rtcascade/params.h"

#include <stddef.h>

/* Which rows of each group are kept. */
enum { RC_COLUMN_ALL = 0, RC_COLUMN_FIRST = 1, RC_COLUMN_REST = 2 };

/* Reads the numbers of column `column` of the CSV file at path (plain or gzip, told apart by
 * content; a header line naming the columns; fields may be double-quoted). With `group` (a
 * column name, or NULL), rows whose group differs from the row before start a new group, and
 * `rows` keeps every row (RC_COLUMN_ALL), only each group's first row (RC_COLUMN_FIRST, e.g. the
 * original posts of cascades) or the others (RC_COLUMN_REST, the reshares). Each value must be
 * a number in p's range. *values (malloc'ed, caller frees) gets the *n >= 1 numbers kept.
 * Errors: RC_ERR_IO "path: cannot open: why"; RC_ERR_INPUT "path:line: expected ..." for bad
 * content, a missing column or no value kept; RC_ERR_NOMEM. */
rc_status_t rc_data_column_read(const char *path, const char *column, const char *group, int rows,
                                const rc_param_t *p, double **values, size_t *n);

#endif
