/* HDF5 helpers shared by the graph cache and the results file: quiet errors, closing any id, and
 * scalar attributes written and read back with every HDF5 return value checked and turned into
 * one line naming the file and the attribute. */
#include "io/h5util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

void rc_h5_quiet(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

/* Closes id by its kind; the close's result (0 when there was nothing to close). */
static herr_t rc_h5_close_id(hid_t id)
{
    if (id < 0)
        return 0;
    switch (H5Iget_type(id)) {
    case H5I_FILE:
        return H5Fclose(id);
    case H5I_GROUP:
        return H5Gclose(id);
    case H5I_DATASET:
        return H5Dclose(id);
    case H5I_ATTR:
        return H5Aclose(id);
    case H5I_DATASPACE:
        return H5Sclose(id);
    case H5I_DATATYPE:
        return H5Tclose(id);
    case H5I_GENPROP_LST:
        return H5Pclose(id);
    default:
        return 0;
    }
}

void rc_h5_close(hid_t id)
{
    (void)rc_h5_close_id(id);
}

hid_t rc_h5_read_dxpl(uint64_t elements, size_t elem_bytes)
{
    const uint64_t dflt = (uint64_t)1 << 20, least = 4096;
    uint64_t want = elem_bytes > 0 && elements > dflt / elem_bytes ? dflt : elements * elem_bytes;
    if (want < least)
        want = least;
    if (want < elem_bytes)
        want = elem_bytes;
    if (want >= dflt)
        return H5P_DEFAULT;
    hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);
    if (dxpl < 0)
        return H5P_DEFAULT;
    if (H5Pset_buffer(dxpl, (size_t)want, NULL, NULL) < 0) {
        H5Pclose(dxpl);
        return H5P_DEFAULT;
    }
    return dxpl;
}

rc_status_t rc_h5_end(hid_t id, rc_status_t status, const char *path, const char *what)
{
    if (rc_h5_close_id(id) < 0 && status == RC_OK)
        return rc_error(RC_ERR_IO, "%s: cannot finish writing %s", path, what);
    return status;
}

hid_t rc_h5_str_type(size_t width)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, width ? width : 1) < 0 || H5Tset_strpad(t, H5T_STR_NULLPAD) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

rc_status_t rc_h5_check_file(const char *path, const char *kind, uint64_t *bytes)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return rc_error(RC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return rc_error(RC_ERR_IO, "%s: cannot open: %s", path, strerror(EISDIR));
    if (!S_ISREG(sb.st_mode))
        return rc_error(RC_ERR_IO,
                        "%s: cannot open: not a regular file (a device, a FIFO or a socket)", path);
    if (H5Fis_hdf5(path) <= 0)
        return rc_error(RC_ERR_INPUT, "%s: not an %s (not an HDF5 file)", path, kind);
    if (bytes != NULL)
        *bytes = (uint64_t)sb.st_size;
    return RC_OK;
}

rc_status_t rc_h5_check_output(const char *path, const char *what)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return RC_OK; /* not there yet (or a dangling link, which creating fixes) */
    if (S_ISDIR(sb.st_mode))
        return rc_error(RC_ERR_IO, "%s: cannot write: it is a folder", path);
    if (!S_ISREG(sb.st_mode))
        return rc_error(RC_ERR_IO,
                        "%s: cannot write: it is not a regular file (a device, a FIFO or a "
                        "socket); %s go to regular files only",
                        path, what);
    return RC_OK;
}

/* The attribute as messages name it: "/graph.nodes" on a group, plain "format" on the root (the
 * results file keeps its attributes there). Only built on error paths. */
static const char *rc_h5_label(hid_t loc, const char *name, char *buf, size_t len)
{
    char obj[256];
    ssize_t n = H5Iget_name(loc, obj, sizeof obj);
    if (n <= 0 || (size_t)n >= sizeof obj || strcmp(obj, "/") == 0)
        return name;
    snprintf(buf, len, "%s.%s", obj, name);
    return buf;
}

/* ---- writing ---- */

rc_status_t rc_h5_attr_write(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hid_t space,
                             const void *value, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t attr = -1;
    char lab[512];
    if (ftype >= 0 && mtype >= 0 && space >= 0)
        attr = H5Acreate2(loc, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, mtype, value) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot write attribute %s", path,
                rc_h5_label(loc, name, lab, sizeof lab));
