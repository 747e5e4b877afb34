import type { TableClient } from '@azure/data-tables';

export interface ParkedCount {
  table: string;
  /** Entities in the parking table, counted up to `cap`. */
  count: number;
  /** True when counting stopped at the cap (the real count is higher). */
  capped: boolean;
}

/**
 * Counts parked dead letters (the reprocessor's parking table, one entity per parked letter).
 * Table storage has no count operation: entities are listed keys-only, up to a cap.
 */
export class ParkedCountSource {
  constructor(
    private readonly table: TableClient,
    private readonly cap = 10_000,
  ) {}

  async read(signal?: AbortSignal): Promise<ParkedCount> {
    let count = 0;
    try {
      const pages = this.table.listEntities({ queryOptions: { select: ['PartitionKey'] }, abortSignal: signal }).byPage({ maxPageSize: 1000 });
      for await (const page of pages) {
        count += page.length;
        if (count >= this.cap) return { table: this.table.tableName, count: this.cap, capped: true };
      }
    } catch (error) {
      // No table yet: the reprocessor has parked nothing.
      if ((error as { statusCode?: number }).statusCode === 404) return { table: this.table.tableName, count: 0, capped: false };
      throw error;
    }
    return { table: this.table.tableName, count, capped: false };
  }
}
