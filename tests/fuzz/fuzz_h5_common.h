/* For the targets that read HDF5 files: HDF5's own error printing off, and a check that a call
 * left no HDF5 object open (a handle left open is what crashes HDF5 1.10 at exit). */
#ifndef RC_FUZZ_H5_COMMON_H
#define RC_FUZZ_H5_COMMON_H

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>

static inline void rc_fuzz_h5_init(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static inline void rc_fuzz_h5_no_open_ids(const char *after)
{
    ssize_t n = H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL);
    if (n != 0) {
        fprintf(stderr, "%zd HDF5 objects left open after %s\n", n, after);
        abort();
    }
}

#endif
