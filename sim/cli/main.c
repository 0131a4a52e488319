/* rtcascade: the command-line entry point. Finds the subcommand and hands it the rest of the
 * command line; each subcommand lives in its own file (cmd_*.c). */
#include "cli/commands.h"
#include "rtcascade/experiment.h"
#include "rtcascade/version.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct subcommand {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} subcommand_t;

static const subcommand_t subcommands[] = {
    {"run", rc_cmd_run, "run an experiment (the default study when no config is given)"},
    {"fit", rc_cmd_fit, "fit a model to observed cascades (Hawkes MLE, or by simulation)"},
    {"graph", rc_cmd_graph, "build or load a network and print its statistics"},
    {"models", rc_cmd_models, "list the cascade models and their parameters"},
    {"info", rc_cmd_info, "describe a results file: experiment, points, runs, provenance"},
};

#define N_SUBCOMMANDS (sizeof subcommands / sizeof subcommands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: rtcascade <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < N_SUBCOMMANDS; i++)
        fprintf(f, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
    fprintf(f, "\n'rtcascade <command> --help' describes a command's options.\n"
               "'rtcascade --version' prints the version.\n");
}

int rc_cli_exit_code(rc_status_t status)
{
    switch (status) {
    case RC_OK: return 0;
    case RC_ERR_ARGUMENT: /* a bad command line or option */
    case RC_ERR_EXISTS:   /* the output exists: --force or --resume is needed */
    case RC_ERR_MISMATCH: /* --resume of a file from another experiment */
        return 2;
    case RC_ERR_CONFIG: return 3;
    case RC_ERR_INPUT: return 4;
    case RC_ERR_IO: return 5;
    case RC_ERR_NOMEM: return 6;
    case RC_ERR_INTERNAL: return 7;
    case RC_ERR_INTERRUPTED: return 8;
    }
    return 7;
}

rc_status_t rc_cli_parse_threads(const char *value, int *threads)
{
    char *end = NULL;
    errno = 0;
    long t = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || t < 1 || t > 1024)
        return rc_error(RC_ERR_ARGUMENT, "--threads: expected an integer from 1 to 1024, got '%s'",
                        value);
    *threads = (int)t;
    return RC_OK;
}

rc_status_t rc_cli_parse_args(int argc, char **argv, const char *cmd, const char *allowed,
                              rc_cli_args_t *a)
{
    rc_status_t status = RC_OK;
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},     {"set", required_argument, NULL, 's'},
        {"output", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, 't'},
        {"force", no_argument, NULL, 'f'},    {"quiet", no_argument, NULL, 'q'},
        {"resume", no_argument, NULL, 'r'},   {"dry-run", no_argument, NULL, 'n'},
        {"verbose", no_argument, NULL, 'v'},  {"figures", no_argument, NULL, 'F'},
        {"no-figures", no_argument, NULL, 'N'}, {"progress", required_argument, NULL, 'P'},
        {NULL, 0, NULL, 0}};
    static const char *const modes[] = {"auto", "bar", "lines", "none", NULL};
    int c;
    memset(a, 0, sizeof *a);
    a->figures = -1;
    a->sets = calloc((size_t)argc + 1, sizeof *a->sets);
    RC_ALLOC_CHECK(a->sets, "the command line");
    opterr = 0;
    optind = 0; /* GNU: a full rescan */
    while ((c = getopt_long(argc, argv, ":ho:qnv", longs, NULL)) != -1) {
        if (c == ':' || c == '?' || strchr(allowed, c) == NULL)
            RC_FAIL(RC_ERR_ARGUMENT, "%s: unknown or incomplete option '%s' (see rtcascade %s "
                    "--help)", cmd, argv[optind - 1], cmd);
        switch (c) {
        case 'h': a->help = 1; return RC_OK;
        case 's': a->sets[a->n_sets++] = optarg; break;
        case 'o': a->output = optarg; break;
        case 't': RC_TRY(rc_cli_parse_threads(optarg, &a->threads)); break;
        case 'f': a->force = 1; break;
        case 'q': a->quiet = 1; break;
        case 'r': a->resume = 1; break;
        case 'n': a->dry_run = 1; break;
        case 'v': a->verbose = 1; break;
        case 'P':
            for (a->progress = 0; modes[a->progress] && strcmp(modes[a->progress], optarg);)
                a->progress++;
            if (modes[a->progress] == NULL)
                RC_FAIL(RC_ERR_ARGUMENT, "%s: --progress: expected auto, bar, lines or none, "
                        "got '%s'", cmd, optarg);
            break;
        default: a->figures = c == 'F'; break;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (a->config != NULL)
            RC_FAIL(RC_ERR_ARGUMENT, "%s: more than one config given ('%s' and '%s')", cmd,
                    a->config, argv[i]);
        a->config = argv[i];
    }
cleanup:
    return status;
}

int rc_cli_fail(rc_status_t status)
{
    const char *msg = rc_error_message();
    fprintf(stderr, "rtcascade: %s\n", *msg ? msg : rc_status_name(status));
    return rc_cli_exit_code(status);
}

/* No subcommand: help, and what `rtcascade run` would do (never the study itself: on a
 * cluster's login node that would start a 2-million-account simulation on every core). */
static int no_command(void)
{
    rc_experiment_t *ex = NULL;
    usage(stdout);
    if (rc_experiment_load(NULL, NULL, 0, &ex) == RC_OK) {
        const rc_network_spec_t *net = &ex->networks[0];
        printf("\n'rtcascade run' with no config runs the default study, %s\n"
               "(configs/handpicked_vs_broadcast.yaml, embedded): %zu points x %llu runs on a "
               "%llu-account network\n(about 20 s on 2 cores), writing %s and its figures.\n",
               ex->name, ex->n_points, (unsigned long long)ex->runs,
               (unsigned long long)net->est_nodes, ex->output);
    }
    rc_experiment_free(ex);
    return 0;
}

int main(int argc, char **argv)
{
    /* OpenMP threads that spin while they wait take the core of the results writer on a busy
     * machine, so `run` and `graph` wait passively unless the user chose otherwise. The OpenMP
     * runtime reads OMP_WAIT_POLICY when it loads, before main: the process starts itself once
     * more with it set (and goes on as it is if that fails). */
    if (argc >= 2 && (strcmp(argv[1], "run") == 0 || strcmp(argv[1], "graph") == 0) &&
        getenv("OMP_WAIT_POLICY") == NULL && setenv("OMP_WAIT_POLICY", "passive", 0) == 0)
        execv("/proc/self/exe", argv);
    if (argc < 2)
        return no_command();
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("rtcascade %s (%s)\n", RC_VERSION_STRING, RC_GIT_COMMIT);
        return 0;
    }
    for (size_t i = 0; i < N_SUBCOMMANDS; i++) {
        if (strcmp(cmd, subcommands[i].name) == 0)
            return subcommands[i].fn(argc - 1, argv + 1);
    }
    fprintf(stderr, "rtcascade: unknown command '%s' (commands:", cmd);
    for (size_t i = 0; i < N_SUBCOMMANDS; i++)
        fprintf(stderr, " %s", subcommands[i].name);
    fprintf(stderr, ")\n");
    return rc_cli_exit_code(RC_ERR_ARGUMENT);
}
