/**
 * Tracking pages of common carriers, for `[shipment_track_link]` (and for the
 * add-on to show). Carriers are free text from shops and marketplaces
 * ("InPost", "Paczkomaty InPost", "DPD Polska", "DHL Express"), so a carrier
 * is recognised by the words in its name, compared without case, spaces or
 * punctuation; the first rule that matches wins, so the more specific ones
 * (DHL Express before DHL) come first.
 */
const carriers: readonly { carrier: string; matches: RegExp; url: (encodedNumber: string) => string }[] = [
  { carrier: 'InPost', matches: /inpost|paczkomat/, url: (n) => `https://inpost.pl/sledzenie-przesylek?number=${n}` },
  {
    carrier: 'DHL Express',
    matches: /dhlexpress/,
    url: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}`,
  },
  {
    carrier: 'DHL',
    matches: /dhl/,
    url: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=${n}`,
  },
  { carrier: 'DPD', matches: /dpd/, url: (n) => `https://tracktrace.dpd.com.pl/parcelDetails?typ=1&p1=${n}` },
  { carrier: 'UPS', matches: /^ups|unitedparcel/, url: (n) => `https://www.ups.com/track?tracknum=${n}` },
  { carrier: 'FedEx', matches: /fedex/, url: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}` },
  { carrier: 'GLS', matches: /^gls/, url: (n) => `https://gls-group.com/EU/en/parcel-tracking?match=${n}` },
  {
    carrier: 'Poczta Polska',
    matches: /pocztapolska|pocztex|envelo/,
    url: (n) => `https://emonitoring.poczta-polska.pl/?numer=${n}`,
  },
  {
    carrier: 'Deutsche Post',
    matches: /deutschepost/,
    url: (n) => `https://www.deutschepost.de/sendung/simpleQuery.html?form.sendungsnummer=${n}`,
  },
  { carrier: 'Packeta', matches: /packeta|zasilkovna/, url: (n) => `https://tracking.packeta.com/en/?id=${n}` },
  { carrier: 'USPS', matches: /usps|unitedstatespostal/, url: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}` },
  { carrier: 'Royal Mail', matches: /royalmail/, url: (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}` },
];

/** The carriers `trackingLink` knows, for documentation. */
export const trackedCarriers: readonly string[] = carriers.map((entry) => entry.carrier);

/** The tracking page of a parcel, or null when the carrier is not one we know; the number is URL-encoded. */
export function trackingLink(carrier: string, trackingNumber: string): string | null {
  const key = carrier.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const number = trackingNumber.trim();
  if (key === '' || number === '') return null;
  const entry = carriers.find((candidate) => candidate.matches.test(key));
  return entry ? entry.url(encodeURIComponent(number)) : null;
}
