/* The hawkes model's keys for fitted processes: data columns (a list in the config or a column of
 * a CSV file, read by io; errors with file:line), empirical and constant follower counts, a
 * distribution of the seeds' own, branching_factor instead of kappa, the marks each run reports,
 * and HawkesN's finite population (exact small cases: P(size = 2) for N = 2, never more than N). */
#include "model_fixture.h"
#include "../../models/timed.h"

#define AUSPOL RC_FIT_REAL "/auspol_retweet_cascades.csv"
#define TOL_SE 5.0

/* Parses `yaml` (a document with a model: map) with data files relative to base. */
static rc_status_t parse_model(const char *yaml, const char *base, const rc_model_t **m,
                               void **params)
{
    rc_cfg_t *cfg = NULL;
    *m = NULL;
    *params = NULL;
    rc_status_t st = rc_cfg_parse_string(yaml, "<t>", &cfg);
    if (st == RC_OK)
        st = rc_model_parse_at(rc_cfg_get(cfg, "model"), base, m, params);
    rc_cfg_free(cfg);
    return st;
}

static double ratio_of(const char *yaml)
{
    const rc_model_t *m;
    void *p;
    double r = NAN;
    rc_status_t st = parse_model(yaml, RC_FIT_REAL, &m, &p);
    CHECK(st == RC_OK);
    if (st != RC_OK) {
        fprintf(stderr, "%s: %s\n", yaml, rc_error_message());
        return NAN;
    }
    r = rc_hawkes_branching_ratio(p, NULL);
    rc_model_params_free(m, p);
    return r;
}

/* The reshares' and posts' follower counts of auspol, read here without the library. */
static void auspol_marks(double *sum_rest, size_t *n_rest, double *sum_first, size_t *n_first,
                         double beta)
{
    FILE *f = fopen(AUSPOL, "r");
    char line[256], prev[64] = "";
    *sum_rest = *sum_first = 0.0;
    *n_rest = *n_first = 0;
    if (f == NULL || fgets(line, sizeof line, f) == NULL) {
        CHECK(f != NULL);
        if (f)
            fclose(f);
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char id[64];
        double t, m;
        if (sscanf(line, "%63[^,],%lf,%lf", id, &t, &m) != 3)
            continue;
        double w = m > 0 ? pow(m, beta) : 0.0;
        if (strcmp(id, prev) != 0) {
            *sum_first += w;
            (*n_first)++;
            snprintf(prev, sizeof prev, "%s", id);
        } else {
            *sum_rest += w;
            (*n_rest)++;
        }
    }
    fclose(f);
}

