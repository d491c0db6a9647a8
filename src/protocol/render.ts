/**
 * Renders bodies in the wire formats: JSON (default) and XML (`Format=XML`). XML follows the SDK layout:
 * root `<{Action}Response>`, a wrapper object around repeated item elements
 * (`{"FlowLogs":{"FlowLog":[a,b]}}` becomes `<FlowLogs><FlowLog>a</FlowLog><FlowLog>b</FlowLog></FlowLogs>`).
 */
import { XMLBuilder } from 'fast-xml-parser';

export type WireFormat = 'JSON' | 'XML';

export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';
/**
 * The exact string the Tea clients test for before parsing an XML error (src/client.ts of
 * `@alicloud/openapi-core` and `@alicloud/openapi-client`).
 */
export const XML_CONTENT_TYPE = 'text/xml;charset=utf-8';

const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false, processEntities: true });

/**
 * A value whose JSON text is already known (a cached answer): JSON rendering splices the text in
 * instead of serialising the value again; XML rendering uses the value. Top-level fields only.
 */
export class PreRendered {
  readonly json: string;

  constructor(value: unknown) {
    // Only the text is kept (cached answers stay small); XML, the rare case, parses it back.
    this.json = JSON.stringify(value);
  }

  get value(): unknown {
    return JSON.parse(this.json);
  }
}

export function renderBody(format: WireFormat, root: string, body: Record<string, unknown>): string {
  if (format === 'JSON') {
    let hasPreRendered = false;
    for (const key in body) if (body[key] instanceof PreRendered) hasPreRendered = true;
    if (!hasPreRendered) return JSON.stringify(body);
    const parts: string[] = [];
    for (const [key, value] of Object.entries(body)) {
      if (value === undefined) continue;
      parts.push(
        `${JSON.stringify(key)}:${value instanceof PreRendered ? value.json : JSON.stringify(value)}`,
      );
    }
    return `{${parts.join(',')}}`;
  }
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body))
    plain[key] = value instanceof PreRendered ? value.value : value;
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ [root]: plain }) as string}`;
}

export function contentTypeOf(format: WireFormat): string {
  return format === 'JSON' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE;
}

/** `Format` is case-insensitive; anything else falls back to JSON, the documented default. */
export function parseFormat(value: string | undefined): WireFormat {
  return value?.toUpperCase() === 'XML' ? 'XML' : 'JSON';
}
