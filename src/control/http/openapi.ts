/**
 * The OpenAPI 3.1 description of whisperd's HTTP API, served at GET /openapi.json. Request body
 * schemas are generated from the zod schemas the routes validate with (one source of truth);
 * responses are described here. test/integration/http-api.test.ts checks that every registered
 * route appears in this document.
 */
import { z } from 'zod';
import { SUPERVISION_MODES } from '../../supervision/types';
import { AUDIT_EVENTS } from '../../supervision/AuditLog';
import { setGainBody } from './api/gains';
import { playPromptBody } from './api/prompts';
import { changeModeBody, createSupervisorBody, muteBody } from './api/supervisors';
import { REPORTED_JITTER_FIELDS } from '../../jitter/JitterStats';

type Json = Record<string, unknown>;

function bodySchema(s: z.ZodType): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any' }) as Json;
  return rest;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ content: { 'application/json': { schema } } });
const ok = (description: string, schema: Json): Json => ({ description, ...json(schema) });
const err = (description: string): Json => ok(description, ref('Error'));

const callIdParam = { name: 'callId', in: 'path', required: true, schema: { type: 'string' }, description: 'SIP Call-ID' };
const tagParam = (what: string): Json => ({ name: 'tag', in: 'path', required: true, schema: { type: 'string' }, description: what });
const errors = {
  '400': err('Invalid request; `error` names the field, e.g. "mode: expected listen, whisper, barge or page"'),
  '401': err('Missing or wrong bearer token'),
  '404': err('"Unknown call-id", "Unknown tag", "Unknown agent-tag", "No active call for target"'),
};
const modeErrors = {
  ...errors,
  '403': err('"Not permitted" (supervision policy; the denial is audited)'),
  '409': err('"Operation not allowed on a whisper page", "Target is in a conference", "from-tag is already a party of this call"'),
};

