/**
 * whisperd's own ICE parameters for one endpoint (RFC 8445 §5.1, RFC 8839), the way rtpengine 10.5 writes
 * them (daemon/ice.c, daemon/sdp.c, include/ice.h):
 *   - ufrag: 8 random characters of [0-9a-zA-Z], pwd: 26 (RFC 8839 asks for at least 4 and 22);
 *   - one host candidate per announced address and component, foundation = 16 random [0-9a-zA-Z]
 *     characters per local address, stable for the life of the process (rtpengine: per local interface);
 *   - priority = type pref << 24 | (65535 - local pref) << 8 | (256 - component) with rtpengine's type
 *     preferences (host 126, prflx 110, srflx 100, relay 0) and local pref = the address's index in the
 *     interface (rtpengine's unique_id): 2130706431 for the first address's RTP, 2130706175 for the second.
 * Plus the a=candidate value codec (RFC 8839 §5.1) for the SDP code (src/sdp/security.ts) to use.
 */
import { randomBytes } from 'node:crypto';
import type { IceCandidate, IceParams } from '../secure';

const ICE_CHARS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** rtpengine's type preferences (daemon/ice.c ice_type_preferences). */
export const TYPE_PREFERENCE = { host: 126, prflx: 110, srflx: 100, relay: 0 } as const;

/** `len` random characters of [0-9a-zA-Z] from node:crypto (62 symbols; the modulo bias of 256 % 62 is removed by rejection). */
export function randomIceString(len: number): string {
  let out = '';
  while (out.length < len) {
    const b = randomBytes(len * 2);
    for (let i = 0; i < b.length && out.length < len; i++) if (b[i]! < 248) out += ICE_CHARS[b[i]! % 62];
  }
  return out;
}

/** RFC 8445 §5.1.2.1 candidate priority. */
export function candidatePriority(typePref: number, localPref: number, component: number): number {
  return ((typePref & 0xff) * 0x1000000 + (localPref & 0xffff) * 0x100 + (256 - component)) >>> 0;
}

/** rtpengine's host priority for the address at `index` of an interface (local pref 65535 - index). */
export function hostPriority(index: number, component: number): number {
  return candidatePriority(TYPE_PREFERENCE.host, 65535 - index, component);
}

const foundations = new Map<string, string>();

/** The foundation of whisperd's candidates on a local address: random once, stable afterwards. */
export function foundationFor(address: string): string {
  let f = foundations.get(address);
  if (f === undefined) {
    f = randomIceString(16);
    foundations.set(address, f);
  }
  return f;
}

/** What `localIceParams` needs of an endpoint (an RtpEndpoint has it). */
export interface IceLocalSockets {
  readonly localAddress: string;
  readonly localPort: number;
  readonly rtcp: { address(): { port: number } };
}

export interface LocalIceOptions {
  /**
   * The addresses to announce a host candidate for, in the interface's order (their index is the local
   * preference): the advertised address(es) of the endpoint's interface. Default: the bound address.
   */
  addresses?: readonly string[];
  /** Also announce component 2 (RTCP) on the RTCP socket's port: a leg without rtcp-mux. Default false. */
  rtcp?: boolean;
  /** whisperd is ICE-lite on this leg (a=ice-lite). Default false. */
  lite?: boolean;
  /** Port of the RTCP candidates (default: the endpoint's RTCP socket port). */
  rtcpPort?: number;
  /**
   * Candidate type: 'host' (default) or 'relay' (ng ICE=force-relay: rtpengine announces its own sockets as
   * relay candidates, type preference 0, with raddr/rport = the same address and port).
   */
  type?: 'host' | 'relay';
}

