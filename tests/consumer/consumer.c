/* A program outside the project using an installed librtcascade through its one public header:
 * an experiment from YAML text, run by the library's runner into a memory sink. On a star of 50
 * accounts with p = 1 the hub's post reaches everyone, so every run has 49 retweets. */
#include <rtcascade/rtcascade.h>

#include <stdio.h>

int main(void)
{
    static const char yaml[] = "name: consumer\nseed: 1\nruns: 20\n"
                               "network: {generator: star, nodes: 50}\n"
                               "model: {name: independent_cascade, p: 1}\n"
                               "seeds: {strategy: list, nodes: [0]}\n";
    rc_experiment_t *ex = NULL;
    rc_sink_t *sink = NULL;
    rc_status_t st = rc_experiment_load_string(yaml, "<consumer>", NULL, NULL, 0, &ex);
    if (st == RC_OK)
        st = rc_sink_memory_new(ex, &sink);
    if (st == RC_OK)
        st = rc_run_experiment(ex, NULL, sink, NULL, NULL);
    if (st == RC_OK) {
        const rc_mc_results_t *r = rc_sink_memory_get(sink, 0);
        printf("rtcascade %s: %llu runs, mean retweets %g\n", RC_VERSION_STRING,
               (unsigned long long)r->runs, r->summary[RC_METRIC_RETWEETS].mean);
    } else {
        fprintf(stderr, "consumer: %s\n", rc_error_message());
    }
    rc_sink_close(sink);
    rc_experiment_free(ex);
    return st == RC_OK ? 0 : 1;
}
