/* libFuzzer target: a results file read by `rtcascade info` (rc_results_describe).
 *
 * Input: the file's bytes. Seeds are small results files of format 2; tests/fuzz/hdf5.dict
 * names HDF5's structures. Every call must return (RC_OK, or one line of error) and leave no
 * HDF5 object open. */
#include "fuzz_common.h"
#include "fuzz_h5_common.h"

#include "rtcascade/results.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *rc_fuzz_null;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rc_fuzz_init();
    rc_fuzz_h5_init();
    rc_fuzz_null = fopen("/dev/null", "w");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600];
    rc_fuzz_write(rc_fuzz_path(path, sizeof path, "results.h5"), data, size);
    if (rc_results_describe(path, rc_fuzz_null) != RC_OK && strchr(rc_error_message(), '\n'))
        abort(); /* an error is one line */
    rc_fuzz_h5_no_open_ids("rc_results_describe");
    return 0;
}
