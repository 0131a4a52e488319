/* Deflate (RFC 1951) in a zlib wrapper (RFC 1950) for shuffled /runs chunks
 * (results_deflate.h). Greedy parsing with two candidate matches (distance 1 and 256), one
 * dynamic-Huffman block per group of whole planes of at least BLOCK_MIN bytes, code lengths
 * limited to 15 bits (7 for the code-length code) by flattening the counts until they fit. */
#include "io/results_deflate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum {
    N_LITLEN = 286, /* literal/length symbols: 0-255, end of block 256, lengths 257-285 */
    N_DIST = 16,    /* distance codes sent: 0 (distance 1) to 15 (193-256) */
    N_CLEN = 19,    /* code-length symbols */
    MAX_BITS = 15,
    MAX_CL_BITS = 7,
    MIN_MATCH = 3,
    MAX_MATCH = 258,
    BLOCK_MIN = 32768, /* a block takes whole planes until it holds this many bytes */
    END_BLOCK = 256
};

/* Length codes 257.. : first length and extra bits of each. */
static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
/* Order in which the code-length code's lengths are sent. */
static const uint8_t cl_order[N_CLEN] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5,
                                         11, 4,  12, 3, 13, 2, 14, 1, 15};

/* Fills code[l - 3] with the length code index (0..28) of each match length l = 3..258. */
static void length_codes(uint8_t *code)
{
    for (int c = 0; c < 29; c++) {
        const int last = c == 28 ? MAX_MATCH : len_base[c + 1] - 1;
        for (int l = len_base[c]; l <= last; l++)
            code[l - MIN_MATCH] = (uint8_t)c;
    }
}

/* ---- bits out, least significant first ---- */

typedef struct bitw {
    unsigned char *p, *end;
    uint64_t acc;
    unsigned n;   /* bits in acc */
    int overflow; /* ran out of room: the rest is dropped */
} bitw_t;

/* Appends the len low bits of `bits` (len <= 32: fewer than 32 bits wait in acc between calls). */
static void put_bits(bitw_t *w, uint32_t bits, unsigned len)
{
    w->acc |= (uint64_t)bits << w->n;
    w->n += len;
    if (w->n >= 32) {
        if (w->end - w->p < 4) {
            w->overflow = 1;
            w->n = 0;
            w->acc = 0;
            return;
        }
        for (int k = 0; k < 4; k++)
            w->p[k] = (unsigned char)(w->acc >> (8 * k));
        w->p += 4;
        w->acc >>= 32;
        w->n -= 32;
    }
}

/* Writes the bits left, padded to a byte. */
static void flush_bits(bitw_t *w)
{
    while (w->n > 0) {
        if (w->p == w->end) {
            w->overflow = 1;
            return;
        }
        *w->p++ = (unsigned char)w->acc;
        w->acc >>= 8;
        w->n = w->n > 8 ? w->n - 8 : 0;
    }
}

/* ---- Huffman codes ---- */

/* Code lengths (at most `limit` bits) for the n symbols counted in freq; unused symbols get 0.
 * At least two symbols must be used. */
