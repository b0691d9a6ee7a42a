import browser from 'webextension-polyfill';
import type { Host } from './host.js';

/**
 * The real Thunderbird API. webextension-polyfill hands back Thunderbird's own
 * promise-based `browser` object (the same as `messenger`); this module is the
 * only one that touches it, so everything else can be given a fake.
 */
export const host = browser as unknown as Host;
