/* The model registry: the table of every model listed in models.def, lookup by name (an unknown
 * name is answered with the list of valid ones), parameter structs from the models' tables, and
 * the reference text of them all. Adding a model is one file in models/ plus one line in
 * models.def. */
#include "rtcascade/model.h"

#include <stdio.h>
#include <stdlib.h>
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
#define DESCRIBE_WIDTH 96

size_t rc_model_count(void)
{
    return RC_N_MODELS;
}

const rc_model_t *rc_model_at(size_t i)
{
    return i < RC_N_MODELS ? rc_models[i] : NULL;
}

const char *rc_model_names(char *buf, size_t len)
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
             rc_model_names(names, sizeof names));
    return NULL;
}

void *rc_model_params_new(const rc_model_t *model)
{
    void *p = calloc(1, model->params_size ? model->params_size : 1);
    if (p == NULL) {
        rc_error(RC_ERR_NOMEM, "out of memory for %s parameters", model->name);
        return NULL;
    }
    rc_params_defaults(model->params, p);
    return p;
}

rc_status_t rc_model_params_check(const rc_model_t *model, void *params, uint64_t given,
                                  const char **key)
{
    *key = NULL;
    return model->validate != NULL ? model->validate(params, given, key) : RC_OK;
}

void rc_model_params_free(const rc_model_t *model, void *params)
{
    if (params != NULL)
        rc_params_release(model->params, params); /* data columns */
    free(params);
}

rc_status_t rc_model_describe(const rc_model_t *m, FILE *f)
{
    fprintf(f, "%s%s\n", m->name, m->timed ? "  (timed: reshare timestamps)" : "");
    rc_text_wrap(f, m->summary, 2, DESCRIBE_WIDTH);
    fprintf(f, "  parameters (model.KEY = default):\n");
    rc_status_t st = rc_params_describe(m->params, f, 4, DESCRIBE_WIDTH);
    if (st == RC_OK && ferror(f))
        st = rc_error(RC_ERR_IO, "cannot write the model reference");
    return st;
}

rc_status_t rc_models_describe(FILE *f)
{
    rc_status_t st = RC_OK;
    for (size_t i = 0; i < RC_N_MODELS && st == RC_OK; i++) {
        if (i > 0)
            fputc('\n', f);
        st = rc_model_describe(rc_models[i], f);
    }
    return st;
}
