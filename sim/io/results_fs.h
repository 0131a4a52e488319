/* File-system and string helpers of the results writer (sim/io/results_*.c; the graph writer
 * syncs its folder with them too): parent folders,
 * folder fsync, temporaries left by a killed writer, the free-space check made before any
 * write, and the few string joins the writer needs. Private to sim/io; knows no HDF5. */
#ifndef RC_RESULTS_FS_H
#define RC_RESULTS_FS_H

#include "rtcascade/error.h"

#include <stdint.h>

/* A malloc'ed copy of s, "" for NULL; NULL only when out of memory. */
char *rc_rfs_strdup0(const char *s);
/* a + b + c, malloc'ed; NULL only when out of memory. */
char *rc_rfs_strcat3(const char *a, const char *b, const char *c);
/* `old` + "\n" + line (or line alone when old is NULL or ""), malloc'ed; NULL when out of
 * memory. */
char *rc_rfs_add_line(const char *old, const char *line);

/* The whole file at path as a '\0'-terminated string (a config's text, for provenance);
 * malloc'ed into *out. RC_ERR_IO "PATH: cannot read: why", RC_ERR_NOMEM. */
rc_status_t rc_rfs_read_text(const char *path, char **out);

/* The folder holding path ("." for a bare name, "/" for a name in /); malloc'ed, NULL when
 * out of memory. */
char *rc_rfs_dir_of(const char *path);
/* mkdir -p of path's folder. RC_ERR_IO naming path and the folder that could not be made. */
rc_status_t rc_rfs_make_parents(const char *path);
/* Makes a rename or a new file in path's folder survive a power cut. A file system that cannot
 * sync a folder is not an error; an I/O error is (RC_ERR_IO naming path). */
rc_status_t rc_rfs_sync_dir(const char *path);
/* Removes "<path>.tmp.<pid>" files left by a writer killed while building a file. Call with
 * the journal lock held, so that no live writer owns them. Best effort; cannot fail. */
void rc_rfs_remove_stale_tmps(const char *path);
/* Refuses (RC_ERR_IO naming path) a write of up to `bytes` that does not fit in the free space
 * of path's folder or under the file size limit; RC_ERR_NOMEM when a path cannot be
 * allocated. A file system that cannot say how much is free is not refused. */
rc_status_t rc_rfs_check_room(const char *path, uint64_t bytes);

#endif
