/* HDF5 helpers shared by the graph cache and the results file: quiet errors, closing any id, and
 * scalar attributes written and read back with every HDF5 return value checked and turned into
 * one line naming the file and the attribute. */
#include "io/h5util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void rc_h5_quiet(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void rc_h5_close(hid_t id)
{
    if (id < 0)
        return;
    switch (H5Iget_type(id)) {
    case H5I_FILE:
        H5Fclose(id);
        break;
    case H5I_GROUP:
        H5Gclose(id);
        break;
    case H5I_DATASET:
        H5Dclose(id);
        break;
    case H5I_ATTR:
        H5Aclose(id);
        break;
    case H5I_DATASPACE:
        H5Sclose(id);
        break;
    case H5I_DATATYPE:
        H5Tclose(id);
        break;
    case H5I_GENPROP_LST:
        H5Pclose(id);
        break;
    default:
        break;
    }
}

hid_t rc_h5_vlen_str(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
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
    rc_h5_close(attr);
    return status;
}

rc_status_t rc_h5_attr_str(hid_t loc, const char *name, const char *value, const char *path)
{
    hid_t type = rc_h5_vlen_str(), space = H5Screate(H5S_SCALAR);
    const char *v = value ? value : "";
    rc_status_t status = rc_h5_attr_write(loc, name, type, type, space, &v, path);
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
    char *vl = NULL, lab[512];
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
    if (H5Tget_class(ftype) != H5T_STRING || H5Sget_simple_extent_npoints(space) != 1)
        RC_FAIL(RC_ERR_INPUT, "%s: attribute %s is not a string", path,
                rc_h5_label(loc, name, lab, sizeof lab));
    htri_t is_vlen = H5Tis_variable_str(ftype);
    if (is_vlen < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: cannot read attribute %s", path,
                rc_h5_label(loc, name, lab, sizeof lab));
    if (is_vlen) {
        mtype = rc_h5_vlen_str();
        if (mtype < 0 || H5Aread(attr, mtype, &vl) < 0)
            RC_FAIL(RC_ERR_INPUT, "%s: cannot read attribute %s", path,
                    rc_h5_label(loc, name, lab, sizeof lab));
        *value = strdup(vl ? vl : "");
        RC_ALLOC_CHECK(*value, "an attribute");
    } else {
        /* HDF5 1.10 converts no character set into another: read in the stored one */
        size_t size = H5Tget_size(ftype);
        mtype = H5Tcopy(H5T_C_S1);
        if (mtype < 0 || H5Tset_size(mtype, size + 1) < 0 ||
            H5Tset_strpad(mtype, H5T_STR_NULLTERM) < 0 ||
            H5Tset_cset(mtype, H5Tget_cset(ftype)) < 0)
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
    }
cleanup:
    if (vl)
        H5free_memory(vl);
    rc_h5_close(mtype);
    rc_h5_close(ftype);
    rc_h5_close(space);
    rc_h5_close(attr);
    return status;
}

rc_status_t rc_h5_read_u64(hid_t loc, const char *name, uint64_t *value, const char *path,
                           const char *kind)
{
    rc_status_t status = RC_OK;
    hid_t attr = -1, ftype = -1, space = -1;
    char lab[512];
    htri_t exists = H5Aexists(loc, name);
    if (exists <= 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an %s (attribute %s missing)", path, kind,
                rc_h5_label(loc, name, lab, sizeof lab));
    attr = H5Aopen(loc, name, H5P_DEFAULT);
    ftype = attr >= 0 ? H5Aget_type(attr) : -1;
    space = attr >= 0 ? H5Aget_space(attr) : -1;
    if (ftype < 0 || space < 0 || H5Tget_class(ftype) != H5T_INTEGER ||
        H5Sget_simple_extent_npoints(space) != 1)
        RC_FAIL(RC_ERR_INPUT, "%s: attribute %s is not an integer", path,
                rc_h5_label(loc, name, lab, sizeof lab));
    if (H5Aread(attr, H5T_NATIVE_UINT64, value) < 0)
        RC_FAIL(RC_ERR_INPUT, "%s: attribute %s is not a valid count", path,
                rc_h5_label(loc, name, lab, sizeof lab));
cleanup:
    rc_h5_close(space);
    rc_h5_close(ftype);
    rc_h5_close(attr);
    return status;
}
