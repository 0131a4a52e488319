/* The default study's config, embedded at build time from configs/handpicked_vs_broadcast.yaml
 * (so that `rtcascade run` and `rtcascade graph` work with no config file at all). */
#ifndef RTCASCADE_DEFAULTS_H
#define RTCASCADE_DEFAULTS_H

extern const char rc_default_study_yaml[];

/* The name under which the embedded config appears in messages ("file:line:col"). */
#define RC_DEFAULT_STUDY_NAME "<default study: configs/handpicked_vs_broadcast.yaml>"

#endif
