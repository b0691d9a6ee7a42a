import { describe, expect, it } from 'vitest';
import { trackingLink } from './tracking-links.js';

describe('trackingLink', () => {
  it.each([
    ['InPost', '620000000000000000000000', 'https://inpost.pl/sledzenie-przesylek?number=620000000000000000000000'],
    ['Paczkomaty InPost', '6200 11', 'https://inpost.pl/sledzenie-przesylek?number=6200%2011'],
    ['DPD Polska', '0000123', 'https://tracktrace.dpd.com.pl/parcelDetails?typ=1&p1=0000123'],
    ['DHL', 'JJD01', 'https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=JJD01'],
    ['DHL Express', '1234567890', 'https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=1234567890'],
    ['UPS', '1Z999AA10123456784', 'https://www.ups.com/track?tracknum=1Z999AA10123456784'],
    ['FedEx', '449044304137821', 'https://www.fedex.com/fedextrack/?trknbr=449044304137821'],
    ['GLS Poland', '123', 'https://gls-group.com/EU/en/parcel-tracking?match=123'],
    ['Poczta Polska', 'RR123456789PL', 'https://emonitoring.poczta-polska.pl/?numer=RR123456789PL'],
    ['Pocztex', 'PX1', 'https://emonitoring.poczta-polska.pl/?numer=PX1'],
    ['USPS', '9400', 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400'],
    ['Royal Mail', 'AB123456789GB', 'https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB'],
    ['Packeta', 'Z123', 'https://tracking.packeta.com/en/?id=Z123'],
  ])('links %s parcels', (carrier, number, url) => {
    expect(trackingLink(carrier, number)).toBe(url);
  });

  it('URL-encodes the number, so it cannot change the address', () => {
    expect(trackingLink('UPS', '1&x=<script>#')).toBe('https://www.ups.com/track?tracknum=1%26x%3D%3Cscript%3E%23');
  });

  it.each([['Kurier lokalny'], ['Groups Delivery'], ['']])('knows no page for %s', (carrier) => {
    expect(trackingLink(carrier, '123')).toBeNull();
  });
});
