/*
 * mixgen: codec-agnostic RTP load generator / sink for the whisperd mix benchmark (bench/mix.js).
 *
 * One process, one thread (pin it with taskset). Every "party" (a phone: customer, agent,
 * supervisor, or a transcoding call's A/B side) owns one UDP socket on 127.0.0.1 (the port put into
 * its SDP, so latching works), sends one RTP packet every ptime from that socket to the relay port
 * it was given, and receives on the same socket whatever the daemon sends it.
 *
 * Payloads are not generated here: the driver pre-encodes periodic frame tables (G.711, G.729,
 * Opus: silence-free background noise plus audio markers, see mix.js) and the generator sends frame
 * table[t][seq % period] with the party's payload type. So the generator costs the same whatever the
 * codec and stays far from being the bottleneck.
 *
 * Plan file (text, one directive per line):
 *   F <table> <index> <hex payload>           frame <index> of table <table>
 *   M <table> <index>                          send times of this frame are dumped (marker frames)
 *   P <party> <local port> <dst port> <pt> <table> <dump>
 *                                              table -1: receive only; dump 1: received packets are
 *                                              written to the rx dump (for audio analysis)
 * Parties send with evenly spread phases (global schedule like rtpgen.c), SSRC = 0x6d000000 + party.
 *
 * Receive accounting per party (packets whose arrival falls in the measurement window), with the
 * party's received RTP sequence extended to 32 bits:
 *   rx, lost = holes in [first, last] sequence seen in the window, reorder,
 *   late = arrival later than (earliest arrival offset seen so far for the stream + allowance),
 *          where offset = arrival - ext_seq * ptime (the stream's own clock; no drift on one host),
 *   max inter-arrival gap, first payload type seen,
 *   gaps = inter-arrival gaps longer than --gap-ms (default 50), gap_frames = the frames that were due
 *          during those gaps (round(gap / ptime) - 1 per gap: frames a listener heard as a hole or a burst).
 * Dumps (binary, little endian):
 *   sends: {u32 party, u32 seq, u64 realtime ns the datagram reached the daemon's socket}
 *   rx:    {u32 party, u16 rtpseq, u8 pt, u8 0, u32 rtpts, u64 SO_TIMESTAMPNS realtime ns, u16 len, payload}
 *          for packets that arrived in [measurement start, send end + drain).
 * Output: one JSON object on stdout (totals; per-party arrays only for counters that are non-zero).
 *
 * Build: cc -O2 -o mixgen mixgen.c
 *
 * SRTP (mix.js scenario whisper-srtp): built with -DWITH_SRTP (cc -O2 -DWITH_SRTP -o mixgen-srtp mixgen.c -lcrypto)
 * the plan may hold "K <party> <tx key|-> <rx key|->" (a=crypto inline values of AES_CM_128_HMAC_SHA1_80): the
 * party then sends SRTP under its tx key and authenticates + decrypts what it receives under its rx key
 * (srtp.h) before the accounting above; a packet failing the check counts in srtp_auth_fail and nowhere else.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "procstat.h"
#ifdef WITH_SRTP
#include "srtp.h"
#endif

#define SSRC_BASE 0x6d000000u
#define RECV_BATCH 64
#define SEND_BATCH 64
#define MAX_EVENTS 1024
#define MAX_TABLES 16
#define MAX_FRAMES 256
#define MAX_PAY 1500

typedef struct {
    int nframes;
    uint16_t len[MAX_FRAMES];
    uint8_t *data[MAX_FRAMES];
    uint8_t mark[MAX_FRAMES];
} table_t;

typedef struct {
    int fd, port;
    struct sockaddr_in dst;
    int pt, table, dump;
    uint64_t sent;
    uint64_t rx_drops;
    /* receive side */
    int have;
    uint32_t ssrc;
    uint16_t last16;
    int64_t ext_hi; /* cycles << 16 */
    int64_t last_ext;
    int64_t win_first, win_last;
    uint64_t win_rx, late, reorder, rx_all, ssrc_changes, foreign_ssrc;
    int64_t min_off;
    int have_off;
    uint64_t last_arr, max_gap, gaps, gap_frames;
    int first_pt;
