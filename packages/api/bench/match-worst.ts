import type { ExtractedIdentifiers, ExtractOptions, MessageInput } from '@orderpost/shared/extract/index';
import { table } from './report.js';
import { seededRandom } from './orders.js';

/**
 * Messages shaped to cost the extractor most, each as large as one
 * `POST /v1/match` may be (the 1 MiB default body limit); the last one holds
 * every part at once, as the add-on may meet it. The extractor runs on the
 * API's event loop: the time of one of these is how long every other request
 * waits.
 */
const SIZE = 1_000_000;
const fill = (unit: string, size = SIZE) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const denseLine =
  'Dzień dobry, zamówienie nr 10243, tel. +48 600 987 654, https://shop.example/o/10243?x=1 jan@example.pl, 10-234 Olsztyn\n';
/** `size` characters drawn from `alphabet` by a seeded generator (the same text every run). */
const randomMix = (alphabet: string, size = SIZE, seed = 1) => {
  const random = seededRandom(seed);
  const chars: string[] = [];
  for (let index = 0; index < size; index++) chars.push(alphabet.charAt(Math.floor(random() * alphabet.length)));
  return chars.join('');
};
/** Phone-like groups of random digits, in the notations people use. */
const phoneGroups = (size = SIZE) => {
  const digits = randomMix('0123456789', size, 7);
  const shapes = ['+48 ddd ddd ddd, ', '(dd) ddd-dd-dd ', '0048 ddd-ddd-ddd; ', 'ddd ddd ddd / ', '+44 (0)dddd dddddd '];
  let out = '';
  let used = 0;
  for (let index = 0; out.length < size; index++) {
    for (const char of shapes[index % shapes.length] ?? '') out += char === 'd' ? digits.charAt(used++ % digits.length) : char;
  }
  return out.slice(0, size);
};
const denseHtml = '<p>Zamówienie nr <b>10245</b> &amp; tel. +48 600&nbsp;987&nbsp;654 <a href="https://x.example/1">jan@example.pl</a></p>';

export const worstCases: [string, MessageInput][] = [
  ['1 MB of digits', { text: fill('1') }],
  ['1 MB of digit groups', { text: fill('12 ') }],
  ['1 MB of separators', { text: fill('1-') }],
  ['1 MB line without spaces', { text: fill('abcdefghij') }],
  ['1 MB of "@"', { text: fill('a@') }],
  ['1 MB of postcodes', { text: fill('10-234 Olsztyn, ') }],
  // Dense candidates: a number-like run every few characters, on one line.
  ['1 MB random mix of "0-9 -/.#"', { text: randomMix('0123456789 -/.#') }],
  ['1 MB random mix of digits and letters', { text: randomMix('0123456789ABCXYZabcxyz -/.', SIZE, 2) }],
  ['1 MB of "#"-numbers', { text: randomMix('0123456789####  ', SIZE, 3) }],
  ['1 MB of phone-like groups', { text: phoneGroups() }],
  ['1 MB of dense mail text', { text: fill(denseLine) }],
  ['1 MB of "<"', { html: fill('<') }],
  ['1 MB of tags', { html: fill('<b>') }],
  ['1 MB of dense HTML', { html: fill(denseHtml) }],
  [
    'headers at their limits',
    {
      from: fill('"Müller, Hans" <h@x.example>, ', 2000),
      to: fill('p@c.example, ', 20_000),
      cc: fill('Nowak, Ewa <e@x.example>, ', 20_000),
      subject: fill('Zamówienie nr 10243 ', 2000),
      inReplyTo: fill('<a@b.example> ', 4000),
      references: fill('<r1234567@x.example> ', 64_000),
    },
  ],
  [
    'add-on: every part at once (3 MB)',
    {
      from: fill('"Müller, Hans" <h@x.example>, ', 100_000),
      cc: fill('Nowak, Ewa <e@x.example>, ', 100_000),
      subject: fill('Zamówienie nr 10243 ', 100_000),
      references: fill('<r1234567@x.example> ', 100_000),
      text: fill(denseLine),
      html: fill(denseHtml, 2 * SIZE),
    },
  ],
];

