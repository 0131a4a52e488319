/* The event heap: pops in (time, node, parent) order whatever the push order, grows past its
 * initial capacity, clears in O(1); and the workspace epoch wraps by clearing stamps. */
#include "rtcascade/heap.h"
#include "rc_test.h"
#include "rtcascade/model.h"
#include "rtcascade/rng.h"

#include <stdlib.h>

static int event_cmp(const void *a, const void *b)
{
    const rc_event_t *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    return (x->parent > y->parent) - (x->parent < y->parent);
}

static void test_order(void)
{
    enum { N = 5000 };
    rc_heap_t *h = rc_heap_alloc(4);
    CHECK(h != NULL);
    rc_event_t *ev = malloc(N * sizeof *ev);
    gsl_rng *r = rc_rng_alloc();
    rc_rng_seed(r, 7, 0, 0);
    for (int i = 0; i < N; i++) {
        /* Few distinct times, so ties are common and the tie order is exercised. */
        ev[i].time = (double)rc_rng_below(r, 50) * 0.25;
        ev[i].node = rc_rng_below(r, 20);
        ev[i].parent = rc_rng_below(r, 5);
        CHECK_OK(rc_heap_push(h, ev[i].time, ev[i].node, ev[i].parent));
    }
    CHECK_EQ_U64(rc_heap_size(h), N);
    CHECK(h->cap >= N);
    qsort(ev, N, sizeof *ev, event_cmp);
    rc_event_t e;
    int ok = 1;
    for (int i = 0; i < N; i++) {
        CHECK(rc_heap_pop(h, &e) == 1);
        ok &= e.time == ev[i].time && e.node == ev[i].node && e.parent == ev[i].parent;
    }
    CHECK(ok);
    CHECK(rc_heap_pop(h, &e) == 0);
    CHECK(rc_heap_peek(h) == NULL);

    /* Interleaved pushes and pops keep the order. */
    CHECK_OK(rc_heap_push(h, 3.0, 1, 0));
    CHECK_OK(rc_heap_push(h, 1.0, 2, 0));
    CHECK(rc_heap_pop(h, &e) == 1 && e.time == 1.0);
    CHECK_OK(rc_heap_push(h, 2.0, 3, 0));
    CHECK_OK(rc_heap_push(h, 2.0, 0, 9));
    CHECK(rc_heap_peek(h)->node == 0);
    rc_heap_clear(h);
    CHECK(rc_heap_size(h) == 0);
    rc_heap_free(h);
    rc_heap_free(NULL);
    gsl_rng_free(r);
    free(ev);
}

static void test_workspace_epoch(void)
{
    rc_workspace_t *ws = NULL;
    CHECK_OK(rc_workspace_alloc(10, 24, &ws));
    CHECK(ws->model_state != NULL && ws->model_state_size == 24);
    rc_workspace_next_run(ws);
    CHECK(ws->epoch == 1);
    ws->stamp[3] = ws->epoch;
    ws->epoch = UINT32_MAX;
    ws->stamp[4] = UINT32_MAX;
    rc_workspace_next_run(ws); /* wraps: every stamp must now be stale */
    CHECK(ws->epoch == 1);
    CHECK(ws->stamp[3] == 0 && ws->stamp[4] == 0);
    rc_workspace_free(ws);
    rc_workspace_free(NULL);
}

int main(void)
{
    test_order();
    test_workspace_epoch();
    return rc_test_report("test_heap");
}