cleanup:
    return rc_h5_end(attr, status, path, name);
}

rc_status_t rc_h5_attr_str(hid_t loc, const char *name, const char *value, const char *path)
{
    const char *v = value ? value : "";
    hid_t type = rc_h5_str_type(strlen(v)), space = H5Screate(H5S_SCALAR);
    rc_status_t status = rc_h5_attr_write(loc, name, type, type, space, *v ? v : "\0", path);
    rc_h5_close(space);
    rc_h5_close(type);
    return status;
}

rc_status_t rc_h5_attr_num(hid_t loc, const char *name, hid_t ftype, hid_t mtype, const void *value,
                           const char *path)
{
    hid_t space = H5Screate(H5S_SCALAR);
    rc_status_t status = rc_h5_attr_write(loc, name, ftype, mtype, space, value, path);
    rc_h5_close(space);
    return status;
}

/* ---- reading ---- */

rc_status_t rc_h5_read_str(hid_t loc, const char *name, char **value, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t attr = -1, ftype = -1, mtype = -1, space = -1;
    char lab[512];
    *value = NULL;
    htri_t exists = H5Aexists(loc, name);
    if (exists < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read attribute %s", path,
                rc_h5_label(loc, name, lab, sizeof lab));
    if (exists == 0)
        goto cleanup;
    attr = H5Aopen(loc, name, H5P_DEFAULT);
    ftype = attr >= 0 ? H5Aget_type(attr) : -1;
    space = attr >= 0 ? H5Aget_space(attr) : -1;
    if (ftype < 0 || space < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read attribute %s", path,
                rc_h5_label(loc, name, lab, sizeof lab));
    /* Variable-length strings live in HDF5's global heap, which carries no checksum and whose
     * reader crashes on a damaged file: rtcascade writes fixed-length strings only and reads
     * nothing else. */
    size_t size = H5Tget_size(ftype);
    if (H5Tget_class(ftype) != H5T_STRING || H5Tis_variable_str(ftype) != 0 ||
        H5Sget_simple_extent_type(space) != H5S_SCALAR || size == 0 || size > RC_H5_MAX_STR)
        RC_FAIL(RC_ERR_INPUT, "%s: attribute %s is not a fixed-length string", path,
                rc_h5_label(loc, name, lab, sizeof lab));
    /* HDF5 1.10 converts no character set into another: read in the stored one */
    mtype = H5Tcopy(H5T_C_S1);
    if (mtype < 0 || H5Tset_size(mtype, size + 1) < 0 ||
        H5Tset_strpad(mtype, H5T_STR_NULLTERM) < 0 || H5Tset_cset(mtype, H5Tget_cset(ftype)) < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read attribute %s", path,
                rc_h5_label(loc, name, lab, sizeof lab));
    *value = calloc(size + 1, 1);
    RC_ALLOC_CHECK(*value, "an attribute");
    if (H5Aread(attr, mtype, *value) < 0) {
        free(*value);
        *value = NULL;
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read attribute %s", path,
                rc_h5_label(loc, name, lab, sizeof lab));
    }
cleanup:
    rc_h5_close(mtype);
    rc_h5_close(ftype);
    rc_h5_close(space);
    rc_h5_close(attr);
    return status;
}

/* A scalar numeric attribute of class cls read as mtype into value (rc_h5_read_u64/_f64). */
static rc_status_t read_number(hid_t loc, const char *name, H5T_class_t cls, hid_t mtype,
                               void *value, const char *path, const char *kind)
{
    rc_status_t status = RC_OK;
    hid_t attr = -1, ftype = -1, space = -1;
    char lab[512];
    const char *what = cls == H5T_INTEGER ? "an integer" : "a number";
    htri_t exists = H5Aexists(loc, name);
    if (exists <= 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an %s (attribute %s missing)", path, kind,
                rc_h5_label(loc, name, lab, sizeof lab));
    attr = H5Aopen(loc, name, H5P_DEFAULT);
    ftype = attr >= 0 ? H5Aget_type(attr) : -1;
    space = attr >= 0 ? H5Aget_space(attr) : -1;
    if (ftype < 0 || space < 0 || H5Tget_class(ftype) != cls ||
        H5Sget_simple_extent_npoints(space) != 1)
        RC_FAIL(RC_ERR_INPUT, "%s: attribute %s is not %s", path,
                rc_h5_label(loc, name, lab, sizeof lab), what);
    if (H5Aread(attr, mtype, value) < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: attribute %s is not a valid %s", path,
                rc_h5_label(loc, name, lab, sizeof lab),
                cls == H5T_INTEGER ? "count" : "number");
cleanup:
    rc_h5_close(space);
    rc_h5_close(ftype);
    rc_h5_close(attr);
    return status;
}

