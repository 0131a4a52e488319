/* HDF5 helpers of the results file: attributes and flat tables (compound datasets with a
 * packed file layout and an aligned memory layout, described column by column because the
 * swept columns are only known at run time). Every HDF5 return value is checked and turned
 * into one line naming the file and the object. */
#include "io/results_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- attributes ---- */

rc_status_t rc_rh5_attr_u64(hid_t loc, const char *name, uint64_t value, const char *path)
{
    return rc_h5_attr_num(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value, path);
}

rc_status_t rc_rh5_attr_i32(hid_t loc, const char *name, int32_t value, const char *path)
{
    return rc_h5_attr_num(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &value, path);
}

rc_status_t rc_rh5_attr_strs(hid_t loc, const char *name, char *const *values, size_t n,
                             const char *path)
{
    rc_status_t status = RC_OK;
    hsize_t dims[1] = {(hsize_t)n};
    size_t width = 1;
    char *buf = NULL;
    hid_t type = -1, space = -1;
    for (size_t i = 0; i < n; i++)
        if (strlen(values[i]) > width)
            width = strlen(values[i]);
    buf = calloc(n ? n : 1, width);
    RC_ALLOC_CHECK(buf, "a list attribute");
    for (size_t i = 0; i < n; i++)
        memcpy(buf + i * width, values[i], strlen(values[i]));
    type = rc_h5_str_type(width);
    space = H5Screate_simple(1, dims, NULL);
    status = rc_h5_attr_write(loc, name, type, type, space, buf, path);
cleanup:
    rc_h5_close(space);
    rc_h5_close(type);
    free(buf);
    return status;
}

static rc_status_t rc_rh5_attr_drop(hid_t loc, const char *name, const char *path)
{
    htri_t exists = H5Aexists(loc, name);
    if (exists < 0 || (exists > 0 && H5Adelete(loc, name) < 0))
        return rc_error(RC_ERR_IO, "%s: cannot replace attribute %s", path, name);
    return RC_OK;
}

rc_status_t rc_rh5_attr_set_str(hid_t loc, const char *name, const char *value, const char *path)
{
    rc_status_t status = rc_rh5_attr_drop(loc, name, path);
    return status != RC_OK ? status : rc_h5_attr_str(loc, name, value, path);
}

