/* HDF5 helpers shared by the graph cache (graph_h5.c) and the results file (results_*.c): quiet
 * error handling, closing any id, and scalar string / numeric attributes written and read back
 * with every HDF5 return value checked. Private to sim/io (it includes hdf5.h). Messages name the
 * file and the attribute, qualified by its group ("/graph.nodes"; a root attribute by its name). */
#ifndef RC_IO_H5UTIL_H
#define RC_IO_H5UTIL_H

#include "rtcascade/error.h"

#include <hdf5.h>

#include <stdint.h>

/* Switches off HDF5's own error stack printing: we report one line of our own. */
void rc_h5_quiet(void);
/* Closes an HDF5 id of any kind when valid (negative ids are "none"). */
void rc_h5_close(hid_t id);
/* A variable-length UTF-8 string type (h5py reads it as str); -1 on failure. */
hid_t rc_h5_vlen_str(void);
/* Checks that path is an HDF5 file before HDF5 opens it, since HDF5's own failure says nothing
 * about why (and opening a FIFO would wait forever): RC_ERR_IO "PATH: cannot open: REASON" when
 * it is missing, a folder or not a regular file (a device, a FIFO, a socket), RC_ERR_INPUT
 * "PATH: not an KIND (not an HDF5 file)" when it is something else. Its size in bytes goes to
 * *bytes unless bytes is NULL. */
rc_status_t rc_h5_check_file(const char *path, const char *kind, uint64_t *bytes);
/* Checks that path may be written or replaced: it does not exist, or is a regular file (links
 * followed). RC_ERR_IO "PATH: cannot write: it is a folder" or "...: it is not a regular file
 * (a device, a FIFO or a socket); WHAT go to regular files only" otherwise. */
rc_status_t rc_h5_check_output(const char *path, const char *what);

/* ---- writing (all failures: RC_ERR_IO naming path and attribute) ---- */

/* Creates attribute `name` on loc of file type ftype and dataspace space from value in memory
 * type mtype. Negative ftype, mtype or space (a failed make) are reported like a failed write. */
rc_status_t rc_h5_attr_write(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hid_t space,
                             const void *value, const char *path);
/* A scalar variable-length UTF-8 string attribute (NULL is written as ""). */
rc_status_t rc_h5_attr_str(hid_t loc, const char *name, const char *value, const char *path);
/* A scalar numeric attribute stored as file type ftype, given in memory as mtype. */
rc_status_t rc_h5_attr_num(hid_t loc, const char *name, hid_t ftype, hid_t mtype, const void *value,
                           const char *path);

/* ---- reading (all failures: RC_ERR_INPUT) ---- */

/* Reads a scalar string attribute (variable or fixed length) into a malloc'ed string. A missing
 * attribute gives *value = NULL and RC_OK. */
rc_status_t rc_h5_read_str(hid_t loc, const char *name, char **value, const char *path);
/* Reads a scalar integer attribute (any stored integer type) as uint64. A missing one means the
 * file is not what it should be: "PATH: not an KIND (attribute NAME missing)", with kind such as
 * "rtcascade graph cache". */
rc_status_t rc_h5_read_u64(hid_t loc, const char *name, uint64_t *value, const char *path,
                           const char *kind);

#endif
