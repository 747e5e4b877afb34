import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_ROOT } from './build-apps';

/** What a spec would call to assemble a stack of its own instead of using this tool's steps. */
const OWN_STACK = [/\bspawnHost\(/, /\bspawnEmulator\(/, /\bstart(Azurite|CosmosServer|FaultProxy)\(/, /bundle-app\.mjs|\bbundleFunctionApp\(|\bbuildAppCopy\(/, /\bstartWebhookSink\(/, /globalThis/];

describe('end-to-end specs', () => {
  const specs = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*e2e*.spec.ts', '*end-to-end*.spec.ts'], { cwd: WORKSPACE_ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.startsWith('apps/'));

  it('exist', () => {
    expect(specs.length).toBeGreaterThanOrEqual(3);
  });

  it('start their stack through tools/local-stack (services, provisioning, bundles, hosts, webhook sink), not pieces of their own', () => {
    const offenders = specs.flatMap((file) => {
      const text = readFileSync(path.join(WORKSPACE_ROOT, file), 'utf8');
      const own = OWN_STACK.filter((p) => p.test(text)).map((p) => `${file}: ${p.source}`);
      return text.includes('startLocalStack(') ? own : [`${file}: no startLocalStack`, ...own];
    });
    expect(offenders).toEqual([]);
  });
});
