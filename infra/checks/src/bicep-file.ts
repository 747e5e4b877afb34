import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseBicep, walk, type Node, type Tree } from './bicep-parser';

export interface ParamDeclaration {
  name: string;
  /** No default value and not a nullable type (`string?`): a caller must pass it. */
  required: boolean;
  node: Node;
  /** Decorator calls by name (`allowed` -> the call_expression of `@allowed([...])`). */
  decorators: Map<string, Node>;
}

export interface ResourceDeclaration {
  symbol: string;
  /** Full resource type (`Microsoft.Web/sites/config` for a nested `config`). */
  type: string;
  apiVersion: string;
  existing: boolean;
  node: Node;
  /** The body object (also inside `if (...)` and `[for ...: ...]`), if any. */
  body: Node | undefined;
  nested: ResourceDeclaration[];
}

export interface ModuleDeclaration {
  symbol: string;
  /** The module path as written (`'modules/rbac.bicep'`). */
  source: string;
  node: Node;
  body: Node | undefined;
}

/** One parsed Bicep file and its top-level declarations. */
export interface BicepFile {
  file: string;
  source: string;
  tree: Tree;
  params: Map<string, ParamDeclaration>;
  variables: Map<string, Node>;
  outputs: Map<string, Node>;
  functions: Map<string, Node>;
  types: Map<string, Node>;
  imports: Set<string>;
  /** Top-level resources; nested ones hang under `nested`. */
  resources: Map<string, ResourceDeclaration>;
  modules: Map<string, ModuleDeclaration>;
}

export async function readBicepFile(file: string): Promise<BicepFile> {
  return bicepFileFrom(file, await readFile(file, 'utf8'));
}

export async function bicepFileFrom(file: string, source: string): Promise<BicepFile> {
  const tree = await parseBicep(source);
  const result: BicepFile = {
    file, source, tree,
    params: new Map(), variables: new Map(), outputs: new Map(), functions: new Map(), types: new Map(),
    imports: new Set(), resources: new Map(), modules: new Map(),
  };
  let pending: Node | undefined;
  for (const node of tree.rootNode.namedChildren) {
    if (!node || node.type === 'comment') continue;
    const decorators = new Map<string, Node>();
    for (const d of pending?.namedChildren ?? []) {
      const call = d ? firstOfType(d, 'call_expression') : undefined;
      const fn = call?.childForFieldName('function');
      if (call && fn) decorators.set(fn.text.replace(/^sys\./, ''), call);
    }
    pending = node.type === 'decorators' ? node : undefined;
    const name = firstOfType(node, 'identifier')?.text;
    switch (node.type) {
      case 'parameter_declaration': {
        const type = firstOfType(node, 'type');
        const nullable = !!type && (type.text.trim().endsWith('?') || type.descendantsOfType('nullable_type').length > 0);
        const hasDefault = node.children.some((c) => c?.type === '=');
        if (name) result.params.set(name, { name, required: !hasDefault && !nullable, node, decorators });
        break;
      }
      case 'variable_declaration': if (name) result.variables.set(name, node); break;
      case 'output_declaration': if (name) result.outputs.set(name, node); break;
      case 'user_defined_function': { const n = node.childForFieldName('name')?.text; if (n) result.functions.set(n, node); break; }
      case 'type_declaration': if (name) result.types.set(name, node); break;
      case 'import_statement': case 'import_with_statement': case 'import_functionality':
        for (const id of node.namedChildren) if (id?.type === 'identifier') result.imports.add(id.text);
        break;
      case 'resource_declaration': { const r = resourceFrom(node, undefined); result.resources.set(r.symbol, r); break; }
      case 'module_declaration': {
        const source = stringValue(firstOfType(node, 'string'));
        if (name && source !== undefined) result.modules.set(name, { symbol: name, source, node, body: declarationBody(node) });
        break;
      }
    }
  }
  return result;
}

/** Every resource declaration of a file, nested ones included. */
export function allResources(file: BicepFile): ResourceDeclaration[] {
  const out: ResourceDeclaration[] = [];
  const add = (r: ResourceDeclaration): void => { out.push(r); r.nested.forEach(add); };
  file.resources.forEach(add);
  return out;
}

/** The module file a module declaration points at, resolved against the declaring file. */
export function modulePath(file: BicepFile, mod: ModuleDeclaration): string {
  return path.resolve(path.dirname(file.file), mod.source);
}

function resourceFrom(node: Node, parent: ResourceDeclaration | undefined): ResourceDeclaration {
  const symbol = firstOfType(node, 'identifier')?.text ?? '';
  const typeText = stringValue(firstOfType(node, 'string')) ?? '';
  const [typePart = '', versionPart] = typeText.split('@');
  const type = parent ? `${parent.type}/${typePart}` : typePart;
  const apiVersion = versionPart ?? parent?.apiVersion ?? '';
  const body = declarationBody(node);
  const resource: ResourceDeclaration = {
    symbol, type, apiVersion, node, body, nested: [],
    existing: node.children.some((c) => c?.type === 'existing'),
  };
  if (body) {
    for (const prop of body.namedChildren) {
      const nested = prop?.type === 'object_property' ? firstOfType(prop, 'resource_declaration') : undefined;
      if (nested) resource.nested.push(resourceFrom(nested, resource));
    }
  }
  return resource;
}

/** The object literal of a resource/module declaration, looking through `if` and `for`. */
export function declarationBody(node: Node): Node | undefined {
  const value = node.namedChildren.at(-1);
  return value ? bodyObject(value) : undefined;
}

function bodyObject(node: Node): Node | undefined {
  if (node.type === 'object') return node;
  if (node.type === 'if_statement') return firstOfType(node, 'object');
  if (node.type === 'for_statement') {
    const body = node.childForFieldName('body');
    return body ? bodyObject(body) : undefined;
  }
  return undefined;
}

export function firstOfType(node: Node, type: string): Node | undefined {
  return node.namedChildren.find((c): c is Node => c?.type === type);
}

/** The value of a string literal without interpolation; undefined for anything else. */
export function stringValue(node: Node | undefined | null): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return node.namedChildren.filter((c) => c?.type === 'string_content' || c?.type === 'escape_sequence').map((c) => unescape(c!.text)).join('');
}

function unescape(text: string): string {
  return text.replace(/\\(['\\nrt$])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c);
}

/** The key of an object property (identifier or plain string), or undefined. */
export function propertyKey(prop: Node): string | undefined {
  const key = prop.namedChildren[0];
  if (!key) return undefined;
  if (key.type === 'identifier' || key.type === 'compatible_identifier') return key.text.replace(/\?$/, '');
  return stringValue(key);
}

/** The value node of `key:` in an object literal. */
export function propertyValue(object: Node, key: string): Node | undefined {
  for (const prop of object.namedChildren) {
    if (prop?.type === 'object_property' && propertyKey(prop) === key) return prop.namedChildren.at(-1) ?? undefined;
  }
  return undefined;
}

export function propertyKeys(object: Node): Node[] {
  return object.namedChildren.filter((p): p is Node => p?.type === 'object_property' && p.namedChildren[0]?.type !== 'resource_declaration');
}

export { walk };
