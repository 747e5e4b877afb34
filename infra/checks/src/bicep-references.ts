import { at, type Node } from './bicep-parser';
import { BICEP_DECORATORS, BICEP_FUNCTIONS } from './bicep-functions';
import { type BicepFile, type ResourceDeclaration } from './bicep-file';

/** Namespaces that qualify built-in functions (`az.resourceGroup()`, `sys.concat()`). */
const NAMESPACES = new Set(['az', 'sys']);

/**
 * Every identifier that names nothing: a parameter, variable, resource, module, function or
 * loop/lambda variable that is not declared where it is used, a `parent::child` whose child is
 * not nested in that parent, and a call to a function Bicep does not have.
 */
export function unresolvedReferences(file: BicepFile): string[] {
  const errors: string[] = [];
  const topLevel = new Set<string>([
    ...file.params.keys(), ...file.variables.keys(), ...file.resources.keys(), ...file.modules.keys(), ...file.imports,
  ]);
  const nestedOf = new Map<string, ResourceDeclaration>();
  const byNode = new Map<number, ResourceDeclaration>();
  const index = (r: ResourceDeclaration): void => { byNode.set(r.node.id, r); nestedOf.set(r.symbol, r); r.nested.forEach(index); };
  file.resources.forEach(index);

  const report = (node: Node, message: string): void => { errors.push(`${file.file}:${at(node)}: ${message}`); };
  const visible = (name: string, scopes: Set<string>[]): boolean => topLevel.has(name) || scopes.some((s) => s.has(name));

  const visitAll = (nodes: (Node | null)[], scopes: Set<string>[]): void => { for (const n of nodes) if (n) visit(n, scopes); };

  function visitCall(node: Node, scopes: Set<string>[], decorator: boolean): void {
    const fn = node.childForFieldName('function');
    if (fn?.type === 'identifier') {
      const known = BICEP_FUNCTIONS.has(fn.text) || file.functions.has(fn.text) || file.imports.has(fn.text) || (decorator && BICEP_DECORATORS.has(fn.text));
      if (!known) report(fn, `unknown function ${fn.text}()`);
    } else if (fn?.type === 'member_expression') {
      const object = fn.childForFieldName('object');
      if (!(object?.type === 'identifier' && NAMESPACES.has(object.text))) visit(fn, scopes);
    } else if (fn) visit(fn, scopes);
    visitAll(node.childForFieldName('arguments')?.namedChildren ?? [], scopes);
  }

  function visitResource(node: Node, scopes: Set<string>[]): void {
    const resource = byNode.get(node.id);
    const inner = new Set(resource?.nested.map((r) => r.symbol) ?? []);
    // The body (object / if / for) is the last named child; the symbol and the type string are not references.
    const body = node.namedChildren.at(-1);
    if (body) visit(body, [...scopes, inner]);
  }

  function visitResourceExpression(node: Node, scopes: Set<string>[]): void {
    const object = node.childForFieldName('object');
    const child = node.childForFieldName('resource');
    if (object) visit(object, scopes);
    const parentSymbol = object?.type === 'identifier' ? object.text : object?.type === 'resource_expression' ? object.childForFieldName('resource')?.text : undefined;
    const parent = parentSymbol ? nestedOf.get(parentSymbol) : undefined;
    if (child && parent && !parent.nested.some((r) => r.symbol === child.text)) report(child, `${parentSymbol}::${child.text}: no nested resource ${child.text} in ${parentSymbol}`);
    if (child && parentSymbol && !parent) report(child, `${parentSymbol}::${child.text}: ${parentSymbol} is not a resource with nested resources`);
  }

  function visitFor(node: Node, scopes: Set<string>[]): void {
    const loop = new Set<string>();
    const init = node.childForFieldName('initializer');
    if (init) loop.add(init.text);
    const params = node.namedChildren.find((c) => c?.type === 'for_loop_parameters');
    for (const p of params?.namedChildren ?? []) if (p) loop.add(p.text);
    const body = node.childForFieldName('body');
    // The iterated expression: the named child between the loop variables and the body.
    for (const c of node.namedChildren) {
      if (!c || c === body || c === init || c === params || c.id === body?.id || c.id === init?.id || c.id === params?.id) continue;
      visit(c, scopes);
    }
    if (body) visit(body, [...scopes, loop]);
  }

  function visitLambda(node: Node, scopes: Set<string>[]): void {
    const [head, body] = [node.namedChildren[0], node.namedChildren.at(-1)];
    const names = new Set<string>();
    if (head?.type === 'identifier') names.add(head.text);
    else for (const id of head?.namedChildren ?? []) if (id?.type === 'identifier') names.add(id.text);
    if (body && body.id !== head?.id) visit(body, [...scopes, names]);
  }

  function visit(node: Node, scopes: Set<string>[]): void {
    switch (node.type) {
      case 'type':
        // A type names a primitive (its own node), a declared or imported type, or is a literal/union/array of those.
        for (const id of node.descendantsOfType('identifier')) {
          if (id && !file.types.has(id.text) && !file.imports.has(id.text) && !NAMESPACES.has(id.text)) report(id, `unknown type ${id.text}`);
        }
        return;
      case 'comment': case 'type_declaration': case 'import_statement': case 'import_with_statement':
      case 'import_functionality': case 'using_statement': case 'target_scope_assignment': case 'string_content':
      case 'property_identifier': case 'primitive_type': case 'number': case 'boolean': case 'null':
        return;
      case 'decorator': {
        const call = node.namedChildren.find((c) => c?.type === 'call_expression');
        if (call) visitCall(call, scopes, true);
        return;
      }
      case 'parameter_declaration': case 'variable_declaration': case 'output_declaration': case 'metadata_declaration':
      case 'module_declaration': {
        // The name, the type and a module's path are not references; the value (last) is.
        const value = node.namedChildren.at(-1);
        for (const type of node.namedChildren) if (type?.type === 'type') visit(type, scopes);
        if (value && value.id !== node.namedChildren[0]?.id && value.type !== 'type') visit(value, scopes);
        return;
      }
      case 'resource_declaration': visitResource(node, scopes); return;
      case 'user_defined_function': {
        const params = new Set<string>();
        for (const p of node.namedChildren.find((c) => c?.type === 'parameters')?.namedChildren ?? []) {
          const id = p?.namedChildren[0];
          if (id) params.add(id.text);
        }
        const body = node.namedChildren.at(-1);
        if (body) visit(body, [...scopes, params]);
        return;
      }
      case 'object_property': {
        const [key, ...rest] = node.namedChildren;
        if (key?.type === 'resource_declaration') { visit(key, scopes); return; }
        if (key?.type === 'string') visit(key, scopes); // interpolated keys
        visitAll(rest, scopes);
        return;
      }
      case 'call_expression': visitCall(node, scopes, false); return;
      case 'member_expression': { const o = node.childForFieldName('object'); if (o) visit(o, scopes); return; }
      case 'resource_expression': visitResourceExpression(node, scopes); return;
      case 'for_statement': visitFor(node, scopes); return;
      case 'lambda_expression': visitLambda(node, scopes); return;
      case 'array': {
        // The grammar reads a one-line `[f().x]` as two items, `f` and `().x`: an identifier that
        // touches a following `(` is a call.
        const items = node.namedChildren;
        items.forEach((item, i) => {
          const next = items[i + 1];
          if (item?.type === 'identifier' && next && next.startIndex === item.endIndex && next.text.startsWith('(')) {
            const known = BICEP_FUNCTIONS.has(item.text) || file.functions.has(item.text) || file.imports.has(item.text);
            if (!known) report(item, `unknown function ${item.text}()`);
          } else if (item) visit(item, scopes);
        });
        return;
      }
      case 'identifier':
        if (!visible(node.text, scopes) && !NAMESPACES.has(node.text)) report(node, `unknown symbol ${node.text}`);
        return;
      default:
        visitAll(node.namedChildren, scopes);
    }
  }

  visitAll(file.tree.rootNode.namedChildren, []);
  return errors;
}
