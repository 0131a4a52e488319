/* The accounts and communities files of a network read from an edge list (accounts.h): with
 * them, accounts without a single follow edge are kept, and community seeds and audiences work
 * on real networks. */
#include "graph/accounts.h"
#include "graph/text_lines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RC_ACCOUNT_FIELDS 3

typedef struct rc_accounts_ctx {
    const char *path;
    rc_idmap_t *map;            /* accounts: the map being filled */
    const rc_idmap_t *lookup;   /* communities: the accounts (NULL: ids are indices) */
    uint64_t n;                 /* communities: number of accounts */
    uint32_t *community;        /* communities: per account, RC_NO_NODE until given */
    uint32_t max_community;
    int csv;                    /* the separator, decided on the first data line */
    int seen_data;
} rc_accounts_ctx_t;

/* Splits a data line into fields; 0 for blank lines, comments and a first line of words
 * (a header). Commas separate when the first data line has one. */
static int rc_accounts_fields(rc_accounts_ctx_t *c, const char *p, const char *e,
                              const char **fb, const char **fe)
{
    if (!c->seen_data) {
        int nf = rc_text_fields(p, e, 0, fb, fe, RC_ACCOUNT_FIELDS);
        if (nf == 0)
            return 0;
        c->csv = memchr(p, ',', (size_t)(e - p)) != NULL;
        c->seen_data = 1;
        nf = rc_text_fields(p, e, c->csv, fb, fe, RC_ACCOUNT_FIELDS);
        double v;
        if (!rc_text_double(fb[0], fe[0], &v))
            return 0; /* a header: "id", "id,community" */
        return nf;
    }
    return rc_text_fields(p, e, c->csv, fb, fe, RC_ACCOUNT_FIELDS);
}

/* Parses an unsigned integer field, or says what is wrong at path:line. */
static rc_status_t rc_accounts_u64(const rc_accounts_ctx_t *c, const char *p, const char *e,
                                   uint64_t line, const char *what, uint64_t *out)
{
    char shown[RC_TEXT_SHOWN];
    int r = rc_text_u64(p, e, out);
    if (r == 0)
        return RC_OK;
    return rc_error(RC_ERR_INPUT, "%s:%llu: expected %s, got '%s'", c->path,
                    (unsigned long long)line,
                    r == 2 ? "a number that fits 64 bits" : what,
                    rc_text_show(p, e, shown, sizeof shown));
}

static rc_status_t rc_accounts_line(void *ctx, const char *p, const char *e, uint64_t line)
{
    rc_status_t status = RC_OK;
    rc_accounts_ctx_t *c = ctx;
    const char *fb[RC_ACCOUNT_FIELDS], *fe[RC_ACCOUNT_FIELDS];
    if (rc_accounts_fields(c, p, e, fb, fe) == 0)
        return RC_OK;
    uint64_t id = 0;
    uint32_t idx = 0;
    int added = 0;
    RC_TRY(rc_accounts_u64(c, fb[0], fe[0], line, "an unsigned integer account id", &id));
    RC_TRY(rc_idmap_add(c->map, id, c->path, &idx, &added));
    if (!added)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: account %llu is listed twice (it is already account "
                "number %u of the file)", c->path, (unsigned long long)line,
                (unsigned long long)id, idx + 1);
cleanup:
    return status;
}

rc_status_t rc_accounts_read(const char *path, rc_idmap_t *m)
{
    rc_status_t status = RC_OK;
    rc_accounts_ctx_t c;
    memset(&c, 0, sizeof c);
    c.path = path;
    c.map = m;
    RC_TRY(rc_text_read_lines(path, NULL, rc_accounts_line, &c, NULL));
    if (m->n == 0)
        RC_FAIL(RC_ERR_INPUT, "%s: no account ids found", path);
cleanup:
    return status;
}

static rc_status_t rc_communities_line(void *ctx, const char *p, const char *e, uint64_t line)
{
    rc_status_t status = RC_OK;
    rc_accounts_ctx_t *c = ctx;
    const char *fb[RC_ACCOUNT_FIELDS], *fe[RC_ACCOUNT_FIELDS];
    int nf = rc_accounts_fields(c, p, e, fb, fe);
    if (nf == 0)
        return RC_OK;
    if (nf != 2)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: expected 2 columns (account community), got %d", c->path,
                (unsigned long long)line, nf);
    uint64_t id = 0, comm = 0;
    RC_TRY(rc_accounts_u64(c, fb[0], fe[0], line, "an unsigned integer account id", &id));
    RC_TRY(rc_accounts_u64(c, fb[1], fe[1], line, "a community number (an integer >= 0)",
                           &comm));
    if (comm >= RC_NO_NODE)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: community %llu is too large (at most %u)", c->path,
                (unsigned long long)line, (unsigned long long)comm, RC_NO_NODE - 1);
    uint64_t v = c->lookup ? rc_idmap_find(c->lookup, id) : id;
    if (v == RC_NO_NODE || v >= c->n)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: account %llu is not in the network%s", c->path,
                (unsigned long long)line, (unsigned long long)id,
                c->lookup ? " (an account without follow edges is kept only when `nodes:` "
                            "lists it)"
                          : "");
    if (c->community[v] != RC_NO_NODE && c->community[v] != (uint32_t)comm)
        RC_FAIL(RC_ERR_INPUT, "%s:%llu: account %llu is given a second community (%llu, after "
                "%u)", c->path, (unsigned long long)line, (unsigned long long)id,
                (unsigned long long)comm, c->community[v]);
    c->community[v] = (uint32_t)comm;
    if ((uint32_t)comm > c->max_community)
        c->max_community = (uint32_t)comm;
cleanup:
    return status;
}

rc_status_t rc_communities_read(const char *path, const rc_idmap_t *m, uint64_t n,
                                uint32_t **community, uint32_t *n_communities)
{
    rc_status_t status = RC_OK;
    rc_accounts_ctx_t c;
    memset(&c, 0, sizeof c);
    *community = NULL;
    *n_communities = 0;
    c.path = path;
    c.lookup = m;
    c.n = n;
    c.community = malloc((n ? n : 1) * sizeof *c.community);
    RC_ALLOC_CHECK(c.community, "the communities");
    memset(c.community, 0xff, (n ? n : 1) * sizeof *c.community);
    RC_TRY(rc_text_read_lines(path, NULL, rc_communities_line, &c, NULL));
    for (uint64_t v = 0; v < n; v++)
        if (c.community[v] == RC_NO_NODE)
            RC_FAIL(RC_ERR_INPUT, "%s: account %llu has no community (every account needs one)",
                    path, (unsigned long long)(m ? m->ids[v] : v));
    *community = c.community;
    c.community = NULL;
    *n_communities = c.max_community + 1;
cleanup:
    free(c.community);
    return status;
}
