import { getHeapStatistics } from 'node:v8';

/** Where the host process's memory is, in MB (what to look at when RSS grows). */
export interface HostMemory {
  /** Resident set size of the whole process. */
  rssMb: number;
  /** Peak resident set size since the process started (getrusage ru_maxrss): what an instance's memory limit is measured against. */
  maxRssMb: number;
  /** V8 heap: reserved, in use, and the old-space ceiling (`--max-old-space-size` or V8's default from system memory). */
  heapTotalMb: number;
  heapUsedMb: number;
  heapLimitMb: number;
  /** Memory held by C++ objects bound to JS ones, array buffers (Buffers: event bodies, sockets) included. */
  externalMb: number;
  arrayBuffersMb: number;
}

const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;

export function hostMemory(): HostMemory {
  const usage = process.memoryUsage();
  return {
    rssMb: mb(usage.rss),
    // resourceUsage().maxRSS is in KiB.
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
    heapTotalMb: mb(usage.heapTotal),
    heapUsedMb: mb(usage.heapUsed),
    heapLimitMb: mb(getHeapStatistics().heap_size_limit),
    externalMb: mb(usage.external),
    arrayBuffersMb: mb(usage.arrayBuffers),
  };
}
