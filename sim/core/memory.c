/* Memory accounting: the check made before any large allocation against what the machine has
 * available -- MemAvailable, or less when the process's cgroup (a batch scheduler's --mem, a
 * container's limit) leaves less below its limit -- or RC_MEMORY_LIMIT, and byte counts in
 * words. */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE, a Linux extension (before any header) */
#endif
#include "rtcascade/memory.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

void rc_memory_advise_huge(void *p, size_t len)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)1 << 21;
    const char *env = getenv("RC_HUGE_PAGES");
    if (p == NULL || len < 2 * huge || (env != NULL && strcmp(env, "0") == 0))
        return;
    const uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    const uintptr_t hi = ((uintptr_t)p + len) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* advice only: refusal is harmless */
#else
    (void)p;
    (void)len;
#endif
}

const char *rc_format_bytes(uint64_t bytes, char *buf, size_t len)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%llu B", (unsigned long long)bytes);
    else
        snprintf(buf, len, "%.1f %s", v, units[u]);
    return buf;
}

/* Parses "123", "4K", "1.5G" into bytes; 0 when malformed. */
static uint64_t parse_size(const char *s)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || v < 0)
        return 0;
    switch (*end) {
    case 'k': case 'K': v *= 1024.0; end++; break;
    case 'm': case 'M': v *= 1024.0 * 1024.0; end++; break;
    case 'g': case 'G': v *= 1024.0 * 1024.0 * 1024.0; end++; break;
    case 't': case 'T': v *= 1024.0 * 1024.0 * 1024.0 * 1024.0; end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B')
        end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
    return *end == '\0' ? (uint64_t)v : 0;
}

rc_memory_paths_t rc_memory_default_paths(void)
{
    rc_memory_paths_t p = {"/proc/meminfo", "/proc/self/cgroup", "/sys/fs/cgroup",
                           "/sys/fs/cgroup/memory"};
    return p;
}

/* The first line of file `path` beginning with `key` (e.g. "MemAvailable:"), its number in
 * *value; 0 when there is no such file or line. */
static int read_key(const char *path, const char *key, uint64_t *value)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[512];
    int found = 0;
    size_t klen = strlen(key);
    while (!found && fgets(line, sizeof line, f) != NULL) {
        unsigned long long v = 0;
        if (strncmp(line, key, klen) == 0 && sscanf(line + klen, " %llu", &v) == 1) {
            *value = v;
            found = 1;
        }
    }
    fclose(f);
    return found;
}

/* A cgroup limit or usage file: a number, or "max" (v2: no limit, UINT64_MAX); 0 when the file
 * is missing or holds neither. */
static int read_limit(const char *path, uint64_t *value)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char buf[64] = "";
    int ok = fgets(buf, sizeof buf, f) != NULL;
    fclose(f);
    unsigned long long v = 0;
    if (ok && strncmp(buf, "max", 3) == 0)
        *value = UINT64_MAX;
    else if (ok && sscanf(buf, "%llu", &v) == 1)
        *value = v;
    else
        return 0;
    return 1;
}

/* The process's cgroup path for v2 ("0::/a/b") or for v1's memory controller
 * ("4:memory:/a/b" or "4:cpu,memory:/a/b") from the file self_cgroup; 0 when it has none. */
static int cgroup_path(const char *self_cgroup, int v2, char *out, size_t len)
{
    FILE *f = fopen(self_cgroup, "r");
    if (f == NULL)
        return 0;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':'), *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
        if (c2 == NULL)
            continue;
        *c1 = *c2 = '\0';
        const char *ctl = c1 + 1;
        if (v2) {
            found = strcmp(line, "0") == 0 && *ctl == '\0';
        } else {
            /* the controllers are a comma-separated list */
            for (const char *t = ctl; *t != '\0' && !found; t += strcspn(t, ","), t += *t == ',')
                found = strncmp(t, "memory", 6) == 0 && (t[6] == ',' || t[6] == '\0');
        }
        if (found)
            snprintf(out, len, "%s", c2 + 1);
    }
    fclose(f);
    return found;
}

