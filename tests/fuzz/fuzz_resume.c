/* libFuzzer target: `rtcascade run --resume` on a results file and its journal
 * (rc_results_open_resume: inspection, journal scan and decoding, repair, rebuild).
 *
 * Input: a 4-byte little-endian length L, then L bytes of the results file, then the journal's
 * bytes (none: no journal). The experiment is tests/fuzz/resume.yaml's, which made the seeds.
 * Every call must return, leave no HDF5 object open, and, when it succeeds, leave a file that
 * a second resume accepts as it is. */
#include "fuzz_common.h"
#include "fuzz_h5_common.h"

#include "rtcascade/experiment.h"
#include "rtcascade/results.h"

/* The experiment of the seeds (tests/fuzz/resume.yaml, kept in step with it). */
static const char *const rc_fuzz_resume_yaml =
    "name: fuzz\n"
    "seed: 5\n"
    "runs: 4\n"
    "network: {generator: erdos_renyi, nodes: 30, mean_degree: 2}\n"
    "model: {name: independent_cascade, p: 0.3}\n"
    "seeds: {strategy: random, count: 1}\n"
    "sweep:\n"
    "  model.p: [0.2, 0.4]\n"
    "  network.nodes: [30, 40]\n";

static rc_experiment_t *rc_fuzz_ex;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rc_fuzz_init();
    rc_fuzz_h5_init();
    if (rc_experiment_load_string(rc_fuzz_resume_yaml, "resume.yaml", NULL, NULL, 0,
                                  &rc_fuzz_ex) != RC_OK) {
        fprintf(stderr, "fuzz_resume: %s\n", rc_error_message());
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600], jpath[640];
    uint32_t len = 0;
    if (size < 4)
        return 0;
    memcpy(&len, data, 4);
    if (len > size - 4)
        len = (uint32_t)(size - 4);
    rc_fuzz_path(path, sizeof path, "out.h5");
    snprintf(jpath, sizeof jpath, "%s.journal", path);
    unlink(path);
    unlink(jpath);
    if (len > 0)
        rc_fuzz_write(path, data + 4, len);
    if (size - 4 - len > 0)
        rc_fuzz_write(jpath, data + 4 + len, size - 4 - len);
    rc_results_t *r = NULL;
    rc_status_t st = rc_results_open_resume(path, rc_fuzz_ex, NULL, &r);
    if (st == RC_OK)
        st = rc_results_close(r);
    else if (strchr(rc_error_message(), '\n'))
        abort(); /* an error is one line */
    rc_fuzz_h5_no_open_ids("rc_results_open_resume");
    if (st == RC_OK && access(jpath, F_OK) != 0) {
        /* a repaired or rebuilt file that lost its journal (complete) resumes as it is */
        r = NULL;
        if (rc_results_open_resume(path, rc_fuzz_ex, NULL, &r) != RC_OK) {
            fprintf(stderr, "a file accepted by --resume is refused by the next: %s\n",
                    rc_error_message());
            abort();
        }
        rc_results_close(r);
        rc_fuzz_h5_no_open_ids("a second rc_results_open_resume");
    }
    unlink(path);
    unlink(jpath);
    return 0;
}
