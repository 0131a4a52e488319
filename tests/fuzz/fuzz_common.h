/* Shared by the libFuzzer targets of tests/fuzz: a scratch folder for inputs that must be files
 * (HDF5 and the loaders open paths), and the environment every target runs in. */
#ifndef RC_FUZZ_COMMON_H
#define RC_FUZZ_COMMON_H

#define _GNU_SOURCE /* mkdtemp */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char rc_fuzz_dir[512];

static inline void rc_fuzz_cleanup(void)
{
    char cmd[600];
    if (rc_fuzz_dir[0] == '\0')
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", rc_fuzz_dir);
    if (system(cmd) != 0) {
        /* a scratch folder left behind is harmless */
    }
}

/* Creates the scratch folder (on /dev/shm when there is one: faster than a disk) and sets a
 * memory budget, so that a config asking for a huge network or sweep is refused the way a
 * machine without the memory refuses it, instead of running the fuzzer out of memory. */
static inline void rc_fuzz_init(void)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(rc_fuzz_dir, sizeof rc_fuzz_dir, "%s/rc_fuzz_XXXXXX", base);
    if (mkdtemp(rc_fuzz_dir) == NULL) {
        perror("rc_fuzz: mkdtemp");
        abort();
    }
    atexit(rc_fuzz_cleanup);
    setenv("RC_MEMORY_LIMIT", "96M", 1);
}

/* "<scratch>/name", in buf. */
static inline const char *rc_fuzz_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", rc_fuzz_dir, name);
    return buf;
}

/* Writes data[0..n) to path (aborting on failure: that is the harness, not the target). */
static inline void rc_fuzz_write(const char *path, const uint8_t *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || (n > 0 && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

#endif
