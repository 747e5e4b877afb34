import { AmqpFormatError, readMapEntries, readSymbolOrString, skipValue, type MapEntry } from './codec';

/** AMQP 1.0 message section descriptor codes (spec 3.2). */
export const Section = {
  header: 0x70,
  deliveryAnnotations: 0x71,
  messageAnnotations: 0x72,
  properties: 0x73,
  applicationProperties: 0x74,
  data: 0x75,
  amqpSequence: 0x76,
  amqpValue: 0x77,
  footer: 0x78,
} as const;

const symbolicDescriptors: Record<string, number> = {
  'amqp:header:list': Section.header,
  'amqp:delivery-annotations:map': Section.deliveryAnnotations,
  'amqp:message-annotations:map': Section.messageAnnotations,
  'amqp:properties:list': Section.properties,
  'amqp:application-properties:map': Section.applicationProperties,
  'amqp:data:binary': Section.data,
  'amqp:amqp-sequence:list': Section.amqpSequence,
  'amqp:amqp-value:*': Section.amqpValue,
  'amqp:footer:map': Section.footer,
};

export interface RawSection {
  code: number;
  /** The whole section, descriptor included. */
  bytes: Buffer;
  /** Where the section's value starts inside `bytes`. */
  valueStart: number;
}

function descriptorCode(buf: Buffer, pos: number): number {
  const code = buf[pos];
  if (code === 0x53) return buf[pos + 1] as number;
  if (code === 0x80) return Number(buf.readBigUInt64BE(pos + 1) & 0xffffffffn);
  const symbol = readSymbolOrString(buf, pos);
  const known = symbol === undefined ? undefined : symbolicDescriptors[symbol];
  if (known === undefined) throw new AmqpFormatError(`unknown section descriptor at ${pos}`);
  return known;
}

/** Splits an encoded message into its sections (views into `buf`, no copies). */
export function splitSections(buf: Buffer): RawSection[] {
  const sections: RawSection[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] !== 0x00) throw new AmqpFormatError(`expected a described section at ${pos}`);
    const valueStart = skipValue(buf, pos + 1);
    const end = skipValue(buf, valueStart);
    sections.push({ code: descriptorCode(buf, pos + 1), bytes: buf.subarray(pos, end), valueStart: valueStart - pos });
    pos = end;
  }
  return sections;
}

/** Map entries of a map-valued section (annotations, application properties). */
export function sectionMapEntries(section: RawSection): MapEntry[] {
  return readMapEntries(section.bytes, section.valueStart);
}
