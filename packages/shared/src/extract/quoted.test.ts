import { describe, expect, it } from 'vitest';
import { splitQuotedLines } from './quoted.js';

const quotedFlags = (body: string) => splitQuotedLines(body).map((line) => line.quoted);

describe('splitQuotedLines', () => {
  it('marks ">" lines only', () => {
    expect(quotedFlags('new 10243\n> old 10231\n>> older\nnew again')).toEqual([false, true, true, false]);
  });

  it.each([
    ['English', 'On Mon, 2 Nov 2026 at 10:00, Kawa & Co <sklep@kawa-co.example> wrote:'],
    ['Polish Gmail', 'W dniu pon., 2 lis 2026 o 10:00 Kawa & Co <sklep@kawa-co.example> napisał(a):'],
    ['Polish Thunderbird', 'W dniu 2.11.2026 o 10:00, Kawa & Co pisze:'],
    ['German', 'Am 02.11.26 um 10:00 schrieb Kawa & Co:'],
    ['German Gmail', 'Am Mo., 2. Nov. 2026 um 10:00 Uhr schrieb Kawa & Co <sklep@kawa-co.example>:'],
    ['French', 'Le lun. 2 nov. 2026 à 10:00, Kawa & Co <sklep@kawa-co.example> a écrit :'],
    ['Italian', 'Il giorno lun 2 nov 2026 alle ore 10:00 Kawa & Co ha scritto:'],
    ['Spanish', 'El lun, 2 nov 2026 a las 10:00, Kawa & Co escribió:'],
    ['Czech', 'Dne po 2. 11. 2026 v 10:00 Kawa & Co napsal(a):'],
    ['Dutch', 'Op ma 2 nov. 2026 om 10:00 schreef Kawa & Co <sklep@kawa-co.example>:'],
    ['Outlook separator', '-----Original Message-----'],
    ['Polish Outlook separator', '-------- Wiadomość oryginalna --------'],
    ['forward', '---------- Forwarded message ---------'],
    ['German Outlook separator', '----- Ursprüngliche Nachricht -----'],
  ])('quotes everything from a %s attribution on', (_label, attribution) => {
    expect(quotedFlags(`Thanks!\n${attribution}\nYour order 10231 was shipped.\n\nKawa & Co`)).toEqual([false, true, true, true, true]);
  });

  it('recognises an attribution wrapped over two lines', () => {
    expect(quotedFlags('Hi\nOn Mon, 2 Nov 2026 at 10:00, Kawa & Co <\nsklep@kawa-co.example> wrote:\nold')).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });

  it('quotes an Outlook header block', () => {
    const body =
      'Please check.\n\nFrom: Kawa & Co <sklep@kawa-co.example>\nSent: Monday, November 2, 2026 10:00\nTo: Jan\nSubject: Order 10231\n\nold text';
    expect(quotedFlags(body)).toEqual([false, false, true, true, true, true, true, true]);
  });

  it.each([
    ['a sentence mentioning who wrote', 'Kupujący mama_zosi napisał:\n"Czy mogę dopłacić?"'],
    ['a "From:" line without a date line', 'From: my office\nplease send it there'],
    ['a line starting with "On" without "wrote:"', 'On Monday I ordered 10243:\nstill waiting'],
  ])('does not quote %s', (_label, body) => {
    expect(quotedFlags(body).every((quoted) => !quoted)).toBe(true);
  });
});
