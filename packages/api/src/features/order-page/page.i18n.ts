/** The languages the order page is written in; anything else reads English. */
export const pageLanguages = ['en', 'de', 'pl'] as const;
export type PageLanguage = (typeof pageLanguages)[number];

/**
 * The order's language when the page has it ("de-AT" reads German), else the
 * shop's default language, else English.
 */
export function pageLanguage(orderLanguage: string | null, shopLanguage: string | null): PageLanguage {
  for (const candidate of [orderLanguage, shopLanguage]) {
    const primary = candidate?.trim().slice(0, 2).toLowerCase();
    const found = pageLanguages.find((language) => language === primary);
    if (found) return found;
  }
  return 'en';
}

export interface PageTexts {
  title: (number: string) => string;
  orderNumber: string;
  orderedOn: string;
  status: string;
  statusHistory: string;
  since: string;
  items: string;
  item: string;
  quantity: string;
  unitPrice: string;
  lineTotal: string;
  total: string;
  deliveryAddress: string;
  noDeliveryAddress: string;
  parcels: string;
  carrier: string;
  trackingNumber: string;
  trackParcel: string;
  documents: string;
  invoice: (number: string) => string;
  proforma: (number: string) => string;
  conversation: string;
  noMessages: string;
  fromShop: (shop: string) => string;
  fromYou: string;
  attachment: string;
  writeToUs: string;
  message: string;
  messageHint: (limit: number) => string;
  attachmentLabel: string;
  attachmentHint: (megabytes: number) => string;
  honeypot: string;
  send: string;
  sent: string;
  archived: string;
  formErrors: Partial<Record<string, string>>;
  notFoundTitle: string;
  notFoundText: string;
  errorTitle: string;
  unavailableText: string;
  errorText: string;
  /** A refused request (4xx) whose code has no text of its own. */
  refusedText: string;
  privateNote: string;
}

const en: PageTexts = {
  title: (number) => `Order ${number}`,
  orderNumber: 'Order number',
  orderedOn: 'Ordered on',
  status: 'Status',
  statusHistory: 'Status history',
  since: 'since',
  items: 'Items',
  item: 'Item',
  quantity: 'Qty',
  unitPrice: 'Price',
  lineTotal: 'Amount',
  total: 'Total',
  deliveryAddress: 'Delivery address',
  noDeliveryAddress: 'No delivery address given.',
  parcels: 'Shipping',
  carrier: 'Carrier',
  trackingNumber: 'Tracking number',
  trackParcel: 'Track the parcel',
  documents: 'Documents',
  invoice: (number) => `Invoice ${number} (PDF)`,
  proforma: (number) => `Pro-forma invoice ${number} (PDF)`,
  conversation: 'Messages',
  noMessages: 'No messages yet.',
  fromShop: (shop) => shop,
  fromYou: 'You',
  attachment: 'Attachment',
  writeToUs: 'Write to us',
  message: 'Your message',
  messageHint: (limit) => `Up to ${limit} characters.`,
  attachmentLabel: 'Attachment (optional)',
  attachmentHint: (megabytes) => `An image (PNG, JPEG, GIF, WebP) or a PDF, up to ${megabytes} MB.`,
  honeypot: 'Leave this field empty',
  send: 'Send message',
  sent: 'Thank you, your message has been sent. We will answer as soon as we can.',
  archived: 'This order is archived: the page can be read, but messages can no longer be sent from it.',
  formErrors: {
    FORM_TOKEN_INVALID: 'The form could not be verified. Your message is kept below; please send it again.',
    FORM_TOKEN_EXPIRED: 'The page was open for too long. Your message is kept below; please send it again.',
    MESSAGE_TOO_LONG: 'The message is too long.',
    VALIDATION_FAILED: 'The form could not be read. Please send it again.',
    FORM_DISABLED: 'Messages cannot be sent from this page.',
    ORDER_ARCHIVED: 'This order is archived: messages can no longer be sent from this page.',
    RATE_LIMITED: 'Too many messages were sent. Please try again later.',
    REQUIRED_FIELD: 'Please write a message.',
    PAYLOAD_TOO_LARGE: 'The attachment is too large.',
    FILE_TOO_LARGE: 'The attachment is too large.',
    FILE_TYPE_NOT_ALLOWED: 'The attachment must be an image (PNG, JPEG, GIF, WebP) or a PDF.',
    UNSUPPORTED_MEDIA_TYPE: 'The attachment must be an image (PNG, JPEG, GIF, WebP) or a PDF.',
    DATABASE_UNAVAILABLE: 'The message could not be saved right now. Please try again in a moment.',
    CROSS_SITE_POST:
      'This form can only be sent from the order page itself. Please open the page from the link you received and write there.',
  },
  notFoundTitle: 'Page not found',
  notFoundText: 'This order page does not exist or its address has changed. Please use the newest link you received from the shop.',
  errorTitle: 'Something went wrong',
  unavailableText: 'The page cannot be shown right now. Please try again in a moment.',
  errorText: 'The page cannot be shown because of an error on our side. Please try again later.',
  refusedText: 'This request could not be handled. Please open the order page from the link you received and try again.',
  privateNote: 'This page is private: anyone with its address can read it, so please do not share the link.',
};