static void test_columns(void)
{
    /* a list: the mean of d^beta over it (0 counts 0) */
    CHECK_NEAR(ratio_of("model: {name: hawkes, kappa: 0.5, beta: 0.5, followers: {distribution: "
                        "empirical, values: [0, 4, 16, 100]}}"),
               0.5 * (0 + 2 + 4 + 10) / 4.0, 1e-12);
    CHECK_NEAR(ratio_of("model: {name: hawkes, kappa: 0.5, beta: 0.5, followers: {distribution: "
                        "constant, value: 9}}"),
               1.5, 1e-12);
    /* a file, relative to the config's folder: rows after the first of each cascade */
    double sr, sf;
    size_t nr, nf;
    auspol_marks(&sr, &nr, &sf, &nf, 0.3);
    CHECK(nr == 7171 && nf == 3333);
    CHECK_NEAR(ratio_of("model: {name: hawkes, kappa: 1, beta: 0.3, followers: {distribution: "
                        "empirical, values: {path: auspol_retweet_cascades.csv, column: "
                        "followers, group: cascade, rows: rest}}}"),
               sr / (double)nr, 1e-9 * sr / (double)nr);
    /* branching_factor instead of kappa: kappa = n* / E[d^beta] */
    const rc_model_t *m;
    void *p;
    CHECK_OK(parse_model("model: {name: hawkes, branching_factor: 0.8, beta: 0.5, followers: "
                         "{distribution: empirical, values: [1, 4, 9]}}",
                         NULL, &m, &p));
    if (p != NULL) {
        CHECK_NEAR(rc_hawkes_branching_ratio(p, NULL), 0.8, 1e-12);
        CHECK_NEAR(*(const double *)p, 0.8 / 2.0, 1e-15); /* kappa is the struct's first field */
        rc_model_params_free(m, p);
    }

    /* errors, each at its place in the config or the file */
    struct {
        const char *yaml;
        rc_status_t code;
        const char *text;
    } bad[] = {
        {"model: {name: hawkes, kappa: 1, branching_factor: 0.5}", RC_ERR_CONFIG,
         "give kappa or branching_factor, not both"},
        {"model: {name: hawkes, branching_factor: 0.5, followers: network}", RC_ERR_CONFIG,
         "model.branching_factor: needs a followers distribution"},
        {"model: {name: hawkes, followers: {distribution: empirical, values: []}}", RC_ERR_CONFIG,
         "<t>:1:68: model.followers.values: expected at least one number"},
        {"model: {name: hawkes, followers: {distribution: empirical, values: [1, -2]}}",
         RC_ERR_CONFIG,
         "<t>:1:72: model.followers.values[1]: expected a number in [0, 1e+15], "
         "got '-2'"},
        {"model: {name: hawkes, followers: {distribution: empirical, values: 3}}", RC_ERR_CONFIG,
         "model.followers.values: expected a list of numbers in [0, 1e+15] or a map"},
        {"model: {name: hawkes, followers: {distribution: empirical, values: {path: "
         "auspol_retweet_cascades.csv, column: followers, rows: first}}}",
         RC_ERR_CONFIG, "rows: 'first' needs group:"},
        {"model: {name: hawkes, followers: {distribution: empirical, values: {path: nofile.csv, "
         "column: x}}}",
         RC_ERR_IO,
         "<t>:1:75: model.followers.values: " RC_TEST_DATA "/fit/nofile.csv: cannot "
         "open"},
        {"model: {name: hawkes, followers: {distribution: empirical, values: {path: "
         "auspol_retweet_cascades.csv, column: follower}}}",
         RC_ERR_INPUT,
         "auspol_retweet_cascades.csv:1: expected a column named 'follower' in the "
         "header, got 'cascade,time_s,followers'"},
        {"model: {name: hawkes, followers: {distribution: empirical, values: {path: "
         "text_time.csv, column: time_s}}}",
         RC_ERR_INPUT,
         "text_time.csv:3: expected a number in [0, 1e+15] in column 'time_s', got "
         "'abc'"},
        {"model: {name: hawkes, followers: {distribution: empirical, values: {path: "
         "negative_mark.csv, column: followers, colum: x}}}",
         RC_ERR_CONFIG, "unknown key 'colum'"},
        {"model: {name: hawkes, seed_followers: drew}", RC_ERR_CONFIG,
         "model.seed_followers: expected 'graph', 'draw' or a map"},
    };
    /* in tests/data/fit, with the fit tests' malformed files */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_FAILS(parse_model(bad[i].yaml, RC_TEST_DATA "/fit", &m, &p), bad[i].code,
                    bad[i].text);
        CHECK(p == NULL);
    }
    CHECK_FAILS(parse_model("model: {name: hawkes, followers: {distribution: empirical, values: "
                            "{path: negative_mark.csv, column: followers}}}",
                            RC_TEST_DATA "/fit", &m, &p),
                RC_ERR_INPUT,
                "negative_mark.csv:3: expected a number in [0, 1e+15] in column "
                "'followers', got '-3'");
}

static rc_graph_t *empty_graph(uint32_t n)
{
    return fx_graph(n, NULL, NULL, NULL, 0, 0);
}

/* One seed whose follower count comes from its own distribution (constant D): the size is 1
 * with probability exp(-kappa D^beta), and 1 + kappa D^beta / (1 - n*) on average; every mark a
 * run reports comes from the right list. */
