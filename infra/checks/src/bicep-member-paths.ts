import { existsSync } from 'node:fs';
import { at, walk, type Node } from './bicep-parser';
import { modulePath, propertyKey, propertyKeys, propertyValue, type BicepFile } from './bicep-file';
import { evaluate, fileScope, isRecord, UNKNOWN, type Value } from './bicep-literal';
import type { LoadBicepFile } from './bicep-modules';

/**
 * Member access on values whose shape the templates fix: `names.deadLetterQueue` on a variable
 * that is an object literal, and `shared.hostStorage.blobEndpoint` on a module parameter whose
 * caller passes an object literal. Each key on the path must exist where the value is known.
 * Starts at the entry file with no parameter shapes and follows module calls.
 */
export async function memberPathErrors(entry: BicepFile, load: LoadBicepFile): Promise<string[]> {
  const errors: string[] = [];
  const seen = new Set<string>();
  const check = async (file: BicepFile, shapes: Record<string, Value>, via: string): Promise<void> => {
    const scope = fileScope(file, shapes);
    for (const node of walk(file.tree.rootNode)) {
      if (node.type !== 'member_expression' || (node.parent?.type === 'member_expression' && node.parent.childForFieldName('object')?.id === node.id)) continue;
      const path: Node[] = [];
      let root: Node | null = node;
      while (root?.type === 'member_expression') { path.unshift(root); root = root.childForFieldName('object'); }
      if (root?.type !== 'identifier' || boundLocally(root)) continue;
      const name = root.text;
      if (!file.params.has(name) && !file.variables.has(name)) continue;
      let value = scope(name);
      const walked = [name];
      for (const member of path) {
        if (!isRecord(value)) break;
        const key = member.childForFieldName('property')?.text ?? '';
        if (!(key in value)) {
          errors.push(`${file.file}:${at(member)}: ${walked.join('.')} has no member ${key}${via}`);
          break;
        }
        walked.push(key);
        value = value[key]!;
      }
    }
    for (const mod of file.modules.values()) {
      const target = modulePath(file, mod);
      const params = mod.body ? propertyValue(mod.body, 'params') : undefined;
      if (!existsSync(target) || params?.type !== 'object') continue;
      const args: Record<string, Value> = {};
      for (const p of propertyKeys(params)) {
        const value = p.namedChildren.at(-1);
        args[propertyKey(p) ?? ''] = value ? evaluate(value, scope) : UNKNOWN;
      }
      const key = `${target}\n${JSON.stringify(args, (_k, v: unknown) => (v === UNKNOWN ? '?' : v))}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await check(await load(target), args, ` (as called by ${file.file}:${at(mod.node)})`);
    }
  };
  await check(entry, {}, '');
  return errors;
}

/** A loop variable, lambda or function parameter with this name encloses the identifier. */
function boundLocally(identifier: Node): boolean {
  for (let n = identifier.parent; n; n = n.parent) {
    if (n.type === 'for_statement') {
      const init = n.childForFieldName('initializer')?.text;
      const params = n.namedChildren.find((c) => c?.type === 'for_loop_parameters')?.namedChildren.map((c) => c?.text) ?? [];
      if (init === identifier.text || params.includes(identifier.text)) return true;
    }
    if (n.type === 'lambda_expression') {
      const head = n.namedChildren[0];
      const names = head?.type === 'identifier' ? [head.text] : (head?.namedChildren ?? []).map((c) => c?.text);
      if (names.includes(identifier.text)) return true;
    }
    if (n.type === 'user_defined_function') {
      const names = n.namedChildren.find((c) => c?.type === 'parameters')?.namedChildren.map((p) => p?.namedChildren[0]?.text) ?? [];
      if (names.includes(identifier.text)) return true;
    }
  }
  return false;
}
