import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { connectStorage } from '@telemetry/azure-storage-queue';
import { TableParkingStore } from '@telemetry/azure-tables';
import type { DeadLetter } from '@telemetry/contracts';
import { startAzurite, type AzuriteInstance } from '@telemetry/local-services';
import { deadLetterFor } from '@telemetry/reprocessing/testing';
import type { CliIo } from './io';
import { createProgram } from './program';
import { DEFAULTS } from './target';

// What a terminal would obey: C0 but the line feed, DEL, C1 (8-bit CSI/OSC), bidi overrides and isolates.
const OBEYED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const SECRETS = ['Zm9vYmFyYmF6cXV4c2VjcmV0a2V5MTIzNDU2Nzg5MA', 'sig-s3cr3t-value', 'hunter2-password'];

/** A letter as anyone with queue write access may craft it: escape sequences and credentials in its text. */
function hostileLetter(): DeadLetter {
  const letter = deadLetterFor('EVENT_INVALID', Buffer.from('\x1b[2J{"deviceId":"drone-00001"}\n\x1b]52;c;ZWNobyBwd25lZA==\x07second line \u202etxt.exe'), {
    partitionKey: '\x1b]0;pwned title\x07drone\nissue:     FORGED line',
    properties: { note: '\x9b31mred\x1b[0m', conn: `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${SECRETS[0]}=` },
  });
  return {
    ...letter,
    id: `${letter.id}\x1b[8m`,
    deviceId: 'drone\u202e10000-enord',
    issue: { ...letter.issue, message: `bad \x1b[31mvalue\x07 https://acct.blob.core.windows.net/c/b?sv=1&sig=${SECRETS[1]}` },
  };
}

describe('dlq CLI output of hostile letters (Azurite)', () => {
  let azurite: AzuriteInstance;
  let dir: string;
  let stackFile: string;
  const parked = hostileLetter();
  const pendingBase = hostileLetter();
  const pending = { ...pendingBase, issue: { ...pendingBase.issue, code: '\x1b[2JSTORE_TIMEOUT' } } as unknown as DeadLetter;

  beforeAll(async () => {
    azurite = await startAzurite();
    dir = await mkdtemp(path.join(tmpdir(), 'dlq-hostile-'));
    stackFile = path.join(dir, 'stack.json');
    await writeFile(stackFile, JSON.stringify({ storage: { connectionString: azurite.connectionString }, queues: { deadLetter: DEFAULTS.queue } }));
    const { queues, blobs } = connectStorage({ connectionString: azurite.connectionString });
    const container = blobs.getContainerClient(DEFAULTS.claimCheckContainer);
    const queue = queues.getQueueClient(DEFAULTS.queue);
    await Promise.all([queue.create(), container.create()]);
    const parking = new TableParkingStore(TableClient.fromConnectionString(azurite.connectionString, DEFAULTS.parkingTable, { allowInsecureConnection: true }), container);
    await parking.park({ id: parked.id, code: 'EVENT_INVALID', reason: `EVENT_INVALID: \x1b[2J\x07 Password=${SECRETS[2]};`, parkedAt: new Date().toISOString(), attempts: 0, by: 'reprocessor', letter: parked });
    await queue.sendMessage(Buffer.from(JSON.stringify(pending)).toString('base64'));
  });
  afterAll(async () => {
    await Promise.all([azurite?.stop(), dir && rm(dir, { recursive: true, force: true })]);
  });

  async function dlqCli(args: string[]): Promise<{ out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), confirm: async () => false, interactive: false, stderr: process.stderr, fail: () => undefined };
    await createProgram(io, {}).exitOverride().parseAsync(['--stack', stackFile, ...args], { from: 'user' });
    return { out, err };
  }
  const expectInert = (text: string): void => {
    expect(text).not.toMatch(OBEYED);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  };

  it('show: every letter field is printed inert (escapes visible, one line per field), credentials masked', async () => {
    const { out } = await dlqCli(['show', parked.id]);
    expectInert(out);
    expect(out).toContain('key \\x1b]0;pwned title\\x07drone\\x0aissue:     FORGED line');
    expect(out.split('\n').filter((line) => line.startsWith('issue:'))).toHaveLength(1);
    expect(out).toContain('device:    drone\\u202e10000-enord');
    expect(out).toContain('bad \\x1b[31mvalue\\x07');
    // Properties print as JSON, which writes ESC as \u001b itself.
    expect(out).toContain('"note":"\\x9b31mred\\u001b[0m"');
    // The body keeps its own lines; only what a terminal would obey is escaped.
    expect(out).toContain('\\x1b[2J{"deviceId":"drone-00001"}\n\\x1b]52;c;ZWNobyBwd25lZA==\\x07second line \\u202etxt.exe');
    expect(out).toContain('parked:    ');
    expect(out).toContain('\\x1b[2J\\x07 Password=***');
  });

  it('show --json: valid JSON with the same fields, nothing a terminal would obey, credentials masked, the body still replayable', async () => {
    const { out } = await dlqCli(['--json', 'show', parked.id]);
    expectInert(out);
    const shown = JSON.parse(out) as { state: string; parked: { reason: string }; letter: DeadLetter; bodyText: string };
    expect(shown).toMatchObject({ state: 'parked', letter: { id: parked.id, partitionKey: parked.partitionKey, deviceId: parked.deviceId, bodySha256: parked.bodySha256 } });
    expect(shown.letter.body).toBe(parked.body);
    expect(shown.bodyText).toBe(Buffer.from(parked.body!, 'base64').toString('utf8'));
    expect(shown.letter.issue.message).toMatch(/sig=\*\*\*$/);
    expect(shown.parked.reason).toMatch(/Password=\*\*\*;$/);
  });

  it('list, of parked and of pending letters, prints inert lines; --json stays valid and redacted', async () => {
    for (const [state, letter] of [['parked', parked], ['pending', pending]] as const) {
      const human = await dlqCli(['list', '--state', state]);
      expectInert(human.out);
      expect(human.out.trimEnd().split('\n')).toHaveLength(1);
      expect(human.out).toContain(' drone\\u202e10000-enord ');
      const json = await dlqCli(['--json', 'list', '--state', state]);
      expectInert(json.out);
      expect(JSON.parse(json.out)).toMatchObject({ state, items: [{ deviceId: letter.deviceId }] });
    }
    // A parked letter is listed under its row key (an id that is not key-safe is hashed); a queued one by its id.
    const queued = await dlqCli(['list', '--state', 'pending']);
    expect(queued.out).toContain(`${pending.id.slice(0, -4)}\\x1b[8m  \\x1b[2JSTORE_TIMEOUT`);
    expect(JSON.parse((await dlqCli(['--json', 'list', '--state', 'pending'])).out)).toMatchObject({ items: [{ id: pending.id, code: pending.issue.code }] });
    expect((await dlqCli(['list'])).out).toContain('after 0 attempts: EVENT_INVALID: \\x1b[2J\\x07 Password=***;');
  });

  it('stats and redrive --dry-run print letter codes and ids inert', async () => {
    expectInert((await dlqCli(['stats'])).out);
    const dry = await dlqCli(['--dry-run', 'redrive', '--from', 'pending']);
    expectInert(dry.out);
    expect(dry.out).toContain(`would redrive ${pending.id.slice(0, -4)}\\x1b[8m (pending -> reprocessor)`);
  });
});
