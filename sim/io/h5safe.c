/* The "rtcascade-safe" HDF5 file driver (io/h5safe.h): POSIX I/O with every call checked, fsync
 * on flush, and an undo log that puts the file back as it was when a write fails, so that a
 * full disk or an I/O error costs the write that failed and nothing before it. Written against
 * HDF5 1.10's H5FD_class_t, with the public API only (as HDF5's own multi driver is). */
#include "io/h5safe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RC_SAFE_MAXADDR (((haddr_t)1 << (8 * sizeof(off_t) - 1)) - 1)
#define RC_SAFE_IO_MAX ((size_t)1 << 30) /* bytes per pread/pwrite call */

/* What a file access list carries to the driver: where to report. */
typedef struct rc_safe_info {
    rc_h5safe_report_t *report;
} rc_safe_info_t;

/* Bytes of the file as they were before this session overwrote (or cut) them. */
typedef struct rc_undo {
    uint64_t addr;
    size_t len;
    unsigned char *bytes;
} rc_undo_t;

typedef struct rc_safe_file {
    H5FD_t pub; /* HDF5's part; must come first */
    int fd;
    haddr_t eoa, eof; /* end of allocated space; end of the file as written so far */
    uint64_t eof0;    /* size when opened: what the undo log restores */
    dev_t dev;
    ino_t ino;
    int writable;
    int dirty;  /* written since the last sync */
    int failed; /* a call failed: later writes are dropped, the file is restored at close */
    rc_undo_t *undo;
    size_t n_undo, cap_undo;
    rc_h5safe_report_t *report;
    rc_h5safe_report_t local; /* where reports go when the access list named none */
} rc_safe_file_t;

static hid_t rc_safe_id = -1;

/* Marks the session failed (the first failure is the one reported). Returns SUCCEED: HDF5 1.10
 * must never see a failure, because one met while it closes a file leaves the file half
 * destroyed and the library crashes at exit; the caller learns of it from the report, and the
 * writes that follow are dropped and undone at close. */
static herr_t rc_safe_fail(rc_safe_file_t *f, const char *op, int err)
{
    if (!f->failed) {
        f->failed = 1;
        f->report->failed = 1;
        f->report->err = err ? err : EIO;
        f->report->op = op;
    }
    return 0;
}

