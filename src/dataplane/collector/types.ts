// Public data types of the flow collector. Everything here is plain data (JSON-serialisable where noted).

/** One unidirectional flow record, normalised across IPFIX, NetFlow v9 and NetFlow v5. */
export interface DecodedFlow {
  exporterAddress: string;
  exporterPort: number;
  /** IPFIX observation domain id, v9 source id, v5 `engine_type << 8 | engine_id`. */
  observationDomainId: number;
  netflowVersion: 5 | 9 | 10;
  ipVersion: 4 | 6;
  srcaddr: string;
  dstaddr: string;
  srcport: number;
  /** For ICMP/ICMPv6 with an icmpTypeCode field: `type << 8 | code` (nfdump/pmacct convention), srcport 0. */
  dstport: number;
  protocol: number;
  /** JS numbers: exact up to 2^53. */
  packets: number;
  bytes: number;
  /** Unix epoch milliseconds, absolute. */
  startMs: number;
  endMs: number;
  tcpFlags: number;
  /** IPFIX IE 89 / v9 FORWARDING_STATUS raw value, when the template carries it. */
  forwardingStatus?: number;
  /** From forwardingStatus (RFC 7270): status 10 (dropped) -> REJECT, anything else or absent -> ACCEPT. */
  action: 'ACCEPT' | 'REJECT';
  inputInterface?: number;
  outputInterface?: number;
}

/** Where a datagram came from (the exporter's transport address). */
export interface PacketSource {
  address: string;
  port: number;
}

/** Cumulative decoder counters (plain object; copy it with `{ ...decoder.counters }`). */
export interface DecoderCounters {
  /** decode() calls (datagrams). */
  packets: number;
  /** Flow records returned. Always equals the sum of the lengths of every array decode() returned. */
  records: number;
  /** Datagrams with any structural error (counted once per datagram). */
  malformed: number;
  /** Data sets whose template was unknown or expired (their records are dropped). */
  templateMisses: number;
  /** Sequence discontinuities (events), per exporter/domain. */
  sequenceGaps: number;
  /** Estimated number of missing units (IPFIX/v5: records, v9: packets) over forward gaps. */
  sequenceLost: number;
  /** Of `sequenceLost`, units that arrived late after all (reordered datagrams filling a gap). */
  sequenceRecovered: number;
  /** Template and options-template records accepted (cumulative, refreshes included). */
  templates: number;
  /** Template withdrawals applied. */
  templateWithdrawals: number;
  /** Templates dropped because they were not refreshed within the TTL. */
  templatesExpired: number;
  /** Templates evicted (least recently used) to stay within the collector limits. */
  templatesEvicted: number;
  /** Templates refused: more fields than the whole template field budget. */
  templatesRefused: number;
  /** Exporter/domain states evicted (least recently seen) to stay within the collector limits. */
  domainsEvicted: number;
  /** Options data records consumed (system init time, sampling); never emitted as flows. */
  optionsRecords: number;
  /** Data records that are not IP flows (no IPv4/IPv6 source or destination address); dropped. */
  nonFlowRecords: number;
  /** Datagrams whose version is not 5, 9 or 10 (also counted as malformed). */
  unsupportedVersion: number;
  /** Unexpected exceptions caught inside decode() (a decoder bug; the datagram counts as malformed). */
  internalErrors: number;
}

/** One field specifier of a template, as on the wire. */
export interface TemplateFieldSpec {
  /** Information Element id (without the enterprise bit). */
  id: number;
  /** Field length in octets; 65535 = variable length (IPFIX). */
  length: number;
  /** Private Enterprise Number when the enterprise bit was set. */
  enterpriseId?: number;
}

/** A template in JSON-friendly form, for persistence across restarts (see FlowDecoder.exportTemplates). */
export interface SerializedTemplate {
  netflowVersion: 9 | 10;
  exporterAddress: string;
  exporterPort: number;
  observationDomainId: number;
  templateId: number;
  /** Options template: the first `scopeFieldCount` fields are scope fields. */
  isOptions: boolean;
  scopeFieldCount: number;
  fields: TemplateFieldSpec[];
  /** When the template was last (re)announced, Unix epoch ms (collector clock). */
  receivedAtMs: number;
}
