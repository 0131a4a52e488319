/* libFuzzer target: the /runs chunk encoder (sim/io/results_deflate.c), which writes every
 * /runs chunk of every results file. A property target: whatever the bytes, the stream it makes
 * inflates (zlib) back to exactly them, and a smaller buffer than it needs gives 0 without a
 * byte written past its end (the buffer is allocated to its exact size, so ASan sees any).
 *
 * Input: two bytes choosing the plane length L = 1 + (b0 | b1 << 8) % (size - 2), then the
 * planes: the (size - 2) / L whole planes of L bytes that follow. */
#include "io/results_deflate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    const size_t plane = 1 + ((size_t)data[0] | (size_t)data[1] << 8) % (size - 2);
    const size_t planes = (size - 2) / plane, n = planes * plane;
    const unsigned char *src = data + 2;
    const size_t cap = (size_t)compressBound((uLong)n) + 4;
    unsigned char *dst = malloc(cap), *back = malloc(n);
    if (dst == NULL || back == NULL)
        abort();
    const size_t len = rc_deflate_planes(src, planes, plane, dst, cap);
    if (len == 0 || len > cap)
        abort(); /* a compressBound buffer always holds it (stored blocks at worst) */
    uLongf got = (uLongf)n;
    if (uncompress(back, &got, dst, (uLong)len) != Z_OK || got != n || memcmp(back, src, n) != 0)
        abort();
    /* a buffer one byte short of the stream, and one of half its size: 0, nothing past it */
    const size_t small[2] = {len - 1, len / 2};
    for (int k = 0; k < 2; k++) {
        unsigned char *tight = malloc(small[k] ? small[k] : 1);
        if (tight == NULL)
            abort();
        if (rc_deflate_planes(src, planes, plane, tight, small[k]) != 0)
            abort();
        free(tight);
    }
    free(dst);
    free(back);
    return 0;
}
