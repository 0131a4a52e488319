/* Config tree: parsing, positions and paths in messages, typed getters and their range errors,
 * unknown-key suggestions, --set overrides, deep merge and the YAML round trip. */
#include "rc_test.h"
#include "rtcascade/config.h"

#include <float.h>
#include <stdlib.h>

static const char *doc = "name: demo\n"
                         "seed: 42\n"
                         "runs: 1e4\n"
                         "network: {generator: chung_lu, nodes: 1_000, mean_degree: 20}\n"
                         "model:\n"
                         "  name: independent_cascade\n"
                         "  p: 1.5\n"
                         "  label: \"42\"\n"
                         "  undirected: yes\n"
                         "sweep:\n"
                         "  model.p: [0.01, 0.02]\n";

/* Scalars that look like document markers are quoted when written (fuzz_config: "..." as a
 * whole document wrote back as the end-of-document marker, which reads as nothing). */
static void test_document_markers(void)
{
    const char *const markers[] = {" ...", "---x\n", "a: ...\nb: '--- c'\n", "['...', ---z]\n"};
    for (size_t k = 0; k < sizeof markers / sizeof *markers; k++) {
        rc_cfg_t *root = NULL, *again = NULL;
        CHECK_OK(rc_cfg_parse_string(markers[k], "markers", &root));
        char *yaml = rc_cfg_to_yaml(root), *yaml2 = NULL;
        CHECK(yaml != NULL);
        CHECK_OK(rc_cfg_parse_string(yaml, "markers emitted", &again));
        yaml2 = again != NULL ? rc_cfg_to_yaml(again) : NULL;
        CHECK(yaml2 != NULL && strcmp(yaml, yaml2) == 0);
        free(yaml);
        free(yaml2);
        rc_cfg_free(again);
        rc_cfg_free(root);
    }
}

