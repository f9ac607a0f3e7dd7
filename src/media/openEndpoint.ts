/**
 * Binds a new RTP/RTCP socket pair on the next free pair of the pool. A port that another process
 * holds (EADDRINUSE) is skipped; when the pool has nothing left: PortsExhaustedError ("Ran out of
 * ports", which makes Kamailio fail over to another node). Nothing is leaked on failure.
 */
import dgram from 'node:dgram';
import { PortsExhaustedError } from '../errors';
import { OwnSockets } from './ownSockets';
import type { PortPool } from './PortPool';
import { RtpEndpoint } from './RtpEndpoint';

const SOCKET_BUFFER_BYTES = 1 << 20;

function bindSocket(sock: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    sock.once('error', onError);
    sock.bind({ port, address, exclusive: true }, () => {
      sock.off('error', onError);
      resolve();
    });
  });
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
  // Every pair of the pool may be tried once: ports held by other processes are skipped, and only a
  // pool with no bindable pair left is "Ran out of ports".
  for (let attempt = 0; attempt < pool.size; attempt++) {
    const port = pool.take();
    if (port < 0) break;
    const rtp = dgram.createSocket('udp4');
    const rtcp = dgram.createSocket('udp4');
    try {
      await bindSocket(rtp, port, address);
      await bindSocket(rtcp, port + 1, address);
    } catch {
      for (const s of [rtp, rtcp]) {
        try {
          s.close();
        } catch {
          // never bound
        }
      }
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