static void huff_lengths(const uint32_t *freq, int n, int limit, uint8_t *len)
{
    uint32_t f[N_LITLEN], w[2 * N_LITLEN];
    int sym[N_LITLEN], parent[2 * N_LITLEN], depth[2 * N_LITLEN];
    memcpy(f, freq, (size_t)n * sizeof *f);
    for (;;) {
        int m = 0;
        for (int s = 0; s < n; s++) {
            len[s] = 0;
            if (f[s] == 0)
                continue;
            /* insertion sort by count (n <= 286) */
            int k = m++;
            while (k > 0 && f[sym[k - 1]] > f[s]) {
                sym[k] = sym[k - 1];
                k--;
            }
            sym[k] = s;
        }
        for (int k = 0; k < m; k++)
            w[k] = f[sym[k]];
        /* two queues: leaves in order, internal nodes made in order of weight */
        int leaf = 0, inner = m;
        for (int k = m; k < 2 * m - 1; k++) {
            int pick[2];
            for (int t = 0; t < 2; t++) {
                if (leaf < m && (inner >= k || w[leaf] <= w[inner]))
                    pick[t] = leaf++;
                else
                    pick[t] = inner++;
            }
            w[k] = w[pick[0]] + w[pick[1]];
            parent[pick[0]] = parent[pick[1]] = k;
        }
        int longest = 0;
        depth[2 * m - 2] = 0;
        for (int k = 2 * m - 3; k >= 0; k--) {
            depth[k] = depth[parent[k]] + 1;
            if (k < m && depth[k] > longest)
                longest = depth[k];
        }
        for (int k = 0; k < m; k++)
            len[sym[k]] = (uint8_t)depth[k];
        if (longest <= limit)
            return;
        for (int s = 0; s < n; s++) /* flatten the counts and try again */
            if (f[s] > 0)
                f[s] = (f[s] >> 1) | 1;
    }
}

/* Canonical codes of the lengths, bit-reversed for sending least significant bit first. */
static void huff_codes(const uint8_t *len, int n, uint16_t *code)
{
    uint16_t count[MAX_BITS + 1] = {0}, next[MAX_BITS + 2] = {0};
    for (int s = 0; s < n; s++)
        count[len[s]]++;
    count[0] = 0;
    for (int b = 1; b <= MAX_BITS; b++)
        next[b + 1] = (uint16_t)((next[b] + count[b]) << 1);
    for (int s = 0; s < n; s++) {
        if (len[s] == 0)
            continue;
        uint16_t c = next[len[s]]++, r = 0;
        for (int b = 0; b < len[s]; b++)
            r = (uint16_t)(r << 1 | (c >> b & 1));
        code[s] = r;
    }
}

/* ---- matches ---- */

/* Whether a[0..3) equals b[0..3): a match of the minimum length (both readable). */
static inline int three_equal(const unsigned char *a, const unsigned char *b)
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

/* Bytes a[0..max) equal to b[0..max) from the start. */
static size_t match_len(const unsigned char *a, const unsigned char *b, size_t max)
{
    size_t n = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (n + 8 <= max) {
        uint64_t x, y;
        memcpy(&x, a + n, 8);
        memcpy(&y, b + n, 8);
        if (x != y)
            return n + ((size_t)__builtin_ctzll(x ^ y) >> 3);
        n += 8;
    }
#endif
    while (n < max && a[n] == b[n])
        n++;
    return n;
}

/* The Adler-32 of the zlib trailer, kept while parsing: bytes in runs are added in closed
 * form, the others through zlib's adler32 a span at a time. */
typedef struct adler {
    uint32_t s1, s2;
    size_t done; /* bytes of src added so far */
} adler_t;

#define ADLER_MOD 65521u

static void adler_span(adler_t *a, const unsigned char *src, size_t to)
{
    uLong v = (uLong)a->s2 << 16 | a->s1;
    for (size_t off = a->done; off < to;) {
        uInt step = to - off > (1u << 30) ? (1u << 30) : (uInt)(to - off);
        v = adler32(v, src + off, step);
        off += step;
    }
    a->s1 = (uint32_t)(v & 0xffff);
    a->s2 = (uint32_t)(v >> 16);
    a->done = to;
}

