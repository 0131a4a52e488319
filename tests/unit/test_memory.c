/* The memory check's sources, from fake /proc and /sys files in a temporary folder: MemAvailable
 * alone; a cgroup v2 limit (memory.max) below it, found at the process's own level or at a
 * parent, with "max" meaning none and inactive file pages counted as free; a v1 memory
 * controller's limit (memory.limit_in_bytes, its "unlimited" huge number ignored) named in a
 * joined controller list; a container whose own cgroup is the mount's root; missing files. And
 * the huge-page advice: the mapping of an advised array carries the kernel's "hg" flag (Linux),
 * not with RC_HUGE_PAGES=0; small, odd and NULL ranges are left alone. */
#include "rc_test.h"
#include "rtcascade/memory.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

/* Writes text to root/rel, making its folders. */
static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(path, 0777);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

static uint64_t avail(const char **src)
{
    char meminfo[300], self[300], v2[300], v1[300];
    snprintf(meminfo, sizeof meminfo, "%s/meminfo", root);
    snprintf(self, sizeof self, "%s/self_cgroup", root);
    snprintf(v2, sizeof v2, "%s/v2", root);
    snprintf(v1, sizeof v1, "%s/v1", root);
    rc_memory_paths_t p = {meminfo, self, v2, v1};
    return rc_memory_available(&p, src);
}

#define GIB ((uint64_t)1 << 30)

/* 1 when the mapping holding address a has the VmFlags "hg" (madvise(MADV_HUGEPAGE)) in
 * /proc/self/smaps, 0 when it has not, -1 when that cannot be read (not Linux). */
static int advised_huge(const void *a)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (f == NULL)
        return -1;
    char line[1024];
    int inside = 0, found = -1;
    while (found < 0 && fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            inside = (uintptr_t)a >= lo && (uintptr_t)a < hi;
        } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            found = strstr(line, " hg") != NULL;
        }
    }
    fclose(f);
    return found;
}

/* An 8 MiB array advised: its 2 MiB-aligned middle is marked; RC_HUGE_PAGES=0 marks nothing. */
static void test_advise_huge(void)
{
    const size_t len = (size_t)8 << 20, huge = (size_t)2 << 20;
    unsetenv("RC_HUGE_PAGES"); /* advice on, whatever the caller's environment */
    rc_memory_advise_huge(NULL, len); /* nothing to advise */
    char small[64];
    rc_memory_advise_huge(small, sizeof small); /* too small: left alone */
    for (int off = 0; off < 2; off++) {
        if (off == 1)
            setenv("RC_HUGE_PAGES", "0", 1);
        char *p = malloc(len + 1); /* odd length, unaligned start */
        CHECK(p != NULL);
        if (p == NULL)
            return;
        rc_memory_advise_huge(p + 1, len);
        char *mid = (char *)(((uintptr_t)p + 2 * huge) & ~(uintptr_t)(huge - 1));
        const int flag = advised_huge(mid);
        if (flag >= 0 && access("/sys/kernel/mm/transparent_hugepage/enabled", R_OK) == 0)
            CHECK_EQ_U64((uint64_t)flag, off == 0 ? 1u : 0u);
        memset(p, 1, len + 1); /* usable whatever the pages */
        CHECK(p[len / 2] == 1);
        free(p);
    }
    unsetenv("RC_HUGE_PAGES");
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/rc_test_memory_%d", (int)getpid());
    mkdir(root, 0777);
    const char *src = NULL;
    CHECK_EQ_U64(avail(&src), 0); /* nothing to read */

    put("meminfo", "MemTotal:       24000000 kB\nMemFree: 1 kB\nMemAvailable:   16777216 kB\n");
    put("self_cgroup", "0::/\n");
    CHECK_EQ_U64(avail(&src), 16 * GIB);
    CHECK(strcmp(src, "available memory") == 0);

    /* v2: the job's cgroup has 4 GiB, 1 GiB used of which 256 MiB inactive file pages */
    put("self_cgroup", "0::/slurm/job_7/step_0\n");
    put("v2/slurm/job_7/memory.max", "4294967296\n");
    put("v2/slurm/job_7/memory.current", "1073741824\n");
    put("v2/slurm/job_7/memory.stat", "anon 1\nactive_file 5\ninactive_file 268435456\n");
    put("v2/slurm/job_7/step_0/memory.max", "max\n");
    put("v2/slurm/job_7/step_0/memory.current", "5000\n");
    CHECK_EQ_U64(avail(&src), 3 * GIB + GIB / 4);
    CHECK(strcmp(src, "the cgroup's memory.max") == 0);
    /* a tighter limit at the process's own level wins */
    put("v2/slurm/job_7/step_0/memory.max", "2147483648\n");
    put("v2/slurm/job_7/step_0/memory.current", "1073741824\n");
    CHECK_EQ_U64(avail(&src), GIB);
    /* a limit above MemAvailable does not raise it */
    put("v2/slurm/job_7/memory.max", "max\n");
    put("v2/slurm/job_7/step_0/memory.max", "107374182400\n");
    CHECK_EQ_U64(avail(&src), 16 * GIB);
    CHECK(strcmp(src, "available memory") == 0);
    /* usage above the limit leaves nothing */
    put("v2/slurm/job_7/step_0/memory.max", "1000\n");
    CHECK_EQ_U64(avail(&src), 0);

    /* v1: memory among joined controllers; the container sees its cgroup as the mount root */
    put("self_cgroup", "12:pids:/x\n4:cpu,memory:/docker/abc\n0::/\n");
    put("v1/memory.limit_in_bytes", "3221225472\n");
    put("v1/memory.usage_in_bytes", "1073741824\n");
    put("v1/memory.stat", "cache 1\ninactive_file 9\ntotal_inactive_file 1073741824\n");
    CHECK_EQ_U64(avail(&src), 3 * GIB);
    CHECK(strcmp(src, "the cgroup's memory.limit_in_bytes") == 0);
    /* "unlimited" is a huge number; the level below it has the limit */
    put("v1/memory.limit_in_bytes", "9223372036854771712\n");
    put("v1/docker/abc/memory.limit_in_bytes", "2147483648\n");
    put("v1/docker/abc/memory.usage_in_bytes", "536870912\n");
    CHECK_EQ_U64(avail(&src), GIB + GIB / 2);
    /* "memoryx" is not the memory controller */
    put("self_cgroup", "4:memoryx:/docker/abc\n");
    CHECK_EQ_U64(avail(&src), 16 * GIB);

    /* the machine's own files: whatever they say, the call answers */
    uint64_t here = rc_memory_available(NULL, &src);
    CHECK(src != NULL);
    (void)here;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    CHECK(system(cmd) == 0);
    test_advise_huge();
    return rc_test_report("test_memory");
}
