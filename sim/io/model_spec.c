/* The `model:` section of a config: its name looked up in the registry (an unknown name lists the
 * valid ones), its keys filled into the model's typed parameter struct from the model's own
 * parameter table, then the model's cross-parameter checks, reported at the key they concern. */
#include "rtcascade/specs.h"

#include <stdio.h>
#include <string.h>

rc_status_t rc_model_parse(const rc_cfg_t *map, const rc_model_t **model, void **params)
{
    return rc_model_parse_at(map, NULL, model, params);
}

rc_status_t rc_model_parse_at(const rc_cfg_t *map, const char *base_dir, const rc_model_t **model,
                              void **params)
{
    rc_status_t status = RC_OK;
    static const char *const extra[] = {"name", NULL};
    const char *name = NULL, *key = NULL;
    void *p = NULL;
    const rc_model_t *m = NULL;
    uint64_t given = 0;
    *model = NULL;
    *params = NULL;
    if (map == NULL || rc_cfg_kind(map) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: model: expected a map with at least 'name:'",
                map ? rc_cfg_where(map) : "config");
    RC_TRY(rc_cfg_require(map, "name"));
    RC_TRY(rc_cfg_string(map, "name", NULL, &name));
    m = rc_model_find(name);
    if (m == NULL) {
        char names[512];
        RC_FAIL(RC_ERR_CONFIG, "%s: %s.name: unknown model '%s' (valid: %s)",
                rc_cfg_where(rc_cfg_get(map, "name")), rc_cfg_path(map), name,
                rc_model_names(names, sizeof names));
    }
    p = rc_model_params_new(m);
    if (p == NULL)
        RC_FAIL(RC_ERR_NOMEM, "%s", rc_error_message());
    RC_TRY(rc_params_fill_at(m->params, map, extra, base_dir, p, &given));
    if ((status = rc_model_params_check(m, p, given, &key)) != RC_OK)
        RC_TRY(rc_params_located_error(map, key, status));
    *model = m;
    *params = p;
    p = NULL;
cleanup:
    if (m != NULL)
        rc_model_params_free(m, p);
    return status;
}
