import { readFile } from 'node:fs/promises';

export interface PipelineApp {
  name: string;
  /** functionapp: zip-deployed to its function app; static: uploaded to the static website. */
  kind: string;
}

/**
 * Reads the `apps` parameter of azure-pipelines.yml: a list of `- name: <nx project>` entries,
 * each followed by `kind: <functionapp|static>`. Line-based on purpose (no YAML dependency):
 * the file keeps that block in this exact shape.
 */
export function parsePipelineApps(yaml: string): PipelineApp[] {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => /^\s*-\s*name:\s*apps\s*$/.test(l));
  if (start < 0) throw new Error('azure-pipelines.yml: no "- name: apps" parameter');
  const defaultAt = lines.findIndex((l, i) => i > start && /^\s*default:\s*$/.test(l));
  if (defaultAt < 0) throw new Error('azure-pipelines.yml: the apps parameter has no "default:" list');
  const indent = (lines[defaultAt]!.match(/^\s*/)?.[0].length ?? 0) + 1;
  const apps: PipelineApp[] = [];
  for (let i = defaultAt + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if ((line.match(/^\s*/)?.[0].length ?? 0) < indent) break;
    const name = /^\s*-\s*name:\s*([\w-]+)\s*$/.exec(line);
    if (name) {
      apps.push({ name: name[1]!, kind: '' });
      continue;
    }
    const kind = /^\s*kind:\s*([\w-]+)\s*$/.exec(line);
    const last = apps.at(-1);
    if (kind && last && last.kind === '') last.kind = kind[1]!;
    else throw new Error(`azure-pipelines.yml line ${i + 1}: unexpected in the apps list: ${line.trim()}`);
  }
  return apps;
}

export async function readPipelineApps(file: string): Promise<PipelineApp[]> {
  return parsePipelineApps(await readFile(file, 'utf8'));
}
