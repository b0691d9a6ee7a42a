import { compactIdentifier } from '@orderpost/shared';
import { seededRandom } from './orders.js';

/**
 * Customer e-mails for the match benchmark, as a mail client shows them: a few
 * KB of text with the quoted earlier conversation. Each is about one of the
 * generated orders through one signal (a reply to our e-mail, the buyer as
 * sender, the number in the subject, a tracking number, a phone in the
 * signature) or about none.
 */
export interface BenchOrder {
  number: string;
  email: string;
  phone: string;
}

export interface BenchMessage {
  kind: MessageKind;
  /** The order it is about (null for mail about no order). */
  number: string | null;
  message: { from: string; to: string; subject: string; messageId: string; inReplyTo?: string; references?: string; text: string };
}

export const messageKinds = ['reply', 'sender', 'subject-number', 'tracking', 'phone', 'none'] as const;
export type MessageKind = (typeof messageKinds)[number];

/** What the fixture SQL gives each order (bench/match.ts): its sent Message-IDs and a parcel for two orders in three. */
export const sentMessageId = (number: string, n: number) => `op.${compactIdentifier(number).toLowerCase()}.${n}@mail.shop.example`;
export const orderSerial = (number: string) => Number(number.replace(/\D/g, '') || '0');
export const trackingNumber = (number: string) => `6200${number.replace(/\D/g, '').padStart(20, '0')}`;
export const hasParcel = (number: string) => orderSerial(number) % 3 !== 0;

const filler = [
  'Dzień dobry, piszę w sprawie mojego zamówienia, bo do dziś nie dostałam informacji, kiedy przesyłka dotrze.',
  'Czy mogę jeszcze dopisać do zamówienia osłonkę w kolorze białym i zapłacić przy odbiorze?',
  'Roślina przyszła w dobrym stanie, ale doniczka była pęknięta, przesyłam zdjęcie w załączniku.',
  'Hello, I would like to change the delivery address to my office, the parcel locker near my home is full.',
  'Ich habe heute die Lieferung erhalten, leider fehlt der Dünger, der in der Rechnung steht.',
  'Proszę o fakturę na firmę, dane podam w osobnej wiadomości, termin płatności 14 dni.',
];

const quotedShopMail = (number: string) => [
  `W dniu 3.11.2026 o 14:00 Zielony Parapet <sklep@shop.example> napisał(a):`,
  '> Dzień dobry,',
  `> dziękujemy za zamówienie ${number} z dnia 2.11.2026.`,
  '> Wartość zamówienia: 189,90 zł (w tym dostawa 14,99 zł).',
  '> Adres dostawy: ul. Długa 5, 10-234 Olsztyn.',
  '> Paczkę wyślemy w ciągu 2 dni roboczych; numer przesyłki prześlemy osobno.',
  '> Godziny pracy sklepu: pn-pt 9:00-17:00, tel. 89 523 45 67.',
  '> Regulamin: https://shop.example/regulamin/2026/11 , zwroty do 14 dni.',
  '> Pozdrawiamy, zespół Zielony Parapet',
];

/** A few KB: some paragraphs and the quoted earlier conversation (the shop's mail about the order, or the customer's own earlier text). */
function body(random: () => number, lines: string[], quotedNumber: string | null): string {
  const paragraphs = Array.from({ length: 4 + Math.floor(random() * 4) }, () => filler[Math.floor(random() * filler.length)] ?? '');
  const quote = quotedNumber
    ? Array.from({ length: 3 }, () => quotedShopMail(quotedNumber)).flat()
    : [
        'Am 2.11.2026 um 10:00 schrieb ich:',
        ...Array.from({ length: 24 }, () => `> ${filler[Math.floor(random() * filler.length)] ?? ''}`),
      ];
  return [...lines, '', ...paragraphs, '', 'Pozdrawiam', '', ...quote, ''].join('\n');
}

export function generateMessages(orders: BenchOrder[], count: number, seed = 7): BenchMessage[] {
  const random = seededRandom(seed);
  const messages: BenchMessage[] = [];
  for (let i = 0; i < count; i++) {
    const kind = messageKinds[i % messageKinds.length] ?? 'none';
    let order = orders[Math.floor(random() * orders.length)];
    if (kind === 'tracking') while (order && !hasParcel(order.number)) order = orders[Math.floor(random() * orders.length)];
    if (!order) throw new Error('no orders to write about');
    const stranger = `klient${i}@poczta.example`;
    const messageId = `m${i}.${Math.floor(random() * 1e9)}@poczta.example`;
    const base = { to: 'sklep@shop.example', messageId };
    switch (kind) {
      case 'reply':
        messages.push({
          kind,
          number: order.number,
          message: {
            ...base,
            from: stranger,
            subject: 'Re: Twoje zamówienie zostało wysłane',
            inReplyTo: `<${sentMessageId(order.number, 5)}>`,
            references: `<${sentMessageId(order.number, 1)}> <${sentMessageId(order.number, 5)}>`,
            text: body(random, [], order.number),
          },
        });
        break;
      case 'sender':
        messages.push({
          kind,
          number: order.number,
          message: { ...base, from: order.email, subject: 'Pytanie', text: body(random, [], order.number) },
        });
        break;
      case 'subject-number':
        messages.push({
          kind,
          number: order.number,
          message: { ...base, from: stranger, subject: `Zamówienie nr ${order.number}`, text: body(random, [], order.number) },
        });
        break;
      case 'tracking':
        messages.push({
          kind,
          number: order.number,
          message: {
            ...base,
            from: stranger,
            subject: 'Przesyłka',
            text: body(random, [`Numer przesyłki ${trackingNumber(order.number)} nie zmienia statusu od 3 dni.`], order.number),
          },
        });
        break;
      case 'phone':
        messages.push({
          kind,
          number: order.number,
          message: {
            ...base,
            from: stranger,
            subject: 'Zmiana adresu',
            text: `${body(random, [], null)}\n--\nTel. +48 ${order.phone.slice(0, 3)} ${order.phone.slice(3, 6)} ${order.phone.slice(6)}\n`,
          },
        });
        break;
      case 'none':
        messages.push({
          kind,
          number: null,
          message: {
            ...base,
            from: `news${i}@newsletter.example`,
            subject: 'Promocja tygodnia: -20% na doniczki',
            text: body(random, ['Ceny od 19,99 zł, ważne do 30.11.2026. Sklep: https://newsletter.example/p/2026/10245'], null),
          },
        });
        break;
    }
  }
  return messages;
}
