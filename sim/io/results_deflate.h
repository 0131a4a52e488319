/* A deflate encoder for shuffled /runs chunks (results_deflate.c): what HDF5's deflate filter
 * reads (a zlib stream), made for planes of bytes -- byte j of every row, one plane after the
 * other, as the shuffle filter lays them out. Most planes of a /runs chunk are one byte repeated
 * (the high bytes of counts, the columns a model leaves NaN), where zlib spends ~2 ns a byte
 * whatever it finds; the rest are counters or small values. This encoder looks for two matches
 * only -- the byte before (runs) and 256 bytes before (the low byte of a counter) -- and codes
 * each block with its own Huffman codes, so a chunk costs a fraction of zlib level 1 and comes
 * out no larger on these planes. Any inflater reads it. Private to sim/io/results_*.c. */
#ifndef RC_RESULTS_DEFLATE_H
#define RC_RESULTS_DEFLATE_H

#include <stddef.h>

/* Compresses the n_planes x plane_len bytes of src into dst (cap bytes) as one zlib stream
 * (header, deflate blocks of whole planes, Adler-32); returns its length, or 0 when it does not
 * fit in cap (the caller then compresses another way). Cannot fail otherwise. */
size_t rc_deflate_planes(const unsigned char *src, size_t n_planes, size_t plane_len,
                         unsigned char *dst, size_t cap);

#endif
