// Credentials that must never reach a log line or a dead letter, in every format the product issues
// or consumes: storage and Cosmos account keys, Event Hubs shared access keys and SAS tokens, SAS
// `sig`, Functions host/function/master keys (base64 in Azure, base64url from the local host),
// approval tokens (`v1.<claims>.<mac>`), JWTs (Entra ID bearer tokens) and connection strings.
// The one redactor for the product's loggers and the local host's. Labelled forms keep their label
// and lose their value; bare forms are recognised by shape (see BARE_*).

const MASK = '***';

/** A value up to the next separator of connection strings, queries, headers, JSON or prose, or a quoted one (`Password="a;b"`). */
const VALUE = String.raw`(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^;&\s"'<>,#)\]}]+)`;

// `name=value` pairs of connection strings and URLs. Not preceded by a name character, so
// `code=` is caught bare, after `?`/`&`, after a space or a quote; `errorcode=` is not a credential.
const LABELLED_PAIR = new RegExp(
  String.raw`(?<![A-Za-z0-9_])((?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret|client_secret|sig|code|token|access_token|refresh_token|id_token|api[_-]?key|x-functions-key)\s*=\s*)${VALUE}`,
  'gi',
);
// Headers and header-like `name: value` / `"name": "value"` text.
const HEADER = new RegExp(
  String.raw`((?:x-functions-key|authorization|proxy-authorization|ocp-apim-subscription-key)"?\s*[:=]\s*"?(?:(?:Bearer|Basic|SharedAccessSignature|SharedKey|SharedKeyLite)\s+)?)[^\s"',;]+`,
  'gi',
);
// Bearer tokens, SAS tokens, and Storage's Shared Key authorization (`SharedKey account:signature`).
const SCHEME_TOKEN = /((?:Bearer|SharedAccessSignature|SharedKey|SharedKeyLite)\s+)[^\s"';,]+/gi;
// JSON text: a string value under a credential-named property.
const JSON_FIELD = /("(?:[A-Za-z0-9_-]*(?:secret|password|pwd|token|signature|connectionstring|credential|authorization)|[A-Za-z0-9_-]*(?:master|function|account|access|api|shared|host|system|signing|sas|primary|secondary|private)[_-]?key|key|sig|x-functions-key)"\s*:\s*")(?:[^"\\]|\\.)*"/gi;
// Every pattern that scans a run of characters starts only where that run starts (a lookbehind for
// the run's own characters): otherwise each position inside a long run would start a scan to its
// end, and a hostile 200 KB property would take minutes (quadratic), stalling its partition.
// JWT (header and payload are base64url JSON, so both start `eyJ`) and approval tokens
// (`v1.<base64url JSON claims>.<base64url HMAC>`, libs/breaker-rules approval-token.ts).
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const APPROVAL_TOKEN = /(?<![A-Za-z0-9_-])v1\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+/g;
// Bare padded base64 (also URL-encoded): Azure issues keys as padded base64 (storage and Cosmos
// account keys 88 chars, Event Hubs keys 44, function keys 56), and padding rarely ends prose.
const BARE_PADDED = /(?<![A-Za-z0-9+/%])(?:[A-Za-z0-9+/]|%2[BF]){20,}(?:=|%3D){1,2}(?![A-Za-z0-9+/=%])/gi;
// Bare unpadded base64url runs of 32+ characters mixing upper and lower case: the local host's
// keys (randomBytes(24|30).toString('base64url'), with `-` and `_`). Hex digests, GUIDs and
// kebab-case ids are single-case, so they stay.
const BARE_RUN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}/g;

const maskBareRun = (run: string): string => (/[A-Z]/.test(run) && /[a-z]/.test(run) ? MASK : run);

