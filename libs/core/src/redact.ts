// Secrets that must never reach a log line or a dead letter: account keys, SAS signatures,
// shared access keys, bearer tokens. Each pattern keeps its first group and masks the rest.
const SECRET_PATTERNS: RegExp[] = [
  /((?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret)=)[^;\s"']+/gi,
  /([?&](?:sig|skoid|sktid|code|token)=)[^&\s"']+/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /(SharedAccessSignature\s+)[^\s"']+/gi,
  /("?(?:key|masterKey|authorization)"?\s*[:=]\s*"?)[A-Za-z0-9+/=]{20,}/gi,
];

/** Replaces anything that looks like a credential with `***`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '$1***');
  return out;
}

const SECRET_KEY = /(key|token|secret|password|pwd|signature|sas|connectionstring|authorization|credential)/i;

/** True when a property name suggests its value is a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_KEY.test(name);
}
