import { createHmac, timingSafeEqual } from 'node:crypto';

/** The claims a rule grants; Manage includes Send and Listen (as on the service). */
export type SasRight = 'Manage' | 'Send' | 'Listen';

/** A shared access authorization rule: its name, its keys (the service gives each rule a primary and a secondary key) and its rights. */
export interface SasRule {
  keyName: string;
  key: string;
  secondaryKey?: string;
  /** Default: Manage (RootManageSharedAccessKey's rights). */
  rights?: readonly SasRight[];
}

/** The rights a rule grants, Manage expanded. */
export function rightsOf(rule: Pick<SasRule, 'rights'>): SasRight[] {
  const rights = rule.rights ?? ['Manage'];
  return rights.includes('Manage') ? ['Manage', 'Send', 'Listen'] : [...new Set(rights)];
}

export type SasCheck =
  | { ok: true; keyName: string; resource: string; rights: SasRight[] }
  | { ok: false; reason: 'malformed' | 'unknown-key-name' | 'bad-signature' | 'expired' };

/**
 * Checks a `SharedAccessSignature sr=..&sig=..&se=..&skn=..` token the way the service does:
 * the rule named by `skn`, HMAC-SHA256 with one of its keys (as its UTF-8 string, like the SDK
 * signs) over `<url-encoded sr>\n<se>`, and `se` (seconds since epoch) not in the past. On success
 * returns the decoded resource URI (`sr`), which the caller must check covers the entity accessed.
 */
export function checkSasToken(token: string, rules: SasRule | readonly SasRule[], nowMs = Date.now()): SasCheck {
  const prefix = 'SharedAccessSignature ';
  if (!token.startsWith(prefix)) return { ok: false, reason: 'malformed' };
  const fields = new Map<string, string>();
  for (const part of token.slice(prefix.length).split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  const skn = fields.get('skn');
  if (!sr || !sig || !se || !skn || !/^\d+$/.test(se)) return { ok: false, reason: 'malformed' };
  let keyName: string;
  let resource: string;
  let given: Buffer;
  try {
    keyName = decodeURIComponent(skn);
    resource = decodeURIComponent(sr);
    given = Buffer.from(decodeURIComponent(sig), 'base64');
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const rule = ([] as SasRule[]).concat(rules).find((r) => r.keyName === keyName);
  if (!rule) return { ok: false, reason: 'unknown-key-name' };
  const keys = [rule.key, ...(rule.secondaryKey ? [rule.secondaryKey] : [])];
  const signedWithRuleKey = keys.some((key) => {
    const expected = createHmac('sha256', key).update(`${sr}\n${se}`).digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!signedWithRuleKey) return { ok: false, reason: 'bad-signature' };
  if (Number(se) * 1000 < nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, keyName, resource, rights: rightsOf(rule) };
}
