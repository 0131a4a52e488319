/* What several subcommands share: loading a config (file or embedded default) with --set
 * overrides applied, and the --threads option. */
#include "cli/commands.h"
#include "rtcascade/config.h"
#include "rtcascade/defaults.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

rc_status_t rc_cli_load_config(const char *path, char *const *sets, int n_sets, rc_cfg_t **root,
                               char **base_dir)
{
    rc_status_t status = RC_OK;
    rc_cfg_t *cfg = NULL;
    *root = NULL;
    *base_dir = NULL;
    if (path != NULL) {
        RC_TRY(rc_cfg_parse_file(path, &cfg));
        const char *slash = strrchr(path, '/');
        *base_dir = slash ? strndup(path, (size_t)(slash - path + (slash == path))) : strdup("");
    } else {
        RC_TRY(rc_cfg_parse_string(rc_default_study_yaml, RC_DEFAULT_STUDY_NAME, &cfg));
        *base_dir = strdup("");
    }
    RC_ALLOC_CHECK(*base_dir, "a folder name");
    for (int i = 0; i < n_sets; i++)
        RC_TRY(rc_cfg_set_assignment(cfg, sets[i]));
    *root = cfg;
    cfg = NULL;
cleanup:
    rc_cfg_free(cfg);
    if (status != RC_OK) {
        free(*base_dir);
        *base_dir = NULL;
    }
    return status;
}

rc_status_t rc_cli_parse_threads(const char *value, int *threads)
{
    char *end = NULL;
    errno = 0;
    long t = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || t < 1 || t > 1024)
        return rc_error(RC_ERR_ARGUMENT, "--threads: expected an integer from 1 to 1024, got '%s'",
                        value);
    *threads = (int)t;
    return RC_OK;
}
