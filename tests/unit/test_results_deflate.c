/* The /runs chunk encoder (results_deflate.c): every stream it makes inflates with zlib to the
 * bytes it was given, over planes of every kind a chunk has (one byte repeated, the low and
 * high bytes of a counter, small values in runs, random bytes, a mix) and lengths around its
 * edges (1 to 3 bytes, 255 to 257, block boundaries, a plane longer than a block), many planes
 * or one; its output is no larger than zlib level 1's on a /runs-like chunk; a buffer too small
 * gives 0, never a write past its end. */
#include "io/results_deflate.h"
#include "rc_test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static uint32_t next(void)
{
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return (uint32_t)(state >> 11);
}

/* Plane j of a chunk of `rows` rows, of kind k. */
static void fill_plane(unsigned char *p, size_t rows, int kind)
{
    const unsigned char c = (unsigned char)next();
    for (size_t i = 0; i < rows; i++) {
        switch (kind) {
        case 0: p[i] = c; break;                                     /* constant (NaN, zero) */
        case 1: p[i] = (unsigned char)i; break;                      /* a counter's low byte */
        case 2: p[i] = (unsigned char)(i >> 8); break;               /* its next byte */
        case 3: p[i] = (unsigned char)(next() % 4 == 0 ? next() % 6 : 1); break; /* small values */
        case 4: p[i] = (unsigned char)next(); break;                 /* random */
        default: p[i] = (unsigned char)(next() % 64 < 60 ? c : next()); break; /* mostly one */
        }
    }
}

/* Compresses, inflates and compares; returns the compressed length (0: did not fit). */
static size_t round_trip(const unsigned char *src, size_t planes, size_t rows)
{
    const size_t n = planes * rows;
    uLong cap = compressBound((uLong)n) + 64;
    unsigned char *dst = malloc(cap), *back = malloc(n ? n : 1);
    size_t len = rc_deflate_planes(src, planes, rows, dst, (size_t)cap);
    CHECK(len > 0);
    if (len > 0) {
        uLongf got = (uLongf)n;
        int rc = uncompress(back, &got, dst, (uLong)len);
        CHECK_EQ_U64((uint64_t)rc, (uint64_t)Z_OK);
        CHECK_EQ_U64(got, n);
        CHECK(memcmp(back, src, n) == 0);
    }
    free(dst);
    free(back);
    return len;
}

static void check_kinds(void)
{
    static const size_t lens[] = {1, 2, 3, 4, 9, 255, 256, 257, 1000, 4096, 32767, 32768, 40000,
                                  65536, 70001};
    for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
        const size_t rows = lens[l];
        for (int kind = 0; kind < 7; kind++) {
            const size_t planes = rows > 10000 ? 5 : 40;
            unsigned char *src = malloc(planes * rows);
            for (size_t j = 0; j < planes; j++)
                fill_plane(src + j * rows, rows, kind < 6 ? kind : (int)(next() % 6));
            round_trip(src, planes, rows);
            round_trip(src, 1, rows);
            free(src);
        }
    }
}

/* Random inputs of random shapes, a thousand of them. */
static void check_random(void)
{
    for (int t = 0; t < 1000; t++) {
        const size_t planes = 1 + next() % 90, rows = 1 + next() % (t % 10 == 0 ? 5000 : 300);
        unsigned char *src = malloc(planes * rows);
        for (size_t j = 0; j < planes; j++)
            fill_plane(src + j * rows, rows, (int)(next() % 6));
        round_trip(src, planes, rows);
        free(src);
    }
}

/* A /runs-like chunk: 62,500 rows of 82 bytes, most planes constant, counters and small
 * counts; no larger than zlib level 1. */
static void check_size(void)
{
    const size_t rows = 62500, planes = 82;
    unsigned char *src = malloc(planes * rows);
    for (size_t j = 0; j < planes; j++) {
        int kind = j == 8 ? 1 : j == 9 ? 2 : (j == 16 || j == 20 || j == 32 || j == 36) ? 3
                 : (j >= 40 && j < 48) ? 4 : 0;
        fill_plane(src + j * rows, rows, kind);
    }
    size_t ours = round_trip(src, planes, rows);
    uLongf zl = compressBound((uLong)(planes * rows));
    unsigned char *dst = malloc(zl);
    CHECK(compress2(dst, &zl, src, (uLong)(planes * rows), 1) == Z_OK);
    CHECK(ours > 0 && ours <= (size_t)zl);
    /* too small a buffer: 0, and nothing written past it (a guard byte after it) */
    for (size_t cap = 0; cap < ours; cap += ours / 7 + 1) {
        dst[cap] = 0xA5;
        CHECK_EQ_U64(rc_deflate_planes(src, planes, rows, dst, cap), 0);
        CHECK_EQ_U64(dst[cap], 0xA5);
    }
    free(dst);
    free(src);
}

int main(void)
{
    check_kinds();
    check_random();
    check_size();
    return rc_test_report("test_results_deflate");
}
