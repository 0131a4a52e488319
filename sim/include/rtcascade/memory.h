/* Memory accounting (core): every large allocation is preceded by rc_memory_check with an
 * estimate of what it needs, so that a network or sweep too big for the machine is refused with
 * a one-line message instead of failing half-way. */
#ifndef RTCASCADE_MEMORY_H
#define RTCASCADE_MEMORY_H

#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

/* Fails with RC_ERR_NOMEM and a message naming `what`, the need and what is available when
 * `bytes` will not fit in memory (rc_memory_available, or the RC_MEMORY_LIMIT environment
 * variable in bytes, with suffixes K/M/G allowed). */
rc_status_t rc_memory_check(uint64_t bytes, const char *what);

/* Where rc_memory_available reads; tests point them at files of their own. */
typedef struct rc_memory_paths {
    const char *meminfo;        /* /proc/meminfo (MemAvailable) */
    const char *self_cgroup;    /* /proc/self/cgroup: the process's cgroups */
    const char *cgroup2;        /* /sys/fs/cgroup: the cgroup v2 (unified) mount; NULL = none */
    const char *cgroup1_memory; /* /sys/fs/cgroup/memory: cgroup v1's memory controller; NULL =
                                   none */
} rc_memory_paths_t;

/* The paths of this machine, as listed above. */
rc_memory_paths_t rc_memory_default_paths(void);

/* Bytes the process may still allocate: MemAvailable, or less when a cgroup it belongs to (its
 * own or a parent, v2 memory.max or v1 memory.limit_in_bytes: a batch scheduler's --mem, a
 * container's limit) leaves less below its limit, counting its reclaimable inactive file pages
 * as free (memory.stat). *source (may be NULL) names which bound applied. 0 when nothing could
 * be read. paths NULL = rc_memory_default_paths(). Cannot fail. */
uint64_t rc_memory_available(const rc_memory_paths_t *paths, const char **source);

/* Asks for [p, p + len) to be backed by transparent huge pages (2 MiB) where the system allows
 * them on request: its 2 MiB-aligned interior, when len is at least 4 MiB. The graph's arrays
 * and the per-thread stamps are read at random by every run, and with 4 KiB pages most such
 * reads on a large network also miss the address translation cache. Call it on a fresh
 * allocation, before it is first written: pages already there keep their size. Nothing is done
 * without madvise(MADV_HUGEPAGE), when the system never uses huge pages, or when the environment
 * sets RC_HUGE_PAGES=0. Cannot fail. */
void rc_memory_advise_huge(void *p, size_t len);

/* Formats a byte count as "1.5 GiB" into buf; returns buf. Cannot fail. */
const char *rc_format_bytes(uint64_t bytes, char *buf, size_t len);

#endif
