/* The state of an open results file (rc_results_t), shared by the files of the results writer:
 * results_h5.c (public entry points), results_layout.c, results_append.c and results_resume.c.
 * Private to sim/io. */
#ifndef RC_RESULTS_FILE_H
#define RC_RESULTS_FILE_H

#include "io/results_journal.h"
#include "io/results_layout.h"
#include "rtcascade/experiment.h"
#include "rtcascade/results.h"

#include <stdint.h>

struct rc_results {
    char *path, *jpath;
    const rc_experiment_t *ex;
    char *resolved;        /* rc_cfg_to_yaml(ex->resolved): the identity of the experiment */
    rc_journal_t *journal; /* NULL only when the file is complete */
    uint8_t *done;         /* per point */
    uint64_t n_done;
    uint8_t *net_done; /* per network id */
    rc_layout_t lay;
    char *created, *command_line, *config_text, *config_path; /* provenance kept for rebuilds */
    char note[512];
};

#endif
