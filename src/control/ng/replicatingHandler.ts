/**
 * The ng side of replication: wraps the dispatcher so that every successful command that can change a call
 * (everything but ping, query, list, statistics) is followed by the call's Redis write, waited for at most
 * cluster.writeTimeoutMs before the reply goes out (ClusterNode.settle). A failed command changed nothing
 * (commands roll back on error), so it is not written.
 */
import type { NgDict } from './bencode';
import type { NgHandler, NgRequest } from './NgServer';
import type { ClusterNode } from '../../cluster/ClusterNode';

const READ_ONLY = new Set(['ping', 'query', 'list', 'statistics']);

export function replicatingHandler(inner: NgHandler, cluster: ClusterNode): NgHandler {
  return async (req: NgRequest): Promise<NgDict> => {
    const reply = await inner(req);
    const callId = req.params.callId;
    if (callId !== undefined && !READ_ONLY.has(req.command) && reply.result !== 'error') await cluster.settle(callId);
    return reply;
  };
}
