import { isTagName, itemsVariable, tagPattern } from '@orderpost/shared';
import { Liquid, type Template } from 'liquidjs';
import { escapeHtml, HtmlBlock } from './templates.html.js';

/**
 * Limits of one render. A template that loops for ever, builds huge strings
 * or nests loops a million deep stops with a clear error instead of holding a
 * worker: `renderLimit` is wall time per render, `memoryLimit` counts what
 * ranges, strings and arrays allocate, `parseLimit` caps the source.
 */
export const liquidLimits = { parseLimit: 100_000, renderLimit: 250, memoryLimit: 10_000_000 } as const;

function createEngine(format: 'text' | 'html'): Liquid {
  const liquid = new Liquid({
    ...liquidLimits,
    // Templates are only ever strings given to parse(): an empty in-memory set, so nothing can name a file.
    templates: {},
    fs: noFileSystem,
    relativeReference: false,
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    timezoneOffset: 0,
    outputEscape: format === 'html' ? escapeOutput : undefined,
  });
  // Templates may not include, render or lay themselves out with other templates (files or otherwise).
  for (const tag of ['include', 'render', 'layout', 'block']) delete liquid.tags[tag];
  // `raw` would let order data through unescaped: here it is a plain filter that changes nothing, so escaping still applies.
  liquid.registerFilter('raw', (value: unknown) => value);
  return liquid;
}

/** Every output of an HTML template is escaped; prepared multi-line values (addresses, item lists) bring their own safe HTML. */
export function escapeOutput(value: unknown): string {
  if (value instanceof HtmlBlock) return value.html;
  return escapeHtml(stringify(value));
}

/** How Liquid writes a value: nothing for null, arrays joined. */
export function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}

const noFileSystem = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file: string) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  readFileSync: (file: string) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  resolve: (_root: string, file: string) => file,
  contains: async () => false,
  containsSync: () => false,
  sep: '/',
};

export const engines = { text: createEngine('text'), html: createEngine('html') } as const;

/** A `[tag]` written in the template that is not one of ours, as the seller wrote it. */
export interface TagTranslation {
  liquid: string;
  unknownTags: string[];
}

/**
 * `[tag]` → `{{ tag }}` in the template's literal text, leaving Liquid's own
 * `{{ … }}` and `{% … %}` as written (a bracket inside them is Liquid's: an
 * array index or a string), and everything between `{% raw %}` and
 * `{% endraw %}` as it is, which is how a template writes a bracket that is
 * no tag.
 */
export function translateTags(source: string): TagTranslation {
  const unknown = new Set<string>();
  let out = '';
  let position = 0;
  let inRaw = false;
  const literal = (text: string) => {
    if (inRaw) return text;
    return text.replace(tagPattern, (whole, name: string) => {
      if (!isTagName(name)) {
        unknown.add(whole);
        return whole;
      }
      return `{{ ${name} }}`;
    });
  };
  const opener = /\{[{%]/g;
  while (position < source.length) {
    opener.lastIndex = position;
    const found = opener.exec(source);
    if (!found) break;
    const start = found.index;
    const closer = source[start + 1] === '{' ? '}}' : '%}';
    const end = source.indexOf(closer, start + 2);
    if (end < 0) break;
    out += literal(source.slice(position, start));
    const markup = source.slice(start, end + 2);
    if (closer === '%}') {
      const name = /^\{%-?\s*(\w+)/.exec(markup)?.[1];
      if (name === 'raw') inRaw = true;
      else if (name === 'endraw') inRaw = false;
    }
    out += markup;
    position = end + 2;
  }
  out += literal(source.slice(position));
  return { liquid: out, unknownTags: [...unknown] };
}

export interface ParsedPart {
  templates: Template[];
  /** Global names the part reads (`name`, `items`, …), from Liquid's static analysis. */
  globals: string[];
}

/** Parses a translated part; Liquid's own errors (syntax, unknown filters, tags we removed) propagate. */
export function parsePart(format: 'text' | 'html', liquid: string): ParsedPart {
  const engine = engines[format];
  const templates = engine.parse(liquid);
  const globals = engine.globalVariablesSync(templates);
  return { templates, globals };
}

/** Names a template may read: the tags and the item list. */
export function isKnownVariable(name: string): boolean {
  return isTagName(name) || name === itemsVariable;
}
