/* A build without MPI: one process of one; rc_run_experiment never reaches the MPI paths. */
#include "run/runner_internal.h"

#include <string.h>

int rc_run_mpi_size(void)
{
    return 1;
}

rc_status_t rc_run_mpi_coordinate(rc_runner_t *r)
{
    (void)r;
    return rc_error(RC_ERR_INTERNAL, "built without MPI");
}

rc_status_t rc_run_mpi_work(rc_runner_t *r)
{
    (void)r;
    return rc_error(RC_ERR_INTERNAL, "built without MPI");
}

rc_status_t rc_parallel_begin(rc_parallel_t *par)
{
    memset(par, 0, sizeof *par);
    par->size = 1;
    return RC_OK;
}

rc_status_t rc_parallel_settle(const rc_parallel_t *par, const rc_run_report_t *report,
                               rc_status_t status)
{
    (void)par, (void)report;
    return status;
}

void rc_parallel_end(const rc_parallel_t *par, const rc_run_report_t *report,
                     rc_status_t status, int abort_code)
{
    (void)par, (void)report, (void)status, (void)abort_code;
}
