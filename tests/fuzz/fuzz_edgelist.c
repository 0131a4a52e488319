/* libFuzzer target: edge-list files (SNAP text, CSV, gzip of either).
 *
 * Input: one byte of options (bit 0-1 format: auto/snap/csv; bit 2 weighted; bit 3 direction
 * follows; bit 4 undirected; bit 5 name the file *.csv), then the file's bytes. */
#include "fuzz_common.h"

#include "rtcascade/graph.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rc_fuzz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600];
    if (size < 1)
        return 0;
    const uint8_t opt = data[0];
    rc_load_options_t o;
    memset(&o, 0, sizeof o);
    o.format = (opt & 3) == 1 ? RC_FORMAT_SNAP : (opt & 3) == 2 ? RC_FORMAT_CSV : RC_FORMAT_AUTO;
    o.weighted = (opt >> 2) & 1;
    o.direction = (opt >> 3) & 1 ? RC_DIRECTION_FOLLOWS : RC_DIRECTION_FLOWS;
    o.undirected = (opt >> 4) & 1;
    rc_fuzz_path(path, sizeof path, (opt >> 5) & 1 ? "edges.csv" : "edges.txt");
    rc_fuzz_write(path, data + 1, size - 1);
    rc_graph_t *g = NULL;
    rc_load_report_t rep;
    if (rc_graph_load_edgelist(path, &o, &g, &rep) == RC_OK) {
        if (g == NULL || g->n == 0 || g->out_off[g->n] != g->m || g->in_off[g->n] != g->m)
            abort(); /* a loaded graph is a consistent CSR */
        rc_graph_free(g);
    }
    return 0;
}
