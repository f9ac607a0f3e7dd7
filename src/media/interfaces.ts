/**
 * whisperd's logical media interfaces (rtpengine `interface = NAME/ADDRESS!ADVERTISED;...`, facts from
 * rtpengine mr10.5.3.5 daemon/media_socket.c `get_logical_interface`, daemon/call.c `__init_interface`):
 *
 *   - a logical interface has a name and one or more addresses (IPv4 and/or IPv6); entries of the config
 *     list (`media.interfaces`) with the same name are one interface, in config order;
 *   - each address is what a socket binds to and what is written into SDP (the advertised address);
 *   - a leg's socket is placed at signalling time: `select(name, family)` — the named interface (ng
 *     `direction`) or, unnamed, the first interface that has an address of that family; within it the
 *     first address of that family, else its first address. An unknown name falls back as rtpengine
 *     does: the legacy names `internal`/`external` mean IPv4/IPv6, anything else the default, and a
 *     warning is returned.
 *   - names `BASE:SUFFIX` (e.g. pub:1, pub:2) can be asked for by BASE (`direction: ["pub", ...]`): each
 *     request takes the next one round robin (among those with an address of the family asked for);
 *     unnamed requests do the same when the default interface has such a name; the legacy direction
 *     `round-robin-calls` round-robins over every interface. (rtpengine also skips an interface whose
 *     port range is full; here every interface shares the one port range.)
 *
 * An address may also be given as a network interface of this host (`eth0`: all its addresses, IPv4
 * and IPv6, as several entries of that name; IPv6 link-local ones left out, they need a scope) or
 * `any` (every address of every non-loopback interface), resolved once at start (rtpengine.pod
 * INTERFACES). At most MAX_MEDIA_ADDRESSES distinct addresses (bound and advertised) in all.
 *
 * Without `media.interfaces` there is one interface, `default`, from media.address/advertisedAddress.
 * Pure data, decided at start; nothing here runs per packet.
 */
import { isIP, SocketAddress } from 'node:net';
import os from 'node:os';

export type Family = 4 | 6;

/** Most distinct media addresses (bound + advertised): whisperd's own-socket table holds this many. */
export const MAX_MEDIA_ADDRESSES = 16;

/**
 * The usable addresses of network interface `name` of this host, or of every non-loopback one for
 * `any`, in the order the OS lists them; IPv6 link-local addresses are left out (binding one needs a
 * scope). [] when there is no such interface.
 */