rc_status_t rc_h5_read_u64(hid_t loc, const char *name, uint64_t *value, const char *path,
                           const char *kind)
{
    return read_number(loc, name, H5T_INTEGER, H5T_NATIVE_UINT64, value, path, kind);
}

rc_status_t rc_h5_read_f64(hid_t loc, const char *name, double *value, const char *path,
                           const char *kind)
{
    return read_number(loc, name, H5T_FLOAT, H5T_NATIVE_DOUBLE, value, path, kind);
}

/* ---- verifying a whole file ---- */

/* Whether type holds a variable-length part (a string or a sequence, at any depth): those
 * live in the global heap, which rtcascade never writes and does not read. Errors count as 1. */
static int rc_h5_has_vlen(hid_t type)
{
    int vlen = 1;
    hid_t sub = -1;
    switch (H5Tget_class(type)) {
    case H5T_STRING:
        vlen = H5Tis_variable_str(type) != 0;
        break;
    case H5T_VLEN:
        break;
    case H5T_COMPOUND: {
        int n = H5Tget_nmembers(type);
        vlen = n < 0;
        for (int i = 0; i < n && !vlen; i++) {
            sub = H5Tget_member_type(type, (unsigned)i);
            vlen = sub < 0 || rc_h5_has_vlen(sub);
            rc_h5_close(sub);
        }
        return vlen;
    }
    case H5T_ARRAY:
        sub = H5Tget_super(type);
        vlen = sub < 0 || rc_h5_has_vlen(sub);
        rc_h5_close(sub);
        return vlen;
    case H5T_NO_CLASS:
    case H5T_NCLASSES:
    case H5T_REFERENCE:
        break;
    default:
        vlen = 0;
    }
    return vlen;
}

/* 1 when the `stored` bytes of a deflated chunk do not inflate to exactly `bytes` (out holds
 * bytes + 1). */
static int rc_h5_inflates_wrong(const unsigned char *stored, uint64_t len, unsigned char *out,
                                uint64_t bytes)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        return 1;
    z.next_in = (Bytef *)stored;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)(bytes + 1);
    const int rc = inflate(&z, Z_FINISH);
    const int wrong = rc != Z_STREAM_END || z.total_out != bytes;
    inflateEnd(&z);
    return wrong;
}

