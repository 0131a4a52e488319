/* The subcommands of the rtcascade CLI, one file each in sim/cli/. Each takes the arguments after
 * its own name (argv[0] is the subcommand) and returns the process exit status. */
#ifndef RC_CLI_COMMANDS_H
#define RC_CLI_COMMANDS_H

#include "rtcascade/error.h"
#include "rtcascade/progress.h"

int rc_cmd_run(int argc, char **argv);
int rc_cmd_graph(int argc, char **argv);
int rc_cmd_models(int argc, char **argv);
int rc_cmd_info(int argc, char **argv);
int rc_cmd_fit(int argc, char **argv);

/* The options of the subcommands: [CONFIG] [-o OUT] [--set key=value ...] [--threads N]
 * [--force] [--quiet] [--help], and run's --resume, --dry-run, --verbose, --(no-)figures,
 * --progress MODE. */
typedef struct rc_cli_args {
    const char *config, *output; /* CONFIG (at most one), -o */
    char **sets;                 /* --set values in order (free(sets) when done) */
    int n_sets, threads, force, quiet, help;
    int resume, dry_run, verbose, figures; /* figures: 1 --figures, 0 --no-figures, -1 neither */
    rc_progress_mode_t progress;           /* --progress (auto when not given) */
} rc_cli_args_t;

/* Parses the arguments after the subcommand `cmd` (argv[0]) into *a, accepting the options
 * whose codes are in `allowed`: h help, s set, o output, t threads, f force, q quiet, r resume,
 * n dry-run, v verbose, F figures, N no-figures, P progress. Options may come before or after CONFIG; `--`
 * ends them. RC_ERR_ARGUMENT naming the option; RC_ERR_NOMEM. */
rc_status_t rc_cli_parse_args(int argc, char **argv, const char *cmd, const char *allowed,
                              rc_cli_args_t *a);

/* Parses a --threads value (1..1024) into *threads. */
rc_status_t rc_cli_parse_threads(const char *value, int *threads);

/* Draws the figures of a finished results file with the Python plot scripts
 * (study_figures.py for the default study, rcplot.py otherwise); problems are notes on stderr,
 * never errors. */
void rc_cli_draw_figures(const char *results, int default_study, int quiet);

/* The documented exit status (docs/cli.md) of a library status. Cannot fail. */
int rc_cli_exit_code(rc_status_t status);

/* Prints "rtcascade: <message>" for a failed status to stderr and returns its exit status. */
int rc_cli_fail(rc_status_t status);

#endif
