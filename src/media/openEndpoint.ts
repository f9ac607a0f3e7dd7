/**
 * Binds a new RTP/RTCP socket pair on the next free pair of the pool. A port that another process
 * holds (EADDRINUSE) is skipped; when the pool has nothing left: PortsExhaustedError ("Ran out of
 * ports", which makes Kamailio fail over to another node). Nothing is leaked on failure.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIPv4 } from 'node:net';
import { PortsExhaustedError } from '../errors';
import { OwnSockets } from './ownSockets';
import type { PortPool } from './PortPool';
import { RtpEndpoint } from './RtpEndpoint';

const SOCKET_BUFFER_BYTES = 1 << 20;

/**
 * dgram's address lookup, answered at once for an IPv4 literal (the only addresses media sockets bind
 * to and send to). Node's default (dns.lookup) gives the same answer for a literal, but a process tick
 * later: with this, bind() completes synchronously and a send is handed to the kernel in the same tick.
 * Anything else goes to dns.lookup as before.
 */
export function literalLookup(
  address: string,
  family: dns.LookupOneOptions | number,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  if (isIPv4(address)) callback(null, address, 4);
  else dns.lookup(address, family as dns.LookupOneOptions, callback);
}

/**
 * Bind `sock` to address:port now; false if it failed (e.g. EADDRINUSE) or could not complete at once
 * (an address that is not an IPv4 literal needs a real lookup; the caller closes the socket, which
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

/** openEndpoint, synchronously: both sockets are bound (see literalLookup) before it returns. */
export function openEndpointNow(pool: PortPool, address: string): RtpEndpoint {
  // Every pair of the pool may be tried once: ports held by other processes are skipped, and only a
  // pool with no bindable pair left is "Ran out of ports".
  for (let attempt = 0; attempt < pool.size; attempt++) {
    const port = pool.take();
    if (port < 0) break;
    const rtp = dgram.createSocket({ type: 'udp4', lookup: literalLookup });
    const rtcp = dgram.createSocket({ type: 'udp4', lookup: literalLookup });
    if (!bindSocket(rtp, port, address) || !bindSocket(rtcp, port + 1, address)) {
      closeQuietly(rtp);
      closeQuietly(rtcp);
      // Held by another process: give it back; round-robin has already moved past it.
      pool.release(port);
      continue;
    }
    tune(rtp);
    tune(rtcp);
    return new RtpEndpoint(address, port, rtp, rtcp, { nativeRelay: nativeRelayPools.has(pool), own: ownSocketsOf(pool, address) });
  }
  throw new PortsExhaustedError();
}
