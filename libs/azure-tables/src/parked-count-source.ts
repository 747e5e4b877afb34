import type { TableClient } from '@azure/data-tables';
import type { ParkedTally } from '@telemetry/contracts';

/**
 * Counts parked dead letters (the reprocessor's parking table `PARKING_TABLE`, default
 * RESOURCE_NAMES.parkingTable: PartitionKey = issue code, RowKey = dead-letter id).
 * Table storage has no count operation: entities are listed keys-only, up to a cap.
 */
export class ParkedCountSource {
  constructor(
    private readonly table: TableClient,
    private readonly cap = 10_000,
  ) {}

  async read(signal?: AbortSignal): Promise<ParkedTally> {
    let count = 0;
    const byCode: Record<string, number> = {};
    const table = this.table.tableName;
    try {
      const pages = this.table.listEntities({ queryOptions: { select: ['PartitionKey'] }, abortSignal: signal }).byPage({ maxPageSize: 1000 });
      for await (const page of pages) {
        for (const entity of page) {
          if (count >= this.cap) return { table, count, capped: true, byCode };
          const code = entity.partitionKey ?? 'UNKNOWN';
          byCode[code] = (byCode[code] ?? 0) + 1;
          count++;
        }
      }
    } catch (error) {
      // No table yet: the reprocessor has parked nothing.
      if ((error as { statusCode?: number }).statusCode === 404) return { table, count: 0, capped: false, byCode: {} };
      throw error;
    }
    return { table, count, capped: false, byCode };
  }
}
