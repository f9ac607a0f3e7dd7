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
 * (IPv4 addresses in host order).
 */
import os from 'node:os';
import { isIPv4 } from 'node:net';
import { ipv4ToU32 } from './nativeRelay';

export const MAX_ADDRESSES = 16;

/** Layout of `native` (native/src/relay.cc `OwnSlot`). */
export const enum OwnSlot {
  PORT_MIN = 0,
  PORT_MAX = 1,
  COUNT = 2,
  ADDR0 = 3,
  SIZE = 3 + MAX_ADDRESSES,
}

export class OwnSockets {
  readonly portMin: number;
  readonly portMax: number;
  private readonly addresses: string[] = [];
  readonly native = new Float64Array(new ArrayBuffer(8 * OwnSlot.SIZE));

  /** `portMin`..`portMax`: every port the pool may bind (RTP and RTCP). */
  constructor(portMin: number, portMax: number, addresses: readonly string[]) {
    this.portMin = portMin;
    this.portMax = portMax;
    this.native[OwnSlot.PORT_MIN] = portMin;
    this.native[OwnSlot.PORT_MAX] = portMax;
    for (const a of addresses) this.add(a);
  }

  /** Declare one more address of ours (e.g. media.advertisedAddress). '' is ignored; 0.0.0.0 adds the host's addresses. */
  add(address: string): void {
    if (address === '' || !isIPv4(address)) return;
    if (address === '0.0.0.0') {
      for (const list of Object.values(os.networkInterfaces())) {
        for (const i of list ?? []) if (i.family === 'IPv4') this.add(i.address);
      }
      return;
    }
    if (this.addresses.includes(address) || this.addresses.length >= MAX_ADDRESSES) return;
    this.native[OwnSlot.ADDR0 + this.addresses.length] = ipv4ToU32(address);
    this.addresses.push(address);
    this.native[OwnSlot.COUNT] = this.addresses.length;
  }

  /** True if address:port is one of our own media sockets. Hot path: no allocation. */
  has(address: string, port: number): boolean {
    if (port < this.portMin || port > this.portMax) return false;
    const a = this.addresses;
    for (let i = 0; i < a.length; i++) if (a[i] === address) return true;
    return false;
  }
}
