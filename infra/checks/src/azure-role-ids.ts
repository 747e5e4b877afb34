import { at, walk } from './bicep-parser';
import { firstOfType, propertyKey, stringValue, type BicepFile } from './bicep-file';

/**
 * Azure built-in role ids this repo may assign, copied from "Azure built-in roles"
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles, the id column;
 * checked 2026-12-01 against the published built-in-roles.md table). Role names are exactly
 * as the page spells them.
 */
export const AZURE_BUILT_IN_ROLES: Readonly<Record<string, string>> = {
  'Azure Event Hubs Data Owner': 'f526a384-b230-433a-b45c-95f59c4a2dec',
  'Azure Event Hubs Data Receiver': 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
  'Azure Event Hubs Data Sender': '2b629674-e913-4c01-ae53-ef4638d8f975',
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Queue Data Message Processor': '8a0f0c08-91a1-4084-bc3d-661d67233fed',
  'Storage Queue Data Message Sender': 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a',
  'Storage Queue Data Reader': '19e7f393-937e-4f77-808e-94535e297925',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  'Storage Table Data Reader': '76199698-9eea-4c19-bc75-cec21354c6b6',
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Website Contributor': 'de139f84-1756-47ae-9be6-808fbbe84772',
  // Issue 19: built-in since 2024-11 ("Create, read, modify, and delete Communications and Email
  // Service resources"); the id as the built-in roles page (Integration section) lists it.
  'Communication and Email Service Owner': '09976791-48a7-449e-bb21-39d1a415f350',
};

/**
 * Azure Cosmos DB for NoSQL built-in data-plane role definitions (not Azure RBAC roles):
 * https://learn.microsoft.com/azure/cosmos-db/nosql/security/reference-data-plane-roles
 * (formerly how-to-setup-rbac, "Built-in role definitions").
 */
export const COSMOS_DATA_PLANE_ROLES: Readonly<Record<string, string>> = {
  'Cosmos DB Built-in Data Reader': '00000000-0000-0000-0000-000000000001',
  'Cosmos DB Built-in Data Contributor': '00000000-0000-0000-0000-000000000002',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Anything shaped like a GUID, well-formed or not: hex groups joined by at least three dashes. */
const GUID_LIKE = /(?<![0-9a-z-])[0-9a-f]{3,}(?:-[0-9a-f]{2,}){3,}(?![0-9a-z-])/gi;

const roleNameById = new Map<string, string>([
  ...Object.entries(AZURE_BUILT_IN_ROLES).map(([name, id]) => [id, name] as const),
  ...Object.entries(COSMOS_DATA_PLANE_ROLES).map(([name, id]) => [id, name] as const),
]);

export interface GuidLiteral { id: string; where: string; key?: string }

/** GUID-shaped tokens in the string literals of a Bicep file, with the object key or variable they are assigned to. */
export function guidLiterals(file: BicepFile): GuidLiteral[] {
  const out: GuidLiteral[] = [];
  for (const node of walk(file.tree.rootNode)) {
    if (node.type !== 'string_content') continue;
    for (const m of node.text.matchAll(GUID_LIKE)) {
      const literal = node.parent;
      const holder = literal?.parent;
      const key = holder?.type === 'object_property' ? propertyKey(holder) : holder?.type === 'variable_declaration' ? firstOfType(holder, 'identifier')?.text : undefined;
      out.push({ id: m[0], where: `${file.file}:${at(node)}`, key: stringValue(literal) === m[0] ? key : undefined });
    }
  }
  return out;
}

/** GUID-shaped tokens in any text (JSON parameter files). */
export function guidTokens(text: string, file: string): GuidLiteral[] {
  return [...text.matchAll(GUID_LIKE)].map((m) => ({ id: m[0], where: `${file}:${text.slice(0, m.index).split('\n').length}` }));
}

/**
 * Every GUID literal is well-formed (8-4-4-4-12 hex) and a documented role id (built-in Azure
 * RBAC or Cosmos DB data-plane); a literal assigned to a named key (`storageBlobDataReader: '...'`)
 * carries the id of the role that name spells.
 */
export function roleIdErrors(literals: GuidLiteral[]): string[] {
  const errors: string[] = [];
  for (const { id, where, key } of literals) {
    if (!GUID.test(id)) { errors.push(`${where}: ${id} is not a GUID (${id.length} characters; a GUID is 8-4-4-4-12 hex digits)`); continue; }
    const role = roleNameById.get(id.toLowerCase());
    if (!role) { errors.push(`${where}: ${id} is not a documented built-in role id (AZURE_BUILT_IN_ROLES / COSMOS_DATA_PLANE_ROLES)`); continue; }
    if (key && AZURE_BUILT_IN_ROLES[role] && squash(key) !== squash(role)) errors.push(`${where}: ${key} holds the id of ${role}`);
  }
  return errors;
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^azure/, '');
}
