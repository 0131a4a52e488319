/* Private to sim/fit: allocation of an rc_cascades_t whose arrays the caller then fills, shared
 * by the CSV reader and the array constructors. */
#ifndef RC_FIT_CASCADES_INTERNAL_H
#define RC_FIT_CASCADES_INTERNAL_H

#include "rtcascade/cascades.h"

/* Allocates a set of n cascades with room for n_events events and id_bytes bytes of ids
 * (terminators included); everything zeroed, offset[0] = 0. NULL-safe free with
 * rc_cascades_free. Fails with RC_ERR_NOMEM. */
rc_status_t rc_cascades_alloc(size_t n, size_t n_events, size_t id_bytes, rc_cascades_t **out);

/* Points id[c] for every c at consecutive '\0'-terminated strings of id_pool. Cannot fail. */
void rc_cascades_index_ids(rc_cascades_t *cs);

#endif
