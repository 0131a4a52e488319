/* libFuzzer target: a graph file or network cache (rc_graph_load_h5).
 *
 * Input: the file's bytes. A graph that loads must be a consistent CSR (the loader checks
 * offsets, neighbours and communities; this checks that it did). */
#include "fuzz_common.h"
#include "fuzz_h5_common.h"

#include "rtcascade/graph_h5.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rc_fuzz_init();
    rc_fuzz_h5_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600];
    rc_fuzz_write(rc_fuzz_path(path, sizeof path, "graph.h5"), data, size);
    rc_graph_t *g = NULL;
    if (rc_graph_load_h5(path, NULL, &g) == RC_OK) {
        if (g == NULL || g->out_off[0] != 0 || g->out_off[g->n] != g->m ||
            g->in_off[g->n] != g->m)
            abort();
        rc_graph_free(g);
    } else if (strchr(rc_error_message(), '\n')) {
        abort();
    }
    rc_fuzz_h5_no_open_ids("rc_graph_load_h5");
    return 0;
}
