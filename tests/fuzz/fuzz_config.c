/* libFuzzer target: a config and --set overrides, resolved into an experiment.
 *
 * Input: YAML text, optionally followed by a line "#--set" and then one key.path=value per
 * line. Exercises the YAML parser and its limits, --set, sweeps, scenarios, every model's
 * parameters, seeds, audiences and network specs (nothing is built or run), the dry run's
 * description, and a property: the resolved config written as YAML (the resolved_config of a
 * results file) reads back to the same config, written the same way. */
#include "fuzz_common.h"

#include "rtcascade/config.h"
#include "rtcascade/experiment.h"

#define RC_FUZZ_MAX_SETS 16

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rc_fuzz_init();
    return 0;
}

/* The YAML of cfg must read back to a tree that writes the same YAML. */
static void rc_fuzz_roundtrip(const rc_cfg_t *cfg)
{
    char *y1 = rc_cfg_to_yaml(cfg), *y2 = NULL;
    rc_cfg_t *again = NULL;
    if (y1 == NULL)
        return; /* out of memory */
    if (rc_cfg_parse_string(y1, "resolved", &again) != RC_OK) {
        fprintf(stderr, "resolved config does not parse: %s\n---\n%s\n", rc_error_message(), y1);
        abort();
    }
    y2 = rc_cfg_to_yaml(again);
    if (y2 != NULL && strcmp(y1, y2) != 0) {
        fprintf(stderr, "resolved config changes when read back:\n%s\n---\n%s\n", y1, y2);
        abort();
    }
    free(y1);
    free(y2);
    rc_cfg_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *sets[RC_FUZZ_MAX_SETS];
    size_t n_sets = 0;
    rc_experiment_t *ex = NULL;
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *mark = strstr(text, "\n#--set\n");
    if (mark != NULL) {
        *mark = '\0';
        for (char *line = strtok(mark + 8, "\n"); line && n_sets < RC_FUZZ_MAX_SETS;
             line = strtok(NULL, "\n"))
            sets[n_sets++] = line;
    }
    rc_cfg_t *cfg = NULL;
    if (rc_cfg_parse_string(text, "fuzz.yaml", &cfg) == RC_OK) {
        rc_fuzz_roundtrip(cfg);
        rc_cfg_free(cfg);
    }
    if (rc_experiment_load_string(text, "fuzz.yaml", rc_fuzz_dir, sets, n_sets, &ex) == RC_OK) {
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull != NULL) {
            (void)rc_experiment_describe(ex, devnull);
            fclose(devnull);
        }
        (void)rc_experiment_check(ex);
        if (ex->resolved != NULL)
            rc_fuzz_roundtrip(ex->resolved);
        rc_experiment_free(ex);
    }
    free(text);
    return 0;
}