/* Every chunk of a chunked dataset against the size its filters give it (1: one is wrong). */
static int rc_h5_chunks_wrong(hid_t dset, hid_t dcpl, hid_t space, size_t elem)
{
#if H5_VERSION_GE(1, 10, 5)
    /* 1-D, as every chunked dataset rtcascade writes: any other shape is damage */
    hsize_t cdims[1], dims[1];
    if (H5Pget_chunk(dcpl, 1, cdims) != 1 || H5Sget_simple_extent_dims(space, dims, NULL) != 1 ||
        cdims[0] == 0 || elem > RC_H5_MAX_CHUNK / cdims[0])
        return 1;
    const uint64_t bytes = elem * cdims[0];
    H5Z_filter_t ids[32];
    const int nf = H5Pget_nfilters(dcpl);
    if (nf < 0 || nf > 32)
        return 1;
    for (int i = 0; i < nf; i++) {
        unsigned flags = 0, vals[8];
        size_t nvals = 8;
        ids[i] = H5Pget_filter2(dcpl, (unsigned)i, &flags, &nvals, vals, 0, NULL, NULL);
        if (ids[i] != H5Z_FILTER_DEFLATE && ids[i] != H5Z_FILTER_FLETCHER32 &&
            ids[i] != H5Z_FILTER_SHUFFLE)
            return 1; /* never written */
    }
    unsigned char *raw = NULL, *out = NULL;
    size_t raw_len = 0;
    int wrong = 0;
    /* Chunk by chunk by coordinate, each looked up as a read looks it up (H5Dget_chunk_info,
     * by number or coordinate, walks the index from its start in 1.10: 4,000 chunks took 2 s) */
    for (hsize_t at = 0; at < dims[0] && !wrong; at += cdims[0]) {
        hsize_t offset[1] = {at}, stored = 0;
        /* fails for a chunk never written (read as fill values); a broken index entry fails
         * the read itself the same way */
        if (H5Dget_chunk_storage_size(dset, offset, &stored) < 0)
            continue;
        if (stored > RC_H5_MAX_CHUNK) {
            wrong = 1;
            break;
        }
        if (stored > raw_len) {
            unsigned char *r = realloc(raw, (size_t)stored);
            if (r == NULL) {
                wrong = 1;
                break;
            }
            raw = r;
            raw_len = (size_t)stored;
        }
        uint32_t mask = 0;
        if (H5Dread_chunk(dset, H5P_DEFAULT, offset, &mask, raw) < 0) {
            wrong = 1;
            break;
        }
        /* The filters in the order they were applied (those the chunk skipped left out): a
         * checksum adds 4 bytes, inside the deflated stream when it came first (files written
         * before 2026-11-30) or after it (since); shuffle keeps the size. */
        uint64_t inside = 0, outside = 0;
        int deflated = 0;
        for (int f = 0; f < nf && !wrong; f++) {
            if (mask & (1u << f))
                continue;
            if (ids[f] == H5Z_FILTER_DEFLATE)
                wrong = deflated++; /* twice: never written */
            else if (ids[f] == H5Z_FILTER_FLETCHER32)
                *(deflated ? &outside : &inside) += 4;
            else
                wrong = deflated; /* a shuffle of deflated bytes: never written */
        }
        if (wrong || !deflated) {
            wrong = wrong || stored != bytes + inside;
            continue;
        }
        /* deflated: inflated here, where the output's size is checked */
        if (stored < outside) {
            wrong = 1;
            break;
        }
        if (out == NULL && (out = malloc((size_t)bytes + 4 * (size_t)nf + 1)) == NULL) {
            wrong = 1;
            break;
        }
        wrong = rc_h5_inflates_wrong(raw, stored - outside, out, bytes + inside);
    }
    free(raw);
    free(out);
    return wrong;
#else
    (void)dset;
    (void)dcpl;
    (void)space;
    (void)elem;
    return 0;
#endif
}

int rc_h5_storage_damaged(hid_t dset)
{
    hid_t dcpl = H5Dget_create_plist(dset), space = H5Dget_space(dset), type = H5Dget_type(dset);
    int damaged = dcpl < 0 || space < 0 || type < 0;
    const size_t size = type >= 0 ? H5Tget_size(type) : 0;
    const H5D_layout_t layout = damaged ? H5D_LAYOUT_ERROR : H5Pget_layout(dcpl);
    if (!damaged && layout == H5D_COMPACT) {
        const hssize_t n = H5Sget_simple_extent_npoints(space);
        const uint64_t stored = (uint64_t)H5Dget_storage_size(dset);
        damaged = n < 0 || size == 0 || (uint64_t)n > stored / size;
    } else if (!damaged && layout == H5D_CHUNKED) {
        damaged = size == 0 || rc_h5_chunks_wrong(dset, dcpl, space, size);
    }
    rc_h5_close(type);
    rc_h5_close(space);
    rc_h5_close(dcpl);
    return damaged;
}

