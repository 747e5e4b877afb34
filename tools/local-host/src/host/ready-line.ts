import type { FunctionInfo } from '../admin/host-control';

/** The CLI's first stdout line (one JSON object); orchestrators parse it. */
export interface ReadyLine {
  ready: true;
  baseUrl: string;
  pid: number;
  functions: FunctionInfo[];
  /** Local keys (generated unless given): the master key passes `/admin/*` and every authLevel. */
  masterKey: string;
  functionKey: string;
}

export const READY_LINE_PATTERN = /^\{"ready":true/;

export function parseReadyLine(line: string): ReadyLine {
  return JSON.parse(line) as ReadyLine;
}
