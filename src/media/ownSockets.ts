/**
 * whisperd's own media sockets as seen from the network: the addresses its RTP/RTCP sockets bind to
 * (or are advertised as) and the port range of the pool. Used by RtpEndpoint and the native relay to
 * refuse two things (issue 9, D2):
 *
 *   - a packet whose SOURCE is one of our own sockets is dropped (never latched, never forwarded):
 *     whatever the signalling says, a packet forwarded to one of our own ports comes back with such
 *     a source and dies there, so no packet is ever forwarded twice;
 *   - a packet whose DESTINATION is one of our own sockets is not sent.
 *
 * Both are counted as drop reason `own_address`. The check is O(1) on the packet path: a port range
 * compare, then a compare against a handful of addresses (at most MAX_ADDRESSES). When the media
 * address is the wildcard 0.0.0.0 the host's IPv4 interface addresses (at start-up) stand for it.
 *
 * `native` is the same table for native/src/relay.cc: [portMin, portMax, count, addr0 … addrN-1]
 * (IPv4 addresses in host order); `native6` the IPv6 ones: [count, 4 words per address]. Addresses are
 * compared as canonical text (RFC 5952 for IPv6, as Node reports a packet's source).
 */
import os from 'node:os';
import { isIP } from 'node:net';
import { canonicalIp } from './interfaces';
import { ipv4ToU32, ipv6ToWords } from './nativeRelay';

export const MAX_ADDRESSES = 16;

/** Layout of `native` (native/src/relay.cc `OwnSlot`). */
export const enum OwnSlot {
  PORT_MIN = 0,
  PORT_MAX = 1,
  COUNT = 2,
  ADDR0 = 3,
  SIZE = 3 + MAX_ADDRESSES,
}

/** Layout of `native6` (native/src/relay.cc `OwnSlot6`): the IPv6 addresses, each as 4 words. */
export const enum OwnSlot6 {
  COUNT = 0,
  ADDR0 = 1,
  SIZE = 1 + 4 * MAX_ADDRESSES,
}

export class OwnSockets {
  readonly portMin: number;
  readonly portMax: number;
  private readonly addresses: string[] = [];
  /** IPv4 table for the addon (OwnSlot). */
  readonly native = new Float64Array(new ArrayBuffer(8 * OwnSlot.SIZE));
  /** IPv6 table for the addon (OwnSlot6): [count, then 4 host-order 32-bit words per address]. */
  readonly native6 = new Float64Array(new ArrayBuffer(8 * OwnSlot6.SIZE));

  /** `portMin`..`portMax`: every port the pool may bind (RTP and RTCP). */
  constructor(portMin: number, portMax: number, addresses: readonly string[]) {
    this.portMin = portMin;
    this.portMax = portMax;
    this.native[OwnSlot.PORT_MIN] = portMin;
    this.native[OwnSlot.PORT_MAX] = portMax;
    for (const a of addresses) this.add(a);
  }

  /**
   * Declare one more address of ours (e.g. media.advertisedAddress, every interface address, IPv4 or
   * IPv6). '' is ignored; the wildcards 0.0.0.0 / :: add the host's addresses of that family.
   */
  add(address: string): void {
    const v = isIP(address);
    if (v === 0) return;
    if (address === '0.0.0.0' || (v === 6 && canonicalIp(address) === '::')) {
      for (const list of Object.values(os.networkInterfaces())) {
        for (const i of list ?? []) if (i.family === (v === 4 ? 'IPv4' : 'IPv6')) this.add(i.address);
      }
      return;
    }
    address = canonicalIp(address);
    if (this.addresses.includes(address) || this.addresses.length >= MAX_ADDRESSES) return;
    this.addresses.push(address);
    // Each family's count lives in its table (the next free entry).
    if (v === 4) {
      const n = this.native[OwnSlot.COUNT]!;
      this.native[OwnSlot.ADDR0 + n] = ipv4ToU32(address);
      this.native[OwnSlot.COUNT] = n + 1;
    } else {
      const n = this.native6[OwnSlot6.COUNT]!;
      ipv6ToWords(address, this.native6, OwnSlot6.ADDR0 + 4 * n);
      this.native6[OwnSlot6.COUNT] = n + 1;
    }
  }

  /** Every address declared (canonical text, IPv4 and IPv6). */
  get all(): readonly string[] {
    return this.addresses;
  }

  /** True if address:port is one of our own media sockets. Hot path: no allocation. */
  has(address: string, port: number): boolean {
    if (port < this.portMin || port > this.portMax) return false;
    const a = this.addresses;
    for (let i = 0; i < a.length; i++) if (a[i] === address) return true;
    return false;
  }
}
