/**
 * Recording and replaying a host of your own (package export `miou-js/record-replay`,
 * docs/host.md): wrap the host in a `BoundaryRecorder` to write its boundary log, answer
 * a later run from the parsed log with a `ReplayHost`.
 */
export { BoundaryRecorder, type LogLineSink } from "./recorder.js";
export { ReplayHost, ReplayDiverged, ReplayReachedStop, type Divergence, type ReplayHostOptions } from "./replay-host.js";
export { BOUNDARY_LOG_VERSION, boundaryHeaderLine, parseBoundaryLog, type BoundaryHeader, type BoundaryLog } from "./boundary-log.js";
export { contentHash } from "./decision-header.js";
