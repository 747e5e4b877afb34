export interface BashStep {
  /** The step's script, dedented, as the agent runs it with bash. */
  script: string;
  /** The step's `env:` mapping, values as written (pipeline macros unexpanded). */
  env: Record<string, string>;
}

const indentOf = (line: string): number => line.match(/^ */)?.[0].length ?? 0;

/**
 * The `- bash: |` step of azure-pipelines.yml whose `name:` is `name`, read line by line (no YAML
 * dependency, as pipeline-apps.ts): the block scalar after `bash: |`, then the step's `env:` keys.
 */
export function bashStep(yaml: string, name: string): BashStep {
  const lines = yaml.split('\n');
  const nameAt = lines.findIndex((l) => new RegExp(`^\\s+name:\\s*${name}\\s*$`).test(l));
  if (nameAt < 0) throw new Error(`azure-pipelines.yml: no step named ${name}`);
  const keyIndent = indentOf(lines[nameAt]!);
  let start = nameAt - 1;
  while (start >= 0 && !(indentOf(lines[start]!) === keyIndent - 2 && /^\s*-\s+bash:\s*\|\s*$/.test(lines[start]!))) start -= 1;
  if (start < 0) throw new Error(`azure-pipelines.yml: step ${name} is not a "- bash: |" step`);
  const body: string[] = [];
  for (let i = start + 1; i < nameAt; i += 1) {
    const line = lines[i]!;
    if (line.trim() !== '' && indentOf(line) <= keyIndent) break;
    body.push(line);
  }
  const scriptIndent = Math.min(...body.filter((l) => l.trim() !== '').map(indentOf));
  const script = body.map((l) => l.slice(scriptIndent)).join('\n').trimEnd() + '\n';

  const env: Record<string, string> = {};
  let i = nameAt + 1;
  while (i < lines.length && indentOf(lines[i]!) === keyIndent && !/^\s*env:\s*$/.test(lines[i]!)) i += 1;
  if (i < lines.length && /^\s*env:\s*$/.test(lines[i]!)) {
    for (i += 1; i < lines.length && indentOf(lines[i]!) > keyIndent; i += 1) {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_]*):\s*(.*?)\s*(?:#.*)?$/.exec(lines[i]!);
      if (m) env[m[1]!] = m[2]!;
    }
  }
  return { script, env };
}
