/* A fault-injection shim for tests (LD_PRELOAD): makes the k-th write-like call on a chosen
 * file fail, so that every point where rtcascade writes can be made to fail in turn.
 *
 *   RC_FAULT_MATCH  only calls on descriptors whose path contains this text count (required)
 *   RC_FAULT_AT     the 1-based call that fails (unset or 0: nothing fails, calls are counted)
 *   RC_FAULT_ERRNO  ENOSPC (default) or EIO
 *   RC_FAULT_STICKY 1: a full disk: after the k-th call, every write or ftruncate that would
 *                   make a file longer fails too (overwriting existing bytes, syncing and
 *                   shrinking still work, as on a real full disk); 0: only the k-th call
 *   RC_FAULT_LOG    at exit, "<calls counted> <calls failed>" is appended to this file
 *   RC_FAULT_TRACE  1: print a backtrace on stderr at the k-th call (to find who made it)
 *
 * The calls: write, pwrite, pwrite64, writev, pwritev, fsync, fdatasync, ftruncate,
 * ftruncate64 and close (which closes the descriptor, then reports the error, as Linux may). A
 * failed call writes nothing. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_long calls, failed;
static long fail_at;
static int fail_errno = ENOSPC, sticky;
static const char *match, *log_path;

__attribute__((constructor)) static void rc_fault_init(void)
{
    const char *s;
    match = getenv("RC_FAULT_MATCH");
    log_path = getenv("RC_FAULT_LOG");
    fail_at = (s = getenv("RC_FAULT_AT")) ? atol(s) : 0;
    sticky = (s = getenv("RC_FAULT_STICKY")) ? atoi(s) : 0;
    if ((s = getenv("RC_FAULT_ERRNO")) && strcmp(s, "EIO") == 0)
        fail_errno = EIO;
}

__attribute__((destructor)) static void rc_fault_fini(void)
{
    if (log_path == NULL)
        return;
    FILE *f = fopen(log_path, "a");
    if (f != NULL) {
        fprintf(f, "%ld %ld\n", (long)atomic_load(&calls), (long)atomic_load(&failed));
        fclose(f);
    }
}

/* 1 when this call on fd is to fail (errno set); counts the calls on matching files. `end`:
 * the offset just past what the call writes (-1 for calls that write no data; for ftruncate,
 * the new length), for the full-disk mode. */
static int rc_fault_hit_at(int fd, long long end)
{
    char link[64], target[4096];
    if (match == NULL || *match == '\0' || fd < 0)
        return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return 0;
    target[n] = '\0';
    if (strstr(target, match) == NULL)
        return 0;
    long k = atomic_fetch_add(&calls, 1) + 1;
    struct stat sb;
    int grows = end >= 0 && fstat(fd, &sb) == 0 && end > (long long)sb.st_size;
    if (fail_at > 0 && (k == fail_at || (sticky && k > fail_at && grows))) {
        if (k == fail_at && getenv("RC_FAULT_TRACE") != NULL) {
            void *frames[32];
            backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
        }
        atomic_fetch_add(&failed, 1);
        errno = fail_errno;
        return 1;
    }
    return 0;
}

static int rc_fault_hit(int fd)
{
    return rc_fault_hit_at(fd, -1);
}

static long long rc_iov_len(const struct iovec *iov, int cnt)
{
    long long n = 0;
    for (int i = 0; i < cnt; i++)
        n += (long long)iov[i].iov_len;
    return n;
}

#define REAL(name, ret, args) static ret(*real_##name) args; \
    if (real_##name == NULL) real_##name = (ret(*) args)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(write, ssize_t, (int, const void *, size_t));
    off_t at = lseek(fd, 0, SEEK_CUR);
    return rc_fault_hit_at(fd, at < 0 ? -1 : (long long)at + (long long)n) ? -1
                                                                            : real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite, ssize_t, (int, const void *, size_t, off_t));
    return rc_fault_hit_at(fd, (long long)off + (long long)n) ? -1 : real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
    REAL(pwrite64, ssize_t, (int, const void *, size_t, off64_t));
    return rc_fault_hit_at(fd, (long long)off + (long long)n) ? -1
                                                              : real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    REAL(writev, ssize_t, (int, const struct iovec *, int));
    off_t at = lseek(fd, 0, SEEK_CUR);
    return rc_fault_hit_at(fd, at < 0 ? -1 : (long long)at + rc_iov_len(iov, cnt))
               ? -1
               : real_writev(fd, iov, cnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
    REAL(pwritev, ssize_t, (int, const struct iovec *, int, off_t));
    return rc_fault_hit_at(fd, (long long)off + rc_iov_len(iov, cnt)) ? -1
                                                                       : real_pwritev(fd, iov, cnt, off);
}

int fsync(int fd)
{
    REAL(fsync, int, (int));
    return rc_fault_hit(fd) ? -1 : real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(fdatasync, int, (int));
    return rc_fault_hit(fd) ? -1 : real_fdatasync(fd);
}

int ftruncate(int fd, off_t len)
{
    REAL(ftruncate, int, (int, off_t));
    return rc_fault_hit_at(fd, (long long)len) ? -1 : real_ftruncate(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
    REAL(ftruncate64, int, (int, off64_t));
    return rc_fault_hit_at(fd, (long long)len) ? -1 : real_ftruncate64(fd, len);
}

int close(int fd)
{
    REAL(close, int, (int));
    int fail = rc_fault_hit(fd);
    int saved = errno, r = real_close(fd);
    if (fail) {
        errno = saved;
        return -1;
    }
    return r;
}
