/* "rtcascade-safe", the HDF5 file driver every file rtcascade writes goes through (results
 * files, graph files and caches). It is HDF5's POSIX driver plus three things the stock one
 * lacks:
 *
 * - every write, sync, truncate and close is checked, and the reason (errno) kept in a report
 *   the caller reads after H5Fclose;
 * - closing syncs the file (fdatasync: its data and size), so a file HDF5 closed without an
 *   error is on the disk;
 * - a failure never reaches HDF5: HDF5 1.10 keeps a file it failed to close half destroyed, and
 *   crashes at exit on it. The driver reports success, keeps the reason in the report the
 *   caller reads, and drops every later write of the session. At close
 *   the driver then puts the file back exactly as it was when it was opened: it saved the
 *   bytes of the old file before each overwrite of them (an undo log, in memory; appends need
 *   none) and truncates what was appended. A full disk allows this, since nothing grows. The
 *   caller can ask for the same after an error of its own (report.rollback), which makes every
 *   write session all or nothing.
 *
 * The files are plain HDF5 (nothing of the driver is stored in them), readable with any driver.
 * Private to sim/io. */
#ifndef RC_IO_H5SAFE_H
#define RC_IO_H5SAFE_H

#include "rtcascade/error.h"

#include <hdf5.h>

#include <stdint.h>

/* What happened to one file opened through the driver, filled in as it goes and complete once
 * H5Fclose returned. Start it zeroed. */
typedef struct rc_h5safe_report {
    int failed;          /* a write, sync, truncate or close failed */
    int err;             /* errno of the first failure */
    const char *op;      /* what failed: "write", "sync", "truncate", "close" */
    int restored;        /* after a failure: the file is again as it was when opened */
    int restore_err;     /* errno when putting it back failed (0 when it did not) */
    int opened;          /* the driver opened the file (a report of a session that happened) */
    int rollback;        /* set by the caller before H5Fclose: drop the session's writes and put
                            the file back as it was when opened (an error of the caller's own) */
    uint64_t undo_bytes; /* bytes of the old file saved before they were overwritten */
} rc_h5safe_report_t;

/* A file access list for writing through the driver, reporting into *report (which must
 * outlive the file's H5Fclose): HDF5's newest file format (every piece of metadata
 * checksummed), HDF5's file locking off (the results journal is the writer lock). Caller
 * closes it; -1 on failure. */
hid_t rc_h5safe_fapl(rc_h5safe_report_t *report);

/* A file access list for reading: the newest format's bounds are not needed to read, so this
 * is the stock driver with HDF5's file locking off. Caller closes it; -1 on failure. */
hid_t rc_h5safe_read_fapl(void);

/* When the report says a call failed: RC_ERR_IO "PATH: cannot OP: REASON", then whether the
 * file was put back as it was; otherwise `status` unchanged. A failure of the driver wins over
 * the caller's status, since it names the real reason. */
rc_status_t rc_h5safe_status(const rc_h5safe_report_t *report, const char *path,
                             rc_status_t status);

#endif