/** Fresh ICE credentials and host candidates for an endpoint (offer/answer time). */
export function localIceParams(endpoint: IceLocalSockets, opts: LocalIceOptions = {}): IceParams {
  const addresses = opts.addresses && opts.addresses.length > 0 ? opts.addresses : [endpoint.localAddress];
  const candidates: IceCandidate[] = [];
  const components = opts.rtcp === true ? [1, 2] : [1];
  let rtcpPort = opts.rtcpPort ?? 0;
  if (opts.rtcp === true && rtcpPort === 0) {
    try {
      rtcpPort = endpoint.rtcp.address().port;
    } catch {
      rtcpPort = endpoint.localPort + 1;
    }
  }
  const relay = opts.type === 'relay';
  for (const component of components) {
    addresses.forEach((address, index) => {
      const port = component === 1 ? endpoint.localPort : rtcpPort;
      const c: IceCandidate = {
        foundation: foundationFor(address),
        component,
        transport: 'UDP',
        priority: candidatePriority(relay ? TYPE_PREFERENCE.relay : TYPE_PREFERENCE.host, 65535 - index, component),
        address,
        port,
        type: relay ? 'relay' : 'host',
      };
      // raddr/rport are required for non-host candidates (RFC 8839 §5.1; rtpengine sdp.c insert_raddr_rport).
      if (relay) {
        c.relAddr = address;
        c.relPort = port;
      }
      candidates.push(c);
    });
  }
  return { ufrag: randomIceString(8), pwd: randomIceString(26), lite: opts.lite === true, candidates };
}

/**
 * The value of an a=candidate line (after "candidate:") as rtpengine writes it:
 * `<foundation> <component> UDP <priority> <address> <port> typ <type>[ raddr <a> rport <p>]` and then the
 * extension attributes in order.
 */
export function formatCandidate(c: IceCandidate): string {
  let s = `${c.foundation} ${c.component} ${c.transport} ${c.priority} ${c.address} ${c.port} typ ${c.type}`;
  if (c.relAddr !== undefined && c.relPort !== undefined) s += ` raddr ${c.relAddr} rport ${c.relPort}`;
  for (const [k, v] of c.extensions ?? []) s += ` ${k} ${v}`;
  return s;
}

const CANDIDATE_TYPES = new Set(['host', 'srflx', 'prflx', 'relay']);

/**
 * Parse an a=candidate value (with or without the "candidate:" prefix; RFC 8839 §5.1). null when it is
 * malformed or of a type ICE does not know. The address may be an mDNS name (`<uuid>.local`): kept as
 * text, the agent skips it and learns the peer from its checks instead (peer-reflexive, rtpengine#1366).
 */
export function parseCandidate(value: string): IceCandidate | null {
  let v = value.trim();
  if (v.toLowerCase().startsWith('candidate:')) v = v.slice(10);
  const f = v.split(/\s+/);
  if (f.length < 8 || f[6]!.toLowerCase() !== 'typ') return null;
  const [foundation, compStr, transport, prioStr, address, portStr, , typeStr] = f as [string, string, string, string, string, string, string, string];
  if (foundation.length === 0 || foundation.length > 32) return null;
  const component = Number(compStr);
  const priority = Number(prioStr);
  const port = Number(portStr);
  const type = typeStr.toLowerCase();
  if (!/^\d{1,3}$/.test(compStr) || component < 1 || component > 256) return null;
  if (!/^\d{1,10}$/.test(prioStr) || priority > 0xffffffff) return null;
  if (!/^\d{1,5}$/.test(portStr) || port > 65535) return null;
  if (!CANDIDATE_TYPES.has(type) || address.length === 0 || address.length > 255) return null;
  const c: IceCandidate = { foundation, component, transport, priority, address, port, type: type as IceCandidate['type'] };
  let i = 8;
  const ext: [string, string][] = [];
  while (i + 1 < f.length) {
    const k = f[i]!;
    const val = f[i + 1]!;
    if (k === 'raddr') c.relAddr = val;
    else if (k === 'rport' && /^\d{1,5}$/.test(val)) c.relPort = Number(val);
    else ext.push([k, val]);
    i += 2;
  }
  if (ext.length > 0) c.extensions = ext;
  return c;
}