static void test_seed_marks(void)
{
    const uint32_t n = 20000;
    rc_graph_t *g = empty_graph(n);
    fixture_t f;
    if (g == NULL || fx_open(&f, g,
                             "model: {name: hawkes, kappa: 0.2, beta: 0.5, delay: {distribution: "
                             "lomax, c: 10, theta: 1.5}, followers: {distribution: empirical, "
                             "values: [1, 4, 9]}, seed_followers: {distribution: constant, "
                             "value: 16}}",
                             0) != 0) {
        rc_graph_free(g);
        return;
    }
    const double nstar = 0.2 * 2.0, a0 = 0.2 * 4.0;
    const int runs = 40000;
    double sum = 0.0, sum2 = 0.0;
    int ones = 0, bad_marks = 0;
    const uint32_t seed = 0;
    for (int r = 0; r < runs; r++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, (uint64_t)r, &seed, 1, &c));
        sum += c.size;
        sum2 += (double)c.size * c.size;
        ones += c.size == 1;
        if (c.mark == NULL || c.mark[0] != 16.0)
            bad_marks++;
        for (uint32_t i = 1; c.mark != NULL && i < c.size; i++)
            bad_marks += c.mark[i] != 1.0 && c.mark[i] != 4.0 && c.mark[i] != 9.0;
    }
    CHECK(bad_marks == 0);
    double mean = sum / runs, sd = sqrt(sum2 / runs - mean * mean);
    double p1 = exp(-a0);
    printf("seed marks: P(size 1) %.4f (theory %.4f), mean size %.4f (theory %.4f)\n",
           (double)ones / runs, p1, mean, 1.0 + a0 / (1.0 - nstar));
    CHECK_NEAR((double)ones / runs, p1, TOL_SE * sqrt(p1 * (1 - p1) / runs));
    CHECK_NEAR(mean, 1.0 + a0 / (1.0 - nstar), TOL_SE * sd / sqrt((double)runs));
    fx_close(&f);
    rc_graph_free(g);
}

/* HawkesN: never more than N events; for N = 2, the seed's candidates are each kept with
 * probability 1/2, so P(size = 2) = 1 - exp(-kappa / 2). The default (no population) draws
 * nothing more. */
static void test_population(void)
{
    rc_graph_t *g = empty_graph(1000);
    fixture_t f;
    const uint32_t seed = 0;
    const int runs = 40000;
    if (g == NULL)
        return;
    if (fx_open(&f, g,
                "model: {name: hawkes, kappa: 1.2, beta: 0, population: 2, delay: "
                "{distribution: exponential, rate: 1}, seed_followers: draw}",
                0) == 0) {
        int two = 0, over = 0;
        for (int r = 0; r < runs; r++) {
            rc_cascade_t c;
            CHECK_OK(fx_run(&f, (uint64_t)r, &seed, 1, &c));
            two += c.size == 2;
            over += c.size > 2;
        }
        double p2 = 1.0 - exp(-0.6);
        printf("HawkesN N = 2: P(size 2) %.4f (theory %.4f)\n", (double)two / runs, p2);
        CHECK(over == 0);
        CHECK_NEAR((double)two / runs, p2, TOL_SE * sqrt(p2 * (1 - p2) / runs));
        fx_close(&f);
    }
    /* supercritical without N would hit the cap; with N = 30.5 an event is possible while
     * fewer than N came before, so a cascade stops at 31 at most */
    if (fx_open(&f, g,
                "model: {name: hawkes, kappa: 3, beta: 0, population: 30.5, "
                "seed_followers: draw}",
                0) == 0) {
        uint32_t most = 0;
        for (int r = 0; r < 2000; r++) {
            rc_cascade_t c;
            CHECK_OK(fx_run(&f, (uint64_t)r, &seed, 1, &c));
            most = c.size > most ? c.size : most;
            CHECK(!c.capped);
        }
        printf("HawkesN N = 30.5, kappa = 3: largest of 2000 cascades %u\n", most);
        CHECK(most <= 31 && most >= 25);
        fx_close(&f);
    }
    rc_graph_free(g);
}

int main(void)
{
    test_columns();
    test_seed_marks();
    test_population();
    return rc_test_report("test_hawkes_data");
}
