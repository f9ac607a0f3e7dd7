/**
 * Typed errors of the control plane. Every error a command can end in is one of these classes; its
 * `message` is the exact, stable text sent to peers (ng `error-reason`, HTTP `error`), so proxies can
 * branch on it. The mapping to ng and HTTP replies is done in one place: `toNgError` / `httpStatusOf`.
 *
 * The media plane never throws for bad input: it drops and counts (see media/dropReasons.ts).
 */

export type ErrorCode =
  | 'ERR_NG_PROTOCOL'
  | 'ERR_NG_UNKNOWN_COMMAND'
  | 'ERR_NG_MISSING_KEY'
  | 'ERR_SDP_PARSE'
  | 'ERR_CALL_NOT_FOUND'
  | 'ERR_TAG_NOT_FOUND'
  | 'ERR_PORTS_EXHAUSTED'
  | 'ERR_SESSION_LIMIT'
  | 'ERR_INVALID_STATE'
  | 'ERR_UNSUPPORTED'
  | 'ERR_NOT_PERMITTED'
  | 'ERR_CONFLICT'
  | 'ERR_BAD_REQUEST'
  | 'ERR_CONFIG'
  | 'ERR_AUDIT_UNAVAILABLE';

export class WhisperError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Malformed ng datagram or dictionary ("Invalid NG data format", "Dictionary contains no key \"command\""). */
export class NgProtocolError extends WhisperError {
  constructor(message: string) {
    super('ERR_NG_PROTOCOL', message);
  }
}

export class UnknownCommandError extends WhisperError {
  constructor() {
    super('ERR_NG_UNKNOWN_COMMAND', 'Unrecognized command');
  }
}

/** A required key is missing; the message is rtpengine's, e.g. "No call-id in message". */
export class MissingKeyError extends WhisperError {
  constructor(message: string) {
    super('ERR_NG_MISSING_KEY', message);
  }
}

export class SdpParseError extends WhisperError {
  constructor(detail?: string) {
    super('ERR_SDP_PARSE', 'Failed to parse SDP', detail === undefined ? undefined : { cause: detail });
  }
}

export class CallNotFoundError extends WhisperError {
  constructor(message = 'Unknown call-id') {
    super('ERR_CALL_NOT_FOUND', message);
  }
}

export class TagNotFoundError extends WhisperError {
  constructor(message = 'Unknown tag') {
    super('ERR_TAG_NOT_FOUND', message);
  }
}

/** Kamailio and OpenSIPS fail over to the next node on exactly this text. */
export class PortsExhaustedError extends WhisperError {
  constructor() {
    super('ERR_PORTS_EXHAUSTED', 'Ran out of ports');
  }
}

/** Kamailio and OpenSIPS fail over to the next node on exactly this text (or on result "load limit"). */
export class SessionLimitError extends WhisperError {
  constructor() {
    super('ERR_SESSION_LIMIT', 'Parallel session limit reached');
  }
}

export class InvalidStateError extends WhisperError {
  constructor(message: string) {
    super('ERR_INVALID_STATE', message);
  }
}

export class UnsupportedError extends WhisperError {
  constructor(message: string) {
    super('ERR_UNSUPPORTED', message);
  }
}

export class NotPermittedError extends WhisperError {
  constructor(message = 'Not permitted') {
    super('ERR_NOT_PERMITTED', message);
  }
}

export class ConflictError extends WhisperError {
  constructor(message: string) {
    super('ERR_CONFLICT', message);
  }
}

export class BadRequestError extends WhisperError {
  constructor(message: string) {
    super('ERR_BAD_REQUEST', message);
  }
}

export class ConfigError extends WhisperError {
  constructor(message: string) {
    super('ERR_CONFIG', message);
  }
}

/**
 * The audit log could not make a record durable: the action it would have recorded is refused and
 * rolled back (an action that cannot be audited must not happen).
 */
export class AuditUnavailableError extends WhisperError {
  constructor(options?: { cause?: unknown }) {
    super('ERR_AUDIT_UNAVAILABLE', 'Audit log unavailable', options);
  }
}

/** The one mapping from an error to an ng reply. Unknown (internal) errors get a generic text. */
export function toNgError(err: unknown, loadLimitSupported: boolean): Record<string, string> {
  if (err instanceof SessionLimitError && loadLimitSupported) {
    return { result: 'load limit', message: err.message };
  }
  if (err instanceof WhisperError) {
    return { result: 'error', 'error-reason': err.message };
  }
  return { result: 'error', 'error-reason': 'Internal error' };
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  ERR_NG_PROTOCOL: 400,
  ERR_NG_UNKNOWN_COMMAND: 400,
  ERR_NG_MISSING_KEY: 400,
  ERR_SDP_PARSE: 400,
  ERR_BAD_REQUEST: 400,
  ERR_CALL_NOT_FOUND: 404,
  ERR_TAG_NOT_FOUND: 404,
  ERR_NOT_PERMITTED: 403,
  ERR_CONFLICT: 409,
  ERR_INVALID_STATE: 409,
  ERR_UNSUPPORTED: 422,
  ERR_PORTS_EXHAUSTED: 503,
  ERR_SESSION_LIMIT: 503,
  ERR_CONFIG: 500,
  ERR_AUDIT_UNAVAILABLE: 503,
};

/** The one mapping from an error to an HTTP status. */
export function httpStatusOf(err: unknown): number {
  return err instanceof WhisperError ? HTTP_STATUS[err.code] : 500;
}
