/** The data plane's counters: the health endpoint's `collector` object and Prometheus text format. */
import type { DataPlaneCounters } from './data-plane.js';

/** The flat summary shown under `collector` in GET /_vpcflow/health. */
export function collectorSummary(c: DataPlaneCounters): Record<string, unknown> {
  const d = c.collector.decoder;
  const p = c.pipeline;
  return {
    listen: c.listen,
    packets: d.packets,
    records: d.records,
    malformed: d.malformed,
    templateMisses: d.templateMisses,
    sequenceGaps: d.sequenceGaps,
    sequenceLost: d.sequenceLost,
    sequenceRecovered: d.sequenceRecovered,
    templates: d.templates,
    templatesEvicted: d.templatesEvicted,
    templatesRefused: d.templatesRefused,
    domainsEvicted: d.domainsEvicted,
    droppedOverload: c.collector.droppedOverload,
    consumerErrors: c.collector.consumerErrors,
    futureTimestamps: p.futureTimestamps,
    ambiguous: p.ambiguous,
    unattributed: p.unattributed,
    unwatched: p.unwatched,
    filtered: p.filtered,
    aggregated: p.aggregated,
    overflowed: p.overflowed,
    overflowDropped: p.overflowDropped,
    dropped: p.dropped,
    openRecords: p.openRecords,
    recordsEmitted: p.records,
    nodataRecords: p.nodataRecords,
    skipdataRecords: p.skipdataRecords,
    recordsDelivered: p.recordsDelivered,
    recordsFailed: p.recordsFailed,
    deliveryFailures: p.deliveryFailures,
    statusRecordsLeader: p.statusRecordsLeader === 1,
  };
}

type Metric = [name: string, type: 'counter' | 'gauge', help: string, value: number];

/** Prometheus text exposition format 0.0.4. */
export function prometheusText(c: DataPlaneCounters): string {
  const d = c.collector.decoder;
  const p = c.pipeline;
  const metrics: Metric[] = [
    [
      'vpcflow_collector_packets_total',
      'counter',
      'Datagrams received (malformed ones included).',
      d.packets,
    ],
    ['vpcflow_collector_bytes_total', 'counter', 'Datagram bytes received.', c.collector.bytes],
    ['vpcflow_collector_records_total', 'counter', 'Flow records decoded.', d.records],
    ['vpcflow_collector_malformed_total', 'counter', 'Malformed datagrams dropped.', d.malformed],
    ['vpcflow_collector_template_misses_total', 'counter', 'Data sets without a template.', d.templateMisses],
    [
      'vpcflow_collector_templates_evicted_total',
      'counter',
      'Templates evicted (least recently used) by the collector limits.',
      d.templatesEvicted,
    ],
    [
      'vpcflow_collector_templates_refused_total',
      'counter',
      'Templates refused: more fields than the template field budget.',
      d.templatesRefused,
    ],
    [
      'vpcflow_collector_domains_evicted_total',
      'counter',
      'Exporter/domain states evicted (least recently seen) by the collector limits.',
      d.domainsEvicted,
    ],
    ['vpcflow_collector_sequence_gaps_total', 'counter', 'Export sequence discontinuities.', d.sequenceGaps],
    [
      'vpcflow_collector_sequence_lost_total',
      'counter',
      'Estimated records lost in transit.',
      d.sequenceLost,
    ],
    [
      'vpcflow_collector_sequence_recovered_total',
      'counter',
      'Records first counted lost that arrived late (reordered).',
      d.sequenceRecovered,
    ],
    [
      'vpcflow_collector_templates_received_total',
      'counter',
      'Templates accepted (refreshes included).',
      d.templates,
    ],
    [
      'vpcflow_collector_dropped_overload_total',
      'counter',
      'Records dropped because the pipeline was busy.',
      c.collector.droppedOverload,
    ],
    [
      'vpcflow_collector_consumer_errors_total',
      'counter',
      'Batches the pipeline failed to take (their flows are reported as SKIPDATA).',
      c.collector.consumerErrors,
    ],
    ['vpcflow_pipeline_flows_total', 'counter', 'Flows entering the pipeline.', p.flows],
    [
      'vpcflow_pipeline_future_timestamps_total',
      'counter',
      'Flows dated more than 5 minutes ahead of the collector clock.',
      p.futureTimestamps,
    ],
    ['vpcflow_pipeline_ambiguous_total', 'counter', 'Flows with an address in several VPCs.', p.ambiguous],
    ['vpcflow_pipeline_unattributed_total', 'counter', 'Flows matching no ENI.', p.unattributed],
    ['vpcflow_pipeline_unwatched_total', 'counter', 'Flows on ENIs without an Active flow log.', p.unwatched],
    ['vpcflow_pipeline_filtered_total', 'counter', 'Flows removed by TrafficType.', p.filtered],
    ['vpcflow_pipeline_aggregated_total', 'counter', 'Flows aggregated into records.', p.aggregated],
    [
      'vpcflow_pipeline_overflowed_total',
      'counter',
      'Flows reported as SKIPDATA (table full).',
      p.overflowed,
    ],
    [
      'vpcflow_pipeline_overflow_dropped_total',
      'counter',
      'Flows dropped because even the SKIPDATA aggregates were full.',
      p.overflowDropped,
    ],
    [
      'vpcflow_pipeline_dropped_total',
      'counter',
      'Flows lost before aggregation, reported as SKIPDATA.',
      p.dropped,
    ],
    ['vpcflow_pipeline_open_records', 'gauge', 'Open aggregates.', p.openRecords],
    ['vpcflow_pipeline_records_total', 'counter', 'Records emitted (all statuses).', p.records],
    ['vpcflow_pipeline_nodata_records_total', 'counter', 'NODATA records emitted.', p.nodataRecords],
    ['vpcflow_pipeline_skipdata_records_total', 'counter', 'SKIPDATA records emitted.', p.skipdataRecords],
    [
      'vpcflow_pipeline_records_delivered_total',
      'counter',
      'Records stored in logstores.',
      p.recordsDelivered,
    ],
    ['vpcflow_pipeline_records_failed_total', 'counter', 'Records not stored.', p.recordsFailed],
    ['vpcflow_pipeline_delivery_failures_total', 'counter', 'Failed deliveries.', p.deliveryFailures],
    [
      'vpcflow_pipeline_status_records_leader',
      'gauge',
      'Whether this node writes NODATA / SKIPDATA (nodes on one database: the lease holder).',
      p.statusRecordsLeader,
    ],
  ];
  return metrics
    .map(([name, type, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`)
    .join('');
}
