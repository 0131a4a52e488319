/* rtcascade: a parallel Monte Carlo engine for retweet cascades on follower networks.
 *
 * The one header a program needs: it includes the public API of every layer, lowest first
 * (docs/design.md). Link librtcascade: `find_package(rtcascade)` and rtcascade::rtcascade in
 * CMake, or `pkg-config --cflags --libs rtcascade`. Functions that can fail return an
 * rc_status_t and leave a one-line message in rc_error_message(); nothing in the library prints
 * or exits. */
#ifndef RTCASCADE_RTCASCADE_H
#define RTCASCADE_RTCASCADE_H

/* core: status codes, random streams, the event heap, memory checks, parameter tables */
#include "rtcascade/error.h"
#include "rtcascade/heap.h"
#include "rtcascade/memory.h"
#include "rtcascade/params.h"
#include "rtcascade/rng.h"
#include "rtcascade/version.h"
/* graph: the follower graph, generators, loaders, statistics, network specs */
#include "rtcascade/graph.h"
#include "rtcascade/network.h"
/* models: the model contract and registry */
#include "rtcascade/model.h"
/* engine: seeds, audiences, metrics, the Monte Carlo driver, events, greedy seeding, blocks,
 * curves */
#include "rtcascade/curves.h"
#include "rtcascade/engine.h"
#include "rtcascade/events.h"
#include "rtcascade/greedy.h"
#include "rtcascade/mc_blocks.h"
#include "rtcascade/mc_point.h"
/* fit: observed cascades, Hawkes likelihoods, maximum-likelihood fits, predictions */
#include "rtcascade/cascades.h"
#include "rtcascade/fit.h"
/* io: configs, typed specs, experiments, results files, graph files and caches */
#include "rtcascade/config.h"
#include "rtcascade/defaults.h"
#include "rtcascade/experiment.h"
#include "rtcascade/fit_io.h"
#include "rtcascade/graph_h5.h"
#include "rtcascade/results.h"
#include "rtcascade/specs.h"
/* run: the experiment runner, sinks, MPI, progress in words */
#include "rtcascade/progress.h"
#include "rtcascade/runner.h"

#endif
