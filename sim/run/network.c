/* Networks for programs that build one outside an experiment (`rtcascade graph`, the Python
 * API): the cache-aware load and the statistics, with a thread count applied to the call only. */
#include "rtcascade/graph_h5.h"
#include "rtcascade/runner.h"

#include <omp.h>

rc_status_t rc_run_load_network(const rc_network_spec_t *spec, const char *base_dir, int threads,
                                rc_graph_t **out, double *seconds)
{
    const int old = omp_get_max_threads();
    if (threads > 0)
        omp_set_num_threads(threads);
    double t0 = omp_get_wtime();
    rc_status_t status = rc_network_load(spec, base_dir, out);
    if (seconds != NULL)
        *seconds = omp_get_wtime() - t0;
    if (threads > 0)
        omp_set_num_threads(old);
    return status;
}

rc_status_t rc_run_graph_stats(const rc_graph_t *g, int threads, rc_graph_stats_t *st)
{
    const int old = omp_get_max_threads();
    if (threads > 0)
        omp_set_num_threads(threads);
    rc_status_t status = rc_graph_compute_stats(g, st);
    if (threads > 0)
        omp_set_num_threads(old);
    return status;
}
