export { Autoscaler, type AutoscalerDeps, type ProcessAutoscale, type ReplicaReading } from './autoscaler.js';
export { AutoscaleBounds } from './bounds.js';
export { readQueueDepth, type QueueSources } from './queue-depth.js';
export { autoscalerForgetsDestroyedApps, boundsFollowLiveRelease } from './follow.js';
export { AutoscaleWindows } from './windows.js';
