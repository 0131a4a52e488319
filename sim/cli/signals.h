/* Clean stops for `rtcascade run`: SIGINT and SIGTERM only raise a flag that the run loop checks
 * between points, so a point either reaches the results file whole or not at all. A second
 * signal stops the process at once, but not inside a results write (it waits for the write to
 * end). */
#ifndef RC_CLI_SIGNALS_H
#define RC_CLI_SIGNALS_H

/* Installs the handlers. Cannot fail in practice (sigaction on valid signals). */
void rc_signals_install(void);

/* Puts back the handlers that were there before rc_signals_install. */
void rc_signals_restore(void);

/* The signal that asked us to stop (SIGINT or SIGTERM), or 0. */
int rc_signals_stop_requested(void);

/* Marks a results write: SIGINT and SIGTERM are held back in the calling thread, and a second
 * signal arriving on another thread waits for rc_signals_release. Not nested; per thread. */
void rc_signals_hold(void);
void rc_signals_release(void);

#endif