#ifdef WITH_SRTP
    srtp_ctx_t *tx_srtp, *rx_srtp;
#endif
} party_t;

static table_t tables[MAX_TABLES];
static party_t *parties;
static int nparties;

static inline uint64_t now_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}


static volatile sig_atomic_t stop_flag = 0;
static void on_sig(int s) { (void)s; stop_flag = 1; }

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void usage(void) {
    fprintf(stderr, "usage: mixgen --plan FILE [--warmup S] [--duration S] [--drain S] [--ptime MS] [--tick-us US]\n"
                    "              [--allow-ms MS] [--gap-ms MS] [--rcvbuf BYTES] [--daemon-pid PID] [--dump-rx FILE] [--dump-tx FILE]\n");
    exit(2);
}

static int port_to_party[65536];

int main(int argc, char **argv) {
    const char *plan = NULL, *dump_rx = NULL, *dump_tx = NULL;
    double warmup = 3, duration = 10, drain = 1, ptime_ms = 20, tick_us = 250, allow_ms = 60, gap_ms = 50;
    int rcvbuf = 0, dpid = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--plan") && i + 1 < argc) plan = argv[++i];
        else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = atof(argv[++i]);
        else if (!strcmp(argv[i], "--duration") && i + 1 < argc) duration = atof(argv[++i]);
        else if (!strcmp(argv[i], "--drain") && i + 1 < argc) drain = atof(argv[++i]);
        else if (!strcmp(argv[i], "--ptime") && i + 1 < argc) ptime_ms = atof(argv[++i]);
        else if (!strcmp(argv[i], "--tick-us") && i + 1 < argc) tick_us = atof(argv[++i]);
        else if (!strcmp(argv[i], "--allow-ms") && i + 1 < argc) allow_ms = atof(argv[++i]);
        else if (!strcmp(argv[i], "--gap-ms") && i + 1 < argc) gap_ms = atof(argv[++i]);
        else if (!strcmp(argv[i], "--rcvbuf") && i + 1 < argc) rcvbuf = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--daemon-pid") && i + 1 < argc) dpid = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--dump-rx") && i + 1 < argc) dump_rx = argv[++i];
        else if (!strcmp(argv[i], "--dump-tx") && i + 1 < argc) dump_tx = argv[++i];
        else usage();
    }
    if (!plan) usage();
    signal(SIGINT, on_sig);
    signal(SIGTERM, on_sig);
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    long clk_tck = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
    struct rlimit rl = {.rlim_cur = 65536, .rlim_max = 65536};
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) { getrlimit(RLIMIT_NOFILE, &rl); rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl); }

    FILE *pf = fopen(plan, "r");
    if (!pf) { perror("plan"); return 1; }
    size_t lcap = 8192;
    char *line = malloc(lcap);
    int pcap = 1024;
    parties = calloc((size_t)pcap, sizeof(party_t));
    for (int p = 0; p < 65536; p++) port_to_party[p] = -1;
    while (getline(&line, &lcap, pf) > 0) {
        if (line[0] == 'F') {
            int t, idx, off = 0;
            if (sscanf(line, "F %d %d %n", &t, &idx, &off) < 2 || t < 0 || t >= MAX_TABLES || idx < 0 || idx >= MAX_FRAMES) { fprintf(stderr, "bad F line\n"); return 1; }
            char *h = line + off;
            size_t hl = strcspn(h, " \r\n");
            if (hl / 2 > MAX_PAY) { fprintf(stderr, "frame too long\n"); return 1; }
            uint8_t *d = malloc(hl / 2 + 1);
            for (size_t k = 0; k < hl / 2; k++) d[k] = (uint8_t)(hexval(h[2 * k]) << 4 | hexval(h[2 * k + 1]));
            tables[t].data[idx] = d;
            tables[t].len[idx] = (uint16_t)(hl / 2);
            if (idx + 1 > tables[t].nframes) tables[t].nframes = idx + 1;
        } else if (line[0] == 'M') {
            int t, idx;
            if (sscanf(line, "M %d %d", &t, &idx) == 2 && t >= 0 && t < MAX_TABLES && idx >= 0 && idx < MAX_FRAMES) tables[t].mark[idx] = 1;
#ifdef WITH_SRTP
        } else if (line[0] == 'K') {
            int id;
            char k0[64], k1[64];
            if (sscanf(line, "K %d %63s %63s", &id, k0, k1) != 3 || id < 0 || id >= nparties) { fprintf(stderr, "bad K line (after its P line): %s", line); return 1; }
            if (strcmp(k0, "-") != 0) { parties[id].tx_srtp = calloc(1, sizeof(srtp_ctx_t)); if (srtp_init(parties[id].tx_srtp, k0) != 0) { fprintf(stderr, "bad tx key: %s", line); return 1; } }
            if (strcmp(k1, "-") != 0) { parties[id].rx_srtp = calloc(1, sizeof(srtp_ctx_t)); if (srtp_init(parties[id].rx_srtp, k1) != 0) { fprintf(stderr, "bad rx key: %s", line); return 1; } }
#endif
        } else if (line[0] == 'P') {
            int id, lp, dp, pt, tb, dm;
            if (sscanf(line, "P %d %d %d %d %d %d", &id, &lp, &dp, &pt, &tb, &dm) != 6 || id != nparties || lp <= 0 || lp > 65535 || dp <= 0 || dp > 65535) {
                fprintf(stderr, "bad P line (parties must be numbered 0..n-1 in order): %s", line);
                return 1;
            }
            if (nparties == pcap) { pcap *= 2; parties = realloc(parties, sizeof(party_t) * (size_t)pcap); memset(parties + nparties, 0, sizeof(party_t) * (size_t)(pcap - nparties)); }
            party_t *p = &parties[nparties++];
            p->port = lp; p->pt = pt; p->table = tb; p->dump = dm;
            p->dst.sin_family = AF_INET; p->dst.sin_port = htons((uint16_t)dp); p->dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            p->first_pt = -1;
            if (port_to_party[lp] >= 0) { fprintf(stderr, "port %d used twice\n", lp); return 1; }
            port_to_party[lp] = nparties - 1;
        }
    }
    fclose(pf);
    if (!nparties) { fprintf(stderr, "no parties\n"); return 1; }
    int nsenders = 0;
    for (int i = 0; i < nparties; i++) {
        if (parties[i].table >= 0) {
            if (parties[i].table >= MAX_TABLES || tables[parties[i].table].nframes == 0) { fprintf(stderr, "party %d: empty table\n", i); return 1; }
            for (int k = 0; k < tables[parties[i].table].nframes; k++)
                if (!tables[parties[i].table].data[k]) { fprintf(stderr, "table %d frame %d missing\n", parties[i].table, k); return 1; }
            nsenders++;
        }
    }
    int *senders = malloc(sizeof(int) * (size_t)(nsenders + 1));
    nsenders = 0;
    for (int i = 0; i < nparties; i++) if (parties[i].table >= 0) senders[nsenders++] = i;

    int ep = epoll_create1(0), one = 1;
    for (int i = 0; i < nparties; i++) {
        party_t *p = &parties[i];
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        if (fd < 0) { perror("socket"); return 1; }
        setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
        setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
        if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p->port)};
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) { fprintf(stderr, "bind 127.0.0.1:%d: %s\n", p->port, strerror(errno)); return 1; }
        p->fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    FILE *frx = dump_rx ? fopen(dump_rx, "wb") : NULL;
    FILE *ftx = dump_tx ? fopen(dump_tx, "wb") : NULL;
    if ((dump_rx && !frx) || (dump_tx && !ftx)) { perror("dump file"); return 1; }
    static char frxbuf[1 << 20], ftxbuf[1 << 18];
    if (frx) setvbuf(frx, frxbuf, _IOFBF, sizeof frxbuf);
    if (ftx) setvbuf(ftx, ftxbuf, _IOFBF, sizeof ftxbuf);

    int max_pend = 8192;
    typedef struct { int party; uint32_t seq; uint8_t hdr[12]; } pend_t;
    pend_t *pend = malloc(sizeof(pend_t) * (size_t)max_pend);
    struct mmsghdr smsg[SEND_BATCH];
    struct iovec siov[SEND_BATCH][2];

    static uint8_t rbuf[RECV_BATCH][2048];
    static char cbuf[RECV_BATCH][256];
    struct iovec riov[RECV_BATCH];
    struct mmsghdr rmsg[RECV_BATCH];
    for (int i = 0; i < RECV_BATCH; i++) { riov[i].iov_base = rbuf[i]; riov[i].iov_len = sizeof rbuf[i]; }
    struct epoll_event evs[MAX_EVENTS];

    uint64_t ptime_ns = (uint64_t)(ptime_ms * 1e6), allow_ns = (uint64_t)(allow_ms * 1e6), gap_ns = (uint64_t)(gap_ms * 1e6);
    uint64_t t0 = now_ns(CLOCK_MONOTONIC) + 50000000ull;
    int64_t rt_minus_mono = (int64_t)now_ns(CLOCK_REALTIME) - (int64_t)now_ns(CLOCK_MONOTONIC);
    uint64_t t_meas = t0 + (uint64_t)(warmup * 1e9);
    uint64_t t_lock = t0 + (uint64_t)(warmup * 0.5e9);
    uint64_t t_send_end = t_meas + (uint64_t)(duration * 1e9);
    uint64_t t_end = t_send_end + (uint64_t)(drain * 1e9);
    uint64_t tick_ns = (uint64_t)(tick_us * 1000), next_tick = t0, n = 0;
    uint64_t srtp_auth_fail = 0;