/* Adds l copies of byte b (l <= 258): s1 += l b, s2 += l s1 + b l (l + 1) / 2. */
static void adler_run(adler_t *a, unsigned b, size_t l)
{
    const uint64_t s1 = a->s1, s2 = a->s2;
    a->s1 = (uint32_t)((s1 + (uint64_t)l * b) % ADLER_MOD);
    a->s2 = (uint32_t)((s2 + (uint64_t)l * s1 + (uint64_t)b * l * (l + 1) / 2) % ADLER_MOD);
    a->done += l;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FAST_LITERALS 1
/* 0x80 in each byte where x and y agree, 0 elsewhere (exact: no borrow crosses bytes). */
static inline uint64_t equal_bytes(uint64_t x, uint64_t y)
{
    const uint64_t z = x ^ y, low7 = 0x7f7f7f7f7f7f7f7fULL;
    return ~(((z & low7) + low7) | z | low7);
}

/* Of positions i .. i + 5 (i >= 256, i + 8 <= the parse's end), how many come before the first
 * where a match could start: three bytes equal to those 1 or 256 before. 6 when none can. */
static inline unsigned literals_ahead(const unsigned char *src, size_t i)
{
    uint64_t x, near, far;
    memcpy(&x, src + i, 8);
    memcpy(&near, src + i - 1, 8);
    memcpy(&far, src + i - 256, 8);
    const uint64_t e1 = equal_bytes(x, near), e256 = equal_bytes(x, far);
    const uint64_t starts = ((e1 & e1 >> 8 & e1 >> 16) | (e256 & e256 >> 8 & e256 >> 16)) &
                            0x0000808080808080ULL; /* starts whose three bytes lie in x */
    return starts ? (unsigned)__builtin_ctzll(starts) >> 3 : 6u;
}
#else
#define FAST_LITERALS 0
#endif

/* A token: a literal (< 256), or 256 + ((length - 3) << 1 | far) with far: distance 256.
 * Greedy: the longer of the two matches (at least 3 bytes), else a literal. Stretches where no
 * match can start (a counter's low byte, most of a small count's plane) are passed over six
 * bytes at a time; the tokens are the same as byte by byte. */
static size_t parse(const unsigned char *src, size_t from, size_t to, const uint8_t *len_code,
                    uint32_t *tok, uint32_t *lit_freq, uint32_t *dist_freq, adler_t *sum)
{
    size_t nt = 0, i = from;
    while (i < to) {
#if FAST_LITERALS
        if (i >= 256 && to - i >= 8) {
            const unsigned k = literals_ahead(src, i);
            for (unsigned j = 0; j < k; j++) {
                const unsigned char b = src[i + j];
                tok[nt + j] = b;
                lit_freq[b]++;
            }
            nt += k;
            i += k;
            if (k == 6)
                continue;
        }
#endif
        const size_t max = to - i < MAX_MATCH ? to - i : MAX_MATCH;
        const unsigned char c = src[i];
        size_t near = 0, far = 0;
        /* the first three bytes decide whether a match is worth measuring */
        if (max >= MIN_MATCH) {
            if (i >= 1 && three_equal(src + i, src + i - 1))
                near = match_len(src + i, src + i - 1, max);
            if (near < max && i >= 256 && three_equal(src + i, src + i - 256))
                far = match_len(src + i, src + i - 256, max);
        }
        if (near < MIN_MATCH && far < MIN_MATCH) {
            tok[nt++] = c;
            lit_freq[c]++;
            i++;
            continue;
        }
        const int use_far = far > near;
        const size_t l = use_far ? far : near;
        tok[nt++] = 256u + (uint32_t)((l - MIN_MATCH) << 1) + (uint32_t)use_far;
        lit_freq[257 + len_code[l - MIN_MATCH]]++;
        dist_freq[use_far ? 15 : 0]++;
        if (!use_far) { /* a run of c */
            adler_span(sum, src, i);
            adler_run(sum, c, l);
        }
        i += l;
    }
    return nt;
}

/* ---- blocks ---- */

/* raw[0..n) as stored blocks (at most 65,535 bytes each). */
static void write_stored(bitw_t *w, const unsigned char *raw, size_t n, int last)
{
    do {
        const size_t len = n > 65535 ? 65535 : n;
        put_bits(w, last && len == n ? 1u : 0u, 1);
        put_bits(w, 0, 2); /* stored */
        flush_bits(w);
        put_bits(w, (uint32_t)len, 16);
        put_bits(w, (uint32_t)len ^ 0xffffu, 16);
        if (w->overflow || (size_t)(w->end - w->p) < len) {
            w->overflow = 1;
            return;
        }
        memcpy(w->p, raw, len);
        w->p += len;
        raw += len;
        n -= len;
    } while (n > 0);
}

/* One block of the tokens of raw[0..n): dynamic Huffman, or stored when that is smaller. */
static void write_block(bitw_t *w, const unsigned char *raw, size_t n, const uint32_t *tok,
                        size_t nt, const uint8_t *len_code, uint32_t *lit_freq,
                        const uint32_t *dist_freq, int last)
{
    uint8_t lit_len[N_LITLEN], dist_len[N_DIST] = {0}, cl_len[N_CLEN];
    uint16_t lit_code[N_LITLEN] = {0}, dist_code[N_DIST] = {0}, cl_code[N_CLEN] = {0};
    lit_freq[END_BLOCK] = 1;
    if (nt == 0)
        lit_freq[0] = 1; /* two symbols at least, so the code is complete */
    huff_lengths(lit_freq, N_LITLEN, MAX_BITS, lit_len);
    /* distances 1 and 193-256, one bit each: a complete code whether used or not */
    dist_len[0] = dist_len[15] = 1;
    huff_codes(lit_len, N_LITLEN, lit_code);
    huff_codes(dist_len, N_DIST, dist_code);
    int hlit = N_LITLEN;
    while (hlit > 257 && lit_len[hlit - 1] == 0)
        hlit--;
    /* the code lengths, run-length coded: symbol | extra value << 8 */
    uint8_t lens[N_LITLEN + N_DIST];
    uint16_t cl_sym[N_LITLEN + N_DIST];
    uint32_t cl_freq[N_CLEN] = {0};
    const int total = hlit + N_DIST;
    int ncl = 0;
    memcpy(lens, lit_len, (size_t)hlit);
    memcpy(lens + hlit, dist_len, N_DIST);
    for (int i = 0; i < total;) {
        const uint8_t v = lens[i];
        int run = 1;
        while (i + run < total && lens[i + run] == v)
            run++;
        i += run;
        if (v == 0) {
            while (run >= 11) {
                int r = run > 138 ? 138 : run;
                cl_sym[ncl++] = (uint16_t)(18 | (r - 11) << 8);
                run -= r;
            }
            if (run >= 3) {
                cl_sym[ncl++] = (uint16_t)(17 | (run - 3) << 8);
                run = 0;
            }
        } else {
            cl_sym[ncl++] = v;
            run--;
            while (run >= 3) {
                int r = run > 6 ? 6 : run;
                cl_sym[ncl++] = (uint16_t)(16 | (r - 3) << 8);
                run -= r;
            }
        }
        while (run-- > 0)
            cl_sym[ncl++] = v;
    }
    for (int k = 0; k < ncl; k++)
        cl_freq[cl_sym[k] & 0xff]++;
    int used = 0;
    for (int s = 0; s < N_CLEN; s++)
        used += cl_freq[s] > 0;
    if (used < 2) /* one symbol only: add another so the code is complete */
        cl_freq[cl_freq[0] ? 1 : 0] = 1;
    huff_lengths(cl_freq, N_CLEN, MAX_CL_BITS, cl_len);
    huff_codes(cl_len, N_CLEN, cl_code);
    int hclen = N_CLEN;
    while (hclen > 4 && cl_len[cl_order[hclen - 1]] == 0)
        hclen--;
    static const uint8_t cl_extra[3] = {2, 3, 7}; /* of symbols 16, 17, 18 */
    /* its size in bits, against the raw bytes' */
    uint64_t bits = 3 + 5 + 5 + 4 + 3 * (uint64_t)hclen + dist_freq[0] * 1u + dist_freq[15] * 7u;
    for (int k = 0; k < ncl; k++) {
        const int sy = cl_sym[k] & 0xff;
        bits += cl_len[sy] + (sy >= 16 ? cl_extra[sy - 16] : 0);
    }
    for (int sy = 0; sy < N_LITLEN; sy++)
        bits += (uint64_t)lit_freq[sy] * (lit_len[sy] + (sy > 256 ? len_extra[sy - 257] : 0));
    if (bits > 8 * (uint64_t)n + 7) {
        write_stored(w, raw, n, last);
        return;
    }
    put_bits(w, last ? 1u : 0u, 1);
    put_bits(w, 2, 2); /* dynamic Huffman */
    put_bits(w, (uint32_t)(hlit - 257), 5);
    put_bits(w, N_DIST - 1, 5);
    put_bits(w, (uint32_t)(hclen - 4), 4);
    for (int k = 0; k < hclen; k++)
        put_bits(w, cl_len[cl_order[k]], 3);
    for (int k = 0; k < ncl; k++) {
        const int s = cl_sym[k] & 0xff;
        put_bits(w, cl_code[s], cl_len[s]);
        if (s >= 16)
            put_bits(w, (uint32_t)(cl_sym[k] >> 8), cl_extra[s - 16]);
    }
    for (size_t k = 0; k < nt && !w->overflow; k++) {
        const uint32_t t = tok[k];
        if (t < 256) {
            /* two literals in one go when they follow each other: at most 30 bits */
            if (k + 1 < nt && tok[k + 1] < 256) {
                const uint32_t t2 = tok[++k];
                put_bits(w, lit_code[t] | (uint32_t)lit_code[t2] << lit_len[t],
                         (unsigned)lit_len[t] + lit_len[t2]);
            } else {
                put_bits(w, lit_code[t], lit_len[t]);
            }
            continue;
        }
        const unsigned l = ((t - 256) >> 1) + MIN_MATCH, c = len_code[l - MIN_MATCH];
        put_bits(w, lit_code[257 + c], lit_len[257 + c]);
        if (len_extra[c])
            put_bits(w, l - len_base[c], len_extra[c]);
        if (t & 1) {
            put_bits(w, dist_code[15], dist_len[15]);
            put_bits(w, 256 - 193, 6); /* code 15: 193-256, 6 extra bits */
        } else {
            put_bits(w, dist_code[0], dist_len[0]);
        }
    }
    put_bits(w, lit_code[END_BLOCK], lit_len[END_BLOCK]);
}

size_t rc_deflate_planes(const unsigned char *src, size_t n_planes, size_t plane_len,
                         unsigned char *dst, size_t cap)
{
    const size_t n = n_planes * plane_len;
    const size_t planes_per_block =
        plane_len >= BLOCK_MIN ? 1 : (BLOCK_MIN + plane_len - 1) / (plane_len ? plane_len : 1);
    const size_t block_max = planes_per_block * plane_len;
    if (cap < 6 || n == 0)
        return 0;
    uint8_t len_code[MAX_MATCH - MIN_MATCH + 1];
    length_codes(len_code);
    uint32_t *tok = malloc((block_max ? block_max : 1) * sizeof *tok);
    if (tok == NULL)
        return 0;
    bitw_t w = {dst + 2, dst + cap - 4, 0, 0, 0};
    adler_t sum = {1, 0, 0};
    dst[0] = 0x78; /* deflate, 32 KiB window */
    dst[1] = 0x01; /* no dictionary, fastest; (0x78 << 8 | 0x01) % 31 == 0 */
    for (size_t p = 0; p < n_planes && !w.overflow; p += planes_per_block) {
        const size_t from = p * plane_len;
        const size_t to = p + planes_per_block >= n_planes ? n : from + block_max;
        uint32_t lit_freq[N_LITLEN] = {0}, dist_freq[N_DIST] = {0};
        const size_t nt = parse(src, from, to, len_code, tok, lit_freq, dist_freq, &sum);
        write_block(&w, src + from, to - from, tok, nt, len_code, lit_freq, dist_freq,
                    to == n);
    }
    free(tok);
    flush_bits(&w);
    if (w.overflow)
        return 0;
    adler_span(&sum, src, n);
    const uint32_t check = sum.s2 << 16 | sum.s1;
    for (int k = 0; k < 4; k++) /* big-endian */
        *w.p++ = (unsigned char)(check >> (24 - 8 * k));
    return (size_t)(w.p - dst);
}
