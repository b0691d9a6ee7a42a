import { createHash } from 'node:crypto';
import { type ErrorIssue, type TagName, tagPattern } from '@orderpost/shared';
import type { Template } from 'liquidjs';
import type { TemplateAttachmentRow } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { findActiveContent, findScriptUrl } from './templates.active-content.js';
import { htmlData, sampleData, type TemplateData } from './templates.data.js';
import { findShortenedLinks } from './templates.links.js';
import { engines, escapeOutput, isKnownVariable, liquidLimits, parsePart, stringify, translateTags } from './templates.liquid.js';

/** What is rendered: a saved template, or text written for one message (the sender's free text). */
export interface RenderSource {
  subject: string;
  format: 'text' | 'html';
  content: string;
  preheader: string | null;
  attachments: TemplateAttachmentRow[];
}

type PartName = 'subject' | 'content' | 'preheader';

/**
 * A part as Liquid parsed it, and, for the common part that uses `[tags]`
 * only (no Liquid of its own), its pieces: literal text at even positions, tag
 * names at odd ones. Those render by joining the pieces, many times faster
 * than walking Liquid's tree, with the same values and the same escaping.
 */
interface CompiledPart {
  liquid: Template[];
  pieces: string[] | null;
}

/** A template checked and parsed once, ready to render for any number of orders. */
export interface CompiledTemplate {
  format: 'text' | 'html';
  /** Subject and preheader are text (headers, a hidden span filled escaped); only the content may be HTML. */
  subject: CompiledPart;
  content: CompiledPart;
  preheader: CompiledPart | null;
  /** Every name the template reads, so links and tokens are only made when used. */
  reads: ReadonlySet<string>;
  /** What the seller should know; the template works anyway. */
  warnings: string[];
}

const cache = new Map<string, CompiledTemplate>();
const cacheSize = 500;

/**
 * The template checked and parsed, from a cache keyed by its content's hash
 * (a bulk send of one template parses it once). Refuses unknown tags
 * (UNKNOWN_TAGS, each in `issues`), Liquid errors and templates that break the
 * render limits on sample data (TEMPLATE_INVALID), and active content
 * (ACTIVE_CONTENT).
 */
export function compileTemplate(source: Omit<RenderSource, 'attachments'>): CompiledTemplate {
  const key = createHash('sha256')
    .update(JSON.stringify([source.format, source.subject, source.content, source.preheader]))
    .digest('base64url');
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = compileUncached(source);
  if (cache.size >= cacheSize) cache.delete(cache.keys().next().value ?? '');
  cache.set(key, compiled);
  return compiled;
}