/* What the cgroup levels of `path` (the process's cgroup, then each parent up to the mount's
 * root) leave below their limits: the least of limit - (usage - inactive file pages, which the
 * kernel reclaims first); UINT64_MAX without a limit. The process's own path may not exist
 * under the mount (a container sees its own cgroup as the root): such levels are skipped. */
static uint64_t cgroup_room(const char *mount, const char *path, int v2)
{
    static const char *const names[2][4] = {
        {"memory.limit_in_bytes", "memory.usage_in_bytes", "memory.stat", "total_inactive_file"},
        {"memory.max", "memory.current", "memory.stat", "inactive_file"}};
    const char *const *nm = names[v2 != 0];
    uint64_t room = UINT64_MAX;
    char dir[4096], file[4200];
    snprintf(dir, sizeof dir, "%s%s", mount, path);
    size_t root = strlen(mount);
    for (;;) {
        size_t len = strlen(dir);
        while (len > root && dir[len - 1] == '/')
            dir[--len] = '\0';
        uint64_t limit = 0, usage = 0, inactive = 0;
        snprintf(file, sizeof file, "%s/%s", dir, nm[0]);
        int has_limit = read_limit(file, &limit);
        snprintf(file, sizeof file, "%s/%s", dir, nm[1]);
        /* v1 writes "no limit" as a huge number (2^63 rounded to pages) */
        if (has_limit && limit < ((uint64_t)1 << 62) && read_limit(file, &usage)) {
            snprintf(file, sizeof file, "%s/%s", dir, nm[2]);
            if (read_key(file, nm[3], &inactive) && inactive <= usage)
                usage -= inactive;
            uint64_t left = limit > usage ? limit - usage : 0;
            if (left < room)
                room = left;
        }
        char *slash = strrchr(dir, '/');
        if (len <= root || slash == NULL || (size_t)(slash - dir) < root)
            break;
        *slash = '\0';
    }
    return room;
}

uint64_t rc_memory_available(const rc_memory_paths_t *paths, const char **source)
{
    rc_memory_paths_t def = rc_memory_default_paths();
    const rc_memory_paths_t *p = paths != NULL ? paths : &def;
    uint64_t kib = 0, avail = 0;
    const char *src = "available memory";
    if (read_key(p->meminfo, "MemAvailable:", &kib))
        avail = kib * 1024;
    char path[4096];
    for (int v2 = 1; v2 >= 0; v2--) {
        const char *mount = v2 ? p->cgroup2 : p->cgroup1_memory;
        if (mount == NULL || !cgroup_path(p->self_cgroup, v2, path, sizeof path))
            continue;
        uint64_t room = cgroup_room(mount, path, v2);
        if (room != UINT64_MAX && (avail == 0 || room < avail)) {
            avail = room;
            src = v2 ? "the cgroup's memory.max" : "the cgroup's memory.limit_in_bytes";
        }
    }
    if (source != NULL)
        *source = src;
    return avail;
}

rc_status_t rc_memory_check(uint64_t bytes, const char *what)
{
    uint64_t avail = 0;
    const char *source = "available memory";
    const char *limit = getenv("RC_MEMORY_LIMIT");
    if (limit != NULL && *limit != '\0') {
        avail = parse_size(limit);
        if (avail == 0)
            return rc_error(RC_ERR_ARGUMENT,
                            "RC_MEMORY_LIMIT: expected a size such as 8G or 512M, got '%s'", limit);
        source = "RC_MEMORY_LIMIT";
    } else {
        avail = rc_memory_available(NULL, &source);
        if (avail == 0)
            return RC_OK; /* cannot tell: let the allocation itself decide */
    }
    if (bytes > avail) {
        char need[32], have[32];
        return rc_error(RC_ERR_NOMEM, "%s needs %s but only %s is available (%s)", what,
                        rc_format_bytes(bytes, need, sizeof need),
                        rc_format_bytes(avail, have, sizeof have), source);
    }
    return RC_OK;
}
