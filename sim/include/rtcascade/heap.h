/* Binary min-heap of timed events (time, node, parent index) for event-driven models: the
 * continuous-time cascade pops exposures in time order. One heap lives in each per-thread
 * workspace (ws->heap); it grows only when a run needs more room and is cleared in O(1). */
#ifndef RTCASCADE_HEAP_H
#define RTCASCADE_HEAP_H

#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

typedef struct rc_event {
    double time;     /* when the event happens */
    uint32_t node;   /* who it happens to */
    uint32_t parent; /* model-defined: usually the index in adopted[] of the exposing adopter */
} rc_event_t;

typedef struct rc_heap {
    rc_event_t *ev; /* ev[0] is the earliest event */
    size_t len;     /* events held */
    size_t cap;     /* events allocated */
} rc_heap_t;

/* Allocates an empty heap with room for `cap` events (at least 16); NULL when out of memory
 * (with the message set). Free with rc_heap_free (NULL is harmless). */
rc_heap_t *rc_heap_alloc(size_t cap);
void rc_heap_free(rc_heap_t *h);

/* Forgets every event; keeps the memory. Cannot fail. */
static inline void rc_heap_clear(rc_heap_t *h)
{
    h->len = 0;
}

static inline size_t rc_heap_size(const rc_heap_t *h)
{
    return h->len;
}

/* Adds an event, doubling the capacity when full (RC_ERR_NOMEM if that fails; the heap is
 * unchanged then). Ties in time pop in order of (node, parent), so the pop order depends only
 * on the events pushed, never on memory layout. */
rc_status_t rc_heap_push(rc_heap_t *h, double time, uint32_t node, uint32_t parent);

/* Removes the earliest event into *out; returns 0 (and leaves *out alone) when empty. */
int rc_heap_pop(rc_heap_t *h, rc_event_t *out);

/* The earliest event without removing it, or NULL when empty. */
static inline const rc_event_t *rc_heap_peek(const rc_heap_t *h)
{
    return h->len ? &h->ev[0] : NULL;
}

#endif
