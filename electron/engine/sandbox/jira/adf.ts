import { z } from 'zod';
import type { Json } from './model';

// Atlassian Document Format: REST v3 takes and returns rich text (description, worklog comment) as an ADF
// document, and refuses plain strings there ("Operation value must be an Atlassian Document").

const node: z.ZodType<Json> = z.lazy(() => z.looseObject({ type: z.string(), content: z.array(node).optional(), text: z.string().optional() })) as z.ZodType<Json>;

export const adfDoc = z.looseObject({ type: z.literal('doc'), version: z.literal(1), content: z.array(node) });

export function adfParagraph(text: string): Json {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

/** The plain text of a document, for JQL's text search. */
export function adfText(doc: Json): string {
  if (doc === null || typeof doc !== 'object') return typeof doc === 'string' ? doc : '';
  if (Array.isArray(doc)) return doc.map(adfText).join(' ');
  const own = typeof doc.text === 'string' ? doc.text : '';
  return [own, adfText(doc.content ?? null)].filter(Boolean).join(' ');
}
