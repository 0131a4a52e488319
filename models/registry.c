/* The model registry: the table of every model listed in models.def, lookup by name (an unknown
 * name is answered with the list of valid ones) and the parse entry point for a `model:` map.
 * Adding a model is one file in models/ plus one line in models.def. */
#include "rtcascade/model.h"

#include <stdio.h>
#include <string.h>

#define RC_MODEL(x) extern const rc_model_t rc_model_##x;
#include "models.def"
#undef RC_MODEL

static const rc_model_t *const rc_models[] = {
#define RC_MODEL(x) &rc_model_##x,
#include "models.def"
#undef RC_MODEL
};

#define RC_N_MODELS (sizeof rc_models / sizeof rc_models[0])

size_t rc_model_count(void)
{
    return RC_N_MODELS;
}

const rc_model_t *rc_model_at(size_t i)
{
    return i < RC_N_MODELS ? rc_models[i] : NULL;
}

/* "a, b, c" into buf (truncated to fit). */
static const char *model_names(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < RC_N_MODELS && used < len; i++) {
        int k = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", rc_models[i]->name);
        if (k < 0)
            break;
        used += (size_t)k;
    }
    return buf;
}

const rc_model_t *rc_model_find(const char *name)
{
    for (size_t i = 0; i < RC_N_MODELS; i++)
        if (name != NULL && strcmp(rc_models[i]->name, name) == 0)
            return rc_models[i];
    char names[512];
    rc_error(RC_ERR_CONFIG, "unknown model '%s' (valid: %s)", name ? name : "(none)",
             model_names(names, sizeof names));
    return NULL;
}

rc_status_t rc_model_parse(const rc_cfg_t *map, const rc_model_t **model, void **params)
{
    rc_status_t status = RC_OK;
    const char *name = NULL;
    *model = NULL;
    *params = NULL;
    if (map == NULL || rc_cfg_kind(map) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: model: expected a map with at least 'name:'",
                map ? rc_cfg_where(map) : "config");
    RC_TRY(rc_cfg_require(map, "name"));
    RC_TRY(rc_cfg_string(map, "name", NULL, &name));
    const rc_model_t *m = rc_model_find(name);
    if (m == NULL) {
        char names[512];
        RC_FAIL(RC_ERR_CONFIG, "%s: %s.name: unknown model '%s' (valid: %s)",
                rc_cfg_where(rc_cfg_get(map, "name")), rc_cfg_path(map), name,
                model_names(names, sizeof names));
    }
    RC_TRY(m->parse(map, params));
    *model = m;
cleanup:
    return status;
}
