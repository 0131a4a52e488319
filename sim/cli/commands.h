/* The subcommands of the rtcascade CLI, one file each in sim/cli/. Each takes the arguments after
 * its own name (argv[0] is the subcommand) and returns the process exit status. */
#ifndef RC_CLI_COMMANDS_H
#define RC_CLI_COMMANDS_H

#include "rtcascade/error.h"

int rc_cmd_run(int argc, char **argv);
int rc_cmd_graph(int argc, char **argv);
int rc_cmd_models(int argc, char **argv);

/* Prints "rtcascade: <message>" for a failed status to stderr and returns the exit status to
 * use (the status code itself, see docs/cli.md). */
int rc_cli_fail(rc_status_t status);

#endif