function compileUncached(source: Omit<RenderSource, 'attachments'>): CompiledTemplate {
  const parts: [PartName, string, 'text' | 'html'][] = [
    ['subject', source.subject, 'text'],
    ['content', source.content, source.format],
  ];
  if (source.preheader) parts.push(['preheader', source.preheader, 'text']);

  const translated = parts.map(([part, text, format]) => ({ part, format, ...translateTags(text) }));
  const unknown: ErrorIssue[] = translated.flatMap(({ part, unknownTags }) =>
    unknownTags.map((tag) => ({ code: 'UNKNOWN_TAGS' as const, field: part, message: `${tag} is not a tag (GET /v1/tags lists them)` })),
  );
  throwUnknown(unknown);

  const parsed = translated.map(({ part, format, liquid }) => {
    try {
      return { part, format, ...parsePart(format, liquid) };
    } catch (error) {
      throw new AppError('TEMPLATE_INVALID', `The ${part} is not a valid template: ${liquidMessage(error)}`, part);
    }
  });
  throwUnknown(
    parsed.flatMap(({ part, globals }) =>
      globals
        .filter((name) => !isKnownVariable(name))
        .map((name) => ({
          code: 'UNKNOWN_TAGS' as const,
          field: part,
          message: `${name} is not a tag or variable (GET /v1/tags lists them)`,
        })),
    ),
  );

  for (const [part, text, format] of parts) {
    const markup = withoutLiquid(text);
    const active = findActiveContent(markup) ?? (format === 'text' ? findScriptUrl(markup) : null);
    if (active) {
      throw new AppError(
        'ACTIVE_CONTENT',
        `The ${part} contains ${active.what} ("${active.near}"); mail providers block mail with scripts, frames, objects or event handlers`,
        part,
      );
    }
  }

  const byPart = new Map(
    parsed.map((part, i) => {
      const text = parts[i]?.[1] ?? '';
      // split() with the pattern's one group puts the tag names at the odd positions.
      const pieces = /\{[{%]/.test(text) ? null : text.split(tagPattern);
      return [part.part, { liquid: part.templates, pieces }];
    }),
  );
  const compiled: CompiledTemplate = {
    format: source.format,
    subject: byPart.get('subject') ?? { liquid: [], pieces: [''] },
    content: byPart.get('content') ?? { liquid: [], pieces: [''] },
    preheader: byPart.get('preheader') ?? null,
    reads: new Set(parsed.flatMap((part) => part.globals)),
    warnings: findShortenedLinks(`${source.subject}\n${source.preheader ?? ''}\n${source.content}`).map(
      (link) => `${link} is a shortened link: mail providers often take such links for spam; use the full address`,
    ),
  };
  tryOnSample(compiled);
  return compiled;
}

function throwUnknown(issues: ErrorIssue[]): void {
  const first = issues[0];
  if (!first) return;
  const names = issues.map((issue) => issue.message.split(' ')[0]).join(', ');
  throw new AppError('UNKNOWN_TAGS', `The template uses tags that do not exist: ${names}`, first.field, issues);
}

/**
 * Renders the template once with the tags' examples, so what parsing cannot
 * see is found on save: a loop that runs past the limits, a field an item
 * does not have (`{{ item.colour }}`).
 */
function tryOnSample(compiled: CompiledTemplate): void {
  const text = sampleData();
  renderPart(compiled, 'subject', text);
  const content = renderPart(compiled, 'content', compiled.format === 'html' ? htmlData(text) : text);
  renderPart(compiled, 'preheader', text);
  // Liquid markup can split active content so the source check misses it (`o{% if false %}{% endif %}nerror=`):
  // what the template renders to is checked too, so it is refused on save rather than failing every send.
  if (compiled.format === 'html') {
    const active = findActiveContent(content);
    if (active) throw new AppError('ACTIVE_CONTENT', `The template renders ${active.what} (near "${active.near}"): remove it`, 'content');
  }
}

/** One part rendered; limits and undefined names become the template's errors. */
export function renderPart(compiled: CompiledTemplate, part: PartName, data: TemplateData): string {
  const compiledPart = compiled[part];
  if (!compiledPart) return '';
  const format = part === 'content' ? compiled.format : 'text';
  if (compiledPart.pieces) return joinPieces(compiledPart.pieces, data, format);
  try {
    return engines[format].renderSync(compiledPart.liquid, data);
  } catch (error) {
    const name = undefinedName(error);
    if (name) {
      throw new AppError('UNKNOWN_TAGS', `The template uses a name that does not exist: ${name}`, part, [
        { code: 'UNKNOWN_TAGS', field: part, message: `${name} does not exist (GET /v1/tags lists tags and item fields)` },
      ]);
    }
    throw new AppError('TEMPLATE_INVALID', `The ${part} could not be rendered: ${liquidMessage(error)}`, part);
  }
}

function joinPieces(pieces: string[], data: TemplateData, format: 'text' | 'html'): string {
  const write = format === 'html' ? escapeOutput : stringify;
  let out = pieces[0] ?? '';
  for (let i = 1; i < pieces.length; i += 2) {
    out += write(data[pieces[i] as TagName]);
    out += pieces[i + 1] ?? '';
  }
  return out;
}

function undefinedName(error: unknown): string | null {
  if (!(error instanceof Error) || error.name !== 'UndefinedVariableError') return null;
  return /undefined variable: ([^,]+)/.exec(error.message)?.[1] ?? null;
}

/** Liquid's message, with the limits said in words a seller understands. */
function liquidMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/template render limit exceeded/.test(message)) {
    return `it takes longer than ${liquidLimits.renderLimit} ms to render (a loop too long?); ${message}`;
  }
  if (/memory alloc limit exceeded/.test(message))
    return `it builds too much text or too long a list (a loop or range too large?); ${message}`;
  if (/parse length limit exceeded/.test(message)) return `it is too long; ${message}`;
  return message;
}

/** Liquid markup blanked out, so the HTML scan reads the template's own markup (what Liquid outputs is checked after rendering). */
function withoutLiquid(source: string): string {
  return source.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, '');
}
