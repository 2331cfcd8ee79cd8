/**
 * Where a name the contract needs should come from, when the submission's index.ts does not export
 * it: the file index.ts takes it from, and what that file exports instead (a renamed class, say).
 * Read with the student-file rules (contract/student-file.ts); a plain reading of the source, so
 * it only ever adds a pointer to a message, never decides a verdict.
 */
import { posix } from 'node:path';
import { readStudentText } from '../contract/student-file.js';

const SOURCE_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 64 };
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The file (relative to the submission) that `from` names from index.ts, as TypeScript would find it. */
function fileFor(dir: string, from: string): { path: string; text: string } | undefined {
  const base = posix.normalize(from).replace(/\.(m?)js$/, '.$1ts');
  for (const path of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (path.startsWith('..')) return undefined;
    const read = readStudentText(dir, path, SOURCE_LIMITS);
    if (read.ok) return { path, text: read.value };
  }
  return undefined;
}

/** A sentence on where `name` should come from, or undefined when index.ts does not say. */
export function exportHint(dir: string, name: string): string | undefined {
  const index = readStudentText(dir, 'index.ts', SOURCE_LIMITS);
  if (!index.ok) return undefined;
  const reexport = new RegExp(
    `export\\s*\\{[^}]*\\b${escape(name)}\\b[^}]*\\}\\s*from\\s*['"]([^'"]+)['"]`,
  ).exec(index.value);
  if (reexport === null) return `index.ts has no \`export { ${name} } from '…'\` line`;
  const file = fileFor(dir, reexport[1]!.replace(/^\.\//, ''));
  if (file === undefined)
    return `index.ts takes ${name} from ${reexport[1]}, which the grader could not read`;
  const declared = [
    ...file.text.matchAll(
      /export\s+(?:default\s+)?(?:abstract\s+)?(?:class|function|const|let)\s+([A-Za-z_$][\w$]*)/g,
    ),
  ].map((m) => m[1]!);
  if (declared.includes(name)) return undefined;
  const instead = declared.length > 0 ? ` (it exports ${declared.slice(0, 5).join(', ')})` : '';
  return `index.ts takes ${name} from ${reexport[1]}, but ${file.path} exports no ${name}${instead}`;
}
