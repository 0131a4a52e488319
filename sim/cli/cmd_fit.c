/* `rtcascade fit`: reads a fit config, fits and predicts (rc_run_fit), writes the fit file and
 * prints its table; nothing is written unless all of that succeeded. */
#include "cli/commands.h"
#include "rtcascade/runner.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage_text[] =
    "usage: rtcascade fit CONFIG.yaml [-o OUT.h5] [--set key.path=value ...] [--force]\n"
    "                     [--threads N] [--quiet]\n\n"
    "Fits a Hawkes model (evently's parametrisation) to observed cascades by maximum likelihood\n"
    "and predicts final sizes (fitted Hawkes, SEISMIC), or, with calibrate:, fits the free\n"
    "parameters of any model on a network by simulation, as the config says (docs/fit.md).\n"
    "Writes OUT.h5 (default: the config's output:, else results/<name>.h5): the estimates with\n"
    "their intervals, the model: section with which `rtcascade run` simulates the fitted\n"
    "process, and the predictions (docs/results-format.md).\n\n"
    "Exit status: 0 done, 2 bad command line or OUT.h5 exists, 3 bad config, 4 bad data,\n"
    "5 I/O error, 6 not enough memory.\n";

int rc_cmd_fit(int argc, char **argv)
{
    rc_status_t status = RC_OK;
    rc_cli_args_t a;
    char *cmdline = NULL;
    rc_fit_spec_t *spec = NULL;
    rc_fit_outcome_t *res = NULL;
    RC_TRY(rc_cli_parse_args(argc, argv, "fit", "hsotfq", &a));
    if (a.help) {
        fputs(usage_text, stdout);
        goto cleanup;
    }
    if (a.config == NULL)
        RC_FAIL(RC_ERR_ARGUMENT, "fit: no config given (usage: rtcascade fit CONFIG.yaml)");
    cmdline = rc_shell_command("rtcascade", argc, argv, NULL, NULL);
    RC_ALLOC_CHECK(cmdline, "the command line");
    RC_TRY(rc_fit_spec_load(a.config, a.sets, (size_t)a.n_sets, &spec));
    if (a.output != NULL)
        RC_TRY(rc_fit_spec_set_output(spec, a.output));
    RC_TRY(rc_fit_check_output(spec->output, a.force)); /* before the work, not after it */
    RC_TRY(rc_run_fit(spec, a.threads, &res));
    rc_results_provenance_t prov = {cmdline, spec->config_text, spec->config_path};
    RC_TRY(rc_fit_write_h5(spec->output, spec, res, &prov, a.force));
    if (!a.quiet)
        RC_TRY(rc_fit_print(spec, res, stdout));
    printf(a.quiet ? "%s\n" : "fit: %s\n", spec->output);
cleanup:
    rc_fit_outcome_free(res);
    rc_fit_spec_free(spec);
    free(cmdline);
    free(a.sets);
    return status == RC_OK ? 0 : rc_cli_fail(status);
}
