import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address a request comes from, as a key for per-client limits: the
 * socket's peer, or — only when TRUST_PROXY is on, behind one reverse proxy
 * that appends to it — the last X-Forwarded-For entry (earlier entries are the
 * client's to forge) when it is an IP address. IPv4-mapped IPv6 becomes plain IPv4; an IPv6 address
 * counts by its /64, which one machine usually holds whole. `unknown` when
 * there is no socket (requests made in-process).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req
      .header('x-forwarded-for')
      ?.split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .at(-1);
    // Only an address is one: anything else (a client talking to the API past the proxy, a broken proxy) would
    // become a rate-limit key of any length and text — a key too long for its index fails the request (500).
    if (forwarded && isIP(forwarded.split('%')[0] ?? '') !== 0) return normalise(forwarded);
  }
  try {
    const address = getConnInfo(c).remote.address;
    return address ? normalise(address) : 'unknown';
  } catch {
    return 'unknown';
  }
}

function normalise(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('%')[0]?.split('::') ?? [];
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