/**
 * What another client sees while agents send the largest messages: `parallel`
 * requests of 0.9 MB of dense mail text at once, and `GET /healthz` asked one
 * after the other meanwhile; the slowest answer of each.
 */
export async function measureStall(url: string, token: string, parallel = 4): Promise<{ matchMaxMs: number; healthMaxMs: number }> {
  const body = JSON.stringify({ message: { from: 'a@b.example', text: fill(denseLine, 900_000) } });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let done = false;
  let healthMaxMs = 0;
  const polling = (async () => {
    while (!done) {
      const started = performance.now();
      await fetch(`${url}/healthz`).then((response) => response.arrayBuffer());
      healthMaxMs = Math.max(healthMaxMs, performance.now() - started);
    }
  })();
  const times = await Promise.all(
    Array.from({ length: parallel }, async () => {
      const started = performance.now();
      const response = await fetch(`${url}/v1/match`, { method: 'POST', headers, body });
      if (response.status !== 200) throw new Error(`POST /v1/match answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
      await response.arrayBuffer();
      return performance.now() - started;
    }),
  );
  done = true;
  await polling;
  return { matchMaxMs: Math.round(Math.max(...times)), healthMaxMs: Math.round(healthMaxMs) };
}

export interface WorstCaseRow {
  name: string;
  /** Median CPU milliseconds of one extraction. */
  oursMs: number;
  /** Median CPU milliseconds of the reference: JSON.parse of the request body, which every request pays anyway. */
  referenceMs: number;
  /** Median over the rounds of ours / reference. */
  ratio: number;
  /** Parts the extractor read only in part. */
  truncated: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** CPU milliseconds of the process, not wall time: on a shared machine other processes' turns are not ours. */
const timeOnce = (run: () => unknown) => {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
};

/**
 * Each case in several short rounds, ours and the reference alternating (so
 * both see the same machine), medians reported. `extract` is a parameter so
 * another version of the extractor can be timed the same way.
 */
export function timeWorstCases(
  extract: (message: MessageInput, options: ExtractOptions) => ExtractedIdentifiers,
  rounds = 7,
): WorstCaseRow[] {
  const options = { defaultCountry: 'PL', ownDomains: ['shop.example'] };
  return worstCases.map(([name, message]) => {
    const body = JSON.stringify({ message });
    const ours: number[] = [];
    const reference: number[] = [];
    const ratios: number[] = [];
    let truncated = '';
    // Warm: a server runs this code many times a second, so a first (compiling) run is not counted.
    for (let warm = 0; warm < 5; warm++) extract(message, options);
    for (let round = 0; round < rounds; round++) {
      let found: ExtractedIdentifiers | undefined;
      const oursMs = timeOnce(() => {
        found = extract(message, options);
      });
      const referenceMs = timeOnce(() => JSON.parse(body));
      ours.push(oursMs);
      reference.push(referenceMs);
      ratios.push(oursMs / Math.max(referenceMs, 0.001));
      truncated = (found?.truncated ?? [])
        .map((part) => `${part.part} ${Math.round(part.read / 1000)}k/${Math.round(part.length / 1000)}k`)
        .join(', ');
    }
    return {
      name,
      oursMs: Math.round(median(ours) * 10) / 10,
      referenceMs: Math.round(median(reference) * 10) / 10,
      ratio: Math.round(median(ratios) * 100) / 100,
      truncated,
    };
  });
}

export function worstCaseSummary(rows: WorstCaseRow[]): string {
  const header = ['worst-case message', 'extract CPU ms', 'JSON.parse CPU ms', 'ratio', 'read only in part'];
  const cells = rows.map((r) => [r.name, r.oursMs.toFixed(1), r.referenceMs.toFixed(1), r.ratio.toFixed(2), r.truncated || '-']);
  const worst = rows.reduce((a, b) => (b.oursMs > a.oursMs ? b : a), rows[0] ?? { name: '-', oursMs: 0, ratio: 0 });
  return [
    table(header, cells),
    '',
    `worst extraction per message: ${worst.oursMs.toFixed(1)} ms (${worst.name}), ${worst.ratio.toFixed(2)}x its JSON.parse`,
  ].join('\n');
}
