/**
 * Renders bodies in the wire formats: JSON (default) and XML (`Format=XML`). XML follows the SDK layout:
 * root `<{Action}Response>`, a wrapper object around repeated item elements
 * (`{"FlowLogs":{"FlowLog":[a,b]}}` becomes `<FlowLogs><FlowLog>a</FlowLog><FlowLog>b</FlowLog></FlowLogs>`).
 */
import { XMLBuilder } from 'fast-xml-parser';

export type WireFormat = 'JSON' | 'XML';

export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';
/** The exact string the Tea clients test for before parsing an XML error (api-spec.md 4.4). */
export const XML_CONTENT_TYPE = 'text/xml;charset=utf-8';

const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false, processEntities: true });

export function renderBody(format: WireFormat, root: string, body: Record<string, unknown>): string {
  if (format === 'JSON') return JSON.stringify(body);
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ [root]: body }) as string}`;
}

export function contentTypeOf(format: WireFormat): string {
  return format === 'JSON' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE;
}

/** `Format` is case-insensitive; anything else falls back to JSON, the documented default. */
export function parseFormat(value: string | undefined): WireFormat {
  return value?.toUpperCase() === 'XML' ? 'XML' : 'JSON';
}
