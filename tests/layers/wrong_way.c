/* Compiled with the graph layer's include path only, by ctest layers_reject_wrong_way: the graph
 * layer must not be able to include a higher layer's header, so this must fail to compile. */
#include "rtcascade/graph.h"
#include "rtcascade/engine.h"

int rc_layers_probe(void);
int rc_layers_probe(void)
{
    return RC_METRIC_RETWEETS;
}
