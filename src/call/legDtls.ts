/**
 * Wires helper D's DTLS (src/media/dtls/: the process certificate, DtlsSession on OpenSSL) into the leg
 * security of src/call/legSecurity.ts. Imported once for its effect (src/call/offerAnswer.ts).
 */
import { dtlsCertificate } from '../media/dtls/certificate';
import { DtlsSession } from '../media/dtls/DtlsSession';
import { setDtlsBackend } from './legSecurity';

setDtlsBackend({
  fingerprint: (hash) => dtlsCertificate().fingerprint(hash),
  session: (ep, opts) => new DtlsSession(ep, opts),
});
