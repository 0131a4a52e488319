/* placeholder: being written */
#include "cli/commands.h"
int rc_cmd_graph(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rc_error(RC_ERR_INTERNAL, "not built yet");
    return rc_cli_fail(RC_ERR_INTERNAL);
}
