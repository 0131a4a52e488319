/* HDF5 graph cache: a built or loaded network saved under /graph so that a later run (or
 * Python) reloads it in seconds instead of rebuilding it. Arrays are stored in exactly their
 * in-memory types and read back with one H5Dread each, straight into the graph's arrays.
 * Saving goes through "PATH.tmp.<pid>" and rename(), so a failure never leaves a partial cache. */
#include "io/h5safe.h"
#include "io/h5util.h"
#include "io/results_fs.h" /* rc_rfs_sync_dir */
#include "rtcascade/graph_h5.h"
#include "rtcascade/memory.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define RC_GRAPH_FORMAT "rtcascade-graph"
#define RC_GRAPH_FORMAT_VERSION 2
#define RC_H5_CHUNK ((hsize_t)1 << 20)        /* elements per chunk of a large dataset */
#define RC_GRAPH_KIND "rtcascade graph cache" /* for rc_h5_read_u64's "not an ..." */
/* Version of /graph/stats: bumped when a statistic's method changes (exact limit, samples,
 * streams), so that a file holding the old numbers has them computed again. */
#define RC_GRAPH_STATS_VERSION 1

/* The statistics' fields as /graph/stats attributes, named as the /networks/stats columns. */
typedef enum stat_kind { ST_U32, ST_U64, ST_F64 } stat_kind_t;
typedef struct stat_field {
    const char *name;
    size_t offset;
    stat_kind_t kind;
} stat_field_t;
#define ST(field, kind) {#field, offsetof(rc_graph_stats_t, field), kind}
static const stat_field_t stat_fields[] = {
    ST(nodes, ST_U32), ST(edges, ST_U64), ST(mean_degree, ST_F64),
    ST(max_out_degree, ST_U64), ST(max_in_degree, ST_U64), ST(isolated, ST_U32),
    ST(reciprocity, ST_F64), ST(out_tail_exponent, ST_F64), ST(out_tail_xmin, ST_U64),
    ST(in_tail_exponent, ST_F64), ST(in_tail_xmin, ST_U64), ST(communities, ST_U32),
    ST(intra_fraction, ST_F64), ST(transitivity, ST_F64), ST(transitivity_se, ST_F64),
    ST(clustering, ST_F64), ST(clustering_se, ST_F64), ST(clustering_samples, ST_U64),
};
#undef ST
#define N_STAT_FIELDS (sizeof stat_fields / sizeof stat_fields[0])

/* A 1-D dataset of `count` elements, in equal chunks of at most RC_H5_CHUNK elements (so that
 * tools can read it piecewise), each Fletcher-32 checksummed: a damaged cache fails to load
 * instead of loading a wrong graph. Empty: contiguous, with nothing to check. */
