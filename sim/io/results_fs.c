/* File-system helpers of the results writer: folders made and synced, stale temporaries
 * removed, and room checked before a write, because HDF5 cannot recover from a write that
 * fails half-way (a full disk must be caught before anything is written). */
#include "io/results_fs.h"

#include "rtcascade/graph.h" /* rc_format_bytes */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

char *rc_rfs_strdup0(const char *s)
{
    return strdup(s ? s : "");
}

char *rc_rfs_strcat3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

char *rc_rfs_add_line(const char *old, const char *line)
{
    if (old == NULL || *old == '\0')
        return strdup(line);
    return rc_rfs_strcat3(old, "\n", line);
}

char *rc_rfs_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    char *d = malloc((size_t)(slash - path) + 1);
    if (d != NULL) {
        memcpy(d, path, (size_t)(slash - path));
        d[slash - path] = '\0';
    }
    return d;
}

rc_status_t rc_rfs_make_parents(const char *path)
{
    rc_status_t status = RC_OK;
    char *dir = rc_rfs_dir_of(path);
    RC_ALLOC_CHECK(dir, "a path");
    for (char *p = dir + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char save = *p;
            *p = '\0';
            if (mkdir(dir, 0777) != 0 && errno != EEXIST)
                RC_FAIL(RC_ERR_IO, "%s: cannot create folder %s: %s", path, dir, strerror(errno));
            *p = save;
            if (save == '\0')
                break;
        }
    }
cleanup:
    free(dir);
    return status;
}

rc_status_t rc_rfs_sync_dir(const char *path)
{
    rc_status_t status = RC_OK;
    char *dir = rc_rfs_dir_of(path);
    RC_ALLOC_CHECK(dir, "a folder name");
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        goto cleanup; /* a folder we cannot open cannot be synced either; the data is */
    /* EINVAL: this file system cannot sync a folder (then a rename is as durable as it gets) */
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP)
        status = rc_error(RC_ERR_IO, "%s: cannot sync its folder %s: %s", path, dir,
                          strerror(errno));
    close(fd); /* read-only: nothing to lose */
cleanup:
    free(dir);
    return status;
}

void rc_rfs_remove_stale_tmps(const char *path)
{
    char *dir = rc_rfs_dir_of(path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t blen = strlen(base);
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (strncmp(n, base, blen) != 0 || strncmp(n + blen, ".tmp.", 5) != 0 ||
            n[blen + 5] == '\0' || strspn(n + blen + 5, "0123456789") != strlen(n + blen + 5))
            continue;
        char *full = rc_rfs_strcat3(dir, "/", n);
        if (full != NULL && unlink(full) != 0) {
            /* not ours to remove after all: leave it */
        }
        free(full);
    }
    if (d != NULL)
        closedir(d);
    free(dir);
}

/* HDF5 1.10 cannot recover from a write failing while the file is closed (see graph_h5.c), so
 * the check is made before anything is written, against both the disk and RLIMIT_FSIZE. */
rc_status_t rc_rfs_check_room(const char *path, uint64_t bytes)
{
    char need[32], have[32];
    struct statvfs vfs;
    struct rlimit lim;
    struct stat sb;
    char *dir = rc_rfs_dir_of(path);
    if (dir == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory allocating a path");
    int ok = statvfs(dir, &vfs) == 0;
    free(dir);
    if (ok) {
        uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
        if (bytes > avail)
            return rc_error(RC_ERR_IO,
                            "%s: disk full: the next write needs up to %s, only %s free "
                            "(finished points are kept; free space and rerun with --resume)",
                            path, rc_format_bytes(bytes, need, sizeof need),
                            rc_format_bytes(avail, have, sizeof have));
    }
    uint64_t current = stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
    if (getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
        current + bytes > (uint64_t)lim.rlim_cur)
        return rc_error(RC_ERR_IO,
                        "%s: cannot write: the file would grow past the file size limit of %s "
                        "(finished points are kept)",
                        path, rc_format_bytes((uint64_t)lim.rlim_cur, have, sizeof have));
    return RC_OK;
}

rc_status_t rc_rfs_read_text(const char *path, char **out)
{
    rc_status_t status = RC_OK;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (f == NULL)
        RC_FAIL(RC_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
    for (;;) {
        if (cap - len < 4096) {
            cap = cap ? 2 * cap : 8192;
            char *nb = realloc(buf, cap);
            RC_ALLOC_CHECK(nb, "the config text");
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        RC_FAIL(RC_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
    buf[len] = '\0';
    *out = buf;
    buf = NULL;
cleanup:
    if (f != NULL)
        fclose(f);
    free(buf);
    return status;
}
