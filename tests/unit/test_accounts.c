/* The accounts and communities of an edge list (rc_load_options_t nodes, nodes_path,
 * communities_path): isolated accounts kept (by a count of accounts 0 .. n-1 or by a file of
 * ids, whose order numbers the nodes), communities attached (whitespace or CSV, with a header),
 * and the exact message for every mistake in these files. */
#include "rc_test.h"
#include "rtcascade/graph.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];

/* Writes text to tmpdir/name and returns its path (a static buffer, one of 32 in turn). */
static const char *put_file(const char *name, const char *text)
{
    static char bufs[32][256];
    static int turn;
    char *buf = bufs[turn++ % 32];
    snprintf(buf, sizeof bufs[0], "%s/%s", tmpdir, name);
    FILE *f = fopen(buf, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return buf;
}

static rc_load_options_t options(uint64_t nodes, const char *nodes_path, const char *comm)
{
    rc_load_options_t o = {.direction = RC_DIRECTION_FLOWS, .format = RC_FORMAT_AUTO,
                           .nodes = nodes, .nodes_path = nodes_path, .communities_path = comm};
    return o;
}

static uint64_t out_degree(const rc_graph_t *g, uint32_t u)
{
    return g->out_off[u + 1] - g->out_off[u];
}

/* A count: ids are the nodes, the ones without edges included, in id order. */
static void test_count(void)
{
    const char *edges = put_file("count.edges", "0 1\n1 2\n4 0\n");
    rc_load_options_t o = options(7, NULL, NULL);
    rc_graph_t *g = NULL;
    CHECK_OK(rc_graph_load_edgelist(edges, &o, &g, NULL));
    if (g) {
        CHECK(g->n == 7 && g->m == 3);
        CHECK(g->orig_id == NULL); /* ids are the indices */
        CHECK(out_degree(g, 0) == 1 && out_degree(g, 4) == 1 && out_degree(g, 3) == 0);
        CHECK(g->out_nbr[g->out_off[4]] == 0);
        CHECK(strstr(g->description, "nodes=7") != NULL);
        rc_graph_free(g);
    }
    g = NULL;
    o = options(4, NULL, NULL);
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_INPUT,
                "count.edges:3: account 4 is not below nodes: 4");
    CHECK(g == NULL);
}

/* A file of ids: its order numbers the nodes; every edge must name one of them. */
static void test_ids_file(void)
{
    const char *edges = put_file("ids.edges", "500 100\n100 300\n");
    const char *ids = put_file("ids.txt", "# accounts\nid\n300\n100\n900\n500\n");
    rc_load_options_t o = options(0, ids, NULL);
    rc_graph_t *g = NULL;
    CHECK_OK(rc_graph_load_edgelist(edges, &o, &g, NULL));
    if (g) {
        CHECK(g->n == 4 && g->m == 2);
        CHECK(g->orig_id[0] == 300 && g->orig_id[1] == 100 && g->orig_id[2] == 900 &&
              g->orig_id[3] == 500);
        CHECK(out_degree(g, 2) == 0 && g->in_off[3] - g->in_off[2] == 0); /* 900 isolated */
        CHECK(out_degree(g, 3) == 1 && g->out_nbr[g->out_off[3]] == 1);  /* 500 -> 100 */
        rc_graph_free(g);
    }
    g = NULL;
    const char *more = put_file("more.edges", "500 100\n100 301\n");
    CHECK_FAILS(rc_graph_load_edgelist(more, &o, &g, NULL), RC_ERR_INPUT,
                "more.edges:2: account 301 is not in the accounts file");
    o = options(0, put_file("dup.txt", "1\n2\n1\n"), NULL);
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_INPUT,
                "dup.txt:3: account 1 is listed twice (it is already account number 1");
    o = options(0, put_file("bad.txt", "1\n2x\n"), NULL);
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_INPUT,
                "bad.txt:2: expected an unsigned integer account id, got '2x'");
    o = options(0, put_file("empty.txt", "# nothing\n"), NULL);
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_INPUT,
                "empty.txt: no account ids found");
    o = options(0, "/nonexistent/ids.txt", NULL);
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_IO,
                "/nonexistent/ids.txt: cannot open");
    CHECK(g == NULL);
}

/* Communities, with remapped ids, with a count, in CSV with a header. */
static void test_communities(void)
{
    const char *edges = put_file("c.edges", "500 100\n100 300\n");
    const char *comm = put_file("c.csv", "account,community\n100,2\n300,0\n500,2\n");
    rc_load_options_t o = options(0, NULL, comm);
    rc_graph_t *g = NULL;
    CHECK_OK(rc_graph_load_edgelist(edges, &o, &g, NULL));
    if (g) {
        /* nodes in order of first appearance: 500, 100, 300 */
        CHECK(g->n == 3 && g->n_communities == 3 && g->community != NULL);
        if (g->community)
            CHECK(g->community[0] == 2 && g->community[1] == 2 && g->community[2] == 0);
        CHECK(strstr(g->description, "communities=") != NULL);
        rc_graph_free(g);
    }
    g = NULL;
    o = options(5, NULL, put_file("c5.txt", "0 1\n1 1\n2 0\n3 4\n4 0\n"));
    CHECK_OK(rc_graph_load_edgelist(put_file("c5.edges", "0 1\n2 3\n"), &o, &g, NULL));
    if (g) {
        CHECK(g->n == 5 && g->n_communities == 5 && g->community[3] == 4);
        rc_graph_free(g);
    }
    g = NULL;
    o = options(0, NULL, put_file("missing.txt", "100 1\n300 1\n"));
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_INPUT,
                "missing.txt: account 500 has no community");
    o = options(0, NULL, put_file("stranger.txt", "100 1\n300 1\n500 1\n700 1\n"));
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_INPUT,
                "stranger.txt:4: account 700 is not in the network");
    o = options(0, NULL, put_file("twice.txt", "100 1\n300 1\n100 2\n"));
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_INPUT,
                "twice.txt:3: account 100 is given a second community (2, after 1)");
    o = options(0, NULL, put_file("cols.txt", "100 1 7\n"));
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_INPUT,
                "cols.txt:1: expected 2 columns (account community), got 3");
    o = options(0, NULL, put_file("neg.txt", "100 -1\n"));
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_INPUT,
                "neg.txt:1: expected a community number (an integer >= 0), got '-1'");
    o = options(0, NULL, put_file("huge.txt", "100 4294967295\n"));
    CHECK_FAILS(rc_graph_load_edgelist(edges, &o, &g, NULL), RC_ERR_INPUT,
                "huge.txt:1: community 4294967295 is too large");
    CHECK(g == NULL);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rc_accounts_XXXXXX");
    if (mkdtemp(tmpdir) == NULL)
        return 1;
    test_count();
    test_ids_file();
    test_communities();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return rc_test_report("test_accounts");
}