const endpointStats = { type: 'object', properties: { packets: { type: 'integer' }, bytes: { type: 'integer' }, errors: { type: 'integer' } } };

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'whisperd HTTP API',
    version: '1',
    description:
      'Calls, supervision (listen/whisper/barge/page), prompts, listening gains, audit trail and live events of whisperd. ' +
      'Every route but /healthz requires `Authorization: Bearer <http.token>` when a token is configured. ' +
      'Errors are `{"error": "<text>"}` with the same texts as the ng protocol. ' +
      'Every route: a body must be `Content-Type: application/json` (else 415); a foreign `Origin` (not the server itself nor in http.allowedOrigins) gets 403 ' +
      '"Cross-origin request refused"; on a loopback listen address a `Host` that is not loopback, localhost or in http.allowedHosts gets 421; a malformed path gets 400 "Malformed path".',
  },
  security: [{ bearer: [] }],
  paths: {
    '/healthz': {
      get: { summary: 'Liveness', security: [], responses: { '200': ok('Up', { type: 'object', properties: { status: { const: 'ok' }, calls: { type: 'integer' } } }) } },
    },
    '/readyz': {
      get: {
        summary: 'Readiness (issue 14): whether this node should get NEW calls; a not-ready node still serves its calls (liveness is /healthz)',
        security: [],
        responses: {
          '200': ok('Ready', { type: 'object', properties: { ready: { const: true } } }),
          '503': ok('Not ready; reasons in this order: "standby" (cluster standby not taken over), "draining" (shutdown begun), "load limit: sessions|load|cpu|bandwidth", "port pool exhausted"', {
            type: 'object',
            properties: { ready: { const: false }, reasons: { type: 'array', items: { type: 'string' } } },
          }),
        },
      },
    },
    '/metrics': {
      get: { summary: 'Prometheus metrics (text exposition format)', responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } }, '401': errors['401'] } },
    },
    '/openapi.json': {
      get: { summary: 'This document', responses: { '200': ok('OpenAPI 3.1 document', { type: 'object' }), '401': errors['401'] } },
    },
    '/console': {
      get: {
        summary: 'The supervisor console page (static, no data; open it as /console#token=<http.token>: the page sends the token as a bearer header on its API calls)',
        security: [],
        responses: { '200': { description: "HTML, with Content-Security-Policy default-src 'self'", content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    '/console/console.js': {
      get: { summary: "The supervisor console's script (static)", security: [], responses: { '200': { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } } } },
    },
    '/console/console.css': {
      get: { summary: "The supervisor console's style sheet (static)", security: [], responses: { '200': { description: 'CSS', content: { 'text/css': { schema: { type: 'string' } } } } } },
    },
    '/v1/calls': {
      get: {
        summary: 'List calls',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0 } }],
        description:
          'Clustered (cluster.redis set): every node lists the whole cluster — its own calls and the other nodes\' from Redis, each with `owner` (and `ownerAlive` for remote ones); ' +
          '`partial: true` when Redis could not be read. Every route with a `callId` is forwarded to the owner node (proxied with the same token; `x-whisperd-redirect: 1` asks for a 307 instead).',
        responses: {
          '200': ok('Calls', { type: 'object', properties: { calls: { type: 'array', items: ref('CallSummary') }, partial: { type: 'boolean' } } }),
          '400': errors['400'],
          '401': errors['401'],
        },
      },
    },
    '/v1/calls/{callId}': {
      get: { summary: 'One call: participants, media statistics, mixer, jitter buffers, supervision', parameters: [callIdParam], responses: { '200': ok('Call', ref('Call')), '401': errors['401'], '404': errors['404'] } },
    },
    '/v1/calls/{callId}/supervisors': {
      post: {
        summary: "Add a supervisor (whisperd terminates its leg: answer its phone's SDP offer with the returned SDP)",
        description: 'Same semantics as ng `supervise`. Posting an existing supervisor tag re-offers its SDP (re-INVITE) and may change its mode.',
        parameters: [callIdParam],
        requestBody: { required: true, ...json(bodySchema(createSupervisorBody)) },
        responses: { '201': ok('Supervising', { type: 'object', properties: { tag: { type: 'string' }, sdp: { type: 'string' }, mode: ref('Mode'), aec: ref('AecState') } }), ...modeErrors },
      },
    },
    '/v1/calls/{callId}/supervisors/{tag}': {
      patch: {
        summary: "Change a supervisor's mode and/or its echo canceller (`aec`)",
        description:
          '`aec` switches the echo canceller of the session (speexdsp MDF on the agent -> customer path while it whispers/pages, the whisper as the reference; ' +
          'config bleed.echoCanceller gives the default and the tail). The switch is audited before it applies (an `aec` record, reason `aec on`/`aec off`, details.aec).',
        parameters: [callIdParam, tagParam("The supervisor's tag")],
        requestBody: { required: true, ...json(bodySchema(changeModeBody)) },
        responses: { '200': ok('Changed', { type: 'object', properties: { tag: { type: 'string' }, mode: ref('Mode'), aec: ref('AecState') } }), ...modeErrors },
      },
      delete: {
        summary: 'Remove a supervisor (the customer-agent call goes on)',
        parameters: [callIdParam, tagParam("The supervisor's tag")],
        responses: { '204': { description: 'Removed' }, '401': errors['401'], '404': errors['404'] },
      },
    },
    '/v1/calls/{callId}/supervisors/{tag}/mute': {
      post: {
        summary: 'Whisper page mute: the agent speaks only to the initiator',
        parameters: [callIdParam, tagParam("The initiator's tag, or the paged agent's tag")],
        requestBody: { required: true, ...json(bodySchema(muteBody)) },
        responses: {
          '200': ok('Mute state', { type: 'object', properties: { tag: { type: 'string' }, agentTag: { type: 'string' }, muted: { type: 'boolean' } } }),
          ...errors,
          '409': err('"No whisper page on this call"'),
        },
      },
    },
    '/v1/calls/{callId}/participants/{tag}/prompts': {
      post: {
        summary:
          "Play a prompt (a WAV file in the daemon's prompts.dir, a base64 WAV, or `text` synthesized by prompts.tts.command with `voice` and `rate` in words per minute) into this participant's ear only",
        parameters: [callIdParam, tagParam('Participant tag')],
        requestBody: { required: true, ...json(bodySchema(playPromptBody)) },
        responses: {
          '201': ok('Playing', { type: 'object', properties: { durationMs: { type: 'number' } } }),
          ...errors,
          '400': err(
            'Invalid body; "Prompt file not available" for every file refused (missing, outside prompts.dir, not a regular file, too large, file prompts disabled); "Unsupported audio file: <reason>"; ' +
              'text: "Prompt text is empty", "Prompt text too long (max <prompts.tts.maxChars> characters)", "Invalid voice", "Unknown voice", "Invalid rate"',
          ),
          '403': err('"Text prompt rate limit exceeded" (prompts.tts.perCallPerMinute)'),
          '409': err('"Operation not allowed on a whisper page", "Participant has no audio to play into"'),
          '422': err('"Text prompts are disabled" (prompts.tts.enabled)'),
          '500': err('"Speech synthesizer not available", "Speech synthesis timed out", "Speech synthesis output too large", "Speech synthesis failed"'),
          '503': err('"Speech synthesizer busy" (prompts.tts.maxConcurrent), "Audit log unavailable"'),
        },
      },
      delete: {
        summary: "Stop this participant's prompts",
        parameters: [callIdParam, tagParam('Participant tag')],
        responses: { '200': ok('Stopped', { type: 'object', properties: { stopped: { type: 'integer' } } }), '401': errors['401'], '404': errors['404'] },
      },
    },
    '/v1/calls/{callId}/participants/{tag}/gains': {
      put: {
        summary: "Set how loud this participant hears one source (a tag, or 'prompts')",
        parameters: [callIdParam, tagParam('The listening participant')],
        requestBody: { required: true, ...json(bodySchema(setGainBody)) },
        responses: { '200': ok('Gain set', { type: 'object', properties: { tag: { type: 'string' }, source: { type: 'string' }, gainDb: { type: 'number' } } }), ...errors },
      },
    },
    '/v1/audit': {
      get: {
        summary: 'Audit records (in memory: the newest audit.keepInMemory), oldest first',
        parameters: [
          { name: 'callId', in: 'query', schema: { type: 'string' } },
          { name: 'event', in: 'query', schema: { type: 'string', enum: [...AUDIT_EVENTS] } },
          { name: 'since', in: 'query', schema: { type: 'string', format: 'date-time' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0 }, description: 'At most this many of the newest matches' },
        ],
        responses: { '200': ok('Records', { type: 'object', properties: { records: { type: 'array', items: ref('AuditRecord') } } }), '400': errors['400'], '401': errors['401'] },
      },
    },
    '/v1/cluster': {
      get: {
        summary: 'This node in the cluster: id, role (active | standby), replication state, peers with live heartbeats',
        description: 'Without a cluster (cluster.redis empty): `clustered: false`, role active, no peers.',
        responses: {
          '200': ok('Cluster', {
            type: 'object',
            properties: {
              node: { type: 'string' },
              clustered: { type: 'boolean' },
              role: { type: 'string', enum: ['active', 'standby'] },
              degraded: { type: 'boolean' },
              redisConnected: { type: 'boolean' },
              apiUrl: { type: ['string', 'null'] },
              peers: { type: 'array', items: { type: 'object', properties: { node: { type: 'string' }, alive: { type: 'boolean' }, role: { type: ['string', 'null'] }, apiUrl: { type: ['string', 'null'] } } } },
            },
          }),
          '401': errors['401'],
        },
      },
    },
    '/v1/cluster/takeover': {
      post: {
        summary: "Take a node's calls over now (restored on this node's media ports as they were; this node becomes active)",
        description: 'Refused (409) while the node\'s heartbeat is current unless `force: true`, while another node holds the takeover lock, and without a cluster.',
        requestBody: { required: true, ...json({ type: 'object', required: ['node'], properties: { node: { type: 'string' }, force: { type: 'boolean' } }, additionalProperties: false }) },
        responses: {
          '200': ok('Taken over', { type: 'object', properties: { node: { type: 'string' }, from: { type: 'string' }, calls: { type: 'integer' }, role: { type: 'string' } } }),
          '400': errors['400'],
          '401': errors['401'],
          '404': errors['404'],
          '409': { description: 'Node alive, another takeover in progress, or not clustered', content: { 'application/json': { schema: ref('Error') } } },
        },
      },
    },
    '/v1/events': {
      get: {
        summary: 'Live supervision events (Server-Sent Events)',
        description:
          'Each event is `event: <type>` (started, stopped, mode, mute, prompt, denied, bleed, failsafe), `id: <n>`, `data: <JSON with type, callId, time, id, ...>`. ' +
          'A `: keep-alive` comment is sent every 15 s. No replay (Last-Event-ID is ignored).',
        parameters: [{ name: 'callId', in: 'query', schema: { type: 'string' }, description: 'Only events of this call' }],
        responses: { '200': { description: 'Event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '401': errors['401'] },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
      Mode: { type: 'string', enum: [...SUPERVISION_MODES] },
      CallSummary: {
        type: 'object',
        properties: {
          callId: { type: 'string' },
          created: { type: 'string', format: 'date-time' },
          participants: { type: 'integer' },
          owner: { type: 'string', description: 'Clustered: the node holding the call' },
          ownerAlive: { type: 'boolean', description: "Clustered, another node's call: whether its owner's heartbeat is current" },
          supervisors: {
            type: 'array',
            items: { type: 'object', properties: { tag: { type: 'string' }, mode: ref('Mode'), agentTag: { type: 'string' }, supervisor: { type: ['string', 'null'] } } },
          },
        },
      },
      Call: {
        type: 'object',
        properties: {
          callId: { type: 'string' },
          created: { type: 'string', format: 'date-time' },
          lastSignal: { type: 'string', format: 'date-time' },
          answered: { type: 'boolean' },
          deleting: { type: 'boolean' },
          mixer: { type: ['object', 'null'], properties: { mixRate: { type: 'integer' } } },
          participants: { type: 'array', items: ref('Participant') },
          supervision: { type: 'array', items: ref('SupervisionSession') },
        },
      },
      Participant: {
        type: 'object',
        properties: {
          tag: { type: 'string' },
          role: { type: 'string', enum: ['customer', 'agent', 'supervisor', 'party'], description: "'party' on calls without supervisors" },
          label: { type: 'string' },
          peerTag: { type: ['string', 'null'] },
          codec: {
            type: ['object', 'null'],
            properties: { encoding: { type: 'string' }, clockRate: { type: 'integer' }, payloadType: { type: 'integer' }, dtmfPayloadType: { type: 'integer' } },
          },
          media: {
            type: ['object', 'null'],
            properties: {
              local: { type: 'object', properties: { address: { type: 'string' }, port: { type: 'integer' } } },
              remote: { type: 'object', properties: { address: { type: 'string' }, port: { type: 'integer' } } },
              direction: { type: 'string' },
              received: { type: 'object', description: 'Packets received from this participant', properties: { rtp: endpointStats, rtcp: endpointStats } },
              sent: {
                type: ['object', 'null'],
                description: 'What the mixer sent to this participant (null on the pure relay path)',
                properties: { framesMixed: { type: 'integer' }, framesByTimer: { type: 'integer' }, packetsForwarded: { type: 'integer' } },
              },
              decodeErrors: { type: 'integer' },
              security: {
                type: 'object',
                description: "The leg's transport and encryption (null parts: not in use)",
                properties: {
                  protocol: { type: ['string', 'null'], description: 'm= protocol this participant talks, e.g. RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF' },
                  srtp: { type: ['string', 'null'], description: 'SRTP suite in use, e.g. AEAD_AES_256_GCM' },
                  keying: { type: ['string', 'null'], enum: ['SDES', 'DTLS', null] },
                  dtls: { type: ['object', 'null'], properties: { role: { type: 'string', enum: ['active', 'passive'] }, state: { type: 'string' } } },
                  ice: { type: ['object', 'null'], properties: { state: { type: 'string' }, lite: { type: 'boolean' }, controlling: { type: 'boolean' } } },
                },
              },
            },
          },
          output: { type: 'string', enum: ['passthrough', 'mix', 'idle'], description: 'How what this participant hears is produced' },
          jitter: {
            type: ['object', 'null'],
            description: 'W3C webrtc-stats counters of the jitter buffer its audio is decoded through (null if none); jitterBufferDelay and jitterBufferTargetDelay in seconds',
            properties: Object.fromEntries(REPORTED_JITTER_FIELDS.map((k) => [k, { type: 'number' }])),
          },
        },
      },
      AecState: {
        type: 'object',
        description: "The session's echo canceller: requested (true/false by HTTP/ng `aec`, null = config bleed.echoCanceller.enabled) and active (running now: the session whispers/pages)",
        properties: {
          requested: { type: ['boolean', 'null'] },
          active: { type: 'boolean' },
          stats: {
            type: 'object',
            description: 'GET /v1/calls/{callId} only, while active: tail (ms), residual suppression, 20 ms blocks cancelled, re-syncs of the reference pairing, blocks with the reference padded, packets not cancelled',
            properties: { tailMs: { type: 'number' }, residual: { type: 'boolean' }, blocks: { type: 'number' }, resyncs: { type: 'number' }, underruns: { type: 'number' }, bypassed: { type: 'number' } },
          },
        },
      },
      SupervisionSession: {
        type: 'object',
        properties: {
          aec: ref('AecState'),
          tag: { type: 'string' },
          mode: ref('Mode'),
          agentTag: { type: 'string' },
          customerTag: { type: 'string' },
          supervisor: { type: ['string', 'null'] },
          agent: { type: ['string', 'null'] },
          muted: { type: 'boolean' },
          committed: { type: 'boolean' },
          failsafeTripped: { type: 'boolean' },
          created: { type: 'string', format: 'date-time' },
          bleed: {
            type: 'object',
            description: 'Latest whisper bleed measurement, while a whisper or page is (or was) monitored',
            properties: {
              levelDb: { type: 'number' },
              delayMs: { type: 'number' },
              confidence: { type: 'number' },
              evaluations: { type: 'integer' },
              digitalTripped: { type: 'boolean' },
              detected: { type: 'boolean' },
            },
          },
        },
      },
      AuditRecord: {
        type: 'object',
        required: ['time', 'seq', 'event', 'callId', 'source'],
        properties: {
          time: { type: 'string', format: 'date-time' },
          seq: { type: 'integer' },
          node: { type: 'string', description: 'The cluster node that wrote the record (cluster.node); only when clustered (issue 14)' },
          event: { type: 'string', enum: [...AUDIT_EVENTS] },
          callId: { type: 'string' },
          supervisorTag: { type: 'string' },
          agentTag: { type: 'string' },
          supervisor: { type: 'string' },
          agent: { type: 'string' },
          oldMode: { type: ['string', 'null'] },
          newMode: { type: ['string', 'null'] },
          reason: { type: 'string' },
          source: { type: 'string', enum: ['ng', 'http', 'dtmf', 'failsafe', 'cluster'] },
          details: { type: 'object' },
        },
      },
    },
  },
} as const;

/** `/v1/calls/:callId` -> `/v1/calls/{callId}` (route syntax to OpenAPI path syntax). */
export function openApiPath(routePath: string): string {
  return routePath.replace(/:([a-zA-Z]+)/g, '{$1}');
}
