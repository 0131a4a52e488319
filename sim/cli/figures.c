/* Drawing a results file's figures from the run command: hands the file to the Python plot
 * scripts (scripts/study_figures.py for the default study, scripts/rcplot.py otherwise) with
 * the interpreter in RTCASCADE_PYTHON, else the one found at build time. The scripts import
 * the rtcascade package: a source tree's scripts find its python/ folder themselves, installed
 * ones get the installed package's folder in PYTHONPATH. A missing Python or script is a note,
 * never an error: the results file is what matters and is already complete. */
#include "cli/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef RC_PYTHON_PATH
#define RC_PYTHON_PATH "python3"
#endif
#ifndef RC_SCRIPTS_DIR
#define RC_SCRIPTS_DIR ""
#endif
#ifndef RC_INSTALLED_SCRIPTS_DIR
#define RC_INSTALLED_SCRIPTS_DIR ""
#endif
#ifndef RC_INSTALLED_PYTHON_DIR
#define RC_INSTALLED_PYTHON_DIR ""
#endif

/* The folder holding the plot scripts: $RC_SCRIPTS_DIR, the source tree it was built from, or
 * the installed copy (*installed = 1); NULL when none has the script. */
static const char *scripts_dir(const char *script, char *buf, size_t len, int *installed)
{
    const char *candidates[3] = {getenv("RC_SCRIPTS_DIR"), RC_SCRIPTS_DIR,
                                 RC_INSTALLED_SCRIPTS_DIR};
    struct stat st;
    for (int i = 0; i < 3; i++) {
        if (candidates[i] == NULL || candidates[i][0] == '\0')
            continue;
        snprintf(buf, len, "%s/%s", candidates[i], script);
        *installed = i == 2;
        if (stat(buf, &st) == 0)
            return candidates[i];
    }
    return NULL;
}

/* The Python that draws: $RTCASCADE_PYTHON, else the one found at build time. */
static const char *python(void)
{
    const char *py = getenv("RTCASCADE_PYTHON");
    return py != NULL && *py != '\0' ? py : RC_PYTHON_PATH;
}

/* Puts the installed package's folder first in PYTHONPATH (for the child to inherit); *saved
 * receives the old value to give back with restore_pythonpath (caller frees). */
static void prepend_pythonpath(char **saved)
{
    const char *old = getenv("PYTHONPATH");
    char buf[8192];
    *saved = old != NULL ? strdup(old) : NULL;
    snprintf(buf, sizeof buf, "%s%s%s", RC_INSTALLED_PYTHON_DIR, old != NULL && *old ? ":" : "",
             old != NULL ? old : "");
    setenv("PYTHONPATH", buf, 1);
}

static void restore_pythonpath(char *saved)
{
    if (saved != NULL)
        setenv("PYTHONPATH", saved, 1);
    else
        unsetenv("PYTHONPATH");
    free(saved);
}

void rc_cli_draw_figures(const char *results, int default_study, int quiet)
{
    const char *script = default_study ? "study_figures.py" : "rcplot.py";
    char path[4096], *saved = NULL;
    int installed = 0;
    if (scripts_dir(script, path, sizeof path, &installed) == NULL) {
        fprintf(stderr, "rtcascade: note: no figures: %s not found (set RC_SCRIPTS_DIR)\n",
                script);
        return;
    }
    fflush(stdout);
    fflush(stderr);
    if (installed) /* set here, not in the child: only exec is safe after a fork */
        prepend_pythonpath(&saved);
    pid_t pid = fork();
    if (installed && pid != 0) /* the parent's own environment as it was */
        restore_pythonpath(saved);
    if (pid < 0) {
        fprintf(stderr, "rtcascade: note: no figures: cannot start %s\n", python());
        return;
    }
    if (pid == 0) {
        if (quiet && freopen("/dev/null", "w", stdout) == NULL)
            _exit(127);
        char *args[] = {(char *)python(), path, (char *)results, NULL};
        execvp(args[0], args);
        _exit(127);
    }
    int wstatus = 0;
    if (waitpid(pid, &wstatus, 0) < 0 || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
        fprintf(stderr,
                "rtcascade: note: drawing figures with %s %s failed; the results file is "
                "complete (needs matplotlib, h5py, pandas; RTCASCADE_PYTHON chooses the "
                "interpreter)\n",
                python(), path);
}
