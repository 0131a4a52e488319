/* The subcommands of the rtcascade CLI, one file each in sim/cli/. Each takes the arguments after
 * its own name (argv[0] is the subcommand) and returns the process exit status. */
#ifndef RC_CLI_COMMANDS_H
#define RC_CLI_COMMANDS_H

#include "rtcascade/error.h"

int rc_cmd_run(int argc, char **argv);
int rc_cmd_graph(int argc, char **argv);
int rc_cmd_models(int argc, char **argv);
int rc_cmd_info(int argc, char **argv);

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
