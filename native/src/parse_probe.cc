// parseProbe(kind, buf, len, out): run one pure parser of rtp/ on buf[0..len) and copy its view into
// out (Float64Array, PARSE_PROBE_OUT slots). Layout per kind (mirrored in native/index.d.ts):
//   0 RTP (ParseRtp): returns the RtpVerdict; on OK out = [marker, payloadType, sequence, timestamp,
//     ssrc, csrcCount, headerLength, payloadOffset, payloadLength, paddingLength]
//   1 RTCP plausibility (PlausibleRtcp): returns 1 or 0
//   2 telephone-event (ParseTelephoneEvent): returns 1 or 0; on 1 out = [event, end, volume, duration]
//   3 RTCP compound (WalkRtcp): returns the RtcpVerdict; out = [packets, sr, rr, sdes, bye, app, other,
//     reportBlocks, firstIsReport, senderSsrc, hasSenderInfo, ntpMsw, ntpLsw, rtpTimestamp,
//     senderPackets, senderOctets], then 6 slots per sub-packet (up to PROBE_MAX_PACKETS): type, count,
//     offset, length, padding, ssrc
// -1 (ERR_ARG) for a bad argument (len beyond buf, out too small, unknown kind).
#include "parse_probe.h"

#include "handle.h"
#include "rtp/parse.h"
#include "rtp/rtcp.h"
#include "rtp/telephone_event.h"

namespace wn {
namespace {

constexpr size_t PROBE_MAX_PACKETS = 16;
constexpr size_t PROBE_OUT = 16 + 6 * PROBE_MAX_PACKETS;

Napi::Value ParseProbe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t kind, len;
  uint8_t* buf;
  size_t buf_len;
  double* o;
  size_t o_len;
  if (!IndexArg(info, 0, 3, kind) || !Uint8ArrayArg(info, 1, buf, buf_len) || !IndexArg(info, 2, UINT32_MAX, len) ||
      len > buf_len || !Float64ArrayArg(info, 3, o, o_len) || o_len < PROBE_OUT)
    return Int(env, ERR_ARG);
  switch (kind) {
    case 0: {
      rtp::RtpView v;
      const int r = rtp::ParseRtp(buf, len, &v);
      if (r == rtp::V_OK) {
        o[0] = v.marker;
        o[1] = v.payload_type;
        o[2] = v.sequence;
        o[3] = v.timestamp;
        o[4] = v.ssrc;
        o[5] = v.csrc_count;
        o[6] = static_cast<double>(v.header_length);
        o[7] = static_cast<double>(v.payload_offset);
        o[8] = static_cast<double>(v.payload_length);
        o[9] = static_cast<double>(v.padding_length);
      }
      return Int(env, r);
    }
    case 1:
      return Int(env, rtp::PlausibleRtcp(buf, len) ? 1 : 0);
    case 2: {
      rtp::TelephoneEvent e;
      if (!rtp::ParseTelephoneEvent(buf, len, &e)) return Int(env, 0);
      o[0] = e.event;
      o[1] = e.end;
      o[2] = e.volume;
      o[3] = e.duration;
      return Int(env, 1);
    }
    default: {
      rtp::RtcpCompound c;
      rtp::RtcpPacket p[PROBE_MAX_PACKETS];
      const int r = rtp::WalkRtcp(buf, len, &c, p, PROBE_MAX_PACKETS);
      const double head[16] = {static_cast<double>(c.packets), static_cast<double>(c.sr), static_cast<double>(c.rr),
                               static_cast<double>(c.sdes), static_cast<double>(c.bye), static_cast<double>(c.app),
                               static_cast<double>(c.other), static_cast<double>(c.report_blocks),
                               static_cast<double>(c.first_is_report), static_cast<double>(c.sender_ssrc),
                               static_cast<double>(c.has_sender_info), static_cast<double>(c.ntp_msw),
                               static_cast<double>(c.ntp_lsw), static_cast<double>(c.rtp_timestamp),
                               static_cast<double>(c.sender_packets), static_cast<double>(c.sender_octets)};
      for (size_t i = 0; i < 16; i++) o[i] = head[i];
      const size_t n = c.packets < PROBE_MAX_PACKETS ? c.packets : PROBE_MAX_PACKETS;
      for (size_t i = 0; i < n; i++) {
        double* d = o + 16 + 6 * i;
        d[0] = p[i].type;
        d[1] = p[i].count;
        d[2] = static_cast<double>(p[i].offset);
        d[3] = static_cast<double>(p[i].length);
        d[4] = static_cast<double>(p[i].padding);
        d[5] = p[i].ssrc;
      }
      return Int(env, r);
    }
  }
}

}  // namespace

void InitParseProbe(Napi::Env env, Napi::Object exports) {
  exports.Set("parseProbe", Napi::Function::New(env, ParseProbe, "parseProbe"));
}

}  // namespace wn