int main(void)
{
    rc_cfg_t *root = NULL;
    CHECK_OK(rc_cfg_parse_string(doc, "demo.yaml", &root));
    CHECK(rc_cfg_kind(root) == RC_CFG_MAP);
    CHECK_EQ_U64(rc_cfg_size(root), 6);

    uint64_t u;
    double d;
    int b;
    const char *s;
    CHECK_OK(rc_cfg_uint64(root, "seed", 0, 0, UINT64_MAX, &u));
    CHECK_EQ_U64(u, 42);
    CHECK_OK(rc_cfg_uint64(root, "runs", 0, 1, UINT64_MAX, &u));
    CHECK_EQ_U64(u, 10000);
    const rc_cfg_t *net = rc_cfg_get(root, "network");
    CHECK_OK(rc_cfg_uint64(net, "nodes", 0, 1, UINT64_MAX, &u));
    CHECK_EQ_U64(u, 1000);
    CHECK_OK(rc_cfg_uint64(net, "absent", 7, 1, 10, &u));
    CHECK_EQ_U64(u, 7);

    const rc_cfg_t *model = rc_cfg_lookup(root, "model");
    CHECK(model != NULL);
    CHECK(strcmp(rc_cfg_path(rc_cfg_get(model, "p")), "model.p") == 0);
    CHECK(strcmp(rc_cfg_where(rc_cfg_get(model, "p")), "demo.yaml:7:6") == 0);
    CHECK_FAILS(rc_cfg_double(model, "p", 0, 0, 1, &d), RC_ERR_CONFIG,
                "demo.yaml:7:6: model.p: expected a number in [0, 1], got '1.5'");
    CHECK_FAILS(rc_cfg_double(model, "label", 0, 0, 100, &d), RC_ERR_CONFIG,
                "model.label: expected a number, got '42'");
    CHECK_OK(rc_cfg_string(model, "label", NULL, &s));
    CHECK(strcmp(s, "42") == 0);
    CHECK_OK(rc_cfg_bool(model, "undirected", 0, &b));
    CHECK(b == 1);
    CHECK_FAILS(rc_cfg_bool(model, "name", 0, &b), RC_ERR_CONFIG, "expected true or false");
    CHECK_FAILS(rc_cfg_uint64(root, "network", 0, 0, 9, &u), RC_ERR_CONFIG,
                "network: expected a non-negative integer, got a map");
    CHECK_FAILS(rc_cfg_require(model, "q"), RC_ERR_CONFIG, "missing required key 'model.q'");

    static const char *const model_keys[] = {"name", "p", "label", "undirected", NULL};
    CHECK_OK(rc_cfg_check_keys(model, model_keys));
    static const char *const top_keys[] = {"name", "seed", "runs", "network", "model", NULL};
    CHECK_FAILS(rc_cfg_check_keys(root, top_keys), RC_ERR_CONFIG,
                "demo.yaml:10:1: unknown key 'sweep' in the config (did you mean 'seed'?)");
    static const char *const gens[] = {"erdos_renyi", "chung_lu", "dcsbm", NULL};
    int idx = -1;
    CHECK_OK(rc_cfg_choice(net, "generator", gens, 0, &idx));
    CHECK(idx == 1);

    /* The sweep key keeps its dot: it is a key, not a path. */
    const rc_cfg_t *sweep = rc_cfg_get(root, "sweep");
    const char *key = NULL;
    const rc_cfg_t *list = rc_cfg_at(sweep, 0, &key);
    CHECK(strcmp(key, "model.p") == 0 && rc_cfg_kind(list) == RC_CFG_SEQ);
    CHECK_OK(rc_cfg_as_double(rc_cfg_at(list, 1, NULL), 0, 1, &d));
    CHECK(d == 0.02);
    CHECK(strcmp(rc_cfg_path(rc_cfg_at(list, 1, NULL)), "sweep.model.p[1]") == 0);

    /* --set replaces, creates, and parses YAML values. */
    CHECK_OK(rc_cfg_set_assignment(root, "model.p=0.25"));
    CHECK_OK(rc_cfg_double(model, "p", 0, 0, 1, &d));
    CHECK(d == 0.25);
    CHECK_OK(rc_cfg_set_assignment(root, "seeds.count=3"));
    CHECK_OK(rc_cfg_uint64(rc_cfg_get(root, "seeds"), "count", 0, 0, 9, &u));
    CHECK_EQ_U64(u, 3);
    CHECK_OK(rc_cfg_set_assignment(root, "network={generator: star, nodes: 5}"));
    CHECK_EQ_U64(rc_cfg_size(rc_cfg_get(root, "network")), 2);
    CHECK_FAILS(rc_cfg_set_assignment(root, "model.p"), RC_ERR_ARGUMENT, "expected key.path=value");
    CHECK_FAILS(rc_cfg_set_assignment(root, "seed.x=1"), RC_ERR_ARGUMENT, "not a map");
    CHECK_FAILS(rc_cfg_set_assignment(root, "model.p=[1, 2"), RC_ERR_CONFIG,
                "--set model.p:2:1: YAML syntax error");
    CHECK_OK(rc_cfg_double(rc_cfg_get(root, "model"), "p", 0, 0, 1, &d));
    CHECK(d == 0.25); /* a failed --set changes nothing */

    /* Deep merge: maps merge key by key, anything else replaces. */
    rc_cfg_t *over = NULL;
    CHECK_OK(rc_cfg_parse_string("model: {p: 0.5}\nruns: 7\n", "over", &over));
    CHECK_OK(rc_cfg_merge(root, over));
    CHECK_OK(rc_cfg_double(rc_cfg_get(root, "model"), "p", 0, 0, 1, &d));
    CHECK(d == 0.5);
    CHECK(rc_cfg_get(rc_cfg_get(root, "model"), "name") != NULL);
    CHECK_OK(rc_cfg_uint64(root, "runs", 0, 0, 100, &u));
    CHECK_EQ_U64(u, 7);
    rc_cfg_free(over);

    /* Emitting and re-reading gives the same values. */
    char *yaml = rc_cfg_to_yaml(root);
    CHECK(yaml != NULL);
    rc_cfg_t *again = NULL;
    CHECK_OK(rc_cfg_parse_string(yaml, "emitted", &again));
    char *yaml2 = rc_cfg_to_yaml(again);
    CHECK(yaml2 != NULL && strcmp(yaml, yaml2) == 0);
    CHECK_OK(rc_cfg_string(rc_cfg_get(again, "model"), "label", NULL, &s));
    CHECK(strcmp(s, "42") == 0);
    CHECK_FAILS(rc_cfg_double(rc_cfg_get(again, "model"), "label", 0, 0, 100, &d), RC_ERR_CONFIG,
                "expected a number");
    free(yaml);
    free(yaml2);
    rc_cfg_free(again);
    rc_cfg_free(root);

    /* Syntax errors name the line and column; duplicates and aliases are refused. */
    CHECK_FAILS(rc_cfg_parse_string("a: 1\nb: [1, 2\n", "bad.yaml", &root), RC_ERR_CONFIG,
                "bad.yaml:3:1: YAML syntax error");
    CHECK(root == NULL);
    CHECK_FAILS(rc_cfg_parse_string("a: 1\na: 2\n", "dup.yaml", &root), RC_ERR_CONFIG,
                "dup.yaml:2:1: duplicate key 'a' (first at line 1)");
    CHECK_FAILS(rc_cfg_parse_string("a: &x 1\nb: *x\n", "alias.yaml", &root), RC_ERR_CONFIG,
                "alias.yaml:2:4: YAML aliases");
    CHECK_FAILS(rc_cfg_parse_file("/nonexistent/x.yaml", &root), RC_ERR_IO,
                "/nonexistent/x.yaml: cannot open config");
    CHECK_OK(rc_cfg_parse_string("", "empty", &root));
    CHECK(rc_cfg_kind(root) == RC_CFG_MAP && rc_cfg_size(root) == 0);
    rc_cfg_free(root);

    /* Suggestions. */
    CHECK_OK(rc_cfg_parse_string("modle: {}\n", "typo.yaml", &root));
    CHECK_FAILS(rc_cfg_check_keys(root, top_keys), RC_ERR_CONFIG, "(did you mean 'model'?)");
    rc_cfg_free(root);
    CHECK_EQ_U64(rc_edit_distance("kitten", "sitting"), 3);
    test_document_markers();
    return rc_test_report("test_config");
}
