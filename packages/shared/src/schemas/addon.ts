import { z } from 'zod';

/**
 * Messages from the add-on's popup and options page to its background (and,
 * through the end-to-end hook, from the test add-on). One discriminated union,
 * validated where it is received, so a page and the background cannot drift
 * apart on a string constant.
 */
const id = z.number().int().positive();

export const addonLanguage = z.enum(['auto', 'en', 'de', 'pl']);
export type AddonLanguage = z.infer<typeof addonLanguage>;

export const addonSettings = z.object({
  /** The API's base address, e.g. "https://orders.example.com" or "http://localhost:3000". */
  apiUrl: z.string().max(2000),
  token: z.string().max(500),
  language: addonLanguage,
  /** Tag matched messages with the order number (Thunderbird tags). */
  tagMessages: z.boolean(),
});
export type AddonSettings = z.infer<typeof addonSettings>;

export const addonRequest = z.discriminatedUnion('type', [
  /** What the popup shows for the message displayed in this tab. */
  z.object({ type: z.literal('popup/open'), tabId: z.number().int() }),
  z.object({ type: z.literal('order/get'), orderId: id }),
  z.object({ type: z.literal('order/search'), query: z.string().trim().min(1).max(320) }),
  z.object({ type: z.literal('templates/list') }),
  z.object({ type: z.literal('statuses/list') }),
  /** Opens Thunderbird's reply to the message with the rendered template above the quote. */
  z.object({ type: z.literal('reply/template'), messageId: id, orderId: id, templateId: id }),
  /** Files the displayed e-mail into the order's history (and teaches the matcher). */
  z.object({ type: z.literal('email/file'), messageId: id, orderId: id }),
  /** "Not this order". */
  z.object({ type: z.literal('match/unlink'), messageId: id, orderId: id }),
  z.object({ type: z.literal('note/add'), orderId: id, text: z.string().trim().min(1).max(10_000) }),
  z.object({ type: z.literal('status/change'), orderId: id, status: z.string().min(1).max(40) }),
  z.object({ type: z.literal('settings/get') }),
  z.object({ type: z.literal('settings/save'), settings: addonSettings }),
  /** Tries an address and token without saving them. */
  z.object({ type: z.literal('connection/test'), apiUrl: z.string().max(2000), token: z.string().max(500) }),
]);
export type AddonRequest = z.infer<typeof addonRequest>;
export type AddonRequestType = AddonRequest['type'];

/** The end-to-end test add-on's questions (accepted only from its extension id). */
export const addonE2eRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('e2e/state'), tabId: z.number().int() }),
  z.object({ type: z.literal('e2e/ui'), message: addonRequest }),
  /** Opens the message display action's popup in a window (for the e2e screenshot); answers whether it opened. */
  z.object({ type: z.literal('e2e/openPopup'), windowId: z.number().int().optional(), tabId: z.number().int().optional() }),
]);
export type AddonE2eRequest = z.infer<typeof addonE2eRequest>;
