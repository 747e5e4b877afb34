import { findContractRedeclarations, workspaceSources } from './contract-owners';
import { WORKSPACE_ROOT } from './workspace';

describe('one owner per cross-app contract (libs/contracts)', () => {
  it('no breaker status shape, dead-letter schema or default resource name is declared anywhere else', async () => {
    const found = findContractRedeclarations(await workspaceSources(WORKSPACE_ROOT));
    expect(found.map((f) => `${f.path}:${f.line} ${f.contract}: ${f.found}`)).toEqual([]);
  });

  // The check bites: each of these re-declares a contract the way the tree once did.
  it.each([
    ['breaker status', "const statusSchema = z.looseObject({ status: z.string(), approval: z.looseObject({ approveUrl: z.string() }).optional() });"],
    ['breaker status', 'export interface BreakerStatus { state: string; since: string | null }'],
    ['breaker status', 'type Status = BreakerState & { approval?: { approveUrl: string } };'],
    ['dead-letter schema', "const schemaId = 'telemetry-dead-letter/v1';"],
    ['dead-letter schema', 'export const DEAD_LETTER_SCHEMA = SCHEMA_ID;'],
    ['dead-letter schema', 'export interface DeadLetter { schema: string; id: string }'],
    ['resource name', "DEAD_LETTER_QUEUE: z.string().min(3).default('telemetry-deadletter'),"],
    ['resource name', 'const CHECKPOINT_CONTAINER = "azure-webjobs-eventhub";'],
    ['resource name', "PARKING_TABLE: z.string().default(`deadletterparking`),"],
  ])('flags a %s re-declared outside libs/contracts', (contract, line) => {
    expect(findContractRedeclarations([{ path: 'apps/example/src/example.ts', text: `// fixture\n${line}\n` }])).toEqual([
      expect.objectContaining({ path: 'apps/example/src/example.ts', line: 2, contract }),
    ]);
    expect(findContractRedeclarations([{ path: 'libs/contracts/src/example.ts', text: line }])).toEqual([]);
  });

  it('reads are not declarations', () => {
    const reads = [
      "import { RESOURCE_NAMES, type DeadLetter } from '@telemetry/contracts';",
      'const url = report.approval?.approveUrl;',
      "res.end(JSON.stringify({ status: 'open', approval: { expiresAt, approveUrl: link } }));",
      'export interface BreakerStatusSource { current(): Promise<BreakerReading> }',
      "queue: RESOURCE_NAMES.deadLetterQueue, name: 'telemetry-deadletter-2'",
      "const letters: DeadLetter[] = [];",
    ];
    expect(findContractRedeclarations([{ path: 'apps/example/src/example.ts', text: reads.join('\n') }])).toEqual([]);
  });
});
