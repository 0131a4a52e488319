/* `rtcascade models`: every model of the registry with its parameters, defaults, ranges and
 * meaning, written from the models' own parameter tables, so that the list a user reads is the
 * list the code accepts. */
#include "cli/commands.h"
#include "rtcascade/model.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: rtcascade models [NAME]\n\n"
               "Lists the cascade models (or only NAME) with their parameters: the key under\n"
               "`model:` in a config, its default, its allowed range and its meaning.\n");
}

int rc_cmd_models(int argc, char **argv)
{
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (argv[i][0] == '-' || only != NULL) {
            rc_error(RC_ERR_ARGUMENT, "models: unexpected argument '%s' (see rtcascade models "
                     "--help)", argv[i]);
            return rc_cli_fail(RC_ERR_ARGUMENT);
        }
        only = argv[i];
    }
    if (only != NULL) {
        const rc_model_t *m = rc_model_find(only);
        if (m == NULL)
            return rc_cli_fail(RC_ERR_ARGUMENT);
        return rc_model_describe(m, stdout) == RC_OK ? 0 : rc_cli_fail(RC_ERR_IO);
    }
    return rc_models_describe(stdout) == RC_OK ? 0 : rc_cli_fail(RC_ERR_IO);
}
