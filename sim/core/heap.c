/* The event heap of heap.h: an array-backed binary min-heap ordered by (time, node, parent).
 * The total order makes the pop sequence a function of the pushed events alone, which keeps
 * timed models reproducible even when two delays coincide. */
#include "rtcascade/heap.h"

#include <stdlib.h>

static inline int event_less(const rc_event_t *a, const rc_event_t *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    if (a->node != b->node)
        return a->node < b->node;
    return a->parent < b->parent;
}

rc_heap_t *rc_heap_alloc(size_t cap)
{
    if (cap < 16)
        cap = 16;
    rc_heap_t *h = malloc(sizeof *h);
    if (h == NULL) {
        rc_error(RC_ERR_NOMEM, "out of memory allocating the event heap");
        return NULL;
    }
    h->ev = malloc(cap * sizeof *h->ev);
    if (h->ev == NULL) {
        free(h);
        rc_error(RC_ERR_NOMEM, "out of memory allocating the event heap (%zu events)", cap);
        return NULL;
    }
    h->len = 0;
    h->cap = cap;
    return h;
}

void rc_heap_free(rc_heap_t *h)
{
    if (h == NULL)
        return;
    free(h->ev);
    free(h);
}

rc_status_t rc_heap_push(rc_heap_t *h, double time, uint32_t node, uint32_t parent)
{
    if (h->len == h->cap) {
        size_t cap = h->cap * 2;
        rc_event_t *ev = realloc(h->ev, cap * sizeof *ev);
        if (ev == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory growing the event heap to %zu events",
                            cap);
        h->ev = ev;
        h->cap = cap;
    }
    rc_event_t e = {time, node, parent};
    size_t i = h->len++;
    /* Sift up with a hole instead of swaps: one store per level. */
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!event_less(&e, &h->ev[up]))
            break;
        h->ev[i] = h->ev[up];
        i = up;
    }
    h->ev[i] = e;
    return RC_OK;
}

int rc_heap_pop(rc_heap_t *h, rc_event_t *out)
{
    if (h->len == 0)
        return 0;
    *out = h->ev[0];
    rc_event_t last = h->ev[--h->len];
    size_t n = h->len, i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && event_less(&h->ev[c + 1], &h->ev[c]))
            c++;
        if (!event_less(&h->ev[c], &last))
            break;
        h->ev[i] = h->ev[c];
        i = c;
    }
    if (n > 0)
        h->ev[i] = last;
    return 1;
}
