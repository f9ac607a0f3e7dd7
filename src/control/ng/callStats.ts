/**
 * The statistics dictionary of a call in rtpengine's shape, shared by `query` and `delete` replies
 * (rtpengine's ng_call_stats): created, last signal, tags -> medias -> streams with local/endpoint
 * addresses and per-stream {packets, bytes, errors} counted on packets *received from* that party,
 * and totals.RTP / totals.RTCP (what Kamailio's $rtpstat reads).
 */
import type { Call } from '../../call/Call';
import type { EndpointStats, RtpEndpoint } from '../../media/RtpEndpoint';
import type { NgDict } from './bencode';
import { addParticipantExtras, type ExtrasSources } from './participantExtras';
import { legSecurityState } from '../../call/legSecurity';
import type { MediaLeg } from '../../call/MediaLeg';

function statsDict(s: EndpointStats): NgDict {
  return { packets: s.packets, bytes: s.bytes, errors: s.errors };
}

/** rtpengine's family name of an address ('IP6' for IPv6 text, else 'IP4', as for an unknown ''). */
function familyName(address: string): string {
  return address.includes(':') ? 'IP6' : 'IP4';
}

function addrDict(address: string, port: number): NgDict {
  return { family: familyName(address), address, port };
}

/** rtpengine ng_stats_media flags for the leg's security (call.c MEDIA_FLAG_*), in rtpengine's order. */
function securityFlags(leg: MediaLeg, flags: string[]): void {
  const s = leg.security;
  if (s.dtls) flags.push('DTLS-SRTP');
  if (s.setupActive) flags.push('DTLS role active');
  if (s.setupPassive) flags.push('DTLS role passive');
  if (s.sdes) flags.push('SDES');
  if (s.passthru) flags.push('passthrough');
  if (s.ice) flags.push('ICE');
  if (s.trickle) flags.push('trickle ICE');
  if (s.ice && s.controlling) flags.push('ICE controlling'); // (rtpengine decides roles without ICE too; shown with ICE only)
  if (s.iceLitePeer) flags.push('ICE-lite peer');
}

function streamDicts(ep: RtpEndpoint, suite: string | null = null): NgDict[] {
  const rtpFlags = ['RTP'];
  if (ep.rtpLatched) rtpFlags.push('confirmed');
  if (ep.strictSource) rtpFlags.push('strict source address');
  if (ep.mediaHandover) rtpFlags.push('media handover');
  const rtp: NgDict = {
    'local address': ep.localAddress,
    'local port': ep.localPort,
    family: familyName(ep.localAddress),
    endpoint: addrDict(ep.remoteAddress, ep.remotePort),
    'advertised endpoint': addrDict(ep.sdpAddress, ep.sdpPort),
    ...(suite !== null ? { 'crypto suite': suite } : {}),
    'last packet': Math.floor(ep.lastPacketMs / 1000),
    flags: rtpFlags,
    stats: statsDict(ep.rtpStats),
  };
  if (ep.lastSsrc >= 0) rtp.SSRC = ep.lastSsrc;
  const rtcp: NgDict = {
    'local address': ep.localAddress,
    'local port': ep.localPort + 1,
    family: familyName(ep.localAddress),
    endpoint: addrDict(ep.remoteAddress, ep.remoteRtcpPort),
    'advertised endpoint': addrDict(ep.sdpAddress, ep.sdpPort === 0 ? 0 : ep.sdpPort + 1),
    ...(suite !== null ? { 'crypto suite': suite } : {}),
    'last packet': Math.floor(ep.lastPacketMs / 1000),
    flags: ep.rtcpLatched ? ['RTCP', 'confirmed'] : ['RTCP'],
    stats: statsDict(ep.rtcpStats),
  };
  return [rtp, rtcp];
}

/** The statistics of `call`; with `extras`, each participant also gets role, jitter and supervision. */
export function callStats(call: Call, extras?: ExtrasSources): NgDict {
  const totals = { RTP: { packets: 0, bytes: 0, errors: 0 }, RTCP: { packets: 0, bytes: 0, errors: 0 } };
  const tags: NgDict = {};
  for (const p of call.participants.values()) {
    const medias: NgDict[] = [];
    for (const leg of p.legs) {
      const flags: string[] = [];
      const ep = leg.endpoint;
      if (ep) {
        flags.push('initialized');
        if (leg.direction === 'sendrecv' || leg.direction === 'sendonly') flags.push('send');
        if (leg.direction === 'sendrecv' || leg.direction === 'recvonly') flags.push('recv');
        if (leg.rtcpMux) flags.push('rtcp-mux');
        securityFlags(leg, flags); // (S) rtpengine's DTLS-SRTP / SDES / ICE media flags
        totals.RTP.packets += ep.rtpStats.packets;
        totals.RTP.bytes += ep.rtpStats.bytes;
        totals.RTP.errors += ep.rtpStats.errors;
        totals.RTCP.packets += ep.rtcpStats.packets;
        totals.RTCP.bytes += ep.rtcpStats.bytes;
        totals.RTCP.errors += ep.rtcpStats.errors;
      }
      const sec = legSecurityState(leg);
      const media: NgDict = {
        index: leg.index + 1,
        type: leg.type,
        protocol: sec.protocol ?? leg.protocol,
        flags,
        streams: ep ? streamDicts(ep, sec.srtp) : [],
      };
      // (S) whisperd: the DTLS session and ICE agent of the leg
      if (sec.dtls) media.DTLS = { role: sec.dtls.role, state: sec.dtls.state };
      if (sec.ice) media.ICE = { state: sec.ice.state, lite: sec.ice.lite ? 1 : 0, controlling: sec.ice.controlling ? 1 : 0 };
      const codec = leg.payloads[0];
      if (codec) media.codec = codec.encoding;
      medias.push(media);
    }
    const tagDict: NgDict = {
      tag: p.tag,
      created: Math.floor(p.createdMs / 1000),
      medias,
    };
    if (p.label) tagDict.label = p.label;
    if (p.viaBranch) tagDict['via-branch'] = p.viaBranch;
    if (p.peer) tagDict['in dialogue with'] = p.peer.tag;
    if (extras) addParticipantExtras(extras, call, p, tagDict);
    tags[p.tag] = tagDict;
  }
  return {
    created: Math.floor(call.createdMs / 1000),
    created_us: (call.createdMs % 1000) * 1000,
    'last signal': Math.floor(call.lastSignalMs / 1000),
    SSRC: {},
    tags,
    totals,
  };
}