/* Writes all of buf at off; 0, or an errno. */
static int rc_safe_pwrite(int fd, const unsigned char *buf, size_t len, uint64_t off)
{
    while (len > 0) {
        ssize_t n = pwrite(fd, buf, len > RC_SAFE_IO_MAX ? RC_SAFE_IO_MAX : len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno ? errno : EIO;
        if (n == 0)
            return ENOSPC;
        buf += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

/* Saves bytes [addr, addr + len) of the old file (those below eof0) before they change. */
static herr_t rc_safe_save(rc_safe_file_t *f, uint64_t addr, uint64_t len)
{
    if (addr >= f->eof0 || len == 0)
        return 0;
    if (len > f->eof0 - addr)
        len = f->eof0 - addr;
    if (f->n_undo == f->cap_undo) {
        size_t cap = f->cap_undo ? 2 * f->cap_undo : 64;
        rc_undo_t *grown = realloc(f->undo, cap * sizeof *grown);
        if (grown == NULL)
            return rc_safe_fail(f, "write", ENOMEM);
        f->undo = grown;
        f->cap_undo = cap;
    }
    rc_undo_t *u = &f->undo[f->n_undo];
    u->addr = addr;
    u->len = (size_t)len;
    u->bytes = malloc(u->len);
    if (u->bytes == NULL)
        return rc_safe_fail(f, "write", ENOMEM);
    size_t got = 0;
    while (got < u->len) {
        ssize_t n = pread(f->fd, u->bytes + got, u->len - got, (off_t)(addr + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(u->bytes);
            return rc_safe_fail(f, "write", e);
        }
        if (n == 0) { /* cut earlier in this session: an earlier entry holds what was there */
            memset(u->bytes + got, 0, u->len - got);
            break;
        }
        got += (size_t)n;
    }
    f->n_undo++;
    f->report->undo_bytes += u->len;
    return 0;
}

/* Puts the file back as it was at open: the saved bytes in reverse order (so that the oldest
 * copy of a range is written last), then its old size, then a sync. */
static void rc_safe_restore(rc_safe_file_t *f)
{
    int err = 0;
    for (size_t i = f->n_undo; i-- > 0 && err == 0;)
        err = rc_safe_pwrite(f->fd, f->undo[i].bytes, f->undo[i].len, f->undo[i].addr);
    if (err == 0 && ftruncate(f->fd, (off_t)f->eof0) != 0)
        err = errno;
    if (err == 0 && fdatasync(f->fd) != 0 && errno != EINVAL && errno != EROFS)
        err = errno;
    f->report->restored = err == 0;
    f->report->restore_err = err;
}

/* ---- the superblock's "open for writing" flag ---- */

/* Bob Jenkins' lookup3 hashlittle(), byte by byte: the checksum of HDF5's metadata. */
#define RC_ROT(x, k) (((x) << (k)) | ((x) >> (32 - (k))))
static uint32_t rc_lookup3(const unsigned char *k, size_t length)
{
    uint32_t a, b, c;
    a = b = c = 0xdeadbeefu + (uint32_t)length;
    while (length > 12) {
        a += k[0] + ((uint32_t)k[1] << 8) + ((uint32_t)k[2] << 16) + ((uint32_t)k[3] << 24);
        b += k[4] + ((uint32_t)k[5] << 8) + ((uint32_t)k[6] << 16) + ((uint32_t)k[7] << 24);
        c += k[8] + ((uint32_t)k[9] << 8) + ((uint32_t)k[10] << 16) + ((uint32_t)k[11] << 24);
        a -= c, a ^= RC_ROT(c, 4), c += b;
        b -= a, b ^= RC_ROT(a, 6), a += c;
        c -= b, c ^= RC_ROT(b, 8), b += a;
        a -= c, a ^= RC_ROT(c, 16), c += b;
        b -= a, b ^= RC_ROT(a, 19), a += c;
        c -= b, c ^= RC_ROT(b, 4), b += a;
        length -= 12;
        k += 12;
    }
    switch (length) {
    case 12: c += (uint32_t)k[11] << 24; /* fall through */
    case 11: c += (uint32_t)k[10] << 16; /* fall through */
    case 10: c += (uint32_t)k[9] << 8;   /* fall through */
    case 9: c += k[8];                   /* fall through */
    case 8: b += (uint32_t)k[7] << 24;   /* fall through */
    case 7: b += (uint32_t)k[6] << 16;   /* fall through */
    case 6: b += (uint32_t)k[5] << 8;    /* fall through */
    case 5: b += k[4];                   /* fall through */
    case 4: a += (uint32_t)k[3] << 24;   /* fall through */
    case 3: a += (uint32_t)k[2] << 16;   /* fall through */
    case 2: a += (uint32_t)k[1] << 8;    /* fall through */
    case 1: a += k[0]; break;
    case 0: return c;
    }
    c ^= b, c -= RC_ROT(b, 14);
    a ^= c, a -= RC_ROT(c, 11);
    b ^= a, b -= RC_ROT(a, 25);
    c ^= b, c -= RC_ROT(b, 16);
    a ^= c, a -= RC_ROT(c, 4);
    b ^= a, b -= RC_ROT(a, 14);
    c ^= b, c -= RC_ROT(b, 24);
    return c;
}

/* HDF5 1.10 marks a version-3 superblock "open for writing" while a writer has the file open,
 * and then refuses to open it (h5py included, read-only or not) until `h5clear` is run: a
 * writer killed in its short write window would leave a file nobody can read. The journal is
 * the writer lock here, so the flag is never stored: when a write carries the superblock with
 * flags set, the copy written has them cleared and its checksum recomputed. Returns the
 * superblock's length when buf holds one that was so patched into head, else 0. */
static size_t rc_safe_unflag(haddr_t addr, const unsigned char *buf, size_t size,
                             unsigned char head[64])
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (addr != 0 || size < 12 || memcmp(buf, sig, 8) != 0 || buf[8] != 3 || buf[11] == 0)
        return 0;
    size_t len = 12 + 4 * (size_t)buf[9] + 4; /* four addresses, then the checksum */
    if (buf[9] != 4 && buf[9] != 8)
        return 0;
    if (size < len)
        return 0;
    memcpy(head, buf, len);
    head[11] = 0;
    uint32_t sum = rc_lookup3(head, len - 4);
    for (int i = 0; i < 4; i++)
        head[len - 4 + (size_t)i] = (unsigned char)(sum >> (8 * i));
    return len;
}

/* ---- the driver's callbacks ---- */

static herr_t rc_safe_term(void)
{
    rc_safe_id = -1;
    return 0;
}

static void *rc_safe_fapl_copy(const void *info)
{
    rc_safe_info_t *copy = malloc(sizeof *copy);
    if (copy != NULL)
        memcpy(copy, info, sizeof *copy);
    return copy;
}

static void *rc_safe_fapl_get(H5FD_t *file)
{
    rc_safe_file_t *f = (rc_safe_file_t *)file;
    rc_safe_info_t info = {f->report == &f->local ? NULL : f->report};
    return rc_safe_fapl_copy(&info);
}

static herr_t rc_safe_fapl_free(void *info)
{
    free(info);
    return 0;
}

static H5FD_t *rc_safe_open(const char *name, unsigned flags, hid_t fapl, haddr_t maxaddr)
{
    rc_safe_file_t *f = NULL;
    struct stat sb;
    int fd = -1;
    if (name == NULL || *name == '\0' || maxaddr == 0 || maxaddr == HADDR_UNDEF)
        return NULL;
    int oflags = (flags & H5F_ACC_RDWR) ? O_RDWR : O_RDONLY;
    if (flags & H5F_ACC_TRUNC)
        oflags |= O_TRUNC;
    if (flags & H5F_ACC_CREAT)
        oflags |= O_CREAT;
    if (flags & H5F_ACC_EXCL)
        oflags |= O_EXCL;
    /* O_NONBLOCK: a FIFO must never hang the open; a regular file ignores it */
    fd = open(name, oflags | O_NONBLOCK, 0666);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        close(fd);
        return NULL; /* only regular files are HDF5 files here */
    }
    f = calloc(1, sizeof *f);
    if (f == NULL) {
        close(fd);
        return NULL;
    }
    const rc_safe_info_t *info = H5Pget_driver_info(fapl);
    f->report = info != NULL && info->report != NULL ? info->report : &f->local;
    f->report->opened = 1;
    f->fd = fd;
    f->eof = (haddr_t)sb.st_size;
    f->eof0 = (uint64_t)sb.st_size;
    f->dev = sb.st_dev;
    f->ino = sb.st_ino;
    f->writable = (flags & H5F_ACC_RDWR) != 0;
    return &f->pub;
}

static herr_t rc_safe_close(H5FD_t *file)
{
    rc_safe_file_t *f = (rc_safe_file_t *)file;
    const int undo = f->failed || f->report->rollback;
    if (f->writable && !undo && f->dirty && fdatasync(f->fd) != 0 && errno != EINVAL &&
        errno != EROFS)
        rc_safe_fail(f, "sync", errno);
    if (f->writable && (undo || f->failed))
        rc_safe_restore(f);
    if (close(f->fd) != 0 && f->writable && !undo && !f->failed) {
        rc_safe_fail(f, "close", errno);
        f->report->restore_err = f->report->err; /* too late to put anything back */
    }
    for (size_t i = 0; i < f->n_undo; i++)
        free(f->undo[i].bytes);
    free(f->undo);
    free(f);
    return 0; /* never fails: what went wrong is in the report */
}

static int rc_safe_cmp(const H5FD_t *a, const H5FD_t *b)
{
    const rc_safe_file_t *fa = (const rc_safe_file_t *)a, *fb = (const rc_safe_file_t *)b;
    if (fa->dev != fb->dev)
        return fa->dev < fb->dev ? -1 : 1;
    if (fa->ino != fb->ino)
        return fa->ino < fb->ino ? -1 : 1;
    return 0;
}

static herr_t rc_safe_query(const H5FD_t *file, unsigned long *flags)
{
    (void)file;
    if (flags != NULL)
        *flags = H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_ACCUMULATE_METADATA |
                 H5FD_FEAT_DATA_SIEVE | H5FD_FEAT_AGGREGATE_SMALLDATA |
                 H5FD_FEAT_POSIX_COMPAT_HANDLE;
    return 0;
}

static haddr_t rc_safe_get_eoa(const H5FD_t *file, H5FD_mem_t type)
{
    (void)type;
    return ((const rc_safe_file_t *)file)->eoa;
}

static herr_t rc_safe_set_eoa(H5FD_t *file, H5FD_mem_t type, haddr_t addr)
{
    (void)type;
    ((rc_safe_file_t *)file)->eoa = addr;
    return 0;
}

static haddr_t rc_safe_get_eof(const H5FD_t *file, H5FD_mem_t type)
{
    (void)type;
    return ((const rc_safe_file_t *)file)->eof;
}

static herr_t rc_safe_get_handle(H5FD_t *file, hid_t fapl, void **handle)
{
    (void)fapl;
    if (handle == NULL)
        return -1;
    *handle = &((rc_safe_file_t *)file)->fd;
    return 0;
}

static herr_t rc_safe_read(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size,
                           void *buf)
{
    rc_safe_file_t *f = (rc_safe_file_t *)file;
    unsigned char *p = buf;
    (void)type;
    (void)dxpl;
    if (addr == HADDR_UNDEF || addr > RC_SAFE_MAXADDR || size > RC_SAFE_MAXADDR - addr)
        return -1;
    while (size > 0) {
        ssize_t n = pread(f->fd, p, size > RC_SAFE_IO_MAX ? RC_SAFE_IO_MAX : size, (off_t)addr);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0) { /* past the end of the file: zeros, as HDF5 expects */
            memset(p, 0, size);
            break;
        }
        p += n;
        size -= (size_t)n;
        addr += (haddr_t)n;
    }
    return 0;
}

static herr_t rc_safe_write(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size,
                            const void *buf)
{
    rc_safe_file_t *f = (rc_safe_file_t *)file;
    (void)type;
    (void)dxpl;
    if (f->failed || f->report->rollback)
        return 0; /* dropped: the file is put back at close */
    if (addr == HADDR_UNDEF || addr > RC_SAFE_MAXADDR || size > RC_SAFE_MAXADDR - addr)
        return rc_safe_fail(f, "write", EFBIG);
    rc_safe_save(f, addr, size);
    if (f->failed)
        return 0;
    unsigned char head[64];
    size_t patched = rc_safe_unflag(addr, buf, size, head);
    int err = patched ? rc_safe_pwrite(f->fd, head, patched, addr) : 0;
    if (err == 0)
        err = rc_safe_pwrite(f->fd, (const unsigned char *)buf + patched, size - patched,
                             addr + patched);
    if (err != 0)
        return rc_safe_fail(f, "write", err);
    f->dirty = 1;
    if (addr + size > f->eof)
        f->eof = addr + size;
    return 0;
}

static herr_t rc_safe_flush(H5FD_t *file, hid_t dxpl, hbool_t closing)
{
    /* nothing to do: the data are written already (this driver buffers nothing), and the sync
     * is made once, when the file is closed, after the last writes of the session (HDF5 calls
     * this more than once while it closes a file) */
    (void)file;
    (void)dxpl;
    (void)closing;
    return 0;
}

static herr_t rc_safe_truncate(H5FD_t *file, hid_t dxpl, hbool_t closing)
{
    rc_safe_file_t *f = (rc_safe_file_t *)file;
    (void)dxpl;
    (void)closing;
    if (!f->writable || f->failed || f->report->rollback || f->eoa == f->eof)
        return 0;
    if (f->eoa < f->eof)
        rc_safe_save(f, f->eoa, f->eof - f->eoa);
    if (f->failed)
        return 0;
    if (ftruncate(f->fd, (off_t)f->eoa) != 0)
        return rc_safe_fail(f, "truncate", errno);
    f->eof = f->eoa;
    f->dirty = 1;
    return 0;
}

static herr_t rc_safe_lock(H5FD_t *file, hbool_t rw)
{
    (void)file;
    (void)rw;
    return 0; /* the results journal is the writer lock */
}

static herr_t rc_safe_unlock(H5FD_t *file)
{
    (void)file;
    return 0;
}

static const H5FD_class_t rc_safe_class = {
    "rtcascade-safe",         /* name */
    RC_SAFE_MAXADDR,          /* maxaddr */
    H5F_CLOSE_WEAK,           /* fc_degree */
    rc_safe_term,             /* terminate */
    NULL,                     /* sb_size: nothing of the driver goes into the file */
    NULL,                     /* sb_encode */
    NULL,                     /* sb_decode */
    sizeof(rc_safe_info_t),   /* fapl_size */
    rc_safe_fapl_get,         /* fapl_get */
    rc_safe_fapl_copy,        /* fapl_copy */
    rc_safe_fapl_free,        /* fapl_free */
    0,                        /* dxpl_size */
    NULL,                     /* dxpl_copy */
    NULL,                     /* dxpl_free */
    rc_safe_open,             /* open */
    rc_safe_close,            /* close */
    rc_safe_cmp,              /* cmp */
    rc_safe_query,            /* query */
    NULL,                     /* get_type_map */
    NULL,                     /* alloc */
    NULL,                     /* free */
    rc_safe_get_eoa,          /* get_eoa */
    rc_safe_set_eoa,          /* set_eoa */
    rc_safe_get_eof,          /* get_eof */
    rc_safe_get_handle,       /* get_handle */
    rc_safe_read,             /* read */
    rc_safe_write,            /* write */
    rc_safe_flush,            /* flush */
    rc_safe_truncate,         /* truncate */
    rc_safe_lock,             /* lock */
    rc_safe_unlock,           /* unlock */
    H5FD_FLMAP_DICHOTOMY      /* fl_map */
};

/* ---- access lists ---- */

static hid_t rc_safe_driver(void)
{
    if (rc_safe_id < 0 || H5Iis_valid(rc_safe_id) <= 0)
        rc_safe_id = H5FDregister(&rc_safe_class);
    return rc_safe_id;
}

hid_t rc_h5safe_read_fapl(void)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0)
        return -1;
    /* STRONG: closing the file closes whatever a failed read left open in it */
    if (H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0
#if H5_VERSION_GE(1, 10, 7)
        || H5Pset_file_locking(fapl, 0, 1) < 0
#endif
    ) {
        H5Pclose(fapl);
        return -1;
    }
    return fapl;
}

hid_t rc_h5safe_fapl(rc_h5safe_report_t *report)
{
    const rc_safe_info_t info = {report};
    hid_t driver = rc_safe_driver();
    hid_t fapl = driver >= 0 ? rc_h5safe_read_fapl() : -1;
    if (fapl < 0)
        return -1;
    if (H5Pset_driver(fapl, driver, &info) < 0 ||
        H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110) < 0) {
        H5Pclose(fapl);
        return -1;
    }
    return fapl;
}

rc_status_t rc_h5safe_status(const rc_h5safe_report_t *report, const char *path,
                             rc_status_t status)
{
    if (!report->failed)
        return status;
    const char *why = strerror(report->err);
    if (report->restored)
        return rc_error(RC_ERR_IO, "%s: cannot %s: %s; the file is as it was before this write",
                        path, report->op, why);
    return rc_error(RC_ERR_IO, "%s: cannot %s: %s, and it could not be put back as it was (%s)",
                    path, report->op, why,
                    strerror(report->restore_err ? report->restore_err : report->err));
}
