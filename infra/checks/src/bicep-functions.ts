/**
 * Bicep's built-in functions (namespaces `sys` and `az`), from the Bicep functions reference:
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions
 * A call to any other name must be a user-defined function (`func`) or an import.
 */
export const BICEP_FUNCTIONS: ReadonlySet<string> = new Set([
  // any, arrays, objects, lambdas
  'any', 'array', 'concat', 'contains', 'empty', 'filter', 'first', 'flatten', 'groupBy', 'indexOf', 'intersection',
  'items', 'join', 'last', 'lastIndexOf', 'length', 'map', 'mapValue', 'max', 'min', 'range', 'reduce', 'shallowMerge',
  'skip', 'sort', 'take', 'toObject', 'tryGet', 'union', 'objectKeys', 'json',
  // dates
  'dateTimeAdd', 'dateTimeFromEpoch', 'dateTimeToEpoch', 'utcNow',
  // deployment, files, environment
  'deployer', 'deployment', 'environment', 'loadFileAsBase64', 'loadJsonContent', 'loadYamlContent', 'loadTextContent',
  'readEnvironmentVariable', 'externalInput', 'fail',
  // logical and numeric
  'bool', 'int',
  // resources and scopes
  'extensionResourceId', 'getSecret', 'listAccountSas', 'listKeys', 'listSecrets', 'managementGroupResourceId', 'pickZones',
  'providers', 'reference', 'resourceId', 'subscriptionResourceId', 'tenantResourceId',
  'managementGroup', 'resourceGroup', 'subscription', 'tenant',
  // strings
  'base64', 'base64ToJson', 'base64ToString', 'dataUri', 'dataUriToString', 'endsWith', 'format', 'guid', 'newGuid',
  'padLeft', 'replace', 'split', 'startsWith', 'string', 'substring', 'toLower', 'toUpper', 'trim', 'uniqueString', 'uri',
  'uriComponent', 'uriComponentToString', 'buildUri', 'parseUri',
  // CIDR
  'parseCidr', 'cidrSubnet', 'cidrHost',
]);

/** Decorators Bicep defines (`@description(...)` and friends). */
export const BICEP_DECORATORS: ReadonlySet<string> = new Set([
  'allowed', 'batchSize', 'description', 'discriminator', 'export', 'maxLength', 'maxValue', 'metadata', 'minLength',
  'minValue', 'sealed', 'secure', 'onlyIfNotExists',
]);
