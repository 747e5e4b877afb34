import { existsSync } from 'node:fs';
import { at, walk, type Node } from './bicep-parser';
import { modulePath, propertyKey, propertyKeys, propertyValue, type BicepFile } from './bicep-file';
import { evaluate, fileScope } from './bicep-literal';
import { constraintViolations } from './param-constraints';

export type LoadBicepFile = (file: string) => Promise<BicepFile>;

/**
 * Module calls against the modules they call: the file exists; `params` passes every parameter
 * the module requires (no default, not nullable) and none it does not declare, each known value
 * within the parameter's `@allowed`/`@minValue`/`@maxValue`/`@minLength`/`@maxLength`; every
 * `<module>.outputs.<name>` (also `<module>[i].outputs.<name>`) names an output the module has.
 */
export async function moduleErrors(file: BicepFile, load: LoadBicepFile): Promise<string[]> {
  const errors: string[] = [];
  const report = (node: Node, message: string): void => { errors.push(`${file.file}:${at(node)}: ${message}`); };
  const targets = new Map<string, BicepFile>();
  for (const mod of file.modules.values()) {
    const target = modulePath(file, mod);
    if (!existsSync(target)) { report(mod.node, `module ${mod.symbol}: ${mod.source} does not exist`); continue; }
    const callee = await load(target);
    targets.set(mod.symbol, callee);
    const params = mod.body ? propertyValue(mod.body, 'params') : undefined;
    if (params && params.type !== 'object') { report(params, `module ${mod.symbol}: params must be an object literal to be checked`); continue; }
    const passed = new Map((params ? propertyKeys(params) : []).map((p) => [propertyKey(p) ?? '', p] as const));
    for (const [name, node] of passed) {
      const declared = callee.params.get(name);
      if (!declared) { report(node, `module ${mod.symbol}: ${mod.source} declares no parameter ${name}`); continue; }
      const value = node.namedChildren.at(-1);
      for (const v of value ? constraintViolations(callee, declared, evaluate(value, fileScope(file))) : []) report(node, `module ${mod.symbol}: ${name}: ${v}`);
    }
    for (const p of callee.params.values()) {
      if (p.required && !passed.has(p.name)) report(mod.node, `module ${mod.symbol}: required parameter ${p.name} of ${mod.source} is not passed`);
    }
  }
  for (const node of walk(file.tree.rootNode)) {
    if (node.type !== 'member_expression') continue;
    const outputs = node.childForFieldName('object');
    if (outputs?.type !== 'member_expression' || outputs.childForFieldName('property')?.text !== 'outputs') continue;
    let symbol = outputs.childForFieldName('object');
    if (symbol?.type === 'subscript_expression') symbol = symbol.childForFieldName('object');
    if (symbol?.type !== 'identifier') continue;
    const callee = targets.get(symbol.text);
    const name = node.childForFieldName('property')?.text ?? '';
    if (callee && !callee.outputs.has(name)) report(node, `${symbol.text}.outputs.${name}: ${file.modules.get(symbol.text)!.source} has no output ${name}`);
  }
  return errors;
}