#ifdef WITH_SRTP
    static uint8_t sbuf[12 + MAX_PAY + SRTP_MAX_TAG];
#endif
    uint64_t late_1ms = 0, max_late_ns = 0, send_err = 0, sent_total = 0, sent_measure = 0, rx_total = 0, rx_foreign = 0;
    uint64_t d_ticks0 = 0, d_ticks1 = 0, rss = 0, rss_max = 0, rss_end = 0, next_sample = t0;
    int d_ok0 = -1, d_ok1 = -1, mstart = 0, mdone = 0;
    struct rusage ru0, ru1;
    memset(&ru0, 0, sizeof ru0); memset(&ru1, 0, sizeof ru1);
    uint64_t g0 = 0, g1 = 0;

    for (;;) {
        uint64_t now = now_ns(CLOCK_MONOTONIC);
        if (stop_flag || now >= t_end) break;
        if (!mstart && now >= t_meas) {
            mstart = 1;
            if (dpid) d_ok0 = read_proc(dpid, &d_ticks0, &rss, page);
            getrusage(RUSAGE_SELF, &ru0);
            g0 = now;
        }
        if (mstart && !mdone && now >= t_send_end) {
            mdone = 1;
            if (dpid) d_ok1 = read_proc(dpid, &d_ticks1, &rss_end, page);
            getrusage(RUSAGE_SELF, &ru1);
            g1 = now;
        }
        if (dpid && now >= next_sample) {
            uint64_t tk;
            if (read_proc(dpid, &tk, &rss, page) == 0 && rss > rss_max) rss_max = rss;
            next_sample = now + 250000000ull;
        }
        int np = 0;
        if (now >= next_tick && nsenders > 0) {
            uint64_t tm = now_ns(CLOCK_MONOTONIC);
            while (np < max_pend) {
                uint64_t due = t0 + (uint64_t)((__uint128_t)n * ptime_ns / (uint64_t)nsenders);
                if (due > now || due >= t_send_end) break;
                int pi = senders[n % (uint64_t)nsenders];
                uint32_t seq = (uint32_t)(n / (uint64_t)nsenders);
                uint64_t late = tm > due ? tm - due : 0;
                if (late > max_late_ns) max_late_ns = late;
                if (late > 1000000ull) late_1ms++;
                if (due >= t_meas) sent_measure++;
                pend_t *pp = &pend[np++];
                pp->party = pi; pp->seq = seq;
                party_t *p = &parties[pi];
                uint32_t ssrc = SSRC_BASE + (uint32_t)pi, ts = seq * (uint32_t)(ptime_ms * (p->pt == 111 || p->pt >= 96 ? 48 : 8));
                uint8_t *h = pp->hdr;
                h[0] = 0x80; h[1] = (uint8_t)(p->pt & 0x7f);
                h[2] = (uint8_t)(seq >> 8); h[3] = (uint8_t)seq;
                h[4] = (uint8_t)(ts >> 24); h[5] = (uint8_t)(ts >> 16); h[6] = (uint8_t)(ts >> 8); h[7] = (uint8_t)ts;
                h[8] = (uint8_t)(ssrc >> 24); h[9] = (uint8_t)(ssrc >> 16); h[10] = (uint8_t)(ssrc >> 8); h[11] = (uint8_t)ssrc;
                n++;
            }
            next_tick = now + tick_ns;
        }
        /* per-party sockets: one sendmmsg per packet's socket would be 1-packet batches; use sendmsg
         * batching via sendmmsg on consecutive packets of the same socket only when possible. With one
         * socket per party every packet is its own syscall (like real phones). */
        for (int i = 0; i < np; i++) {
            pend_t *pp = &pend[i];
            party_t *p = &parties[pp->party];
            table_t *t = &tables[p->table];
            int fi = (int)(pp->seq % (uint32_t)t->nframes);
            siov[0][0].iov_base = pp->hdr; siov[0][0].iov_len = 12;
            siov[0][1].iov_base = t->data[fi]; siov[0][1].iov_len = t->len[fi];
            memset(&smsg[0].msg_hdr, 0, sizeof smsg[0].msg_hdr);
            smsg[0].msg_hdr.msg_name = &p->dst; smsg[0].msg_hdr.msg_namelen = sizeof p->dst;
            smsg[0].msg_hdr.msg_iov = siov[0]; smsg[0].msg_hdr.msg_iovlen = 2;
#ifdef WITH_SRTP
            if (p->tx_srtp) { /* one contiguous packet, encrypted and tagged */
                memcpy(sbuf, pp->hdr, 12);
                memcpy(sbuf + 12, t->data[fi], t->len[fi]);
                siov[0][0].iov_base = sbuf;
                siov[0][0].iov_len = (size_t)srtp_protect(p->tx_srtp, sbuf, 12 + t->len[fi]);
                smsg[0].msg_hdr.msg_iovlen = 1;
            }
#endif
            uint64_t tb = t->mark[fi] && ftx ? now_ns(CLOCK_REALTIME) : 0;
            ssize_t r = sendmsg(p->fd, &smsg[0].msg_hdr, MSG_DONTWAIT);
            if (r < 0) { send_err++; continue; }
            p->sent++; sent_total++;
            if (tb) {
                uint64_t ta = now_ns(CLOCK_REALTIME), tx = tb + (ta - tb) / 2;
                uint32_t rec[2] = {(uint32_t)pp->party, pp->seq};
                fwrite(rec, 4, 2, ftx); fwrite(&tx, 8, 1, ftx);
            }
        }

        now = now_ns(CLOCK_MONOTONIC);
        uint64_t due = nsenders ? t0 + (uint64_t)((__uint128_t)n * ptime_ns / (uint64_t)nsenders) : t_end;
        uint64_t wake = due < t_send_end ? (due > next_tick ? due : next_tick) : next_tick;
        if (!mstart && t_meas < wake) wake = t_meas;
        if (!mdone && t_send_end < wake) wake = t_send_end;
        if (dpid && next_sample < wake) wake = next_sample;
        if (wake > now && np < max_pend) {
            struct timespec ts = {.tv_sec = (time_t)(wake / 1000000000ull), .tv_nsec = (long)(wake % 1000000000ull)};
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR && !stop_flag) {}
        }
        int ne = epoll_wait(ep, evs, MAX_EVENTS, 0);
        if (ne < 0) { if (errno == EINTR) continue; perror("epoll_wait"); break; }
        for (int e = 0; e < ne; e++) {
            int idx = (int)evs[e].data.u32;
            party_t *p = &parties[idx];
            for (int rounds = 0; rounds < 16; rounds++) {
                for (int i = 0; i < RECV_BATCH; i++) {
                    memset(&rmsg[i].msg_hdr, 0, sizeof rmsg[i].msg_hdr);
                    rmsg[i].msg_hdr.msg_iov = &riov[i]; rmsg[i].msg_hdr.msg_iovlen = 1;
                    rmsg[i].msg_hdr.msg_control = cbuf[i]; rmsg[i].msg_hdr.msg_controllen = sizeof cbuf[i];
                }
                int r = recvmmsg(p->fd, rmsg, RECV_BATCH, MSG_DONTWAIT, NULL);
                if (r <= 0) break;
                for (int i = 0; i < r; i++) {
                    uint8_t *b = rbuf[i];
                    unsigned len = rmsg[i].msg_len;
                    uint64_t krx = 0;
                    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&rmsg[i].msg_hdr); cm; cm = CMSG_NXTHDR(&rmsg[i].msg_hdr, cm)) {
                        if (cm->cmsg_level != SOL_SOCKET) continue;
                        if (cm->cmsg_type == SO_TIMESTAMPNS) { struct timespec k; memcpy(&k, CMSG_DATA(cm), sizeof k); krx = (uint64_t)k.tv_sec * 1000000000ull + (uint64_t)k.tv_nsec; }
                        else if (cm->cmsg_type == SO_RXQ_OVFL) { uint32_t d; memcpy(&d, CMSG_DATA(cm), sizeof d); p->rx_drops = d; }
                    }
                    if (len < 12 || (b[0] & 0xc0) != 0x80) { rx_foreign++; continue; }
#ifdef WITH_SRTP
                    if (p->rx_srtp && !((b[1] & 0x7f) >= 72 && (b[1] & 0x7f) <= 76)) {
                        int dl = srtp_unprotect(p->rx_srtp, b, (int)len);
                        if (dl < 0) { srtp_auth_fail++; continue; }
                        len = (unsigned)dl;
                    }
#endif
                    int pt = b[1] & 0x7f;
                    if (pt >= 72 && pt <= 76) continue; /* RTCP */
                    rx_total++;
                    p->rx_all++;
                    uint64_t arr = krx ? (uint64_t)((int64_t)krx - rt_minus_mono) : now_ns(CLOCK_MONOTONIC);
                    uint16_t s16 = (uint16_t)(b[2] << 8 | b[3]);
                    uint32_t ssrc = (uint32_t)b[8] << 24 | (uint32_t)b[9] << 16 | (uint32_t)b[10] << 8 | b[11];
                    /* Lock on to the stream's SSRC half-way through the warm-up: later packets with another
                     * SSRC (stragglers from a previous step's calls on a reused port) are counted, not tracked. */
                    if (p->have && ssrc != p->ssrc && arr >= t_lock) { p->foreign_ssrc++; continue; }
                    if (!p->have || ssrc != p->ssrc) {
                        if (p->have) p->ssrc_changes++;
                        p->have = 1; p->ssrc = ssrc; p->ext_hi = 0; p->last16 = s16; p->last_ext = s16;
                        p->have_off = 0; p->win_first = -1;
                        if (p->first_pt < 0) p->first_pt = pt;
                    }
                    int16_t d = (int16_t)(s16 - p->last16);
                    int64_t ext = p->last_ext + d;
                    if (d > 0) { p->last_ext = ext; p->last16 = s16; }
                    int64_t off = (int64_t)arr - ext * (int64_t)ptime_ns;
                    if (!p->have_off || off < p->min_off) { p->min_off = off; p->have_off = 1; }
                    if (arr >= t_meas && arr < t_send_end) {
                        p->win_rx++;
                        if (p->win_first < 0 || ext < p->win_first) p->win_first = ext;
                        if (p->win_first >= 0 && ext > p->win_last) p->win_last = ext;
                        if (d <= 0) p->reorder++;
                        if ((uint64_t)(off - p->min_off) > allow_ns) p->late++;
                        if (p->last_arr && arr - p->last_arr > p->max_gap) p->max_gap = arr - p->last_arr;
                        if (p->last_arr && arr > p->last_arr && arr - p->last_arr > gap_ns) {
                            uint64_t g = arr - p->last_arr;
                            p->gaps++;
                            p->gap_frames += (g + ptime_ns / 2) / ptime_ns - 1;
                        }
                    }
                    p->last_arr = arr;
                    if (frx && p->dump && arr >= t_meas && arr < t_end) {
                        uint32_t ts32 = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
                        uint16_t pl = (uint16_t)(len - 12);
                        uint8_t pb[2] = {(uint8_t)pt, 0};
                        uint32_t pid32 = (uint32_t)idx;
                        fwrite(&pid32, 4, 1, frx); fwrite(&s16, 2, 1, frx); fwrite(pb, 1, 2, frx);
                        fwrite(&ts32, 4, 1, frx); fwrite(&krx, 8, 1, frx); fwrite(&pl, 2, 1, frx); fwrite(b + 12, 1, pl, frx);
                    }
                }
                if (r < RECV_BATCH) break;
            }
        }
    }
    if (!mdone) {
        if (dpid) d_ok1 = read_proc(dpid, &d_ticks1, &rss_end, page);
        getrusage(RUSAGE_SELF, &ru1);
        g1 = now_ns(CLOCK_MONOTONIC);
        if (!mstart) { g0 = g1; ru0 = ru1; d_ticks0 = d_ticks1; d_ok0 = d_ok1; }
    }
    if (frx) fclose(frx);
    if (ftx) fclose(ftx);
    double win = (double)(g1 - g0) / 1e9;
    double gcpu = (double)((ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) + (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec)) +
                  (double)((ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) + (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec)) / 1e6;
    uint64_t drops = 0;
    for (int i = 0; i < nparties; i++) drops += parties[i].rx_drops;
    FILE *o = stdout;
    fprintf(o, "{\"parties\":%d,\"senders\":%d,\"window_s\":%.4f,\"sent\":%llu,\"sent_measure\":%llu,\"rx_total\":%llu,\"rx_foreign\":%llu,"
               "\"send_err\":%llu,\"late_sends_1ms\":%llu,\"max_send_late_us\":%.1f,\"gen_cpu_pct\":%.1f,\"gen_rx_drops\":%llu,",
            nparties, nsenders, win, (unsigned long long)sent_total, (unsigned long long)sent_measure, (unsigned long long)rx_total,
            (unsigned long long)rx_foreign, (unsigned long long)send_err, (unsigned long long)late_1ms, max_late_ns / 1000.0,
            win > 0 ? 100.0 * gcpu / win : 0, (unsigned long long)drops);
    fprintf(o, "\"srtp_auth_fail\":%llu,", (unsigned long long)srtp_auth_fail);
    if (dpid && d_ok0 == 0 && d_ok1 == 0)
        fprintf(o, "\"daemon_cpu_pct\":%.2f,\"daemon_rss_max_kb\":%llu,\"daemon_rss_end_kb\":%llu,",
                win > 0 ? 100.0 * (double)(d_ticks1 - d_ticks0) / (double)clk_tck / win : 0,
                (unsigned long long)(rss_max / 1024), (unsigned long long)(rss_end / 1024));
    /* per party: [win_rx, lost, late, reorder, max_gap_us, first_pt, ssrc_changes, rx_all, span, foreign_ssrc, gaps, gap_frames] */
    fprintf(o, "\"rx\":[");
    for (int i = 0; i < nparties; i++) {
        party_t *p = &parties[i];
        long long span = p->have && p->win_first >= 0 ? (long long)(p->win_last - p->win_first + 1) : 0;
        long long lost = span - (long long)(p->win_rx - p->reorder);
        if (lost < 0) lost = 0;
        fprintf(o, "%s[%llu,%lld,%llu,%llu,%.0f,%d,%llu,%llu,%lld,%llu,%llu,%llu]", i ? "," : "", (unsigned long long)p->win_rx, lost,
                (unsigned long long)p->late, (unsigned long long)p->reorder, p->max_gap / 1000.0, p->first_pt,
                (unsigned long long)p->ssrc_changes, (unsigned long long)p->rx_all, span, (unsigned long long)p->foreign_ssrc,
                (unsigned long long)p->gaps, (unsigned long long)p->gap_frames);
    }
    fprintf(o, "]}\n");
    return 0;
}
