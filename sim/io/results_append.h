/* Appending to an open results file (results_append.c): a point, a network, or the journal's
 * records that the file lacks. Each append writes its rows in an order that lets resume tell a
 * finished append from an interrupted one. Private to sim/io/results_*.c. */
#ifndef RC_RESULTS_APPEND_H
#define RC_RESULTS_APPEND_H

#include "io/results_codec.h"
#include "io/results_journal.h"
#include "io/results_internal.h"
#include "io/results_layout.h"
#include "rtcascade/curves.h"
#include "rtcascade/results.h"

#include <stddef.h>

/* Appends point res->point to the open `file`: its /runs, /summary, /curves and /events rows,
 * then its
 * /points status flipped to 1 (last, so that status 1 means every row of the point is there)
 * and the points_done attribute set to r->n_done + 1. prep (may be NULL) holds the point's
 * ready /runs chunks (results_prep.h). Does not touch r (the caller marks the point done).
 * RC_ERR_IO / RC_ERR_NOMEM; rows already appended then stay for resume to cut. */
rc_status_t rc_append_point(hid_t file, const rc_results_t *r, const rc_mc_results_t *res,
                            const rc_results_prep_t *prep);

/* Appends network n to the open `file`: its degree histograms under /networks/<id>/ (replacing
 * a group left by an unfinished earlier attempt), then its /networks/stats row. RC_ERR_IO /
 * RC_ERR_NOMEM. */
rc_status_t rc_append_network(hid_t file, const rc_results_t *r, const rc_net_rec_t *n);

/* Appends to the open `file` the records of recs[0..n) (from rc_journal_scan of r->journal)
 * that r does not have yet: networks when `networks`, points when `points`, in journal order,
 * marking each done in r. RC_ERR_INPUT when a record is malformed or does not match its key;
 * the errors of rc_append_point / rc_append_network. */
rc_status_t rc_append_replay(rc_results_t *r, hid_t file, const rc_jrec_t *recs, size_t n,
                             int networks, int points);

/* ---- the datasets of format 2 (results_outputs.c) ---- */

/* Adds the columns of /curves/growth and /events to l->growth and l->events, and sets
 * l->has_events when some point of ex asks for events. Check the tables' `failed`. */
void rc_outputs_layout(rc_layout_t *l, const rc_experiment_t *ex);

/* Creates the empty /curves/growth under the open group `curves` (chunks of curve_chunk rows,
 * as the other curves), and /events under `file` when the layout has events. RC_ERR_IO naming
 * r->path. */
rc_status_t rc_outputs_skeleton(hid_t file, hid_t curves, const rc_results_t *r,
                                uint64_t curve_chunk);

/* Appends the rows of growth curve c of `point` to /curves/growth under the open `curves`. */
rc_status_t rc_append_growth(hid_t curves, const rc_results_t *r, uint64_t point,
                             const rc_growth_curve_t *c);

/* Appends the events of res (res->events; nothing when NULL or when the file has no /events)
 * to /events: one row per adoption, in run order, then adoption order. */
rc_status_t rc_append_events(hid_t file, const rc_results_t *r, const rc_mc_results_t *res);

#endif
