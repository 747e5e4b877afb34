import type { DeviceListQuery } from './device-list-query';

/** A parameterised Cosmos SQL query (the shape of @azure/cosmos' SqlQuerySpec). */
export interface SqlQuerySpec {
  query: string;
  parameters: { name: string; value: string | number | boolean | null }[];
}

/**
 * The parameterised query for a device list. Values only ever travel as parameters. Ordered by
 * deviceId so continuation tokens give stable, disjoint pages. (The local Cosmos server has no
 * OFFSET/LIMIT or GROUP BY; this needs neither.)
 */
export function buildDeviceListSql(query: Omit<DeviceListQuery, 'pageSize' | 'continuation'>): SqlQuerySpec {
  const where: string[] = [];
  const parameters: { name: string; value: string | number }[] = [];
  if (query.updatedSince !== undefined) {
    where.push('c.updatedAt >= @updatedSince');
    // Stored times are ISO strings in UTC with ms ("...Z"): compare in the same form.
    parameters.push({ name: '@updatedSince', value: new Date(query.updatedSince).toISOString() });
  }
  if (query.bbox) {
    const { west, south, east, north } = query.bbox;
    where.push('c.position.latitude >= @south AND c.position.latitude <= @north');
    where.push(west <= east ? '(c.position.longitude >= @west AND c.position.longitude <= @east)' : '(c.position.longitude >= @west OR c.position.longitude <= @east)');
    parameters.push({ name: '@south', value: south }, { name: '@north', value: north }, { name: '@west', value: west }, { name: '@east', value: east });
  }
  if (query.batteryBelow !== undefined) {
    where.push('c.battery < @batteryBelow');
    parameters.push({ name: '@batteryBelow', value: query.batteryBelow });
  }
  const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return { query: `SELECT * FROM c${filter} ORDER BY c.deviceId`, parameters };
}