const de: PageTexts = {
  title: (number) => `Bestellung ${number}`,
  orderNumber: 'Bestellnummer',
  orderedOn: 'Bestellt am',
  status: 'Status',
  statusHistory: 'Statusverlauf',
  since: 'seit',
  items: 'Artikel',
  item: 'Artikel',
  quantity: 'Menge',
  unitPrice: 'Preis',
  lineTotal: 'Betrag',
  total: 'Gesamtbetrag',
  deliveryAddress: 'Lieferadresse',
  noDeliveryAddress: 'Keine Lieferadresse angegeben.',
  parcels: 'Versand',
  carrier: 'Versanddienstleister',
  trackingNumber: 'Sendungsnummer',
  trackParcel: 'Sendung verfolgen',
  documents: 'Dokumente',
  invoice: (number) => `Rechnung ${number} (PDF)`,
  proforma: (number) => `Proformarechnung ${number} (PDF)`,
  conversation: 'Nachrichten',
  noMessages: 'Noch keine Nachrichten.',
  fromShop: (shop) => shop,
  fromYou: 'Sie',
  attachment: 'Anhang',
  writeToUs: 'Schreiben Sie uns',
  message: 'Ihre Nachricht',
  messageHint: (limit) => `Bis zu ${limit} Zeichen.`,
  attachmentLabel: 'Anhang (optional)',
  attachmentHint: (megabytes) => `Ein Bild (PNG, JPEG, GIF, WebP) oder ein PDF, bis zu ${megabytes} MB.`,
  honeypot: 'Dieses Feld bitte leer lassen',
  send: 'Nachricht senden',
  sent: 'Vielen Dank, Ihre Nachricht wurde gesendet. Wir antworten so bald wie möglich.',
  archived: 'Diese Bestellung ist archiviert: Die Seite kann gelesen werden, aber es können keine Nachrichten mehr gesendet werden.',
  formErrors: {
    FORM_TOKEN_INVALID: 'Das Formular konnte nicht geprüft werden. Ihre Nachricht steht unten; bitte senden Sie sie erneut.',
    FORM_TOKEN_EXPIRED: 'Die Seite war zu lange geöffnet. Ihre Nachricht steht unten; bitte senden Sie sie erneut.',
    MESSAGE_TOO_LONG: 'Die Nachricht ist zu lang.',
    VALIDATION_FAILED: 'Das Formular konnte nicht gelesen werden. Bitte senden Sie es erneut.',
    INVALID_VALUE: 'Die Nachricht oder der Anhang konnte nicht angenommen werden. Bitte prüfen Sie beides und senden Sie erneut.',
    FORM_DISABLED: 'Über diese Seite können keine Nachrichten gesendet werden.',
    ORDER_ARCHIVED: 'Diese Bestellung ist archiviert: Über diese Seite können keine Nachrichten mehr gesendet werden.',
    RATE_LIMITED: 'Es wurden zu viele Nachrichten gesendet. Bitte versuchen Sie es später erneut.',
    REQUIRED_FIELD: 'Bitte schreiben Sie eine Nachricht.',
    PAYLOAD_TOO_LARGE: 'Der Anhang ist zu groß.',
    FILE_TOO_LARGE: 'Der Anhang ist zu groß.',
    FILE_TYPE_NOT_ALLOWED: 'Der Anhang muss ein Bild (PNG, JPEG, GIF, WebP) oder ein PDF sein.',
    UNSUPPORTED_MEDIA_TYPE: 'Der Anhang muss ein Bild (PNG, JPEG, GIF, WebP) oder ein PDF sein.',
    DATABASE_UNAVAILABLE: 'Die Nachricht konnte gerade nicht gespeichert werden. Bitte versuchen Sie es gleich noch einmal.',
    CROSS_SITE_POST:
      'Dieses Formular kann nur von der Bestellseite selbst gesendet werden. Bitte öffnen Sie die Seite über den erhaltenen Link und schreiben Sie dort.',
  },
  notFoundTitle: 'Seite nicht gefunden',
  notFoundText:
    'Diese Bestellseite existiert nicht oder ihre Adresse hat sich geändert. Bitte verwenden Sie den neuesten Link, den Sie vom Shop erhalten haben.',
  errorTitle: 'Etwas ist schiefgelaufen',
  unavailableText: 'Die Seite kann gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.',
  errorText: 'Die Seite kann wegen eines Fehlers auf unserer Seite nicht angezeigt werden. Bitte versuchen Sie es später erneut.',
  refusedText:
    'Diese Anfrage konnte nicht bearbeitet werden. Bitte öffnen Sie die Bestellseite über den erhaltenen Link und versuchen Sie es erneut.',
  privateNote: 'Diese Seite ist privat: Jeder, der ihre Adresse kennt, kann sie lesen. Bitte geben Sie den Link nicht weiter.',
};