// The password of a URL's user info (`amqps://user:password@host`, `https://ops:pw@host/...`).
const URL_USER_INFO = /((?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:"'<>]*:)[^\s/?#@"'<>]+@/g;
// HTTP Basic credentials: `Basic <base64 of user:password>` (prose such as "Basic tier" stays).
const BASIC = /(\bBasic\s+)([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/g;
const maskBasic = (all: string, label: string, token: string): string => {
  const decoded = Buffer.from(token, 'base64').toString('latin1');
  return decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded) ? `${label}${MASK}` : all;
};

/**
 * The patterns that name what they mask (a label, a scheme or a token's own structure), never bare
 * base64: for text that must otherwise stay as it is, such as a dead letter's partition key, which
 * a redrive sends again.
 */
export function redactLabelledText(text: string): string {
  return text
    .replace(JWT, MASK)
    .replace(APPROVAL_TOKEN, MASK)
    .replace(SCHEME_TOKEN, `$1${MASK}`)
    .replace(BASIC, maskBasic)
    .replace(HEADER, `$1${MASK}`)
    .replace(URL_USER_INFO, `$1${MASK}@`)
    .replace(LABELLED_PAIR, `$1${MASK}`)
    .replace(JSON_FIELD, `$1${MASK}"`);
}

function redactPlain(text: string): string {
  return redactLabelledText(text).replace(BARE_PADDED, MASK).replace(BARE_RUN, maskBareRun);
}

// Encodings that hide the separators the patterns read: percent-encoding (a connection string or
// a SAS URL passed as a query parameter, once or twice) and JSON's \u escapes.
const ENCODED = /%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}/;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const JSON_ESCAPE = /\\u([0-9A-Fa-f]{4})/g;
const MAX_DECODINGS = 3;

function decodeOnce(text: string): string {
  return text
    .replace(JSON_ESCAPE, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(PERCENT_RUN, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return Buffer.from(run.replace(/%/g, ''), 'hex').toString('latin1');
      }
    });
}

/**
 * Replaces anything that looks like a credential with `***` (labels such as `AccountKey=` stay).
 * A text that hides one under percent-encoding or \u escapes (up to three layers) comes back
 * decoded, with the credential masked; one that hides nothing keeps its encoding.
 */
export function redactSecrets(text: string): string {
  let out = redactPlain(text);
  let current = out;
  for (let i = 0; i < MAX_DECODINGS && ENCODED.test(current); i++) {
    const decoded = decodeOnce(current);
    if (decoded === current) break;
    const redacted = redactPlain(decoded);
    if (redacted !== decoded) out = redacted;
    current = redacted;
  }
  return out;
}

// A run of characters an encoding keeps together (no white space, quotes, brackets or the
// separators of JSON and connection strings): what may hide a labelled credential when decoded.
const ENCODED_TOKEN = /[^\s"'<>{}[\](),;]{16,}/g;
const BASE64_TOKEN = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
const HEX_TOKEN = /^(?:[0-9A-Fa-f]{2}){8,}$/;
const PRINTABLE = /^[\x20-\x7e\t\r\n]*$/;

const hidesLabelledCredential = (text: string): boolean => redactLabelledText(text) !== text;

/** True when `token` decodes (percent-encoding or \u escapes up to three layers, base64, hex) to text with a labelled credential. */
function encodedCredential(token: string): boolean {
  if (ENCODED.test(token)) {
    let current = token;
    for (let i = 0; i < MAX_DECODINGS; i++) {
      const decoded = decodeOnce(current);
      if (decoded === current) break;
      if (hidesLabelledCredential(decoded)) return true;
      current = decoded;
    }
  }
  for (const [shape, encoding] of [[BASE64_TOKEN, 'base64'], [HEX_TOKEN, 'hex']] as const) {
    if (!shape.test(token)) continue;
    const decoded = Buffer.from(token, encoding).toString('latin1');
    if (PRINTABLE.test(decoded) && (hidesLabelledCredential(decoded) || (ENCODED.test(decoded) && encodedCredential(decoded)))) return true;
  }
  return false;
}

/**
 * For bytes that must otherwise stay as they are (a dead letter's body and binary properties,
 * kept for replay): masks what a label, scheme or structure marks as a credential (connection
 * string keys, SAS `sig`, bearer and basic credentials, JWTs, approval tokens, URL passwords),
 * any run that hides one under percent-encoding, \u escapes, base64 or hex (the whole run is
 * masked), and bare padded base64 (Azure's account, Cosmos and Event Hubs keys). It leaves bare
 * unpadded runs, which device ids and payloads carry legitimately: no telemetry field the store
 * keeps can hold `=`, so a replayed body applies the same state. Returns the same Buffer when
 * there is nothing to mask.
 */
export function redactBodyBytes(bytes: Buffer): Buffer {
  // A JSON body must stay JSON, or a replay cannot decode a letter whose telemetry was fine: a
  // mask can cut an escape (`"build\/AAAA...=="` -> `"build\***"`), and JSON escapes hide what a
  // string holds (`\\u003d`). So a JSON body is masked inside its strings (names and values) and
  // written again when something was masked; anything else byte for byte.
  const json = jsonMasked(bytes);
  if (json !== undefined) return json;
  // latin1 maps every byte to one character and back, so whatever is not masked is kept exactly.
  const text = bytes.toString('latin1');
  const redacted = maskBodyText(text);
  return redacted === text ? bytes : Buffer.from(redacted, 'latin1');
}

// Bare padded base64 as a body may write it: JSON writers may escape `/` as `\/`, so the pair is
// part of a run, and a run never starts right after a backslash.
const BODY_BARE_PADDED = /(?<![A-Za-z0-9+/%\\])(?:[A-Za-z0-9+]|\\?\/|%2[BF]){20,}(?:=|%3D){1,2}(?![A-Za-z0-9+/=%])/gi;

function maskBodyText(text: string): string {
  return redactLabelledText(text)
    .replace(ENCODED_TOKEN, (token) => (encodedCredential(token) ? MASK : token))
    .replace(BODY_BARE_PADDED, MASK);
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A JSON body with every string (name or value) masked: the same Buffer when nothing was, the
 * body written again when something was; undefined when it is not JSON text (valid UTF-8).
 */
function jsonMasked(bytes: Buffer): Buffer | undefined {
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const body = bom ? bytes.subarray(3) : bytes;
  const text = body.toString('utf8');
  if (!/^\s*[[{"]/.test(text) || !Buffer.from(text, 'utf8').equals(body)) return undefined;
  try {
    const changed = { any: false };
    const masked = maskJson(JSON.parse(text) as unknown, changed);
    if (!changed.any) return bytes;
    return Buffer.concat([bom ? UTF8_BOM : Buffer.alloc(0), Buffer.from(JSON.stringify(masked), 'utf8')]);
  } catch {
    return undefined; // not JSON, or nested past the stack
  }
}

function maskJson(value: unknown, changed: { any: boolean }): unknown {
  const mask = (text: string): string => {
    const out = maskBodyText(text);
    if (out !== text) changed.any = true;
    return out;
  };
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((item) => maskJson(item, changed));
  if (typeof value !== 'object' || value === null) return value;
  // No prototype: a `__proto__` name stays an ordinary name, as JSON.parse made it.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [name, item] of Object.entries(value)) out[mask(name)] = maskJson(item, changed);
  return out;
}

/** For text sent again as it is (a dead letter's partition key): redactBodyBytes' rules. */
export function redactBodyText(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const redacted = redactBodyBytes(bytes);
  return redacted === bytes ? text : redacted.toString('utf8');
}

const SECRET_KEY = /(key|token|secret|password|pwd|signature|sas|connectionstring|authorization|credential|cookie|^sig$|^auth$)/i;

/** True when a property name suggests its value is a credential (broad: app settings, dead-letter properties). */
export function isSecretName(name: string): boolean {
  return SECRET_KEY.test(name);
}

// Narrower than isSecretName for log fields, whose names are the product's own: `partitionKey`,
// `errorCode` or `keyName` are not credentials; `masterKey`, `functionKey`, `accountKey` are.
const CREDENTIAL_FIELD = /^(?:.*(?:secret|password|passwd|pwd|token|signature|connectionstring|credential|authorization)s?|.*(?:master|function|account|access|api|shared|host|system|signing|sas|primary|secondary|private)[-_]?key|key|sig|x-functions-key|cookie)$/i;

/** True when a log field of this name holds a credential whatever its value looks like. */
export function isCredentialField(name: string): boolean {
  return CREDENTIAL_FIELD.test(name);
}

/**
 * Deep redaction of structured values (log fields, error contexts): strings through
 * `redactSecrets`, any value under a credential-named property masked whole, arrays, plain
 * objects, Maps and Sets walked (depth-limited, cycles cut), class instances as JSON would write
 * them (`toJSON`, else their own properties: a URL, a Date, an SDK object), bytes by their length
 * only, bigints as text (JSON cannot hold them).
 */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[omitted]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  if (value instanceof Error) return { name: value.name, message: redactSecrets(value.message) };
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (value instanceof Map) return redactValue(Object.fromEntries([...value].map(([k, v]) => [String(k), v])), depth + 1, seen);
  if (value instanceof Set) return redactValue([...value], depth + 1, seen);
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    return redactValue(typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : { ...value }, depth + 1, seen);
  }
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    out[name] = item !== null && item !== undefined && isCredentialField(name) ? MASK : redactValue(item, depth + 1, seen);
  }
  return out;
}
