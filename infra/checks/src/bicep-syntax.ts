import { at, walk } from './bicep-parser';
import type { BicepFile } from './bicep-file';

/** Every ERROR and MISSING node of the parse tree: what the grammar could not read. */
export function syntaxErrors(file: BicepFile): string[] {
  const errors: string[] = [];
  for (const node of walk(file.tree.rootNode)) {
    if (node.isMissing) errors.push(`${file.file}:${at(node)}: missing ${node.type}`);
    else if (node.isError) errors.push(`${file.file}:${at(node)}: syntax error near ${JSON.stringify(node.text.slice(0, 40))}`);
  }
  return errors;
}
