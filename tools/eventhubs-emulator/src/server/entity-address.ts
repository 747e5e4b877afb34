/** What a link address names, after the host part (if any) is stripped. */
export type EntityAddress =
  | { kind: 'cbs' }
  | { kind: 'management' }
  | { kind: 'hub'; hub: string }
  | { kind: 'partition'; hub: string; partition: string }
  | { kind: 'consumer'; hub: string; consumerGroup: string; partition: string }
  | { kind: 'other'; path: string };

/** Parses `HUB`, `HUB/Partitions/N`, `HUB/ConsumerGroups/CG/Partitions/N`, `$cbs`, `$management` (optionally as `amqp://host/...`). */
export function parseEntityAddress(address: string | undefined): EntityAddress {
  let path = address ?? '';
  const scheme = /^(amqps?|sb):\/\/[^/]*\//i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  path = path.replace(/^\/+/, '');
  if (path === '$cbs') return { kind: 'cbs' };
  const parts = path.split('/').map((p) => decodeURIComponent(p));
  const [hub = '', a, b, c, d] = parts;
  if (parts.length === 2 && a === '$management') return { kind: 'management' };
  if (path === '$management') return { kind: 'management' };
  if (parts.length === 1 && hub) return { kind: 'hub', hub };
  if (parts.length === 3 && a?.toLowerCase() === 'partitions' && b) return { kind: 'partition', hub, partition: b };
  if (parts.length === 5 && a?.toLowerCase() === 'consumergroups' && b && c?.toLowerCase() === 'partitions' && d) {
    return { kind: 'consumer', hub, consumerGroup: b, partition: d };
  }
  return { kind: 'other', path };
}
