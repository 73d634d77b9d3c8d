import type { AdfDocument } from './state-schema';

/** The text of an ADF document, paragraphs separated by newlines: for changelog strings and `~` search. */
export const adfToPlainText = (doc: AdfDocument | null): string => {
  if (doc === null) return '';
  const blocks: string[] = [];
  const walk = (node: unknown, out: string[]): void => {
    if (typeof node !== 'object' || node === null) return;
    if ('text' in node && typeof node.text === 'string') out.push(node.text);
    if ('content' in node && Array.isArray(node.content)) for (const child of node.content) walk(child, out);
  };
  for (const block of doc.content) {
    const parts: string[] = [];
    walk(block, parts);
    blocks.push(parts.join(''));
  }
  return blocks.join('\n');
};

/** A one-paragraph ADF document: for seeds and tests that only need some text. */
export const adfParagraph = (text: string): AdfDocument => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});
