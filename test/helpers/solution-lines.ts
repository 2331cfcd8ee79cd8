/**
 * The reference's solution lines that must never appear in anything students or an LMS get (the
 * release, the exports): every line between the solution markers, less what is public anyway —
 * comments, what the template itself shows as a hint, empty declarations, and the bare opening of
 * a call the formatter wrapped (`tf.losses.softmaxCrossEntropy(` alone on its line), which names an
 * API rather than a solution.
 */
import { join } from 'node:path';
import { buildTemplate } from '../../services/authoring/template.js';

const root = join(import.meta.dirname, '..', '..');

export function solutionLines(): string[] {
  const files = buildTemplate(join(root, 'reference'));
  const template = files.map((f) => f.text).join('\n');
  return files
    .flatMap((f) => f.solutions.flatMap((s) => s.lines))
    .map((l) => l.trim())
    .filter((l) => l.length >= 24 && !l.startsWith('//') && !l.startsWith('"') && !l.startsWith('}'))
    .filter((l) => !/^[\w.]+\(\{?$/.test(l))
    .filter(
      (l) =>
        !template.includes(
          l
            .replace(/ as tf\.Variable/, '')
            .replace(/^(const|let) \w+ = /, '')
            .replace(/;$/, ''),
        ) && !/^(const|let) \w+(: [\w[\]]+)? = (\[\]|0|\{\});$/.test(l),
    );
}
