/* The `seeds:` and `audience:` sections of a config: who posts in each run, as typed specs
 * (rtcascade/engine.h) that the engine resolves against the built network. Every key is checked
 * here; what needs the network (ids, counts, communities) is checked once it is built, with
 * errors naming the section through spec->where. */
#include "rtcascade/greedy.h"
#include "rtcascade/specs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rc_status_t rc_seeds_parse(const rc_cfg_t *map, rc_seed_spec_t *spec)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"strategy", "count", "nodes", "community", "fraction",
                                       "p", "greedy_runs", "greedy_candidates", "offset", NULL};
    rc_seeds_default(spec);
    if (map == NULL)
        return RC_OK;
    snprintf(spec->where, sizeof spec->where, "%s: %s", rc_cfg_where(map), rc_cfg_path(map));
    RC_TRY(rc_cfg_check_keys(map, keys));
    int strategy = 0;
    RC_TRY(rc_cfg_choice(map, "strategy", rc_seed_strategy_names, RC_SEEDS_RANDOM, &strategy));
    spec->strategy = (rc_seed_strategy_t)strategy;
    const rc_cfg_t *nodes = rc_cfg_get(map, "nodes");
    const rc_cfg_t *count = rc_cfg_get(map, "count");
    if (spec->strategy == RC_SEEDS_LIST) {
        RC_TRY(rc_cfg_require(map, "nodes"));
        if (rc_cfg_kind(nodes) != RC_CFG_SEQ || rc_cfg_size(nodes) == 0)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected a non-empty list of account ids",
                    rc_cfg_where(nodes), rc_cfg_path(nodes));
        size_t len = rc_cfg_size(nodes);
        if (len > RC_MAX_NODES)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: too many seeds", rc_cfg_where(nodes),
                    rc_cfg_path(nodes));
        spec->nodes = malloc(len * sizeof *spec->nodes);
        RC_ALLOC_CHECK(spec->nodes, "the seed list");
        for (size_t i = 0; i < len; i++)
            RC_TRY(rc_cfg_as_uint64(rc_cfg_at(nodes, i, NULL), 0, UINT64_MAX, &spec->nodes[i]));
        spec->count = (uint32_t)len;
        if (count != NULL) {
            uint32_t c = 0;
            RC_TRY(rc_cfg_uint32(map, "count", 1, 1, RC_MAX_NODES, &c));
            if (c != spec->count)
                RC_FAIL(RC_ERR_CONFIG, "%s: %s.count is %u but nodes lists %u accounts (leave "
                        "count out with strategy: list)", rc_cfg_where(count), rc_cfg_path(map),
                        c, spec->count);
        }
    } else {
        if (nodes != NULL)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s.nodes applies only with strategy: list",
                    rc_cfg_where(nodes), rc_cfg_path(map));
        RC_TRY(rc_cfg_uint32(map, "count", 1, 1, RC_MAX_NODES, &spec->count));
    }
    if (spec->strategy == RC_SEEDS_COMMUNITY) {
        RC_TRY(rc_cfg_require(map, "community"));
        RC_TRY(rc_cfg_uint32(map, "community", 0, 0, UINT32_MAX - 1, &spec->community));
    } else if (rc_cfg_get(map, "community") != NULL) {
        RC_FAIL(RC_ERR_CONFIG, "%s: %s.community applies only with strategy: community",
                rc_cfg_where(rc_cfg_get(map, "community")), rc_cfg_path(map));
    }
    /* top_fraction (Watts & Dodds 2007's "influentials": the top 10% by followers). */
    if (spec->strategy == RC_SEEDS_TOP_FRACTION) {
        RC_TRY(rc_cfg_require(map, "fraction"));
        RC_TRY(rc_cfg_double(map, "fraction", 0.1, 0.0, 1.0, &spec->fraction));
        if (!(spec->fraction > 0.0))
            RC_FAIL(RC_ERR_CONFIG, "%s: %s.fraction must be above 0 (the share of nodes, by "
                    "followers, the seeds are drawn from)", rc_cfg_where(rc_cfg_get(map,
                    "fraction")), rc_cfg_path(map));
    } else if (rc_cfg_get(map, "fraction") != NULL) {
        RC_FAIL(RC_ERR_CONFIG, "%s: %s.fraction applies only with strategy: top_fraction",
                rc_cfg_where(rc_cfg_get(map, "fraction")), rc_cfg_path(map));
    }
    /* by_followers: weights followers + offset (1 by default, so that accounts without
     * followers can post too, as in Price's model and the preferential audience pick). */
    if (spec->strategy == RC_SEEDS_BY_FOLLOWERS) {
        RC_TRY(rc_cfg_double(map, "offset", 1.0, 0.0, 1e15, &spec->offset));
    } else if (rc_cfg_get(map, "offset") != NULL) {
        RC_FAIL(RC_ERR_CONFIG, "%s: %s.offset applies only with strategy: by_followers",
                rc_cfg_where(rc_cfg_get(map, "offset")), rc_cfg_path(map));
    }
    /* The keys of the influence strategies are read whatever the strategy: a sweep over
     * seeds.strategy shares one seeds: map, so the keys of one strategy must not make the
     * others fail. */
    RC_TRY(rc_cfg_double(map, "p", 0.01, 0.0, 1.0, &spec->p));
    RC_TRY(rc_cfg_uint32(map, "greedy_runs", RC_GREEDY_DEFAULT_RUNS, 1, 100000000,
                         &spec->greedy_runs));
    RC_TRY(rc_cfg_uint32(map, "greedy_candidates", 0, 0, RC_MAX_NODES,
                         &spec->greedy_candidates));
