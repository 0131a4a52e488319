/* Events (engine layer): every reshare of every run of a point -- who adopted, through whom, in
 * which generation and when -- collected by a recorder (rc_mc_recorder_t) that rc_mc_run calls
 * after each run. The runs' trees arrive from several threads in any order; each run's events
 * are kept apart, then joined in run order, so the collection is the same whatever the thread
 * count or schedule. Costs 20 bytes per adoption (28 with times, 36 with marks too) while it is
 * held. */
#ifndef RTCASCADE_EVENTS_H
#define RTCASCADE_EVENTS_H

#include "rtcascade/engine.h"
#include "rtcascade/error.h"

#include <stdint.h>

/* The events of the runs [first_run, first_run + runs) of one point. The arrays are filled by
 * rc_events_finish; until then only first_run and runs are set. */
typedef struct rc_events {
    uint64_t first_run;    /* run number of the first run collected */
    uint64_t runs;         /* runs collected */
    uint64_t count;        /* events of all runs (adopters, seeds included) */
    int timed;             /* 1 when the runs had adoption times */
    int rooted;            /* 1 when they were audience scenarios (seeds = first-hop resharers) */
    uint64_t *offset;      /* runs + 1 entries: run first_run + i has events [offset[i],
                              offset[i + 1]) */
    uint32_t *node;        /* who adopted (node index), in order of adoption within each run */
    uint32_t *parent;      /* index, within the run's events, of the adopter it came from;
                              RC_NO_PARENT for a seed (with an audience: a first-hop resharer,
                              whose parent is the author outside the network) */
    uint32_t *generation;  /* hops from the post: 0 for seeds; with an audience the first hop is
                              1 (the author is generation 0), as the per-run depth counts it */
    double *time;          /* adoption times (timed models), else NULL */
    void **pending;        /* private: each run's events until rc_events_finish */
    double *mark;          /* the mark the model gave each adopter (hawkes: its follower count),
                              else NULL (rc_cascade_t.mark) */
    uint64_t *node_id;     /* the adopters' ids in the network's file (or their indices when it
                              has none), after rc_events_name_nodes; else NULL */
} rc_events_t;

/* A collector for `runs` runs numbered from first_run (runs >= 1). Free with rc_events_free.
 * RC_ERR_ARGUMENT, RC_ERR_NOMEM. */
rc_status_t rc_events_new(uint64_t first_run, uint64_t runs, rc_events_t **out);

/* The recorder that fills ev, for rc_mc_options_t.recorder. It copies each run's tree (O(size));
 * a run outside [first_run, first_run + runs) or recorded twice is RC_ERR_ARGUMENT, an
 * allocation failure RC_ERR_NOMEM. ev must outlive the rc_mc_run call. Cannot fail. */
rc_mc_recorder_t rc_events_recorder(rc_events_t *ev);

/* Joins the runs' events into the arrays, in run order, and frees the per-run copies. Every run
 * must have been recorded (RC_ERR_ARGUMENT naming the first that was not). RC_ERR_NOMEM. */
rc_status_t rc_events_finish(rc_events_t *ev);

/* Fills ev->node_id from the finished events (rc_events_finish) and the graph they ran on: the
 * original id of each adopter when g has them, else its index; UINT64_MAX for an adopter
 * outside the graph (RC_NO_NODE: hawkes with drawn follower counts). RC_ERR_NOMEM. */
rc_status_t rc_events_name_nodes(rc_events_t *ev, const rc_graph_t *g);

/* Frees ev and everything it holds (NULL is harmless). */
void rc_events_free(rc_events_t *ev);

#endif
