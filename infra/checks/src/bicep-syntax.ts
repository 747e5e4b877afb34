import { at, walk, type Node } from './bicep-parser';
import type { BicepFile } from './bicep-file';

/**
 * Every ERROR and MISSING node of the parse tree (what the grammar could not read), and items of
 * an array or object on one line without a comma between them, which the grammar accepts but
 * Bicep does not (`[1 2]`, `{ a: 1 b: 2 }`).
 */
export function syntaxErrors(file: BicepFile): string[] {
  const errors: string[] = [];
  for (const node of walk(file.tree.rootNode)) {
    if (node.isMissing) errors.push(`${file.file}:${at(node)}: missing ${node.type}`);
    else if (node.isError) errors.push(`${file.file}:${at(node)}: syntax error near ${JSON.stringify(node.text.slice(0, 40))}`);
    else if (node.type === 'array' || node.type === 'object') errors.push(...missingCommas(file, node));
  }
  return errors;
}

function missingCommas(file: BicepFile, node: Node): string[] {
  const errors: string[] = [];
  let previous: Node | undefined;
  let comma = false;
  for (const child of node.children) {
    if (!child || child.type === 'comment') continue;
    if (child.type === ',') { comma = true; continue; }
    if (!child.isNamed) continue;
    // The grammar reads a one-line `[f().x]` as `f` and `().x`: a call, not two items.
    const call = previous?.type === 'identifier' && child.startIndex === previous.endIndex && child.text.startsWith('(');
    if (previous && !comma && !call && previous.type !== 'decorators' && child.startPosition.row === previous.endPosition.row) {
      errors.push(`${file.file}:${at(child)}: missing comma between ${node.type} items on one line`);
    }
    previous = child;
    comma = false;
  }
  return errors;
}