const pl: PageTexts = {
  title: (number) => `Zamówienie ${number}`,
  orderNumber: 'Numer zamówienia',
  orderedOn: 'Data zamówienia',
  status: 'Status',
  statusHistory: 'Historia statusu',
  since: 'od',
  items: 'Produkty',
  item: 'Produkt',
  quantity: 'Ilość',
  unitPrice: 'Cena',
  lineTotal: 'Wartość',
  total: 'Razem',
  deliveryAddress: 'Adres dostawy',
  noDeliveryAddress: 'Nie podano adresu dostawy.',
  parcels: 'Wysyłka',
  carrier: 'Przewoźnik',
  trackingNumber: 'Numer przesyłki',
  trackParcel: 'Śledź przesyłkę',
  documents: 'Dokumenty',
  invoice: (number) => `Faktura ${number} (PDF)`,
  proforma: (number) => `Faktura pro forma ${number} (PDF)`,
  conversation: 'Wiadomości',
  noMessages: 'Brak wiadomości.',
  fromShop: (shop) => shop,
  fromYou: 'Ty',
  attachment: 'Załącznik',
  writeToUs: 'Napisz do nas',
  message: 'Twoja wiadomość',
  messageHint: (limit) => `Do ${limit} znaków.`,
  attachmentLabel: 'Załącznik (opcjonalnie)',
  attachmentHint: (megabytes) => `Obraz (PNG, JPEG, GIF, WebP) lub PDF, do ${megabytes} MB.`,
  honeypot: 'Pozostaw to pole puste',
  send: 'Wyślij wiadomość',
  sent: 'Dziękujemy, Twoja wiadomość została wysłana. Odpowiemy najszybciej, jak to możliwe.',
  archived: 'To zamówienie jest w archiwum: stronę można przeczytać, ale nie można już z niej wysyłać wiadomości.',
  formErrors: {
    FORM_TOKEN_INVALID: 'Nie udało się zweryfikować formularza. Twoja wiadomość jest poniżej; wyślij ją ponownie.',
    FORM_TOKEN_EXPIRED: 'Strona była otwarta zbyt długo. Twoja wiadomość jest poniżej; wyślij ją ponownie.',
    MESSAGE_TOO_LONG: 'Wiadomość jest za długa.',
    VALIDATION_FAILED: 'Nie udało się odczytać formularza. Wyślij go ponownie.',
    INVALID_VALUE: 'Nie można przyjąć wiadomości lub załącznika. Sprawdź je i wyślij ponownie.',
    FORM_DISABLED: 'Z tej strony nie można wysyłać wiadomości.',
    ORDER_ARCHIVED: 'To zamówienie jest w archiwum: nie można już wysyłać wiadomości z tej strony.',
    RATE_LIMITED: 'Wysłano zbyt wiele wiadomości. Spróbuj ponownie później.',
    REQUIRED_FIELD: 'Napisz wiadomość.',
    PAYLOAD_TOO_LARGE: 'Załącznik jest za duży.',
    FILE_TOO_LARGE: 'Załącznik jest za duży.',
    FILE_TYPE_NOT_ALLOWED: 'Załącznik musi być obrazem (PNG, JPEG, GIF, WebP) lub plikiem PDF.',
    UNSUPPORTED_MEDIA_TYPE: 'Załącznik musi być obrazem (PNG, JPEG, GIF, WebP) lub plikiem PDF.',
    DATABASE_UNAVAILABLE: 'Nie udało się teraz zapisać wiadomości. Spróbuj ponownie za chwilę.',
    CROSS_SITE_POST: 'Ten formularz można wysłać tylko ze strony zamówienia. Otwórz stronę z otrzymanego linku i napisz tam.',
  },
  notFoundTitle: 'Nie znaleziono strony',
  notFoundText: 'Ta strona zamówienia nie istnieje lub jej adres się zmienił. Użyj najnowszego linku otrzymanego ze sklepu.',
  errorTitle: 'Coś poszło nie tak',
  unavailableText: 'Nie można teraz wyświetlić strony. Spróbuj ponownie za chwilę.',
  errorText: 'Nie można wyświetlić strony z powodu błędu po naszej stronie. Spróbuj ponownie później.',
  refusedText: 'Nie udało się obsłużyć tego żądania. Otwórz stronę zamówienia z otrzymanego linku i spróbuj ponownie.',
  privateNote: 'Ta strona jest prywatna: każdy, kto zna jej adres, może ją przeczytać, więc nie udostępniaj linku.',
};