cleanup:
    if (status != RC_OK)
        rc_seeds_clear(spec);
    return status;
}

/* size: a count (an integer >= 1), a fraction of the accounts (a number in (0, 1] written with
 * a decimal point or an exponent: 0.1 = 10%, 1.0 = all) or `all`. */
static rc_status_t audience_size(const rc_cfg_t *map, rc_audience_spec_t *spec)
{
    const rc_cfg_t *node = rc_cfg_get(map, "size");
    const char *text = rc_cfg_kind(node) == RC_CFG_SCALAR ? rc_cfg_text(node) : NULL;
    spec->fraction = 0.0;
    if (text != NULL && strcmp(text, "all") == 0) {
        spec->fraction = 1.0;
        spec->size = 0;
        return RC_OK;
    }
    if (text != NULL && strpbrk(text, ".eE") != NULL) {
        double f = 0.0;
        if (rc_cfg_as_double(node, 0.0, 1.0, &f) == RC_OK && f > 0.0) {
            spec->fraction = f;
            spec->size = 0;
            return RC_OK;
        }
        return rc_error(RC_ERR_CONFIG, "%s: %s: expected a number of accounts (an integer >= 1), "
                        "a fraction of them in (0, 1] such as 0.1, or all, got '%s'",
                        rc_cfg_where(node), rc_cfg_path(node), text);
    }
    return rc_cfg_uint32(map, "size", 1, 1, RC_MAX_NODES, &spec->size);
}

rc_status_t rc_audience_parse(const rc_cfg_t *map, rc_audience_spec_t *spec)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"size", "pick", "engagement", "community", "redraw", NULL};
    memset(spec, 0, sizeof *spec);
    snprintf(spec->where, sizeof spec->where, "audience");
    if (map == NULL)
        RC_FAIL(RC_ERR_CONFIG, "audience: expected a map like {size: 250, pick: top_followers, "
                               "engagement: 0.15}");
    snprintf(spec->where, sizeof spec->where, "%s: %s", rc_cfg_where(map), rc_cfg_path(map));
    if (rc_cfg_kind(map) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG,
                "%s: expected a map like {size: 250, pick: top_followers, "
                "engagement: 0.15}",
                spec->where);
    RC_TRY(rc_cfg_check_keys(map, keys));
    RC_TRY(rc_cfg_require(map, "size"));
    RC_TRY(audience_size(map, spec));
    int pick = 0;
    RC_TRY(rc_cfg_choice(map, "pick", rc_audience_pick_names, RC_AUDIENCE_RANDOM, &pick));
    spec->pick = (rc_audience_pick_t)pick;
    RC_TRY(rc_cfg_require(map, "engagement"));
    RC_TRY(rc_cfg_double(map, "engagement", 0.0, 0.0, 1.0, &spec->engagement));
    const rc_cfg_t *community = rc_cfg_get(map, "community");
    if (community != NULL && !(spec->pick == RC_AUDIENCE_TOP_FOLLOWERS_IN_COMMUNITY || spec->pick == RC_AUDIENCE_COMMUNITY))
        RC_FAIL(RC_ERR_CONFIG,
                "%s: %s.community applies only with pick: community or "
                "top_followers_in_community (got pick: %s)",
                rc_cfg_where(community), rc_cfg_path(map), rc_audience_pick_names[pick]);
    RC_TRY(rc_cfg_uint32(map, "community", 0, 0, UINT32_MAX - 1, &spec->community));
    RC_TRY(rc_cfg_bool(map, "redraw", 0, &spec->redraw));
cleanup:
    return status;
}

