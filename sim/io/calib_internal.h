/* The part of a fit file that a calibration writes (calib_h5.c), called by rc_fit_write_h5
 * (fit_h5.c). Private to sim/io (it includes hdf5.h through results_internal.h). */
#ifndef RC_CALIB_INTERNAL_H
#define RC_CALIB_INTERNAL_H

#include "io/results_internal.h"
#include "rtcascade/fit_io.h"

/* A calibration's root attributes and tables (/fit, /simulated, /growth, /evaluations) into the
 * open fit file (docs/results-format.md, "Fit files"). RC_ERR_IO naming path, RC_ERR_NOMEM. */
rc_status_t rc_calib_write(hid_t file, const rc_fit_spec_t *spec, const rc_fit_outcome_t *res,
                           const char *path);

#endif
