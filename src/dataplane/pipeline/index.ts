// Flow pipeline (data plane): attribution, aggregation, status records and delivery of flow-log records.
export { DataPlane, type DataPlaneCounters, type DataPlaneOptions } from './data-plane.js';
export { FlowPipeline, type PipelineCounters, type PipelineOptions } from './pipeline.js';
export { collectorSummary, prometheusText } from './metrics.js';
export { parseListenAddress } from './listen-address.js';
export { Topology, loadTopology, type Attribution, type EniInfo, type FlowLogInfo } from './topology.js';
export { windowStartOf, recordTimes, intervalMs } from './window.js';
