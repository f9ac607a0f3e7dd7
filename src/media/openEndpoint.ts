/**
 * Binds a new RTP/RTCP socket pair on the next free pair of the pool. A port that another process
 * holds (EADDRINUSE) is skipped; when the pool has nothing left: PortsExhaustedError ("Ran out of
 * ports", which makes Kamailio fail over to another node). Nothing is leaked on failure.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIPv4, isIPv6 } from 'node:net';
import { PortsExhaustedError } from '../errors';
import { OwnSockets } from './ownSockets';
import type { PortPool } from './PortPool';
import { RtpEndpoint } from './RtpEndpoint';

const SOCKET_BUFFER_BYTES = 1 << 20;

/**
 * dgram's address lookup, answered at once for an IPv4 or IPv6 literal (the only addresses media
 * sockets bind to and send to). Node's default (dns.lookup) gives the same answer for a literal, but a process tick
 * later: with this, bind() completes synchronously and a send is handed to the kernel in the same tick.
 * Anything else goes to dns.lookup as before.
 */
export function literalLookup(
  address: string,
  family: dns.LookupOneOptions | number,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  if (isIPv4(address)) callback(null, address, 4);
  else if (isIPv6(address)) callback(null, address, 6);
  else dns.lookup(address, family as dns.LookupOneOptions, callback);
}

/**
 * Bind `sock` to address:port now; false if it failed (e.g. EADDRINUSE) or could not complete at once
 * (an address that is not an IP literal needs a real lookup; the caller closes the socket, which
 * cancels it).
 */
function bindSocket(sock: dgram.Socket, port: number, address: string): boolean {
  let bound = false;
  const onError = (): void => undefined;
  sock.once('error', onError);
  sock.bind({ port, address, exclusive: true }, () => {
    bound = true;
  });
  sock.off('error', onError);
  return bound;
}

function closeQuietly(s: dgram.Socket): void {
  try {
    s.close();
  } catch {
    // never bound, or already closed
  }
}

function tune(sock: dgram.Socket): void {
  try {
    sock.setRecvBufferSize(SOCKET_BUFFER_BYTES);
    sock.setSendBufferSize(SOCKET_BUFFER_BYTES);
  } catch {
    // Kernel limits (rmem_max) may refuse; the defaults still work.
  }
}

const nativeRelayPools = new WeakSet<PortPool>();

/** Config media.nativeRelay: endpoints opened on `pool` may use the native relay fast path. */
export function enableNativeRelay(pool: PortPool, on: boolean): void {
  if (on) nativeRelayPools.add(pool);
  else nativeRelayPools.delete(pool);
}

const ownSockets = new WeakMap<PortPool, OwnSockets>();

/** The own-socket table of `pool` (its whole port range at `address`), made on first use. */
function ownSocketsOf(pool: PortPool, address: string): OwnSockets {
  let own = ownSockets.get(pool);
  if (own === undefined) {
    own = new OwnSockets(pool.first, pool.first + 2 * pool.size - 1, [address]);
    ownSockets.set(pool, own);
  }
  return own;
}

/**
 * Declare the addresses whisperd's media sockets on `pool` are known by (media.address and
 * media.advertisedAddress): packets from or to these addresses on the pool's ports are refused (D2).
 */
export function declareOwnAddresses(pool: PortPool, addresses: readonly string[]): void {
  const own = ownSocketsOf(pool, addresses[0] ?? '');
  for (const a of addresses) own.add(a);
}

export async function openEndpoint(pool: PortPool, address: string): Promise<RtpEndpoint> {
  return openEndpointNow(pool, address);
}

/** A spare pair becomes a call's endpoint (it counts as used from now on). */
function handOutSpare(pool: PortPool, address: string, spare: BoundPair): RtpEndpoint {
  pool.claimSpare();
  spare.rtp.off('error', ignoreError);
  spare.rtcp.off('error', ignoreError);
  return endpointOf(pool, address, spare);
}

/** openEndpoint, synchronously: both sockets are bound (see literalLookup) before it returns. */
export function openEndpointNow(pool: PortPool, address: string): RtpEndpoint {
  const spares = sparesOf.get(pool);
  const spare = spares !== undefined && spares.address === address ? spares.list.shift() : undefined;
  if (spares !== undefined && spares.address === address) refillSoon(pool, spares);
  // Taken from the pool before any pair bound below would have been, so round-robin order holds.
  if (spare !== undefined) return handOutSpare(pool, address, spare);
  // Every pair of the pool may be tried once: ports held by other processes are skipped, and only a
  // pool with no bindable pair left is "Ran out of ports".
  for (let attempt = 0; attempt < pool.size; attempt++) {
    const pair = bindPair(pool.take(), pool, address, false);
    if (pair === 'exhausted') break;
    if (pair !== 'held') return endpointOf(pool, address, pair);
  }
  throw new PortsExhaustedError();
}

/**
 * Bind the pair at a specific RTP port (takeover: the port the lost node had, which the peers send to).
 * A spare holding that port is handed out as it is. Throws PortsExhaustedError when the port is outside
 * the pool or already used by a call here, PortBusyError while another process still holds it (the
 * caller retries for a bounded time: a dying node's sockets close when the kernel reaps it).
 */
