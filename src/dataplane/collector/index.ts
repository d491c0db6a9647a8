// Flow collector (data plane): IPFIX / NetFlow v9 / NetFlow v5 decoding and UDP collection.
export {
  DEFAULT_TEMPLATE_TTL_MS,
  FlowDecoder,
  emptyDecoderCounters,
  type FlowDecoderOptions,
} from './flow-decoder.js';
export type { ExporterInfo, SequenceLoss, TemplateChanges } from './exporter-registry.js';
export { DEFAULT_COLLECTOR_LIMITS, type CollectorLimits } from './collector-limits.js';
export { actionOf } from './data-set.js';
export { formatIPv4, formatIPv6 } from './ip-format.js';
export {
  UdpCollector,
  type BoundSocket,
  type CollectorCounters,
  type ListenAddress,
  type UdpCollectorOptions,
} from './udp-collector.js';
export type {
  DecodedFlow,
  DecoderCounters,
  PacketSource,
  SerializedTemplate,
  TemplateFieldSpec,
} from './types.js';
