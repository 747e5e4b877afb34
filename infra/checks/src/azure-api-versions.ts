import { at } from './bicep-parser';
import { allResources, type BicepFile } from './bicep-file';

const TEMPLATES = 'https://learn.microsoft.com/azure/templates';

export interface PublishedType {
  /** API versions Azure publishes for the type (those this repo may pin; extend from the page). */
  versions: readonly string[];
  /** The Azure resource reference page that lists them. */
  source: string;
}

/**
 * Resource types and API versions Azure publishes, as listed by the Azure resource reference
 * (learn.microsoft.com/azure/templates/<provider>/<version>/<type>, whose "API versions" menu
 * lists every published version of the type). On 2026-12-01 the search tool confirmed, from the
 * reference pages and the Azure Verified Modules READMEs that link them:
 * Microsoft.Web/2024-11-01/sites, Microsoft.DocumentDB/2024-11-15/databaseAccounts (and its
 * sqlRoleAssignments; 2024-05-15 in the version menu), Microsoft.EventHub/2024-01-01
 * (disasterRecoveryConfigs), Microsoft.Insights/2023-12-01/scheduledQueryRules,
 * Microsoft.Storage 2023-05-01 and 2023-01-01 (blobServices/containers version menu). The other
 * rows are the versions whose reference pages the modules link in their `// Docs:` headers.
 * A version that is not here fails the test: add it only after reading its reference page.
 */
