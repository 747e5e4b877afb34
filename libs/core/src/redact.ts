// Credentials that must never reach a log line or a dead letter, in every format the product issues
// or consumes: storage and Cosmos account keys, Event Hubs shared access keys and SAS tokens, SAS
// `sig`, Functions host/function/master keys (base64 in Azure, base64url from the local host),
// approval tokens (`v1.<claims>.<mac>`), JWTs (Entra ID bearer tokens) and connection strings.
// The one redactor for the product's loggers and the local host's. Labelled forms keep their label
// and lose their value; bare forms are recognised by shape (see BARE_*).

const MASK = '***';

/** A value up to the next separator of connection strings, queries, headers, JSON or prose. */
const VALUE = String.raw`[^;&\s"'<>,#)\]}]+`;

// `name=value` pairs of connection strings and URLs. Not preceded by a name character, so
// `code=` is caught bare, after `?`/`&`, after a space or a quote; `errorcode=` is not a credential.
const LABELLED_PAIR = new RegExp(
  String.raw`(?<![A-Za-z0-9_])((?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret|client_secret|sig|code|token|access_token|refresh_token|id_token|api[_-]?key|x-functions-key)\s*=\s*)${VALUE}`,
  'gi',
);
// Headers and header-like `name: value` / `"name": "value"` text.
const HEADER = new RegExp(
  String.raw`((?:x-functions-key|authorization|proxy-authorization|ocp-apim-subscription-key)"?\s*[:=]\s*"?(?:(?:Bearer|Basic|SharedAccessSignature)\s+)?)[^\s"',;]+`,
  'gi',
);
const SCHEME_TOKEN = /((?:Bearer|SharedAccessSignature)\s+)[^\s"';,]+/gi;
// JSON text: a string value under a credential-named property.
const JSON_FIELD = /("(?:[A-Za-z0-9_-]*(?:secret|password|pwd|token|signature|connectionstring|credential|authorization)|[A-Za-z0-9_-]*(?:master|function|account|access|api|shared|host|system|signing|sas|primary|secondary|private)[_-]?key|key|sig|x-functions-key)"\s*:\s*")(?:[^"\\]|\\.)*"/gi;
// JWT (header and payload are base64url JSON, so both start `eyJ`) and approval tokens
// (`v1.<base64url JSON claims>.<base64url HMAC>`, libs/breaker-rules approval-token.ts).
const JWT = /eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const APPROVAL_TOKEN = /v1\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+/g;
// Bare padded base64 (also URL-encoded): Azure issues keys as padded base64 (storage and Cosmos
// account keys 88 chars, Event Hubs keys 44, function keys 56), and padding rarely ends prose.
const BARE_PADDED = /(?:[A-Za-z0-9+/]|%2[BF]){20,}(?:=|%3D){1,2}(?![A-Za-z0-9+/=%])/gi;
// Bare unpadded base64url runs of 32+ characters mixing upper and lower case: the local host's
// keys (randomBytes(24|30).toString('base64url'), with `-` and `_`). Hex digests, GUIDs and
// kebab-case ids are single-case, so they stay.
const BARE_RUN = /[A-Za-z0-9_-]{32,}/g;

const maskBareRun = (run: string): string => (/[A-Z]/.test(run) && /[a-z]/.test(run) ? MASK : run);

/** Replaces anything that looks like a credential with `***` (labels such as `AccountKey=` stay). */
export function redactSecrets(text: string): string {
  return text
    .replace(JWT, MASK)
    .replace(APPROVAL_TOKEN, MASK)
    .replace(SCHEME_TOKEN, `$1${MASK}`)
    .replace(HEADER, `$1${MASK}`)
    .replace(LABELLED_PAIR, `$1${MASK}`)
    .replace(JSON_FIELD, `$1${MASK}"`)
    .replace(BARE_PADDED, MASK)
    .replace(BARE_RUN, maskBareRun);
}

const SECRET_KEY = /(key|token|secret|password|pwd|signature|sas|connectionstring|authorization|credential)/i;

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
 * `redactSecrets`, string values under credential-named properties masked whole, arrays and plain
 * objects walked (depth-limited, cycles cut), everything else kept.
 */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[omitted]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  if (value instanceof Error) return { name: value.name, message: redactSecrets(value.message) };
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    out[name] = typeof item === 'string' && isCredentialField(name) ? MASK : redactValue(item, depth + 1, seen);
  }
  return out;
}