export const pageTexts: Record<PageLanguage, PageTexts> = { en, de, pl };

/** BCP 47 locales for dates, numbers and country names. */
const locales: Record<PageLanguage, string> = { en: 'en-GB', de: 'de-DE', pl: 'pl-PL' };

/**
 * The shop keeps no time zone: times are shown in the zone of its default
 * country where that is one zone, else in UTC (and the zone is printed).
 */
const zonesByCountry: Record<string, string> = {
  PL: 'Europe/Warsaw',
  DE: 'Europe/Berlin',
  AT: 'Europe/Vienna',
  CH: 'Europe/Zurich',
  CZ: 'Europe/Prague',
  SK: 'Europe/Bratislava',
  NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels',
  FR: 'Europe/Paris',
  IT: 'Europe/Rome',
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  LT: 'Europe/Vilnius',
  DK: 'Europe/Copenhagen',
  SE: 'Europe/Stockholm',
};

export interface PageFormat {
  date(value: Date): string;
  dateTime(value: Date): string;
  money(amount: string | number, currency: string): string;
  integer(value: number): string;
}

/**
 * Intl formatters cost far more to make than to use (about 1 ms for a page's
 * worth, more than the page's query): made once per language, zone and
 * currency and kept. The keys are few (3 languages × the shops' zones × the
 * currencies in use), and unknown currency codes are not kept.
 */
const formats = new Map<string, PageFormat>();
const currencyFormats = new Map<string, Intl.NumberFormat>();

function currencyFormat(locale: string, currency: string): Intl.NumberFormat | null {
  const key = `${locale}|${currency}`;
  let format = currencyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      return null;
    }
    currencyFormats.set(key, format);
  }
  return format;
}

export function pageFormat(language: PageLanguage, shopCountry: string): PageFormat {
  const locale = locales[language];
  const timeZone = zonesByCountry[shopCountry.toUpperCase()] ?? 'UTC';
  const key = `${locale}|${timeZone}`;
  const known = formats.get(key);
  if (known) return known;
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const zone = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
  const zoneName = (value: Date) => zone.formatToParts(value).find((part) => part.type === 'timeZoneName')?.value ?? '';
  const integer = new Intl.NumberFormat(locale);
  const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const format: PageFormat = {
    date: (value) => date.format(value),
    dateTime: (value) => `${dateTime.format(value)} ${zoneName(value)}`.trim(),
    money: (amount, currency) => {
      const value = Number(amount);
      // A currency code Intl does not know: the amount and the code as the shop wrote it.
      return currencyFormat(locale, currency)?.format(value) ?? `${plain.format(value)} ${currency}`;
    },
    integer: (value) => integer.format(value),
  };
  formats.set(key, format);
  return format;
}

/**
 * The customer-facing names of the statuses every shop starts with, in the
 * page's languages. A status keeps the seller's own name once it was renamed
 * (its name is then no longer the English default): only the built-in names
 * are translated, never what a seller wrote.
 */
const builtInStatusNames: Record<string, Record<PageLanguage, string>> = {
  new: { en: 'Received', de: 'Eingegangen', pl: 'Przyjęte' },
  paid: { en: 'Payment received', de: 'Zahlung eingegangen', pl: 'Płatność otrzymana' },
  processing: { en: 'Being prepared', de: 'In Bearbeitung', pl: 'W przygotowaniu' },
  shipped: { en: 'On its way', de: 'Unterwegs', pl: 'W drodze' },
  delivered: { en: 'Delivered', de: 'Zugestellt', pl: 'Dostarczone' },
  cancelled: { en: 'Cancelled', de: 'Storniert', pl: 'Anulowane' },
  returned: { en: 'Returned', de: 'Zurückgesandt', pl: 'Zwrócone' },
};

/** A status's name on the page: a built-in one in the page's language, else as the seller named it for customers. */
export function customerStatusName(lang: PageLanguage, statusId: string, customerName: string | undefined): string {
  const builtIn = builtInStatusNames[statusId];
  if (builtIn && (customerName === undefined || customerName === builtIn.en)) return builtIn[lang];
  return customerName ?? statusId;
}