export const PUBLISHED_API_VERSIONS: Readonly<Record<string, PublishedType>> = Object.fromEntries(
  ([
    ['Microsoft.Authorization/roleAssignments', ['2022-04-01'], 'microsoft.authorization/2022-04-01/roleassignments'],
    ['Microsoft.Authorization/roleDefinitions', ['2022-04-01'], 'microsoft.authorization/2022-04-01/roledefinitions'],
    // Issue 19: the reference pages list 2023-04-01 as a stable version of all three types (with
    // 2023-03-31 and 2025-05-01); Azure Native's communication package lists the same versions.
    ['Microsoft.Communication/communicationServices', ['2023-04-01'], 'microsoft.communication/2023-04-01/communicationservices'],
    ['Microsoft.Communication/emailServices', ['2023-04-01'], 'microsoft.communication/2023-04-01/emailservices'],
    ['Microsoft.Communication/emailServices/domains', ['2023-04-01'], 'microsoft.communication/2023-04-01/emailservices/domains'],
    ['Microsoft.DocumentDB/databaseAccounts', ['2024-05-15', '2024-11-15'], 'microsoft.documentdb/2024-11-15/databaseaccounts'],
    ['Microsoft.DocumentDB/databaseAccounts/sqlDatabases', ['2024-05-15', '2024-11-15'], 'microsoft.documentdb/2024-11-15/databaseaccounts/sqldatabases'],
    ['Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers', ['2024-05-15', '2024-11-15'], 'microsoft.documentdb/2024-11-15/databaseaccounts/sqldatabases/containers'],
    ['Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments', ['2024-05-15', '2024-11-15'], 'microsoft.documentdb/2024-11-15/databaseaccounts/sqlroleassignments'],
    // Issue 22: the IotHubs reference page's current (non-preview) version is 2023-06-30 (its Bicep
    // "Resource format" and the API version menu; 2026-03-01-preview is newer but a preview).
    ['Microsoft.Devices/IotHubs', ['2023-06-30'], 'microsoft.devices/2023-06-30/iothubs'],
    ['Microsoft.EventHub/namespaces', ['2024-01-01'], 'microsoft.eventhub/2024-01-01/namespaces'],
    ['Microsoft.EventHub/namespaces/eventhubs', ['2024-01-01'], 'microsoft.eventhub/2024-01-01/namespaces/eventhubs'],
    ['Microsoft.EventHub/namespaces/eventhubs/consumergroups', ['2024-01-01'], 'microsoft.eventhub/2024-01-01/namespaces/eventhubs/consumergroups'],
    ['Microsoft.EventHub/namespaces/disasterRecoveryConfigs', ['2024-01-01'], 'microsoft.eventhub/2024-01-01/namespaces/disasterrecoveryconfigs'],
    ['Microsoft.Insights/actionGroups', ['2023-01-01'], 'microsoft.insights/2023-01-01/actiongroups'],
    ['Microsoft.Insights/components', ['2020-02-02'], 'microsoft.insights/2020-02-02/components'],
    ['Microsoft.Insights/metricAlerts', ['2018-03-01'], 'microsoft.insights/2018-03-01/metricalerts'],
    ['Microsoft.Insights/scheduledQueryRules', ['2023-12-01'], 'microsoft.insights/2023-12-01/scheduledqueryrules'],
    ['Microsoft.Insights/workbooks', ['2023-06-01'], 'microsoft.insights/2023-06-01/workbooks'],
    ['Microsoft.KeyVault/vaults', ['2023-07-01'], 'microsoft.keyvault/2023-07-01/vaults'],
    ['Microsoft.KeyVault/vaults/secrets', ['2023-07-01'], 'microsoft.keyvault/2023-07-01/vaults/secrets'],
    ['Microsoft.ManagedIdentity/userAssignedIdentities', ['2023-01-31'], 'microsoft.managedidentity/2023-01-31/userassignedidentities'],
    ['Microsoft.OperationalInsights/workspaces', ['2023-09-01'], 'microsoft.operationalinsights/2023-09-01/workspaces'],
    ['Microsoft.Storage/storageAccounts', ['2023-01-01', '2023-05-01'], 'microsoft.storage/2023-05-01/storageaccounts'],
    ['Microsoft.Storage/storageAccounts/blobServices', ['2023-01-01', '2023-05-01'], 'microsoft.storage/2023-05-01/storageaccounts/blobservices'],
    ['Microsoft.Storage/storageAccounts/blobServices/containers', ['2023-01-01', '2023-05-01'], 'microsoft.storage/2023-05-01/storageaccounts/blobservices/containers'],
    ['Microsoft.Storage/storageAccounts/queueServices', ['2023-01-01', '2023-05-01'], 'microsoft.storage/2023-05-01/storageaccounts/queueservices'],
    ['Microsoft.Storage/storageAccounts/queueServices/queues', ['2023-01-01', '2023-05-01'], 'microsoft.storage/2023-05-01/storageaccounts/queueservices/queues'],
    ['Microsoft.Storage/storageAccounts/tableServices', ['2023-01-01', '2023-05-01'], 'microsoft.storage/2023-05-01/storageaccounts/tableservices'],
    ['Microsoft.Storage/storageAccounts/tableServices/tables', ['2023-01-01', '2023-05-01'], 'microsoft.storage/2023-05-01/storageaccounts/tableservices/tables'],
    ['Microsoft.Web/serverfarms', ['2024-11-01'], 'microsoft.web/2024-11-01/serverfarms'],
    ['Microsoft.Web/sites', ['2024-11-01'], 'microsoft.web/2024-11-01/sites'],
    ['Microsoft.Web/sites/config', ['2024-11-01'], 'microsoft.web/2024-11-01/sites/config-authsettingsv2'],
    ['Microsoft.Web/sites/basicPublishingCredentialsPolicies', ['2024-11-01'], 'microsoft.web/2024-11-01/sites/basicpublishingcredentialspolicies-scm'],
    ['Microsoft.Web/sites/host/functionKeys', ['2024-11-01'], 'microsoft.web/2024-11-01/sites/host/functionkeys'],
  ] as const).map(([type, versions, page]) => [type.toLowerCase(), { versions, source: `${TEMPLATES}/${page}` }]),
);

/** Every resource declaration whose type or API version is not in the published table. */
export function apiVersionErrors(file: BicepFile, table: Readonly<Record<string, PublishedType>> = PUBLISHED_API_VERSIONS): string[] {
  const errors: string[] = [];
  for (const r of allResources(file)) {
    const where = `${file.file}:${at(r.node)}: ${r.symbol}`;
    const published = table[r.type.toLowerCase()];
    if (!r.apiVersion) errors.push(`${where}: ${r.type} has no API version`);
    else if (!published) errors.push(`${where}: ${r.type} is not a resource type in the published table`);
    else if (!published.versions.includes(r.apiVersion)) errors.push(`${where}: ${r.type}@${r.apiVersion} is not a published API version (${published.versions.join(', ')}; ${published.source})`);
  }
  return errors;
}
