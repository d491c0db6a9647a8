// IPFIX Information Elements (IANA registry; NetFlow v9 field types 1-79 share the same numbers) that the
// decoder understands, and their mapping to "slots" of the per-record scratch area. A template is compiled
// once into (slot, kind, length) per field, so decoding a record is a tight loop with no lookups.

export const IE = {
  octetDeltaCount: 1,
  packetDeltaCount: 2,
  protocolIdentifier: 4,
  tcpControlBits: 6,
  sourceTransportPort: 7,
  sourceIPv4Address: 8,
  ingressInterface: 10,
  destinationTransportPort: 11,
  destinationIPv4Address: 12,
  egressInterface: 14,
  flowEndSysUpTime: 21,
  flowStartSysUpTime: 22,
  postOctetDeltaCount: 23,
  postPacketDeltaCount: 24,
  sourceIPv6Address: 27,
  destinationIPv6Address: 28,
  icmpTypeCodeIPv4: 32,
  samplingInterval: 34,
  samplerRandomInterval: 50,
  octetTotalCount: 85,
  packetTotalCount: 86,
  forwardingStatus: 89,
  icmpTypeCodeIPv6: 139,
  flowStartSeconds: 150,
  flowEndSeconds: 151,
  flowStartMilliseconds: 152,
  flowEndMilliseconds: 153,
  flowStartMicroseconds: 154,
  flowEndMicroseconds: 155,
  flowStartNanoseconds: 156,
  flowEndNanoseconds: 157,
  flowStartDeltaMicroseconds: 158,
  flowEndDeltaMicroseconds: 159,
  systemInitTimeMilliseconds: 160,
  samplingPacketInterval: 305,
} as const;

/** Field length meaning "variable length" in an IPFIX template (RFC 7011 §7). */
export const VARIABLE_LENGTH = 65535;

// Slots: indexes into the Float64Array scratch, and bit positions in the "present" mask (must stay < 31).
export const S_SRC4 = 0;
export const S_DST4 = 1;
export const S_SRC6 = 2;
export const S_DST6 = 3;
export const S_SPORT = 4;
export const S_DPORT = 5;
export const S_PROTO = 6;
export const S_TCP_FLAGS = 7;
export const S_BYTES = 8;
export const S_PACKETS = 9;
export const S_BYTES_TOTAL = 10;
export const S_PACKETS_TOTAL = 11;
export const S_BYTES_POST = 12;
export const S_PACKETS_POST = 13;
export const S_FWD_STATUS = 14;
export const S_IN_IF = 15;
export const S_OUT_IF = 16;
export const S_START_SEC = 17;
export const S_END_SEC = 18;
export const S_START_MS = 19;
export const S_END_MS = 20;
export const S_START_NTP = 21;
export const S_END_NTP = 22;
export const S_START_SYSUP = 23;
export const S_END_SYSUP = 24;
export const S_SYS_INIT = 25;
export const S_ICMP4 = 26;
export const S_ICMP6 = 27;
export const S_START_DELTA_US = 28;
export const S_END_DELTA_US = 29;
export const S_SAMPLING = 30;
export const SLOT_COUNT = 31;
export const NO_SLOT = -1;

/** How a field's bytes are turned into the slot value. */
export const K_SKIP = 0;
/** Store the byte offset (addresses are formatted lazily from the buffer). */
export const K_OFFSET = 1;
/** Unsigned big-endian integer of 1..8 bytes (reduced-size encoding allowed, RFC 7011 §6.2). */
export const K_UINT = 2;
/** 64-bit NTP timestamp (dateTimeMicroseconds/Nanoseconds, RFC 7011 §6.1.9/6.1.10) converted to ms. */
export const K_NTP = 3;

export interface SlotBinding {
  slot: number;
  kind: number;
}

const SKIP: SlotBinding = { slot: NO_SLOT, kind: K_SKIP };

function uint(slot: number, length: number, maxLength = 8): SlotBinding {
  return length >= 1 && length <= maxLength ? { slot, kind: K_UINT } : SKIP;
}

function exact(slot: number, kind: number, length: number, want: number): SlotBinding {
  return length === want ? { slot, kind } : SKIP;
}

/**
 * Slot for a field specifier. Enterprise-specific fields, scope fields and fields with an unexpected
 * length (e.g. a 3-byte IPv4 address, or any variable-length field) are skipped by length only.
 */
export function bindField(id: number, length: number, enterprise: boolean): SlotBinding {
  if (enterprise || length === VARIABLE_LENGTH) return SKIP;
  switch (id) {
    case IE.sourceIPv4Address:
      return exact(S_SRC4, K_OFFSET, length, 4);
    case IE.destinationIPv4Address:
      return exact(S_DST4, K_OFFSET, length, 4);
    case IE.sourceIPv6Address:
      return exact(S_SRC6, K_OFFSET, length, 16);
    case IE.destinationIPv6Address:
      return exact(S_DST6, K_OFFSET, length, 16);
    case IE.sourceTransportPort:
      return uint(S_SPORT, length, 2);
    case IE.destinationTransportPort:
      return uint(S_DPORT, length, 2);
    case IE.protocolIdentifier:
      return uint(S_PROTO, length, 1);
    case IE.tcpControlBits:
      return uint(S_TCP_FLAGS, length, 2);
    case IE.octetDeltaCount:
      return uint(S_BYTES, length);
    case IE.packetDeltaCount:
      return uint(S_PACKETS, length);
    case IE.octetTotalCount:
      return uint(S_BYTES_TOTAL, length);
    case IE.packetTotalCount:
      return uint(S_PACKETS_TOTAL, length);
    case IE.postOctetDeltaCount:
      return uint(S_BYTES_POST, length);
    case IE.postPacketDeltaCount:
      return uint(S_PACKETS_POST, length);
    case IE.forwardingStatus:
      return uint(S_FWD_STATUS, length, 4);
    case IE.ingressInterface:
      return uint(S_IN_IF, length, 4);
    case IE.egressInterface:
      return uint(S_OUT_IF, length, 4);
    case IE.flowStartSeconds:
      return uint(S_START_SEC, length, 4);
    case IE.flowEndSeconds:
      return uint(S_END_SEC, length, 4);
    case IE.flowStartMilliseconds:
      return uint(S_START_MS, length);
    case IE.flowEndMilliseconds:
      return uint(S_END_MS, length);
    case IE.flowStartMicroseconds:
    case IE.flowStartNanoseconds:
      return exact(S_START_NTP, K_NTP, length, 8);
    case IE.flowEndMicroseconds:
    case IE.flowEndNanoseconds:
      return exact(S_END_NTP, K_NTP, length, 8);
    case IE.flowStartSysUpTime:
      return uint(S_START_SYSUP, length, 4);
    case IE.flowEndSysUpTime:
      return uint(S_END_SYSUP, length, 4);
    case IE.systemInitTimeMilliseconds:
      return uint(S_SYS_INIT, length);
    case IE.icmpTypeCodeIPv4:
      return uint(S_ICMP4, length, 2);
    case IE.icmpTypeCodeIPv6:
      return uint(S_ICMP6, length, 2);
    case IE.flowStartDeltaMicroseconds:
      return uint(S_START_DELTA_US, length, 4);
    case IE.flowEndDeltaMicroseconds:
      return uint(S_END_DELTA_US, length, 4);
    case IE.samplingInterval:
    case IE.samplerRandomInterval:
    case IE.samplingPacketInterval:
      return uint(S_SAMPLING, length, 4);
    default:
      return SKIP;
  }
}
