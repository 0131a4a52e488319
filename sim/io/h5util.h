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
/* Closes an HDF5 id of any kind when valid (negative ids are "none"), for reads and cleanup
 * after an error: a failed close is ignored. */
void rc_h5_close(hid_t id);
/* Closes an id written to (a dataset writes its cached chunks when closed) and returns
 * `status`, or RC_ERR_IO "PATH: cannot finish writing WHAT" when status was RC_OK and the close
 * failed. Nothing to close (id < 0) returns status. */
rc_status_t rc_h5_end(hid_t id, rc_status_t status, const char *path, const char *what);
/* A transfer property list for reading `elements` elements of `elem_bytes` bytes each (source
 * and destination sizes together) with a type conversion: its conversion and background
 * buffers sized to the read (at least 4 KiB, at most HDF5's default 1 MiB), where HDF5 would
 * otherwise allocate and zero 1 MiB each for every read, however small. H5P_DEFAULT when the
 * default is as small, or on failure; the caller closes it (with rc_h5_close) unless it is
 * H5P_DEFAULT. */
hid_t rc_h5_read_dxpl(uint64_t elements, size_t elem_bytes);
/* Longest string attribute or column entry read back (a larger size is damage). */
#define RC_H5_MAX_STR ((size_t)256 << 20)
/* A chunk larger than this (stored or read) is damage: rtcascade writes chunks of a few MiB. */
#define RC_H5_MAX_CHUNK ((uint64_t)1 << 30)

/* A fixed-length, null-padded UTF-8 string type of `width` bytes (at least 1; numpy 'S<width>',
 * which h5py returns as bytes). rtcascade stores every string this way: variable-length
 * strings live in HDF5's global heap, which has no checksum. -1 on failure. */
hid_t rc_h5_str_type(size_t width);
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
/* A scalar fixed-length UTF-8 string attribute as long as value (NULL is written as ""). */
rc_status_t rc_h5_attr_str(hid_t loc, const char *name, const char *value, const char *path);
/* A scalar numeric attribute stored as file type ftype, given in memory as mtype. */
rc_status_t rc_h5_attr_num(hid_t loc, const char *name, hid_t ftype, hid_t mtype, const void *value,
                           const char *path);

/* ---- reading (all failures: RC_ERR_INPUT) ---- */

/* Reads a scalar fixed-length string attribute into a malloc'ed string. A missing attribute
 * gives *value = NULL and RC_OK; a variable-length one is refused (RC_ERR_INPUT), since reading
 * it from a damaged file can crash HDF5 1.10. */
rc_status_t rc_h5_read_str(hid_t loc, const char *name, char **value, const char *path);
/* Reads a scalar integer attribute (any stored integer type) as uint64. A missing one means the
 * file is not what it should be: "PATH: not an KIND (attribute NAME missing)", with kind such as
 * "rtcascade graph cache". */
rc_status_t rc_h5_read_u64(hid_t loc, const char *name, uint64_t *value, const char *path,
                           const char *kind);
/* The same for a scalar floating-point attribute, read as a double. */
rc_status_t rc_h5_read_f64(hid_t loc, const char *name, double *value, const char *path,
                           const char *kind);

/* ---- verifying (reading untrusted files) ---- */

/* 1 when dset's stored data does not fill what its extent and chunks need, so that H5Dread
 * would read past a buffer (HDF5 1.10 copies a whole chunk out of whatever the index points
 * at: a damaged index pointing at another, smaller chunk whose checksum is right made it read
 * 3,152 bytes out of 184). Chunked datasets hold only the filters rtcascade writes (shuffle,
 * deflate, Fletcher-32): each chunk's stored size must be the chunk's bytes (and its checksum)
 * and a deflated one must inflate to exactly them; compact ones must hold their bytes. Check
 * before every H5Dread of an untrusted file. */
int rc_h5_storage_damaged(hid_t dset);

/* Reads the dataset dset (named `name` in messages) whole, in slabs of about 4 MiB in its stored
 * type, so that every chunk's checksum is checked. RC_ERR_INPUT "PATH: cannot read /NAME (file
 * damaged?)" when anything fails. */
rc_status_t rc_h5_verify_dataset(hid_t dset, const char *name, const char *path);
/* Visits every object of the file, reading every attribute and every dataset whole: in a file
 * whose metadata and data are all checksummed, this finds any damage. Anything holding a
 * variable-length part is damage too (never written, not read: see rc_h5_read_str). 1 when all
 * of it reads; 0 with what failed in why (one line) otherwise. */
int rc_h5_verify_file(hid_t file, const char *path, char *why, size_t why_len);

#endif
