/* The control of layers_reject_wrong_way: the graph layer including its own and the core
 * layer's headers compiles with the same command, so the failure there is the include's. */
#include "rtcascade/graph.h"
#include "rtcascade/rng.h"

int rc_layers_probe(void);
int rc_layers_probe(void)
{
    return (int)RC_NO_NODE;
}