rc_status_t rc_h5_verify_dataset(hid_t dset, const char *name, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t space = -1, type = -1, mspace = -1;
    hsize_t dims[H5S_MAX_RANK];
    void *buf = NULL;
    space = H5Dget_space(dset);
    type = H5Dget_type(dset);
    size_t size = type >= 0 ? H5Tget_size(type) : 0;
    int rank = space >= 0 ? H5Sget_simple_extent_dims(space, dims, NULL) : -1;
    if (size == 0 || size > RC_H5_MAX_STR || rank < 0 || rc_h5_storage_damaged(dset))
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read /%s (file damaged?)", path, name);
    if (rank == 0) { /* a scalar */
        rank = 1;
        dims[0] = 1;
    }
    /* slabs along the first dimension of about 4 MiB, read in the stored type: no conversion,
     * every chunk (and its checksum) read once */
    hsize_t row = size;
    for (int d = 1; d < rank; d++)
        row = dims[d] && row > RC_H5_MAX_STR / dims[d] ? RC_H5_MAX_STR + 1 : row * dims[d];
    if (row > RC_H5_MAX_STR)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read /%s (file damaged?)", path, name);
    hsize_t block = ((hsize_t)4 << 20) / (row ? row : 1);
    if (block == 0)
        block = 1;
    if (block > dims[0])
        block = dims[0];
    buf = malloc(block && row ? (size_t)(block * row) : 1);
    RC_ALLOC_CHECK(buf, "a read buffer");
    for (hsize_t at = 0; at < dims[0] && row > 0; at += block) {
        hsize_t start[H5S_MAX_RANK] = {0}, count[H5S_MAX_RANK];
        for (int d = 0; d < rank; d++)
            count[d] = dims[d];
        start[0] = at;
        count[0] = dims[0] - at < block ? dims[0] - at : block;
        mspace = H5Screate_simple(rank, count, NULL);
        if (mspace < 0 ||
            (H5Sget_simple_extent_ndims(space) > 0 &&
             H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL) < 0) ||
            H5Dread(dset, type, H5Sget_simple_extent_ndims(space) > 0 ? mspace : H5S_ALL,
                    H5Sget_simple_extent_ndims(space) > 0 ? space : H5S_ALL, H5P_DEFAULT,
                    buf) < 0)
            RC_FAIL(RC_ERR_INPUT, "%s: cannot read /%s (file damaged?)", path, name);
        rc_h5_close(mspace);
        mspace = -1;
    }
cleanup:
    free(buf);
    rc_h5_close(mspace);
    rc_h5_close(type);
    rc_h5_close(space);
    return status;
}

typedef struct rc_h5_verify {
    const char *path;
    char *why;
    size_t why_len;
} rc_h5_verify_t;

static herr_t rc_h5_verify_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    rc_h5_verify_t *v = data;
    hid_t attr = H5Aopen(loc, name, H5P_DEFAULT);
    hid_t type = attr >= 0 ? H5Aget_type(attr) : -1;
    hid_t space = attr >= 0 ? H5Aget_space(attr) : -1;
    hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
    size_t size = type >= 0 ? H5Tget_size(type) : 0;
    herr_t ret = -1;
    void *buf = NULL;
    (void)info;
    if (n >= 0 && size > 0 && !rc_h5_has_vlen(type) && (uint64_t)n * size <= RC_H5_MAX_STR) {
        buf = malloc(n > 0 ? (size_t)n * size : 1);
        ret = buf != NULL && (n == 0 || H5Aread(attr, type, buf) >= 0) ? 0 : -1;
    }
    if (ret < 0)
        snprintf(v->why, v->why_len, "attribute %s is unreadable", name);
    free(buf);
    rc_h5_close(space);
    rc_h5_close(type);
    rc_h5_close(attr);
    return ret;
}

static herr_t rc_h5_verify_obj(hid_t file, const char *name, const H5O_info_t *info, void *data)
{
    rc_h5_verify_t *v = data;
    hid_t obj = H5Oopen(file, name, H5P_DEFAULT);
    herr_t ret = obj >= 0 ? 0 : -1;
    if (ret == 0 && H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, rc_h5_verify_attr, v) < 0)
        ret = -1;
    if (ret == 0 && info->type == H5O_TYPE_DATASET) {
        hid_t type = H5Dget_type(obj);
        int vlen = type < 0 || rc_h5_has_vlen(type);
        rc_h5_close(type);
        rc_error_clear();
        if (vlen || rc_h5_verify_dataset(obj, name, v->path) != RC_OK)
            ret = -1;
    }
    if (ret < 0 && v->why[0] == '\0')
        snprintf(v->why, v->why_len, "/%s is unreadable", strcmp(name, ".") == 0 ? "" : name);
    rc_h5_close(obj);
    return ret;
}

int rc_h5_verify_file(hid_t file, const char *path, char *why, size_t why_len)
{
    /* H5O_INFO_ALL: the storage sizes it reports take reading every heap and free-space
     * manager of each object (dense attribute storage has both) */
    rc_h5_verify_t v = {path, why, why_len};
    why[0] = '\0';
    if (H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_NATIVE, rc_h5_verify_obj, &v, H5O_INFO_ALL) < 0) {
        if (why[0] == '\0')
            snprintf(why, why_len, "its structure is unreadable");
        return 0;
    }
    return 1;
}
