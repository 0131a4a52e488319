/* `rtcascade info RESULTS.h5`: what a results file holds, in words (experiment, provenance,
 * points, scenarios, swept values, runs, metrics, networks, completeness). The reading is done
 * by rc_results_describe so that sim/cli never touches HDF5. */
#include "cli/commands.h"
#include "rtcascade/results.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: rtcascade info RESULTS.h5 [...]\n\n"
               "Describes a results file written by `rtcascade run`: the experiment and how it\n"
               "was made (software version, git commit, command line, config, seed), its\n"
               "points, scenarios and swept values, runs per point, metrics and networks, and\n"
               "whether every point is done. Layout: docs/results-format.md.\n");
}

int rc_cmd_info(int argc, char **argv)
{
    rc_status_t status = RC_OK;
    int files = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            RC_FAIL(RC_ERR_ARGUMENT, "info: unknown option '%s' (see rtcascade info --help)", argv[i]);
    }
    for (int i = 1; i < argc; i++) {
        if (files++ > 0)
            printf("\n");
        RC_TRY(rc_results_describe(argv[i], stdout));
    }
    if (files == 0)
        RC_FAIL(RC_ERR_ARGUMENT, "info: no results file given (usage: rtcascade info RESULTS.h5)");
cleanup:
    fflush(stdout);
    return status == RC_OK ? 0 : rc_cli_fail(status);
}