export async function openEndpointAt(pool: PortPool, address: string, port: number): Promise<RtpEndpoint> {
  const spares = sparesOf.get(pool);
  if (spares !== undefined && spares.address === address) {
    const i = spares.list.findIndex((p) => p.port === port);
    if (i >= 0) {
      const spare = spares.list.splice(i, 1)[0]!;
      refillSoon(pool, spares);
      return handOutSpare(pool, address, spare);
    }
  }
  if (!pool.claim(port)) throw new PortsExhaustedError();
  const pair = bindPair(port, pool, address, false);
  if (pair === 'held' || pair === 'exhausted') throw new PortBusyError(port);
  return endpointOf(pool, address, pair);
}

/** openEndpointAt: another socket (another process) still holds the port or port + 1. */
export class PortBusyError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is busy`);
    this.name = 'PortBusyError';
  }
}

interface BoundPair {
  port: number;
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
}

function endpointOf(pool: PortPool, address: string, p: BoundPair): RtpEndpoint {
  return new RtpEndpoint(address, p.port, p.rtp, p.rtcp, { nativeRelay: nativeRelayPools.has(pool), own: ownSocketsOf(pool, address) });
}

/** Bind the pair at `port` (from take/takeSpare). 'held': another socket has one of them (given back). */
function bindPair(port: number, pool: PortPool, address: string, spare: boolean): BoundPair | 'exhausted' | 'held' {
  if (port < 0) return 'exhausted';
  // An IPv6 address gets IPv6-only sockets (no IPv4-mapped traffic on a wildcard '::' bind): a leg
  // speaks one family, the one its interface address has.
  const v6 = isIPv6(address);
  const type = v6 ? 'udp6' : 'udp4';
  const rtp = dgram.createSocket({ type, lookup: literalLookup, ipv6Only: v6 });
  const rtcp = dgram.createSocket({ type, lookup: literalLookup, ipv6Only: v6 });
  if (!bindSocket(rtp, port, address) || !bindSocket(rtcp, port + 1, address)) {
    closeQuietly(rtp);
    closeQuietly(rtcp);
    // Held by another process: give it back; round-robin has already moved past it.
    if (spare) pool.releaseSpare(port);
    else pool.release(port);
    return 'held';
  }
  tune(rtp);
  tune(rtcp);
  return { port, rtp, rtcp };
}

// --- spare pairs ---------------------------------------------------------------------------------
//
// Binding a pair (two sockets, bind, buffer sizes) is a good part of an offer's time. With spares
// enabled, openEndpoint hands out a pair bound ahead of demand and binds its replacement after the
// current I/O callbacks (setImmediate: after the reply has been sent). A spare's port is reserved in
// the pool (takeSpare) but counts as free until handed out, so metrics and ng statistics do not see
// it; it is handed out in the order it was taken, and only after every spare is gone does a pool
// with no free pair answer "Ran out of ports", as without spares. Datagrams reaching a spare are
// read and dropped by Node (no listener), so a call never receives anything sent before it had the
// port. PortPool.close() closes the spares and gives their ports back.

interface Spares {
  address: string;
  target: number;
  list: BoundPair[];
  scheduled: boolean;
}

const sparesOf = new WeakMap<PortPool, Spares>();

function ignoreError(): void {
  // A spare never sends; an ICMP error cannot concern it. Never an unhandled 'error'.
}

/**
 * Keep `count` socket pairs of `pool` at `address` bound ahead of demand (0 = none: every pair is
 * bound when asked for). The first spares are bound at the first openEndpoint, not now.
 */
export function enableSpares(pool: PortPool, address: string, count: number): void {
  const old = sparesOf.get(pool);
  if (old !== undefined) {
    old.target = 0;
    dropSpares(pool, old);
    sparesOf.delete(pool);
  }
  if (count <= 0) return;
  const spares: Spares = { address, target: count, list: [], scheduled: false };
  sparesOf.set(pool, spares);
  pool.onClose(() => {
    spares.target = 0;
    dropSpares(pool, spares);
  });
}

function dropSpares(pool: PortPool, spares: Spares): void {
  for (const p of spares.list.splice(0)) {
    closeQuietly(p.rtp);
    closeQuietly(p.rtcp);
    pool.releaseSpare(p.port);
  }
}

function refillSoon(pool: PortPool, spares: Spares): void {
  if (spares.scheduled || spares.list.length >= spares.target || pool.closed) return;
  spares.scheduled = true;
  setImmediate(() => {
    spares.scheduled = false;
    refill(pool, spares);
  });
}

/** Bind spares up to the target; each free pair is tried at most once (held ones are skipped). */
function refill(pool: PortPool, spares: Spares): void {
  for (let attempt = 0; attempt < pool.size && spares.list.length < spares.target && !pool.closed; attempt++) {
    const pair = bindPair(pool.takeSpare(), pool, spares.address, true);
    if (pair === 'exhausted') return;
    if (pair === 'held') continue;
    pair.rtp.on('error', ignoreError);
    pair.rtcp.on('error', ignoreError);
    spares.list.push(pair);
  }
}
