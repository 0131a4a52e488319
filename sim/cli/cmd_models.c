/* `rtcascade models`: every model of the registry with its parameters, defaults and meaning, so
 * that the list a user reads is the list the code accepts. */
#include "cli/commands.h"
#include "rtcascade/model.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: rtcascade models [NAME]\n\n"
               "Lists the cascade models (or only NAME) with their parameters: the key under\n"
               "`model:` in a config, its default and its meaning.\n");
}

/* Prints text word-wrapped to `width` columns, each line indented by `indent` spaces. */
static void print_wrapped(const char *text, int indent, int width)
{
    const char *p = text;
    while (*p != '\0') {
        int avail = width - indent, len = (int)strlen(p);
        int cut = len;
        if (len > avail) {
            cut = avail;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0) /* one very long word: break it where it is */
                cut = avail;
        }
        printf("%*s%.*s\n", indent, "", cut, p);
        p += cut;
        while (*p == ' ')
            p++;
    }
}

static void print_model(const rc_model_t *m)
{
    printf("%s%s\n", m->name, m->timed ? "  (timed: reshare timestamps)" : "");
    print_wrapped(m->summary, 2, 96);
    printf("  parameters (model.KEY = default):\n");
    for (const rc_param_doc_t *p = m->params; p != NULL && p->name != NULL; p++) {
        printf("    %s = %s\n", p->name, p->default_value);
        print_wrapped(p->meaning, 8, 96);
    }
}

int rc_cmd_models(int argc, char **argv)
{
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (argv[i][0] == '-' || only != NULL) {
            rc_error(RC_ERR_USAGE, "models: unexpected argument '%s' (see rtcascade models "
                     "--help)", argv[i]);
            return rc_cli_fail(RC_ERR_USAGE);
        }
        only = argv[i];
    }
    if (only != NULL) {
        const rc_model_t *m = rc_model_find(only);
        if (m == NULL)
            return rc_cli_fail(RC_ERR_USAGE);
        print_model(m);
        return 0;
    }
    for (size_t i = 0; i < rc_model_count(); i++) {
        if (i > 0)
            printf("\n");
        print_model(rc_model_at(i));
    }
    return 0;
}
