/* libFuzzer target: observed-cascade files (`rtcascade fit`'s data: CSV, plain or gzip).
 *
 * Input: one byte of options (bit 0: no cascade column, the file is one cascade; bit 1:
 * unmarked; bit 2: an observation-time column "T"; bit 3: one observation time of 3600 s; bit 4:
 * at most 5 events per cascade), then the file's bytes. What is read must be a consistent set
 * of cascades: offsets rising to n_events, times sorted from 0, marks finite and >= 0,
 * observation times at or after each cascade's last event. */
#include "fuzz_common.h"

#include "rtcascade/cascades.h"

#include <math.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rc_fuzz_init();
    return 0;
}

static void check(const rc_cascades_t *cs)
{
    if (cs == NULL || cs->n == 0 || cs->offset[0] != 0 || cs->offset[cs->n] != cs->n_events)
        abort();
    for (size_t c = 0; c < cs->n; c++) {
        const size_t a = cs->offset[c], b = cs->offset[c + 1];
        if (b <= a || cs->time[a] != 0.0 || cs->id[c] == NULL)
            abort();
        for (size_t i = a; i < b; i++) {
            if (!isfinite(cs->time[i]) || !isfinite(cs->mark[i]) || cs->mark[i] < 0.0 ||
                (i > a && cs->time[i] < cs->time[i - 1]))
                abort();
        }
        if (!(cs->obs_time[c] >= cs->time[b - 1]))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600];
    if (size < 1)
        return 0;
    const uint8_t opt = data[0];
    rc_cascades_read_options_t o = rc_cascades_read_defaults();
    if (opt & 1)
        o.cascade_column = NULL;
    if (opt & 2)
        o.mark_column = NULL;
    if (opt & 4)
        o.obs_time_column = "T";
    else if (opt & 8)
        o.obs_time = 3600.0;
    if (opt & 16)
        o.max_events = 5;
    rc_fuzz_path(path, sizeof path, "cascades.csv");
    rc_fuzz_write(path, data + 1, size - 1);
    rc_cascades_t *cs = NULL;
    if (rc_cascades_read(path, &o, &cs) == RC_OK) {
        check(cs);
        rc_cascades_free(cs);
    } else if (cs != NULL) {
        abort(); /* a failed read leaves nothing */
    }
    return 0;
}
