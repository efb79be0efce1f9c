import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may go: HTTP(S) URLs whose host resolves only to public addresses. Private, loopback,
 * link-local, carrier-grade NAT, multicast and reserved ranges are refused unless `allowedNetworks` (CIDRs or
 * addresses, ELEVATE_WEBHOOK_ALLOWED_NETWORKS) lets them through. Checked at registration and again at every
 * delivery, on the addresses the connection will use (a host name re-pointed later — DNS rebinding — is caught).
 */
export interface WebhookAddressGuard {
  /** Why the URL is refused (without opening any connection), or null when it may be called. */
  check(url: string): Promise<string | null>;
  /** A `lookup` for http.request that resolves and refuses what `check` would, so the socket never connects. */
  readonly lookup: (
    hostname: string,
    options: object,
    callback: (
      error: Error | null,
      address: string | { address: string; family: number }[],
      family?: number,
    ) => void,
  ) => void;
}

const forbiddenV4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;
const forbiddenV6 = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const;

function blockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const family = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (!address || !isIP(address)) throw new Error(`'${entry}' is not an IP address or CIDR block`);
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as the IPv4 address it carries. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (mapped?.[1]) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export function createWebhookAddressGuard(
  options: {
    allowedNetworks?: readonly string[];
    /** Resolves a host name to its addresses (tests may pin it); DNS by default. */
    resolve?: (hostname: string) => Promise<string[]>;
  } = {},
): WebhookAddressGuard {
  const forbidden = new BlockList();
  for (const [a, bits] of forbiddenV4) forbidden.addSubnet(a, bits, 'ipv4');
  for (const [a, bits] of forbiddenV6) forbidden.addSubnet(a, bits, 'ipv6');
  const allowed = blockList(options.allowedNetworks ?? []);
  const resolve =
    options.resolve ?? (async (host: string) => (await lookup(host, { all: true })).map((r) => r.address));

  function refusal(address: string): string | null {
    const a = normalise(address);
    if (allowed.check(a.address, a.family)) return null;
    return forbidden.check(a.address, a.family)
      ? `${address} is a private, loopback, link-local or reserved address (allow it with ELEVATE_WEBHOOK_ALLOWED_NETWORKS)`
      : null;
  }

  async function addressesOf(hostname: string): Promise<string[]> {
    const bare = hostname.replace(/^\[|\]$/g, '');
    if (isIP(bare)) return [bare];
    const found = await resolve(bare);
    if (found.length === 0) throw new Error(`${hostname} has no address`);
    return found;
  }

  return {
    async check(raw) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return 'it is not an absolute URL';
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return `only http and https URLs are allowed, not ${url.protocol}`;
      if (url.username || url.password) return 'it must not carry credentials';
      let addresses: string[];
      try {
        addresses = await addressesOf(url.hostname);
      } catch (error) {
        return `its host ${url.hostname} does not resolve (${error instanceof Error ? error.message : String(error)})`;
      }
      for (const address of addresses) {
        const why = refusal(address);
        if (why) return `${url.hostname} resolves to ${why}`;
      }
      return null;
    },
    lookup(hostname, options, callback) {
      addressesOf(hostname).then(
        (addresses) => {
          for (const address of addresses) {
            const why = refusal(address);
            if (why) return callback(new Error(`${hostname} resolves to ${why}`), []);
          }
          const all = addresses.map((address) => ({ address, family: isIP(address) }));
          if ((options as { all?: boolean }).all) return callback(null, all);
          callback(null, all[0]!.address, all[0]!.family);
        },
        (error: Error) => callback(error, []),
      );
    },
  };
}