rc_status_t rc_rh5_attr_set_u64(hid_t loc, const char *name, uint64_t value, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t attr = -1;
    htri_t exists = H5Aexists(loc, name);
    if (exists < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot write attribute %s", path, name);
    if (exists == 0)
        return rc_rh5_attr_u64(loc, name, value, path);
    /* overwrite in place: same type and size, no object header churn */
    attr = H5Aopen(loc, name, H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, H5T_NATIVE_UINT64, &value) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot write attribute %s", path, name);
cleanup:
    return rc_h5_end(attr, status, path, name);
}

void rc_rh5_free_strs(char **values, size_t n)
{
    if (values == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(values[i]);
    free(values);
}

rc_status_t rc_rh5_read_strs(hid_t loc, const char *name, char ***values, size_t *n,
                             const char *path)
{
    rc_status_t status = RC_OK;
    hid_t attr = -1, ftype = -1, mtype = -1, space = -1;
    char *buf = NULL, **out = NULL;
    hssize_t count = 0;
    size_t width = 0;
    *values = NULL;
    *n = 0;
    attr = H5Aopen(loc, name, H5P_DEFAULT);
    ftype = attr >= 0 ? H5Aget_type(attr) : -1;
    space = attr >= 0 ? H5Aget_space(attr) : -1;
    if (ftype < 0 || space < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read attribute %s", path, name);
    count = H5Sget_simple_extent_npoints(space);
    width = H5Tget_size(ftype);
    /* fixed-length strings only: see rc_h5_read_str */
    if (H5Tget_class(ftype) != H5T_STRING || H5Tis_variable_str(ftype) != 0 || count < 0 ||
        H5Sget_simple_extent_ndims(space) != 1 || width == 0 || width > RC_H5_MAX_STR ||
        (uint64_t)count * (width + 1) > RC_H5_MAX_STR)
        RC_FAIL(RC_ERR_INPUT, "%s: attribute %s is not a list of strings", path, name);
    out = calloc((size_t)count + 1, sizeof *out);
    buf = calloc((size_t)count + 1, width + 1);
    RC_ALLOC_CHECK(out, "an attribute");
    RC_ALLOC_CHECK(buf, "an attribute");
    mtype = H5Tcopy(H5T_C_S1);
    if (mtype < 0 || H5Tset_size(mtype, width + 1) < 0 ||
        H5Tset_strpad(mtype, H5T_STR_NULLTERM) < 0 || H5Tset_cset(mtype, H5Tget_cset(ftype)) < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read attribute %s", path, name);
    if (count > 0 && H5Aread(attr, mtype, buf) < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read attribute %s", path, name);
    for (hssize_t i = 0; i < count; i++) {
        out[i] = strndup(buf + (size_t)i * (width + 1), width);
        RC_ALLOC_CHECK(out[i], "an attribute");
    }
    *values = out;
    *n = (size_t)count;
    out = NULL;
cleanup:
    free(buf);
    rc_rh5_free_strs(out, (size_t)count);
    rc_h5_close(mtype);
    rc_h5_close(ftype);
    rc_h5_close(space);
    rc_h5_close(attr);
    return status;
}

/* ---- tables ---- */

static size_t rc_col_msize(const rc_col_t *c)
{
    switch (c->kind) {
    case RC_COL_U64:
        return 8;
    case RC_COL_U32:
        return 4;
    case RC_COL_U8:
        return 1;
    case RC_COL_F64:
        return 8;
    case RC_COL_STR:
        return c->width ? c->width : 1;
    }
    return 0;
}

static size_t rc_col_align(const rc_col_t *c)
{
    switch (c->kind) {
    case RC_COL_STR:
        return 1;
    default:
        return rc_col_msize(c);
    }
}

size_t rc_table_add(rc_table_t *t, const char *name, rc_col_kind_t kind, size_t width)
{
    if (t->failed)
        return 0;
    if (t->n == t->cap) {
        size_t ncap = t->cap ? 2 * t->cap : 16;
        rc_col_t *grown = realloc(t->cols, ncap * sizeof *grown);
        if (grown == NULL) {
            t->failed = 1;
            return 0;
        }
        t->cols = grown;
        t->cap = ncap;
    }
    rc_col_t *c = &t->cols[t->n];
    memset(c, 0, sizeof *c);
    c->name = strdup(name);
    if (c->name == NULL) {
        t->failed = 1;
        return 0;
    }
    c->kind = kind;
    c->width = kind == RC_COL_STR ? (width ? width : 1) : 0;
    size_t size = rc_col_msize(c), align = rc_col_align(c);
    /* file rows are packed; memory rows keep every member aligned (cast-free access and no
     * misaligned loads inside HDF5's conversions) */
    c->foff = t->fsize;
    t->fsize += size;
    c->moff = t->packed ? t->msize : (t->msize + align - 1) / align * align;
    t->msize = c->moff + size;
    return t->n++;
}

size_t rc_table_find(const rc_table_t *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

void rc_table_free(rc_table_t *t)
{
    if (t == NULL)
        return;
    if (t->typed) {
        rc_h5_close(t->mtype);
        rc_h5_close(t->ftype);
    }
    for (size_t i = 0; i < t->n; i++)
        free(t->cols[i].name);
    free(t->cols);
    memset(t, 0, sizeof *t);
}

size_t rc_table_stride(const rc_table_t *t)
{
    return t->packed ? (t->msize ? t->msize : 1) : (t->msize + 7) / 8 * 8;
}

rc_status_t rc_table_types(const rc_table_t *t, hid_t *mtype, hid_t *ftype)
{
    rc_status_t status = RC_OK;
    hid_t m = -1, f = -1, sub = -1;
    *mtype = *ftype = -1;
    m = H5Tcreate(H5T_COMPOUND, rc_table_stride(t));
    f = H5Tcreate(H5T_COMPOUND, t->fsize ? t->fsize : 1);
    if (m < 0 || f < 0)
        RC_FAIL(RC_ERR_INTERNAL, "cannot make an HDF5 compound type");
    for (size_t i = 0; i < t->n; i++) {
        const rc_col_t *c = &t->cols[i];
        hid_t mt = -1, ft = -1;
        switch (c->kind) {
        case RC_COL_U64:
            mt = H5T_NATIVE_UINT64;
            ft = H5T_STD_U64LE;
            break;
        case RC_COL_U32:
            mt = H5T_NATIVE_UINT32;
            ft = H5T_STD_U32LE;
            break;
        case RC_COL_U8:
            mt = H5T_NATIVE_UINT8;
            ft = H5T_STD_U8LE;
            break;
        case RC_COL_F64:
            mt = H5T_NATIVE_DOUBLE;
            ft = H5T_IEEE_F64LE;
            break;
        case RC_COL_STR:
            sub = rc_h5_str_type(c->width);
            mt = ft = sub;
            break;
        }
        if (mt < 0 || H5Tinsert(m, c->name, c->moff, mt) < 0 ||
            H5Tinsert(f, c->name, c->foff, ft) < 0)
            RC_FAIL(RC_ERR_INTERNAL, "cannot add column %s to an HDF5 compound type", c->name);
        rc_h5_close(sub);
        sub = -1;
    }
    *mtype = m;
    *ftype = f;
    m = f = -1;
cleanup:
    rc_h5_close(sub);
    rc_h5_close(m);
    rc_h5_close(f);
    return status;
}

rc_status_t rc_table_prepare(rc_table_t *t)
{
    if (t->typed)
        return RC_OK;
    rc_status_t status = rc_table_types(t, &t->mtype, &t->ftype);
    t->typed = status == RC_OK;
    return status;
}

/* t's types: the prepared ones (*owned = 0) or freshly built ones the caller closes. */
static rc_status_t rc_table_get_types(const rc_table_t *t, hid_t *mtype, hid_t *ftype, int *owned)
{
    *owned = !t->typed;
    if (t->typed) {
        *mtype = t->mtype;
        *ftype = t->ftype;
        return RC_OK;
    }
    return rc_table_types(t, mtype, ftype);
}

void rc_row_u64(const rc_table_t *t, void *row, size_t col, uint64_t v)
{
    memcpy((char *)row + t->cols[col].moff, &v, sizeof v);
}

void rc_row_u32(const rc_table_t *t, void *row, size_t col, uint32_t v)
{
    memcpy((char *)row + t->cols[col].moff, &v, sizeof v);
}

void rc_row_u8(const rc_table_t *t, void *row, size_t col, uint8_t v)
{
    memcpy((char *)row + t->cols[col].moff, &v, sizeof v);
}

void rc_row_f64(const rc_table_t *t, void *row, size_t col, double v)
{
    memcpy((char *)row + t->cols[col].moff, &v, sizeof v);
}

void rc_row_str(const rc_table_t *t, void *row, size_t col, const char *s)
{
    const rc_col_t *c = &t->cols[col];
    char *dst = (char *)row + c->moff;
    size_t n = s ? strlen(s) : 0;
    if (n > c->width)
        n = c->width;
    memset(dst, 0, c->width);
    if (n > 0)
        memcpy(dst, s, n);
}

rc_status_t rc_table_create(hid_t loc, const char *name, const rc_table_t *t, const void *rows,
                            uint64_t nrows, uint64_t chunk_rows, int compress, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t mtype = -1, ftype = -1, space = -1, dcpl = -1, dset = -1;
    hsize_t dims[1] = {(hsize_t)nrows}, maxdims[1] = {H5S_UNLIMITED};
    hsize_t chunk[1] = {(hsize_t)(chunk_rows ? chunk_rows : 1)};
    int owned = 0;
    RC_TRY(rc_table_get_types(t, &mtype, &ftype, &owned));
    space = H5Screate_simple(1, dims, maxdims);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (space < 0 || dcpl < 0 || H5Pset_chunk(dcpl, 1, chunk) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create /%s", path, name);
    /* every chunk checksummed (a damaged one fails to read instead of reading wrong), last, so
     * that the checksum covers the stored bytes (checked before inflating) and ready chunks can
     * be written directly (results_prep.c); an uncompressed chunk rewritten by an in-place
     * update keeps its size, so it stays put */
    if ((compress && (H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, 1) < 0)) ||
        H5Pset_fletcher32(dcpl) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot set the filters of /%s", path, name);
    dset = H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (dset < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create /%s", path, name);
    if (nrows > 0 && H5Dwrite(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot write /%s", path, name);
cleanup:
    status = rc_h5_end(dset, status, path, name);
    rc_h5_close(dcpl);
    rc_h5_close(space);
    if (owned) {
        rc_h5_close(mtype);
        rc_h5_close(ftype);
    }
    return status;
}

rc_status_t rc_table_append(hid_t loc, const char *name, const rc_table_t *t, const void *rows,
                            uint64_t nrows, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t mtype = -1, ftype = -1, dset = -1, fspace = -1, mspace = -1;
    hsize_t dims[1] = {0};
    int owned = 0;
    if (nrows == 0)
        return RC_OK;
    RC_TRY(rc_table_get_types(t, &mtype, &ftype, &owned));
    dset = H5Dopen2(loc, name, H5P_DEFAULT);
    fspace = dset >= 0 ? H5Dget_space(dset) : -1;
    if (fspace < 0 || H5Sget_simple_extent_dims(fspace, dims, NULL) != 1)
        RC_FAIL(RC_ERR_IO, "%s: cannot open /%s", path, name);
    rc_h5_close(fspace);
    fspace = -1;
    hsize_t start[1] = {dims[0]}, count[1] = {(hsize_t)nrows}, newdims[1] = {dims[0] + nrows};
    if (H5Dset_extent(dset, newdims) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot extend /%s", path, name);
    fspace = H5Dget_space(dset);
    mspace = H5Screate_simple(1, count, NULL);
    if (fspace < 0 || mspace < 0 ||
        H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot select rows of /%s", path, name);
    if (H5Dwrite(dset, mtype, mspace, fspace, H5P_DEFAULT, rows) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot append to /%s", path, name);
cleanup:
    rc_h5_close(mspace);
    rc_h5_close(fspace);
    status = rc_h5_end(dset, status, path, name); /* closing writes the dataset's chunks */
    if (owned) {
        rc_h5_close(mtype);
        rc_h5_close(ftype);
    }
    return status;
}

rc_status_t rc_rh5_rows(hid_t loc, const char *name, uint64_t *rows, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t dset = -1, space = -1;
    hsize_t dims[1] = {0};
    *rows = 0;
    htri_t exists = H5Lexists(loc, name, H5P_DEFAULT);
    if (exists <= 0)
        RC_FAIL(RC_ERR_INPUT, "%s: /%s is missing", path, name);
    dset = H5Dopen2(loc, name, H5P_DEFAULT);
    space = dset >= 0 ? H5Dget_space(dset) : -1;
    if (space < 0 || H5Sget_simple_extent_ndims(space) != 1 ||
        H5Sget_simple_extent_dims(space, dims, NULL) != 1)
        RC_FAIL(RC_ERR_INPUT, "%s: /%s is not a table", path, name);
    *rows = (uint64_t)dims[0];
cleanup:
    rc_h5_close(space);
    rc_h5_close(dset);
    return status;
}

/* Reads one member `col` of every row of `name` into buf (rows * H5Tget_size(mt) bytes). */
static rc_status_t rc_rh5_read_member(hid_t loc, const char *name, const char *col, hid_t mt,
                                      void **data, uint64_t *rows, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t dset = -1, space = -1, ftype = -1, m = -1, dxpl = H5P_DEFAULT;
    hsize_t dims[1] = {0};
    void *buf = NULL;
    *data = NULL;
    *rows = 0;
    htri_t exists = H5Lexists(loc, name, H5P_DEFAULT);
    if (exists <= 0)
        RC_FAIL(RC_ERR_INPUT, "%s: /%s is missing", path, name);
    dset = H5Dopen2(loc, name, H5P_DEFAULT);
    space = dset >= 0 ? H5Dget_space(dset) : -1;
    ftype = dset >= 0 ? H5Dget_type(dset) : -1;
    if (space < 0 || ftype < 0 || H5Sget_simple_extent_ndims(space) != 1 ||
        H5Sget_simple_extent_dims(space, dims, NULL) != 1 || H5Tget_class(ftype) != H5T_COMPOUND)
        RC_FAIL(RC_ERR_INPUT, "%s: /%s is not a table", path, name);
    if (H5Tget_member_index(ftype, col) < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: /%s has no column %s", path, name, col);
    size_t size = H5Tget_size(mt);
    m = H5Tcreate(H5T_COMPOUND, size);
    if (m < 0 || H5Tinsert(m, col, 0, mt) < 0)
        RC_FAIL(RC_ERR_INTERNAL, "cannot make an HDF5 compound type");
    buf = calloc(dims[0] ? (size_t)dims[0] : 1, size);
    RC_ALLOC_CHECK(buf, "a column");
    dxpl = rc_h5_read_dxpl((uint64_t)dims[0], H5Tget_size(ftype) + size);
    if (dims[0] > 0 && (rc_h5_storage_damaged(dset) || H5Dread(dset, m, H5S_ALL, H5S_ALL, dxpl,
                                                               buf) < 0))
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read /%s (file damaged?)", path, name);
    *data = buf;
    *rows = (uint64_t)dims[0];
    buf = NULL;
cleanup:
    free(buf);
    if (dxpl != H5P_DEFAULT)
        rc_h5_close(dxpl);
    rc_h5_close(m);
    rc_h5_close(ftype);
    rc_h5_close(space);
    rc_h5_close(dset);
    return status;
}

rc_status_t rc_rh5_read_col_u64(hid_t loc, const char *name, const char *col, uint64_t **data,
                                uint64_t *rows, const char *path)
{
    void *buf = NULL;
    rc_status_t status = rc_rh5_read_member(loc, name, col, H5T_NATIVE_UINT64, &buf, rows, path);
    *data = buf;
    return status;
}

rc_status_t rc_rh5_read_col_f64(hid_t loc, const char *name, const char *col, double **data,
                                uint64_t *rows, const char *path)
{
    void *buf = NULL;
    rc_status_t status = rc_rh5_read_member(loc, name, col, H5T_NATIVE_DOUBLE, &buf, rows, path);
    *data = buf;
    return status;
}

/* The type of member `col` of dataset `name` (caller closes), or -1. */
static hid_t rc_rh5_member_type(hid_t loc, const char *name, const char *col)
{
    hid_t dset = -1, ftype = -1, mt = -1;
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0)
        return -1;
    dset = H5Dopen2(loc, name, H5P_DEFAULT);
    ftype = dset >= 0 ? H5Dget_type(dset) : -1;
    int idx =
        ftype >= 0 && H5Tget_class(ftype) == H5T_COMPOUND ? H5Tget_member_index(ftype, col) : -1;
    if (idx >= 0)
        mt = H5Tget_member_type(ftype, (unsigned)idx);
    rc_h5_close(ftype);
    rc_h5_close(dset);
    return mt;
}

rc_status_t rc_rh5_read_col_str(hid_t loc, const char *name, const char *col, char ***data,
                                uint64_t *rows, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t ftype = -1, mtype = -1;
    char **out = NULL;
    uint64_t n = 0;
    char *buf = NULL;
    size_t width = 0;
    *data = NULL;
    *rows = 0;
    ftype = rc_rh5_member_type(loc, name, col);
    /* fixed-length strings only: see rc_h5_read_str */
    if (ftype < 0 || H5Tget_class(ftype) != H5T_STRING || H5Tis_variable_str(ftype) != 0 ||
        H5Tget_size(ftype) == 0 || H5Tget_size(ftype) > RC_H5_MAX_STR)
        RC_FAIL(RC_ERR_INPUT, "%s: /%s has no string column %s", path, name, col);
    /* HDF5 1.10 does not convert between character sets: read them as null-terminated strings
     * one byte wider, in the stored one */
    width = H5Tget_size(ftype) + 1;
    mtype = H5Tcopy(H5T_C_S1);
    if (mtype < 0 || H5Tset_size(mtype, width) < 0 ||
        H5Tset_strpad(mtype, H5T_STR_NULLTERM) < 0 || H5Tset_cset(mtype, H5Tget_cset(ftype)) < 0)
        RC_FAIL(RC_ERR_INTERNAL, "cannot make an HDF5 string type");
    void *raw = NULL;
    RC_TRY(rc_rh5_read_member(loc, name, col, mtype, &raw, &n, path));
    buf = raw;
    out = calloc((size_t)n + 1, sizeof *out);
    RC_ALLOC_CHECK(out, "a column");
    for (uint64_t i = 0; i < n; i++) {
        out[i] = strndup(buf + i * width, width - 1);
        RC_ALLOC_CHECK(out[i], "a column");
    }
    *data = out;
    *rows = n;
    out = NULL;
cleanup:
    free(buf);
    rc_rh5_free_strs(out, (size_t)n);
    rc_h5_close(mtype);
    rc_h5_close(ftype);
    return status;
}

void rc_rh5_now(char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, len, "unknown");
}