static rc_status_t rc_h5_write_array(hid_t loc, const char *name, hid_t ftype, hid_t mtype,
                                     const void *data, uint64_t count, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t space = -1, dcpl = -1, dset = -1;
    hsize_t dims[1] = {(hsize_t)count};
    space = H5Screate_simple(1, dims, NULL);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (space < 0 || dcpl < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create /graph/%s", path, name);
    if (count > 0) {
        /* equal chunks: HDF5 stores the last chunk whole, so a fixed size would pad it by up to
         * RC_H5_CHUNK elements */
        hsize_t nchunks = (count + RC_H5_CHUNK - 1) / RC_H5_CHUNK;
        hsize_t chunk[1] = {(count + nchunks - 1) / nchunks};
        if (H5Pset_chunk(dcpl, 1, chunk) < 0 || H5Pset_fletcher32(dcpl) < 0)
            RC_FAIL(RC_ERR_IO, "%s: cannot create /graph/%s", path, name);
    }
    dset = H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (dset < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create /graph/%s", path, name);
    if (count > 0 && H5Dwrite(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot write /graph/%s", path, name);
cleanup:
    status = rc_h5_end(dset, status, path, name);
    rc_h5_close(dcpl);
    rc_h5_close(space);
    return status;
}

/* /graph/stats: g's statistics (attached, or computed now), one attribute each. */
static rc_status_t write_stats(hid_t grp, const rc_graph_t *g, const char *path)
{
    rc_status_t status = RC_OK;
    rc_graph_stats_t st;
    const int32_t version = RC_GRAPH_STATS_VERSION;
    hid_t sg = -1;
    RC_TRY(rc_graph_compute_stats(g, &st));
    sg = H5Gcreate2(grp, "stats", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (sg < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create group /graph/stats", path);
    RC_TRY(rc_h5_attr_num(sg, "version", H5T_STD_I32LE, H5T_NATIVE_INT32, &version, path));
    for (size_t i = 0; i < N_STAT_FIELDS; i++) {
        const stat_field_t *f = &stat_fields[i];
        const void *at = (const char *)&st + f->offset;
        if (f->kind == ST_U32)
            RC_TRY(rc_h5_attr_num(sg, f->name, H5T_STD_U32LE, H5T_NATIVE_UINT32, at, path));
        else if (f->kind == ST_U64)
            RC_TRY(rc_h5_attr_num(sg, f->name, H5T_STD_U64LE, H5T_NATIVE_UINT64, at, path));
        else
            RC_TRY(rc_h5_attr_num(sg, f->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, at, path));
    }
cleanup:
    return rc_h5_end(sg, status, path, "/graph/stats");
}

static rc_status_t rc_h5_write_graph(hid_t file, const rc_graph_t *g, const char *spec,
                                     const char *path)
{
    rc_status_t status = RC_OK;
    hid_t grp = -1;
    uint64_t *hist = NULL, hlen = 0;
    const uint64_t n1 = (uint64_t)g->n + 1;
    const int32_t version = RC_GRAPH_FORMAT_VERSION;
    const int32_t undirected = g->undirected ? 1 : 0;

    grp = H5Gcreate2(file, "graph", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (grp < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create group /graph", path);
    RC_TRY(rc_h5_attr_str(grp, "format", RC_GRAPH_FORMAT, path));
    RC_TRY(rc_h5_attr_num(grp, "format_version", H5T_STD_I32LE, H5T_NATIVE_INT32, &version, path));
    RC_TRY(rc_h5_attr_num(grp, "nodes", H5T_STD_U32LE, H5T_NATIVE_UINT32, &g->n, path));
    RC_TRY(rc_h5_attr_num(grp, "edges", H5T_STD_U64LE, H5T_NATIVE_UINT64, &g->m, path));
    RC_TRY(rc_h5_attr_num(grp, "undirected", H5T_STD_I32LE, H5T_NATIVE_INT32, &undirected, path));
    RC_TRY(rc_h5_attr_num(grp, "n_communities", H5T_STD_U32LE, H5T_NATIVE_UINT32, &g->n_communities,
                          path));
    RC_TRY(rc_h5_attr_str(grp, "description", g->description, path));
    if (spec)
        RC_TRY(rc_h5_attr_str(grp, "spec", spec, path));

    RC_TRY(
        rc_h5_write_array(grp, "out_off", H5T_STD_U64LE, H5T_NATIVE_UINT64, g->out_off, n1, path));
    RC_TRY(rc_h5_write_array(grp, "out_nbr", H5T_STD_U32LE, H5T_NATIVE_UINT32, g->out_nbr, g->m,
                             path));
    RC_TRY(rc_h5_write_array(grp, "in_off", H5T_STD_U64LE, H5T_NATIVE_UINT64, g->in_off, n1, path));
    RC_TRY(
        rc_h5_write_array(grp, "in_nbr", H5T_STD_U32LE, H5T_NATIVE_UINT32, g->in_nbr, g->m, path));
    if (g->out_w && g->in_w) {
        RC_TRY(rc_h5_write_array(grp, "out_w", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, g->out_w, g->m,
                                 path));
        RC_TRY(
            rc_h5_write_array(grp, "in_w", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, g->in_w, g->m, path));
    }
    if (g->community)
        RC_TRY(rc_h5_write_array(grp, "community", H5T_STD_U32LE, H5T_NATIVE_UINT32, g->community,
                                 g->n, path));
    if (g->orig_id)
        RC_TRY(rc_h5_write_array(grp, "orig_id", H5T_STD_U64LE, H5T_NATIVE_UINT64, g->orig_id, g->n,
                                 path));
    RC_TRY(write_stats(grp, g, path));
    for (int out = 1; out >= 0; out--) {
        RC_TRY(rc_graph_degree_histogram(g, out, &hist, &hlen));
        RC_TRY(rc_h5_write_array(grp, out ? "out_degree_hist" : "in_degree_hist", H5T_STD_U64LE,
                                 H5T_NATIVE_UINT64, hist, hlen, path));
        free(hist);
        hist = NULL;
    }
cleanup:
    free(hist);
    return rc_h5_end(grp, status, path, "/graph");
}

/* An upper bound on the cache's size: the arrays, the degree histograms (at most n+1 entries
 * each), chunk padding and indexes, and a generous allowance for headers and attributes. */
static uint64_t rc_h5_size_bound(const rc_graph_t *g, const char *spec)
{
    const uint64_t n1 = (uint64_t)g->n + 1, m = g->m;
    uint64_t bytes = 2 * 8 * n1 + 2 * 4 * m + 2 * 8 * n1;
    uint64_t elements = 4 * n1 + 2 * m;
    if (g->out_w && g->in_w) {
        bytes += 2 * 4 * m;
        elements += 2 * m;
    }
    if (g->community) {
        bytes += 4 * n1;
        elements += n1;
    }
    if (g->orig_id) {
        bytes += 8 * n1;
        elements += n1;
    }
    bytes += (elements / RC_H5_CHUNK + 16) * 4096; /* chunk padding and index entries */
    bytes += (g->description ? strlen(g->description) : 0) + (spec ? strlen(spec) : 0);
    return bytes + (256u << 10);
}

/* Refuses to start a cache that will not fit on the disk or under the file size limit. HDF5 1.10
 * cannot recover from a write that fails while a file is being closed (the file id is left
 * half-destroyed and the library crashes at exit), so running out of room must be caught before
 * anything is written. Another writer filling the disk meanwhile is not covered. */
static rc_status_t rc_h5_check_room(const char *tmp, const rc_graph_t *g, const char *spec,
                                    const char *path)
{
    char need[32], have[32];
    uint64_t bytes = rc_h5_size_bound(g, spec);
    struct statvfs vfs;
    struct rlimit lim;
    if (statvfs(tmp, &vfs) == 0) {
        uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
        if (bytes > avail)
            return rc_error(RC_ERR_IO, "%s: cannot write: needs up to %s, only %s free on disk",
                            path, rc_format_bytes(bytes, need, sizeof need),
                            rc_format_bytes(avail, have, sizeof have));
    }
    if (getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
        bytes > (uint64_t)lim.rlim_cur)
        return rc_error(RC_ERR_IO,
                        "%s: cannot write: needs up to %s, over the file size limit of %s", path,
                        rc_format_bytes(bytes, need, sizeof need),
                        rc_format_bytes((uint64_t)lim.rlim_cur, have, sizeof have));
    return RC_OK;
}

rc_status_t rc_graph_save_h5(const rc_graph_t *g, const char *path, const char *spec)
{
    rc_status_t status = RC_OK;
    rc_h5safe_report_t io;
    hid_t file = -1, fapl = -1;
    char *tmp = NULL;
    int created = 0;

    memset(&io, 0, sizeof io);
    rc_h5_quiet();
    if (!g || !g->out_off || !g->in_off || (g->m > 0 && (!g->out_nbr || !g->in_nbr)))
        RC_FAIL(RC_ERR_INTERNAL, "%s: cannot save an incomplete graph", path);
    /* the rename below would replace a device node or a FIFO with a regular file */
    RC_TRY(rc_h5_check_output(path, "graphs"));

    size_t len = strlen(path) + 32;
    tmp = malloc(len);
    RC_ALLOC_CHECK(tmp, "a file name");
    snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());

    /* Create the file ourselves first: HDF5's own failure says nothing about why. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    created = 1;
    if (close(fd) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create %s: %s", path, tmp, strerror(errno));
    RC_TRY(rc_h5_check_room(tmp, g, spec, path));

    /* through the checked driver: every write checked, the file synced when closed */
    fapl = rc_h5safe_fapl(&io);
    file = fapl >= 0 ? H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl) : -1;
    if (file < 0) {
        RC_TRY(rc_h5safe_status(&io, path, RC_OK));
        RC_FAIL(RC_ERR_IO, "%s: cannot create: HDF5 could not create %s", path, tmp);
    }
    status = rc_h5_write_graph(file, g, spec, path);
    herr_t closed = H5Fclose(file); /* flushes, and syncs once */
    file = -1;
    RC_TRY(rc_h5safe_status(&io, path, status));
    if (closed < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot finish writing (HDF5 could not close it)", path);
    if (rename(tmp, path) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot rename %s into place: %s", path, tmp, strerror(errno));
    created = 0;
    RC_TRY(rc_rfs_sync_dir(path));

cleanup:
    rc_h5_close(file);
    rc_h5_close(fapl);
    if (created)
        unlink(tmp);
    free(tmp);
    return status;
}

/* ---- reading ---- */

/* /graph/stats, when the file has it in this version, attached to g (n, m and communities read
 * already): the statistics of the graph it was saved with. Refused when they do not describe
 * that graph; ignored (computed again when needed) when written by another method version. */
static rc_status_t read_stats(hid_t grp, rc_graph_t *g, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t sg = -1;
    rc_graph_stats_t st;
    uint64_t version = 0;
    memset(&st, 0, sizeof st);
    htri_t has = H5Lexists(grp, "stats", H5P_DEFAULT);
    if (has < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read /graph", path);
    if (has == 0)
        goto cleanup; /* saved before the statistics were kept */
    sg = H5Gopen2(grp, "stats", H5P_DEFAULT);
    if (sg < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: /graph/stats is not a group", path);
    RC_TRY(rc_h5_read_u64(sg, "version", &version, path, RC_GRAPH_KIND));
    if (version != RC_GRAPH_STATS_VERSION)
        goto cleanup;
    for (size_t i = 0; i < N_STAT_FIELDS; i++) {
        const stat_field_t *f = &stat_fields[i];
        void *at = (char *)&st + f->offset;
        if (f->kind == ST_F64) {
            RC_TRY(rc_h5_read_f64(sg, f->name, at, path, RC_GRAPH_KIND));
            continue;
        }
        uint64_t v = 0;
        RC_TRY(rc_h5_read_u64(sg, f->name, &v, path, RC_GRAPH_KIND));
        if (f->kind == ST_U32 && v > UINT32_MAX)
            RC_FAIL(RC_ERR_INPUT, "%s: /graph/stats.%s = %llu is out of range", path, f->name,
                    (unsigned long long)v);
        if (f->kind == ST_U32)
            *(uint32_t *)at = (uint32_t)v;
        else
            *(uint64_t *)at = v;
    }
    if (st.nodes != g->n || st.edges != g->m || st.communities != g->n_communities)
        RC_FAIL(RC_ERR_INPUT, "%s: /graph/stats does not describe the graph it is saved with "
                "(%u nodes, %llu edges, %u communities there; %u, %llu, %u here)", path,
                st.nodes, (unsigned long long)st.edges, st.communities, g->n,
                (unsigned long long)g->m, g->n_communities);
    if (st.isolated > g->n || st.max_out_degree > g->m || st.max_in_degree > g->m)
        RC_FAIL(RC_ERR_INPUT, "%s: /graph/stats does not describe the graph it is saved with "
                "(%u isolated nodes, largest degrees %llu and %llu, in a graph of %u nodes and "
                "%llu edges)", path, st.isolated, (unsigned long long)st.max_out_degree,
                (unsigned long long)st.max_in_degree, g->n, (unsigned long long)g->m);
    RC_TRY(rc_graph_attach_stats(g, &st));
cleanup:
    rc_h5_close(sg);
    return status;
}

/* Opens dataset `name`, checks it is 1-D with `count` elements of an integer/float type of
 * `size` bytes (so the read is a plain copy), and reads it whole into `data`. With `optional`,
 * a missing dataset leaves *present = 0. */
static rc_status_t rc_h5_read_array(hid_t grp, const char *name, H5T_class_t cls, size_t size,
                                    hid_t mtype, void **data, uint64_t count, int optional,
                                    const char *path)
{
    rc_status_t status = RC_OK;
    hid_t dset = -1, space = -1, ftype = -1;
    void *buf = NULL;
    *data = NULL;

    htri_t exists = H5Lexists(grp, name, H5P_DEFAULT);
    if (exists < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read /graph/%s", path, name);
    if (exists == 0) {
        if (optional)
            goto cleanup;
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade graph cache (/graph/%s missing)", path, name);
    }
    dset = H5Dopen2(grp, name, H5P_DEFAULT);
    space = dset >= 0 ? H5Dget_space(dset) : -1;
    ftype = dset >= 0 ? H5Dget_type(dset) : -1;
    if (dset < 0 || space < 0 || ftype < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read /graph/%s", path, name);
    int rank = H5Sget_simple_extent_ndims(space);
    hsize_t dims[1] = {0};
    if (rank != 1 || H5Sget_simple_extent_dims(space, dims, NULL) != 1)
        RC_FAIL(RC_ERR_INPUT, "%s: /graph/%s is not a 1-D array", path, name);
    if ((uint64_t)dims[0] != count)
        RC_FAIL(RC_ERR_INPUT, "%s: /graph/%s has %llu elements, expected %llu", path, name,
                (unsigned long long)dims[0], (unsigned long long)count);
    if (H5Tget_class(ftype) != cls || H5Tget_size(ftype) != size ||
        (cls == H5T_INTEGER && H5Tget_sign(ftype) != H5T_SGN_NONE))
        RC_FAIL(RC_ERR_INPUT, "%s: /graph/%s has the wrong element type (expected %s%zu)", path,
                name, cls == H5T_INTEGER ? "uint" : "float", 8 * size);
    buf = malloc(count ? count * size : 1);
    RC_ALLOC_CHECK(buf, path);
    rc_memory_advise_huge(buf, count * size); /* the graph's arrays: read at random by runs */
    if (count > 0 && (rc_h5_storage_damaged(dset) ||
                      H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0))
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read /graph/%s (file damaged?)", path, name);
    *data = buf;
    buf = NULL;
cleanup:
    free(buf);
    rc_h5_close(ftype);
    rc_h5_close(space);
    rc_h5_close(dset);
    return status;
}

/* Offsets start at 0, never decrease and end at m; each list is strictly increasing (sorted,
 * no duplicates), holds ids < n and no self-loop. One sequential pass. */
static rc_status_t rc_h5_check_csr(const char *path, const char *which, uint32_t n, uint64_t m,
                                   const uint64_t *off, const uint32_t *nbr)
{
    if (off[0] != 0 || off[n] != m)
        return rc_error(RC_ERR_INPUT, "%s: /graph/%s_off does not run from 0 to %llu", path, which,
                        (unsigned long long)m);
    for (uint32_t u = 0; u < n; u++) {
        uint64_t b = off[u], e = off[u + 1];
        if (e < b || e > m)
            return rc_error(RC_ERR_INPUT, "%s: /graph/%s_off is not monotone at node %u", path,
                            which, u);
        for (uint64_t j = b; j < e; j++) {
            uint32_t v = nbr[j];
            if (v >= n || v == u || (j > b && v <= nbr[j - 1]))
                return rc_error(RC_ERR_INPUT,
                                "%s: /graph/%s_nbr[%llu] = %u is not a valid neighbour of node %u",
                                path, which, (unsigned long long)j, v, u);
        }
    }
    return RC_OK;
}

rc_status_t rc_graph_load_h5(const char *path, const char *spec, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    hid_t file = -1, grp = -1, fapl = -1;
    rc_graph_t *g = NULL;
    char *format = NULL, *stored_spec = NULL;
    void *data = NULL;
    uint64_t version = 0, nodes = 0, edges = 0, undirected = 0, ncomm = 0;

    *out = NULL;
    rc_h5_quiet();
    RC_TRY(rc_h5_check_file(path, RC_GRAPH_KIND, NULL));
    fapl = rc_h5safe_read_fapl();
    file = fapl >= 0 ? H5Fopen(path, H5F_ACC_RDONLY, fapl) : -1;
    if (file < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade graph cache (damaged HDF5 file)", path);
    htri_t has_graph = H5Lexists(file, "graph", H5P_DEFAULT);
    if (has_graph <= 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade graph cache (no /graph group)", path);
    grp = H5Gopen2(file, "graph", H5P_DEFAULT);
    if (grp < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade graph cache (/graph is not a group)", path);
    /* the version first: it is an integer, and a file of another version may hold strings
     * this one does not read (format 1 kept them in HDF5's unchecked global heap) */
    RC_TRY(rc_h5_read_u64(grp, "format_version", &version, path, RC_GRAPH_KIND));
    if (version != RC_GRAPH_FORMAT_VERSION)
        RC_FAIL(RC_ERR_INPUT, "%s: graph file format version %llu is not supported (expected %d)",
                path, (unsigned long long)version, RC_GRAPH_FORMAT_VERSION);
    RC_TRY(rc_h5_read_str(grp, "format", &format, path));
    if (!format || strcmp(format, RC_GRAPH_FORMAT) != 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade graph cache", path);
    RC_TRY(rc_h5_read_str(grp, "spec", &stored_spec, path));
    if (spec && (!stored_spec || strcmp(spec, stored_spec) != 0))
        RC_FAIL(RC_ERR_INPUT, "%s: cache was built from a different network spec", path);
    RC_TRY(rc_h5_read_u64(grp, "nodes", &nodes, path, RC_GRAPH_KIND));
    RC_TRY(rc_h5_read_u64(grp, "edges", &edges, path, RC_GRAPH_KIND));
    RC_TRY(rc_h5_read_u64(grp, "undirected", &undirected, path, RC_GRAPH_KIND));
    RC_TRY(rc_h5_read_u64(grp, "n_communities", &ncomm, path, RC_GRAPH_KIND));
    if (nodes == 0 || nodes > RC_MAX_NODES)
        RC_FAIL(RC_ERR_INPUT, "%s: /graph.nodes = %llu is out of range", path,
                (unsigned long long)nodes);
    if (ncomm > nodes)
        RC_FAIL(RC_ERR_INPUT, "%s: /graph.n_communities = %llu exceeds the %llu nodes", path,
                (unsigned long long)ncomm, (unsigned long long)nodes);
    const uint32_t n = (uint32_t)nodes;
    const uint64_t m = edges;
    htri_t has_w = H5Lexists(grp, "out_w", H5P_DEFAULT);
    htri_t has_c = H5Lexists(grp, "community", H5P_DEFAULT);
    htri_t has_o = H5Lexists(grp, "orig_id", H5P_DEFAULT);
    if (has_w < 0 || has_c < 0 || has_o < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read /graph", path);
    RC_TRY(rc_memory_check(rc_graph_memory_bytes(n, m, has_w > 0, has_o > 0, has_c > 0), path));

    g = calloc(1, sizeof *g);
    RC_ALLOC_CHECK(g, "a graph");
    g->n = n;
    g->m = m;
    g->undirected = undirected != 0;
    g->n_communities = (uint32_t)ncomm;
    RC_TRY(rc_h5_read_str(grp, "description", &g->description, path));

    RC_TRY(rc_h5_read_array(grp, "out_off", H5T_INTEGER, 8, H5T_NATIVE_UINT64, &data,
                            (uint64_t)n + 1, 0, path));
    g->out_off = data;
    RC_TRY(rc_h5_read_array(grp, "out_nbr", H5T_INTEGER, 4, H5T_NATIVE_UINT32, &data, m, 0, path));
    g->out_nbr = data;
    RC_TRY(rc_h5_read_array(grp, "in_off", H5T_INTEGER, 8, H5T_NATIVE_UINT64, &data,
                            (uint64_t)n + 1, 0, path));
    g->in_off = data;
    RC_TRY(rc_h5_read_array(grp, "in_nbr", H5T_INTEGER, 4, H5T_NATIVE_UINT32, &data, m, 0, path));
    g->in_nbr = data;
    if (has_w > 0) {
        RC_TRY(rc_h5_read_array(grp, "out_w", H5T_FLOAT, 4, H5T_NATIVE_FLOAT, &data, m, 0, path));
        g->out_w = data;
        RC_TRY(rc_h5_read_array(grp, "in_w", H5T_FLOAT, 4, H5T_NATIVE_FLOAT, &data, m, 0, path));
        g->in_w = data;
    }
    RC_TRY(
        rc_h5_read_array(grp, "community", H5T_INTEGER, 4, H5T_NATIVE_UINT32, &data, n, 1, path));
    g->community = data;
    RC_TRY(rc_h5_read_array(grp, "orig_id", H5T_INTEGER, 8, H5T_NATIVE_UINT64, &data, n, 1, path));
    g->orig_id = data;
    data = NULL;

    RC_TRY(rc_h5_check_csr(path, "out", n, m, g->out_off, g->out_nbr));
    RC_TRY(rc_h5_check_csr(path, "in", n, m, g->in_off, g->in_nbr));
    RC_TRY(read_stats(grp, g, path));
    if (g->community) {
        if (ncomm == 0)
            RC_FAIL(RC_ERR_INPUT, "%s: /graph/community present but n_communities = 0", path);
        for (uint32_t u = 0; u < n; u++)
            if (g->community[u] >= ncomm)
                RC_FAIL(RC_ERR_INPUT, "%s: /graph/community[%u] = %u, expected < %llu", path, u,
                        g->community[u], (unsigned long long)ncomm);
    }
    *out = g;
    g = NULL;

cleanup:
    free(format);
    free(stored_spec);
    rc_graph_free(g);
    rc_h5_close(grp);
    rc_h5_close(file);
    rc_h5_close(fapl);
    return status;
}