export function systemAddresses(name: string, nics: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string[] {
  const lists = name === 'any' ? Object.values(nics).map((l) => (l ?? []).filter((i) => !i.internal)) : [nics[name] ?? []];
  const out: string[] = [];
  for (const l of lists) {
    for (const i of l) {
      if (i.family === 'IPv6' && /^fe[89ab]/i.test(i.address)) continue;
      if (!out.includes(i.address)) out.push(i.address);
    }
  }
  return out;
}

export interface InterfaceAddress {
  /** Logical interface name. */
  name: string;
  /** Address sockets bind to (canonical text). */
  bind: string;
  /** Address written into SDP (canonical text; = bind when not configured). */
  advertised: string;
  family: Family;
}

export interface InterfaceSpec {
  name: string;
  address: string;
  advertisedAddress: string;
}

export interface Selection {
  address: InterfaceAddress;
  /** Set when the request could not be honoured as asked (unknown interface, family not configured). */
  warning?: string;
}

/** RFC 5952 text of an IP literal (what Node reports as a packet's source); other strings unchanged. */
export function canonicalIp(address: string): string {
  const v = isIP(address);
  if (v === 0) return address;
  try {
    return new SocketAddress({ address, family: v === 6 ? 'ipv6' : 'ipv4' }).address;
  } catch {
    return address;
  }
}

/** 'IP4' / 'IP6' (ng `address family`, case-insensitive) -> 4 / 6; anything else undefined. */
export function familyOf(ngFamily: string | undefined): Family | undefined {
  const f = ngFamily?.trim().toUpperCase();
  return f === 'IP4' ? 4 : f === 'IP6' ? 6 : undefined;
}

/** Family of an IP literal, undefined for anything else. */
export function familyOfAddress(address: string | null | undefined): Family | undefined {
  if (address === null || address === undefined) return undefined;
  const v = isIP(address);
  return v === 4 ? 4 : v === 6 ? 6 : undefined;
}

export class Interfaces {
  /** Every address, in config order. */
  readonly addresses: readonly InterfaceAddress[];
  /** Interface names, in config order (the first is the default for an unnamed IPv4 request). */
  readonly names: readonly string[];
  private readonly byBind = new Map<string, InterfaceAddress>();
  /** Round-robin position per BASE (and family), for `BASE:SUFFIX` names. */
  private readonly rr = new Map<string, number>();

  constructor(specs: readonly InterfaceSpec[]) {
    if (specs.length === 0) throw new RangeError('Interfaces: at least one address');
    const list: InterfaceAddress[] = [];
    const names: string[] = [];
    for (const s of specs) {
      // A network interface name (or `any`) stands for its addresses; the advertised address applies to
      // those of its family.
      const expanded = isIP(s.address) !== 0 ? [s.address] : systemAddresses(s.address);
      if (expanded.length === 0) throw new RangeError(`Interfaces: ${s.address} is neither an IP address nor a network interface with an address`);
      for (const address of expanded) {
        const family = familyOfAddress(address)!;
        const bind = canonicalIp(address);
        const adv = s.advertisedAddress !== '' && familyOfAddress(s.advertisedAddress) === family ? canonicalIp(s.advertisedAddress) : bind;
        const a: InterfaceAddress = { name: s.name, bind, advertised: adv, family };
        list.push(a);
        if (!this.byBind.has(bind)) this.byBind.set(bind, a);
      }
      if (!names.includes(s.name)) names.push(s.name);
    }
    const distinct = new Set(list.flatMap((a) => [a.bind, a.advertised]));
    if (distinct.size > MAX_MEDIA_ADDRESSES) throw new RangeError(`Interfaces: ${distinct.size} media addresses (bound and advertised), at most ${MAX_MEDIA_ADDRESSES}`);
    this.addresses = list;
    this.names = names;
  }

  /** The address a socket bound to `bind` belongs to (its advertised address), or undefined. */
  ofBind(bind: string): InterfaceAddress | undefined {
    return this.byBind.get(bind);
  }

  /** True if an interface is called `name`. */
  has(name: string): boolean {
    return this.names.includes(name);
  }

  /**
   * Where a leg's socket goes: interface `name` (undefined or '' = unnamed) in `family` (undefined =
   * any: the interface's first address).
   */
  select(name: string | undefined, family: Family | undefined): Selection {
    let warning: string | undefined;
    if (name !== undefined && name !== '' && !this.has(name)) {
      const picked = this.roundRobin(name === 'round-robin-calls' ? null : name, family);
      if (picked !== undefined) name = picked;
    }
    if (name !== undefined && name !== '') {
      if (this.has(name)) {
        const own = this.addresses.filter((a) => a.name === name);
        const hit = family === undefined ? own[0] : own.find((a) => a.family === family);
        if (hit !== undefined) return { address: hit };
        // The interface has no address of that family: its first address (rtpengine's preferred-family list).
        return { address: own[0]!, warning: `Interface '${name}' has no ${family === 6 ? 'IPv6' : 'IPv4'} address` };
      }
      // Legacy direction names select a family when no such interface exists (rtpengine __init_interface).
      if (name === 'internal') family = 4;
      else if (name === 'external') family = 6;
      else warning = `Interface '${name}' not found, using default`;
    }
    if (family !== undefined) {
      let hit = this.addresses.find((a) => a.family === family);
      // The default interface of that family named BASE:SUFFIX: round robin over BASE (rtpengine rr_use_default_intf).
      const base = hit !== undefined ? baseOf(hit.name) : undefined;
      if (hit !== undefined && base !== undefined) {
        const picked = this.roundRobin(base, family);
        if (picked !== undefined) hit = this.addresses.find((a) => a.name === picked && a.family === family) ?? hit;
      }
      if (hit !== undefined) return warning === undefined ? { address: hit } : { address: hit, warning };
      warning ??= `Requested address family (${family === 6 ? 'IP6' : 'IP4'}) not supported`;
    }
    return warning === undefined ? { address: this.addresses[0]! } : { address: this.addresses[0]!, warning };
  }

  /**
   * The next interface name of BASE (`BASE:SUFFIX` names; null = every interface) that has an address
   * of `family` (any family when undefined, or when none has it); undefined when there is none.
   */
  private roundRobin(base: string | null, family: Family | undefined): string | undefined {
    const group = this.names.filter((n) => base === null || baseOf(n) === base);
    if (group.length === 0) return undefined;
    const withFamily = family === undefined ? group : group.filter((n) => this.addresses.some((a) => a.name === n && a.family === family));
    const list = withFamily.length > 0 ? withFamily : group;
    const key = `${base ?? ''}\u0000${family ?? ''}`;
    const i = this.rr.get(key) ?? 0;
    this.rr.set(key, (i + 1) % list.length);
    return list[i % list.length];
  }
}

/** BASE of a `BASE:SUFFIX` interface name, undefined for any other name. */
function baseOf(name: string): string | undefined {
  const i = name.indexOf(':');
  return i > 0 && i < name.length - 1 ? name.slice(0, i) : undefined;
}
