/* Text files read line by line, plain or gzip (detected by content), for the edge-list loader
 * and the files that go with it (account ids, communities). Private to sim/graph. */
#ifndef RC_GRAPH_TEXT_LINES_H
#define RC_GRAPH_TEXT_LINES_H

#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

#define RC_TOKEN_SHOWN 40                      /* characters of a bad token quoted in a message */
#define RC_TEXT_SHOWN (4 * RC_TOKEN_SHOWN + 16) /* bytes of rc_text_show's buffer */

/* What is known of a file before its lines are read. */
typedef struct rc_text_info {
    uint64_t bytes; /* size on disk; 0 when not a regular file */
    int gz;         /* gzip-compressed */
} rc_text_info_t;

/* Called once before the first line (may be NULL), then for each line [p, e) without its '\n'
 * (a '\r' before it is kept), numbered from 1. A non-OK status stops the reading and is
 * returned. */
typedef rc_status_t (*rc_text_begin_fn)(void *ctx, const rc_text_info_t *info);
typedef rc_status_t (*rc_text_line_fn)(void *ctx, const char *p, const char *e, uint64_t line);

/* Reads every line of path: a UTF-8 byte-order mark is skipped, a last line without '\n' is a
 * line, a line over 16 MiB is RC_ERR_INPUT ("path:line: line longer than ..."). gzip may hold
 * several members and nothing after them; damaged or truncated data is RC_ERR_INPUT naming the
 * path. RC_ERR_IO when it cannot be opened or read (a folder included). *lines (may be NULL)
 * receives the number of lines read. */
rc_status_t rc_text_read_lines(const char *path, rc_text_begin_fn begin, rc_text_line_fn line,
                               void *ctx, uint64_t *lines);

/* ---- tokens ---- */

static inline int rc_text_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Copies the token [p, e) into buf (RC_TEXT_SHOWN bytes) for a message, shortened, with control
 * bytes and bytes beyond ASCII shown as \xNN: an id spoiled by an invisible character (a
 * no-break space, a byte-order mark) is then visibly so. Returns buf. */
const char *rc_text_show(const char *p, const char *e, char *buf, size_t len);

/* Parses [p, e) as an unsigned decimal: 0 = ok, 1 = not a number, 2 = overflows 64 bits. */
static inline int rc_text_u64(const char *p, const char *e, uint64_t *out)
{
    uint64_t v = 0;
    if (p == e)
        return 1;
    for (; p < e; p++) {
        unsigned d = (unsigned char)*p - '0';
        if (d > 9)
            return 1;
        if (v > (UINT64_MAX - d) / 10) {
            /* keep scanning: "123456789012345678901x" is a bad token, not an overflow */
            for (p++; p < e; p++)
                if ((unsigned)((unsigned char)*p - '0') > 9)
                    return 1;
            return 2;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* strtod on a token; 1 when the whole token is a number. */
int rc_text_double(const char *p, const char *e, double *out);

/* Splits the line [p, e) into fields: whitespace-separated, or comma-separated (csv: fields
 * trimmed, one pair of double quotes removed). Blank lines and comments ('#' or '%' first) have
 * 0 fields. Fills at most max (fb[i], fe[i]) pairs and returns the number of fields, which may
 * be larger. */
int rc_text_fields(const char *p, const char *e, int csv, const char **fb, const char **fe,
                   int max);

#endif
