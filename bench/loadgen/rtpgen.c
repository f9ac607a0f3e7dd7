/*
 * rtpgen: G.711 RTP load generator / sink for the whisperd relay benchmark.
 *
 * One process, one thread (pin it with taskset). For every call in the calls file it binds two
 * UDP sockets on 127.0.0.1 (party A and party B, the ports that were put into the SDP), sends
 * 172-byte RTP datagrams (12-byte header + 160-byte PCMU payload, one every ptime per stream,
 * stream phases spread evenly over the ptime) from A to the relay port A was given and from B to
 * the relay port B was given, and receives what the relay forwards on the peer socket.
 *
 * Each payload carries: magic, stream index, 32-bit sequence, flags (bit0 = measurement window),
 * CLOCK_MONOTONIC and CLOCK_REALTIME send timestamps (ns), taken right before sendmmsg().
 * Received packets are matched by SSRC (stream) and RTP sequence (extended with the payload's
 * 32-bit sequence), duplicates are detected with a per-stream bitmap, and two latency histograms
 * are kept for measurement-window packets:
 *   kernel: SO_TIMESTAMPNS receive timestamp (taken when the relay's send hits loopback, i.e. the
 *           relay's egress) minus the realtime send timestamp (the relay's ingress: on loopback
 *           sendmmsg() queues the datagram on the relay's socket synchronously);
 *   app:    CLOCK_MONOTONIC after recvmmsg() minus the monotonic send timestamp (adds the
 *           generator's own pick-up delay).
 * Output: one JSON object on stdout.
 *
 * Calls file: one line per call: "<A local port> <B local port> <relay port for A> <relay port for B>".
 * Self-test (no relay): give A's relay port = B's local port and vice versa. Several calls may
 * name the same local port (a "shared port": one socket, like an SBC/B2BUA that multiplexes many
 * calls on one address); streams are told apart by SSRC. A socket is bound once per distinct port.
 *
 * Loop: sleep until the next tick (default 250 us), send everything due, then read every socket
 * that has data (epoll_wait with zero timeout, recvmmsg batches of <= 64).
 * Sending: every tick all packets whose schedule time has come are sent, grouped
 * per source socket into sendmmsg() batches of <= 64. The realtime instant each datagram reached
 * the relay's socket is estimated by interpolating between the clock readings before and after its
 * sendmmsg() call, and stored per (stream, sequence); the kernel latency uses that estimate.
 * Generator-side receive drops are counted with SO_RXQ_OVFL (must be 0 for a valid run).
 *
 * Build: cc -O2 -o rtpgen rtpgen.c
 *
 * SRTP (bench/srtp.js): built with -DWITH_SRTP (cc -O2 -DWITH_SRTP -o srtpgen rtpgen.c -lcrypto) a calls-file line
 * may carry two more fields, "<A tx key> <A rx key>" (a=crypto inline values of AES_CM_128_HMAC_SHA1_80, base64
 * of key + salt, or '-' for none): party A then sends SRTP under its tx key and decrypts what the relay sends it
 * under its rx key (srtp.h), party B stays plain RTP. Packets whose tag does not verify count as srtp_auth_fail.
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>
#include "procstat.h"
#ifdef WITH_SRTP
#include "srtp.h"
#define PKT_ROOM (PKT_LEN + SRTP_MAX_TAG)
#else
#define PKT_ROOM PKT_LEN
#endif

#define PKT_LEN 172
#define HDR_LEN 12
#define MAGIC 0x57485350u /* "WHSP" */
#define SSRC_BASE 0x5a000000u
#define RECV_BATCH 64
#define SEND_BATCH 64
#define TX_RING 256 /* per-stream send-time history: 256 x 20 ms = 5.1 s */
#define MAX_EVENTS 1024

/* histogram: 1 us buckets below 10 ms, 100 us buckets from 10 ms to 1 s, 10 ms buckets to 100 s */
#define H1 10000
#define H2 9900
#define H3 9900
#define HN (H1 + H2 + H3 + 1)

typedef struct {
    uint64_t n, over, sum_ns, max_ns, min_ns;
    uint64_t b[HN];
} hist_t;

static void hist_add(hist_t *h, int64_t ns) {
    if (ns < 0) ns = 0;
    uint64_t us = (uint64_t)ns / 1000;
    size_t i;
    if (us < 10000) i = us;
    else if (us < 1000000) i = H1 + (us - 10000) / 100;
    else if (us < 100000000) i = H1 + H2 + (us - 1000000) / 10000;
    else { i = HN - 1; h->over++; }
    if (i >= HN) i = HN - 1;
    h->b[i]++;
    h->n++;
    h->sum_ns += (uint64_t)ns;
    if ((uint64_t)ns > h->max_ns) h->max_ns = (uint64_t)ns;
    if (h->n == 1 || (uint64_t)ns < h->min_ns) h->min_ns = (uint64_t)ns;
}

/* lower edge and width (us) of bucket i */
static double bucket_lo_us(size_t i) {
    if (i < H1) return (double)i;
    if (i < H1 + H2) return 10000.0 + (double)(i - H1) * 100.0;
    return 1000000.0 + (double)(i - H1 - H2) * 10000.0;
}
static double bucket_w_us(size_t i) { return i < H1 ? 1.0 : (i < H1 + H2 ? 100.0 : 10000.0); }

/* quantile in us, interpolated inside the bucket */
static double hist_q(const hist_t *h, double q) {
    if (h->n == 0) return -1;
    double target = q * (double)h->n;
    uint64_t acc = 0;
    for (size_t i = 0; i < HN; i++) {
        if (!h->b[i]) continue;
        if ((double)(acc + h->b[i]) >= target) {
            double frac = (target - (double)acc) / (double)h->b[i];
            double v = bucket_lo_us(i) + frac * bucket_w_us(i);
            double mx = (double)h->max_ns / 1000.0;
            return v > mx ? mx : v;
        }
        acc += h->b[i];
    }
    return (double)h->max_ns / 1000.0;
}

static void hist_json(FILE *f, const char *name, const hist_t *h) {
    fprintf(f, "\"%s\":{\"n\":%llu,\"min_us\":%.3f,\"mean_us\":%.3f,\"p50_us\":%.3f,\"p90_us\":%.3f,"
               "\"p99_us\":%.3f,\"p999_us\":%.3f,\"max_us\":%.3f,\"buckets\":[",
            name, (unsigned long long)h->n, h->n ? h->min_ns / 1000.0 : -1.0,
            h->n ? (double)h->sum_ns / h->n / 1000.0 : -1.0, hist_q(h, 0.5), hist_q(h, 0.9),
            hist_q(h, 0.99), hist_q(h, 0.999), h->max_ns / 1000.0);
    /* compact: [lo_us, width_us, count] for non-empty buckets */
    int first = 1;
    for (size_t i = 0; i < HN; i++) {
        if (!h->b[i]) continue;
        fprintf(f, "%s[%.0f,%.0f,%llu]", first ? "" : ",", bucket_lo_us(i), bucket_w_us(i),
                (unsigned long long)h->b[i]);
        first = 0;
    }
    fprintf(f, "]}");
}

static inline uint64_t now_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

typedef struct {
    int sock;           /* socket index this stream sends from */
    int rx_sock;        /* socket index where the relayed packets arrive */
    struct sockaddr_in dst;
    uint64_t sent, sent_measure;
    uint64_t recv_measure, recv_all, dup, reorder;
    uint32_t last_seq;
    int have_last;
    uint8_t *seen;      /* bitmap over the payload's 32-bit sequence */
    uint64_t *tx_real;  /* estimated realtime arrival at the relay, by seq % TX_RING */
#ifdef WITH_SRTP
    srtp_ctx_t *tx_srtp; /* encrypts what this stream sends (NULL: plain) */
    srtp_ctx_t *rx_srtp; /* decrypts this stream's packets as the relay forwards them (NULL: plain) */
#endif
} stream_t;

typedef struct {
    int fd;
    int port;
    uint64_t rx_drops; /* SO_RXQ_OVFL: cumulative drops on this socket */
} sock_t;

/* pending send arena for one tick */
typedef struct {
    int stream;
    uint32_t seq;
    int len;
    int measure; /* flags bit0, kept here: with SRTP the payload's copy is encrypted once sent */
    uint8_t pkt[PKT_ROOM];
} pend_t;

static stream_t *streams;
static int nstreams;
static sock_t *socks;
static int nsocks;
static uint32_t max_seq;

static int dpid = 0;
static long clk_tck = 100, page_size = 4096;


/* system-wide UDP counters from /proc/net/snmp: RcvbufErrors, InErrors, NoPorts */
static void read_udp_snmp(uint64_t *rcvbuf, uint64_t *inerr, uint64_t *noports) {
    *rcvbuf = *inerr = *noports = 0;
    FILE *f = fopen("/proc/net/snmp", "r");
    if (!f) return;
    char hdr[1024], val[1024];
    while (fgets(hdr, sizeof hdr, f)) {
        if (strncmp(hdr, "Udp:", 4) != 0) continue;
        if (!fgets(val, sizeof val, f)) break;
        char *hs = NULL, *vs = NULL;
        char *h = strtok_r(hdr + 4, " \n", &hs), *v = strtok_r(val + 4, " \n", &vs);
        while (h && v) {
            if (!strcmp(h, "RcvbufErrors")) *rcvbuf = strtoull(v, NULL, 10);
            else if (!strcmp(h, "InErrors")) *inerr = strtoull(v, NULL, 10);
            else if (!strcmp(h, "NoPorts")) *noports = strtoull(v, NULL, 10);
            h = strtok_r(NULL, " \n", &hs);
            v = strtok_r(NULL, " \n", &vs);
        }
        break;
    }
    fclose(f);
}

static void usage(void) {
    fprintf(stderr, "usage: rtpgen --calls FILE [--warmup S] [--duration S] [--drain S] [--ptime MS] [--tick-us US]\n"
                    "              [--rcvbuf BYTES] [--daemon-pid PID]\n");
    exit(2);
}

static volatile sig_atomic_t stop_flag = 0;
static void on_sig(int s) { (void)s; stop_flag = 1; }

static int port_to_sock[65536];

int main(int argc, char **argv) {
    const char *calls_path = NULL;
    double warmup = 2, duration = 5, drain = 1, ptime_ms = 20, tick_us = 250;
    int rcvbuf = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--calls") && i + 1 < argc) calls_path = argv[++i];
        else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = atof(argv[++i]);
        else if (!strcmp(argv[i], "--duration") && i + 1 < argc) duration = atof(argv[++i]);
        else if (!strcmp(argv[i], "--drain") && i + 1 < argc) drain = atof(argv[++i]);
        else if (!strcmp(argv[i], "--ptime") && i + 1 < argc) ptime_ms = atof(argv[++i]);
        else if (!strcmp(argv[i], "--tick-us") && i + 1 < argc) tick_us = atof(argv[++i]);
        else if (!strcmp(argv[i], "--rcvbuf") && i + 1 < argc) rcvbuf = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--daemon-pid") && i + 1 < argc) dpid = atoi(argv[++i]);
        else usage();
    }
    if (!calls_path) usage();
    signal(SIGINT, on_sig);
    signal(SIGTERM, on_sig);
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    clk_tck = sysconf(_SC_CLK_TCK);
    page_size = sysconf(_SC_PAGESIZE);

    FILE *cf = fopen(calls_path, "r");
    if (!cf) { perror("calls file"); return 1; }
    int cap = 1024, ncalls = 0;
    int (*calls)[4] = malloc(sizeof(int[4]) * (size_t)cap);
    int a, b, ra, rb;
#ifdef WITH_SRTP
    char (*keys)[2][64] = malloc(sizeof(char[2][64]) * (size_t)cap);
    char line[512];
    while (fgets(line, sizeof line, cf)) {
        char k0[64] = "-", k1[64] = "-";
        int got = sscanf(line, "%d %d %d %d %63s %63s", &a, &b, &ra, &rb, k0, k1);
        if (got <= 0) continue;
        if (got < 4) { fprintf(stderr, "bad calls file line %d\n", ncalls + 1); return 1; }
        if (ncalls == cap) { cap *= 2; calls = realloc(calls, sizeof(int[4]) * (size_t)cap); keys = realloc(keys, sizeof(char[2][64]) * (size_t)cap); }
        memcpy(keys[ncalls][0], k0, 64);
        memcpy(keys[ncalls][1], k1, 64);
#else
    while (fscanf(cf, "%d %d %d %d", &a, &b, &ra, &rb) == 4) {
        if (ncalls == cap) { cap *= 2; calls = realloc(calls, sizeof(int[4]) * (size_t)cap); }
#endif
        if (a <= 0 || a > 65535 || b <= 0 || b > 65535 || ra <= 0 || ra > 65535 || rb <= 0 || rb > 65535) {
            fprintf(stderr, "bad ports in calls file line %d\n", ncalls + 1);
            return 1;
        }
        calls[ncalls][0] = a; calls[ncalls][1] = b; calls[ncalls][2] = ra; calls[ncalls][3] = rb;
        ncalls++;
    }
    fclose(cf);
    if (ncalls == 0) { fprintf(stderr, "no calls\n"); return 1; }

    struct rlimit rl = {.rlim_cur = 65536, .rlim_max = 65536};
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
        getrlimit(RLIMIT_NOFILE, &rl);
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    nstreams = 2 * ncalls;
    socks = calloc((size_t)nstreams, sizeof(sock_t));
    streams = calloc((size_t)nstreams, sizeof(stream_t));
    uint64_t ptime_ns = (uint64_t)(ptime_ms * 1e6);
    max_seq = (uint32_t)((warmup + duration) * 1e9 / (double)ptime_ns) + 16;
    size_t bm_bytes = max_seq / 8 + 1;
    uint8_t *bitmaps = calloc((size_t)nstreams, bm_bytes);
    uint64_t *txring = calloc((size_t)nstreams * TX_RING, sizeof(uint64_t));
    if (!socks || !streams || !bitmaps || !txring) { fprintf(stderr, "out of memory\n"); return 1; }
    for (int p = 0; p < 65536; p++) port_to_sock[p] = -1;

    int ep = epoll_create1(0);
    int one = 1;
    for (int c = 0; c < ncalls; c++) {
        for (int s = 0; s < 2; s++) {
            int port = calls[c][s];
            if (port_to_sock[port] >= 0) continue;
            int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            if (fd < 0) { perror("socket"); return 1; }
            setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
            setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
            if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
            struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
            sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
                fprintf(stderr, "bind 127.0.0.1:%d: %s\n", port, strerror(errno));
                return 1;
            }
            int idx = nsocks++;
            socks[idx].fd = fd;
            socks[idx].port = port;
            port_to_sock[port] = idx;
            struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)idx};
            epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        }
        /* stream 2c: A -> relay port for A -> arrives at B; stream 2c+1: B -> relay port for B -> arrives at A */
        for (int s = 0; s < 2; s++) {
            stream_t *st = &streams[2 * c + s];
            st->sock = port_to_sock[calls[c][s]];
            st->rx_sock = port_to_sock[calls[c][1 - s]];
            st->dst.sin_family = AF_INET;
            st->dst.sin_port = htons((uint16_t)calls[c][2 + s]);
            st->dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            st->seen = bitmaps + (size_t)(2 * c + s) * bm_bytes;
            st->tx_real = txring + (size_t)(2 * c + s) * TX_RING;
        }
#ifdef WITH_SRTP
        /* A's stream (2c) is sent encrypted under A's tx key; B's stream (2c+1) arrives at A encrypted under A's rx key */
        if (strcmp(keys[c][0], "-") != 0) {
            streams[2 * c].tx_srtp = calloc(1, sizeof(srtp_ctx_t));
            if (srtp_init(streams[2 * c].tx_srtp, keys[c][0]) != 0) { fprintf(stderr, "bad tx key, call %d\n", c + 1); return 1; }
        }
        if (strcmp(keys[c][1], "-") != 0) {
            streams[2 * c + 1].rx_srtp = calloc(1, sizeof(srtp_ctx_t));
            if (srtp_init(streams[2 * c + 1].rx_srtp, keys[c][1]) != 0) { fprintf(stderr, "bad rx key, call %d\n", c + 1); return 1; }
        }
#endif
    }
    uint64_t srtp_auth_fail = 0;

    /* send arena: at most max_pend packets per tick */
    int max_pend = 4096;
    pend_t *pend = malloc(sizeof(pend_t) * (size_t)max_pend);
    int *order = malloc(sizeof(int) * (size_t)max_pend);
    int *sock_cnt = calloc((size_t)nsocks + 1, sizeof(int));
    struct mmsghdr smsg[SEND_BATCH];
    struct iovec siov[SEND_BATCH];

    uint8_t tmpl[PKT_LEN];
    memset(tmpl, 0xff, sizeof tmpl); /* PCMU silence */
    tmpl[0] = 0x80;                  /* V=2 */
    tmpl[1] = 0;                     /* PT 0 = PCMU */

    static uint8_t rbuf[RECV_BATCH][2048];
    static char cbuf[RECV_BATCH][256];
    struct iovec riov[RECV_BATCH];
    struct mmsghdr rmsg[RECV_BATCH];
    for (int i = 0; i < RECV_BATCH; i++) {
        riov[i].iov_base = rbuf[i];
        riov[i].iov_len = sizeof rbuf[i];
    }
    struct epoll_event evs[MAX_EVENTS];

    static hist_t hk, ha;
    uint64_t foreign = 0, bad = 0, ssrc_mismatch = 0, wrong_sock = 0, send_err = 0, send_short = 0, no_txts = 0;
    uint64_t late_1ms = 0, max_late_ns = 0, recv_in_window = 0, recv_measure_total = 0;
    uint64_t ticks_total = 0, max_batch = 0;

    uint64_t t0 = now_ns(CLOCK_MONOTONIC) + 50000000ull; /* start 50 ms from now */
    uint64_t t_meas = t0 + (uint64_t)(warmup * 1e9);
    uint64_t t_send_end = t_meas + (uint64_t)(duration * 1e9);
    uint64_t t_end = t_send_end + (uint64_t)(drain * 1e9);
    uint64_t tick_ns = (uint64_t)(tick_us * 1000);
    uint64_t n = 0; /* packets sent so far = global schedule index */
    uint64_t expected_measure = 0;

    uint64_t d_ticks0 = 0, d_ticks1 = 0, rss = 0, rss_max = 0, rss_end = 0, next_sample = t0;
    int d_ok0 = -1, d_ok1 = -1;
    int measuring_started = 0, measuring_done = 0;
    struct rusage ru0, ru1;
    memset(&ru0, 0, sizeof ru0);
    memset(&ru1, 0, sizeof ru1);
    uint64_t gen_t0 = 0, gen_t1 = 0;
    uint64_t snmp0[3] = {0}, snmp1[3] = {0};
    uint64_t next_tick = t0;

    for (;;) {
        uint64_t now = now_ns(CLOCK_MONOTONIC);
        if (stop_flag || now >= t_end) break;
        if (!measuring_started && now >= t_meas) {
            measuring_started = 1;
            if (dpid) d_ok0 = read_proc(dpid, &d_ticks0, &rss, page_size);
            read_udp_snmp(&snmp0[0], &snmp0[1], &snmp0[2]);
            getrusage(RUSAGE_SELF, &ru0);
            gen_t0 = now;
        }
        if (measuring_started && !measuring_done && now >= t_send_end) {
            measuring_done = 1;
            if (dpid) d_ok1 = read_proc(dpid, &d_ticks1, &rss_end, page_size);
            read_udp_snmp(&snmp1[0], &snmp1[1], &snmp1[2]);
            getrusage(RUSAGE_SELF, &ru1);
            gen_t1 = now;
        }
        if (dpid && now >= next_sample) {
            uint64_t tk;
            if (read_proc(dpid, &tk, &rss, page_size) == 0 && rss > rss_max) rss_max = rss;
            next_sample = now + 250000000ull;
        }

        /* 1. collect the packets that are due */
        int np = 0;
        if (now >= next_tick) {
            ticks_total++;
            uint64_t tm = now_ns(CLOCK_MONOTONIC), tr = now_ns(CLOCK_REALTIME);
            while (np < max_pend) {
                uint64_t due = t0 + (uint64_t)((__uint128_t)n * ptime_ns / (uint64_t)nstreams);
                if (due > now || due >= t_send_end) break;
                int si = (int)(n % (uint64_t)nstreams);
                uint32_t seq = (uint32_t)(n / (uint64_t)nstreams);
                uint64_t late = tm > due ? tm - due : 0;
                if (late > max_late_ns) max_late_ns = late;
                if (late > 1000000ull) late_1ms++;
                pend_t *pp = &pend[np++];
                pp->stream = si;
                pp->seq = seq;
                uint8_t *pkt = pp->pkt;
                memcpy(pkt, tmpl, PKT_LEN);
                uint32_t ssrc = SSRC_BASE + (uint32_t)si, ts = seq * 160u;
                uint32_t flags = due >= t_meas ? 1u : 0u;
                pkt[2] = (uint8_t)(seq >> 8); pkt[3] = (uint8_t)seq;
                pkt[4] = (uint8_t)(ts >> 24); pkt[5] = (uint8_t)(ts >> 16); pkt[6] = (uint8_t)(ts >> 8); pkt[7] = (uint8_t)ts;
                pkt[8] = (uint8_t)(ssrc >> 24); pkt[9] = (uint8_t)(ssrc >> 16); pkt[10] = (uint8_t)(ssrc >> 8); pkt[11] = (uint8_t)ssrc;
                uint32_t w[4] = {htonl(MAGIC), htonl((uint32_t)si), htonl(seq), htonl(flags)};
                memcpy(pkt + HDR_LEN, w, 16);
                memcpy(pkt + HDR_LEN + 16, &tm, 8);
                memcpy(pkt + HDR_LEN + 24, &tr, 8);
                pp->len = PKT_LEN;
                pp->measure = (int)(flags & 1u);
#ifdef WITH_SRTP
                if (streams[si].tx_srtp) pp->len = srtp_protect(streams[si].tx_srtp, pkt, PKT_LEN);
#endif
                n++;
            }
            if ((uint64_t)np > max_batch) max_batch = (uint64_t)np;
            next_tick = now + tick_ns;
        }
        /* 2. group by source socket (counting sort) and send with sendmmsg */
        if (np > 0) {
            for (int i = 0; i < np; i++) sock_cnt[streams[pend[i].stream].sock + 1]++;
            for (int s = 0; s < nsocks; s++) sock_cnt[s + 1] += sock_cnt[s];
            for (int i = 0; i < np; i++) order[sock_cnt[streams[pend[i].stream].sock]++] = i;
            /* sock_cnt[s] is now the end of group s; walk the groups */
            int i = 0;
            while (i < np) {
                int sk = streams[pend[order[i]].stream].sock;
                int j = i;
                while (j < np && streams[pend[order[j]].stream].sock == sk) j++;
                for (int k = i; k < j; k += SEND_BATCH) {
                    int cnt = j - k < SEND_BATCH ? j - k : SEND_BATCH;
                    for (int m = 0; m < cnt; m++) {
                        pend_t *pp = &pend[order[k + m]];
                        stream_t *st = &streams[pp->stream];
                        siov[m].iov_base = pp->pkt;
                        siov[m].iov_len = (size_t)pp->len;
                        memset(&smsg[m].msg_hdr, 0, sizeof smsg[m].msg_hdr);
                        smsg[m].msg_hdr.msg_name = &st->dst;
                        smsg[m].msg_hdr.msg_namelen = sizeof st->dst;
                        smsg[m].msg_hdr.msg_iov = &siov[m];
                        smsg[m].msg_hdr.msg_iovlen = 1;
                    }
                    uint64_t tb = now_ns(CLOCK_REALTIME);
                    int r = sendmmsg(socks[sk].fd, smsg, (unsigned)cnt, MSG_DONTWAIT);
                    uint64_t ta = now_ns(CLOCK_REALTIME);
                    if (r < 0) { send_err += (uint64_t)cnt; r = 0; }
                    else if (r < cnt) send_short += (uint64_t)(cnt - r);
                    for (int m = 0; m < r; m++) {
                        pend_t *pp = &pend[order[k + m]];
                        stream_t *st = &streams[pp->stream];
                        /* datagram m reached the relay's socket at about this instant */
                        st->tx_real[pp->seq % TX_RING] = tb + (ta - tb) * (uint64_t)(2 * m + 1) / (uint64_t)(2 * r);
                        st->sent++;
                        if (pp->measure) { st->sent_measure++; expected_measure++; }
                    }
                }
                i = j;
            }
            memset(sock_cnt, 0, sizeof(int) * ((size_t)nsocks + 1));
        }

        /* 3. wait for packets or the next tick */
        now = now_ns(CLOCK_MONOTONIC);
        uint64_t due = t0 + (uint64_t)((__uint128_t)n * ptime_ns / (uint64_t)nstreams);
        uint64_t wake = due < t_send_end ? (due > next_tick ? due : next_tick) : next_tick;
        if (!measuring_started && t_meas < wake) wake = t_meas;
        if (!measuring_done && t_send_end < wake) wake = t_send_end;
        if (dpid && next_sample < wake) wake = next_sample;
        /* Sleep until the next tick instead of waking per arriving datagram: each wakeup from idle
         * costs several us in a VM, which would make the generator, not the relay, the bottleneck.
         * The kernel-timestamp latency is unaffected; the app latency includes up to one tick. */
        if (wake > now && np < max_pend) {
            struct timespec ts = {.tv_sec = (time_t)(wake / 1000000000ull), .tv_nsec = (long)(wake % 1000000000ull)};
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR && !stop_flag) {}
        }
        int ne = epoll_wait(ep, evs, MAX_EVENTS, 0);
        if (ne < 0) {
            if (errno == EINTR) continue;
            perror("epoll_wait");
            break;
        }
        for (int e = 0; e < ne; e++) {
            int idx = (int)evs[e].data.u32;
            int fd = socks[idx].fd;
            for (int rounds = 0; rounds < 16; rounds++) {
                for (int i = 0; i < RECV_BATCH; i++) {
                    memset(&rmsg[i].msg_hdr, 0, sizeof rmsg[i].msg_hdr);
                    rmsg[i].msg_hdr.msg_iov = &riov[i];
                    rmsg[i].msg_hdr.msg_iovlen = 1;
                    rmsg[i].msg_hdr.msg_control = cbuf[i];
                    rmsg[i].msg_hdr.msg_controllen = sizeof cbuf[i];
                }
                int r = recvmmsg(fd, rmsg, RECV_BATCH, MSG_DONTWAIT, NULL);
                if (r <= 0) break;
                uint64_t tm_rx = now_ns(CLOCK_MONOTONIC);
                for (int i = 0; i < r; i++) {
                    uint8_t *p = rbuf[i];
                    unsigned len = rmsg[i].msg_len;
                    uint64_t krx = 0;
                    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&rmsg[i].msg_hdr); cm; cm = CMSG_NXTHDR(&rmsg[i].msg_hdr, cm)) {
                        if (cm->cmsg_level != SOL_SOCKET) continue;
                        if (cm->cmsg_type == SO_TIMESTAMPNS) {
                            struct timespec kts;
                            memcpy(&kts, CMSG_DATA(cm), sizeof kts);
                            krx = (uint64_t)kts.tv_sec * 1000000000ull + (uint64_t)kts.tv_nsec;
                        } else if (cm->cmsg_type == SO_RXQ_OVFL) {
                            uint32_t d;
                            memcpy(&d, CMSG_DATA(cm), sizeof d);
                            socks[idx].rx_drops = d;
                        }
                    }
#ifdef WITH_SRTP
                    if (len >= HDR_LEN) {
                        uint32_t xs = ((uint32_t)p[8] << 24) | ((uint32_t)p[9] << 16) | ((uint32_t)p[10] << 8) | p[11];
                        uint32_t xi = xs - SSRC_BASE;
                        if (xi < (uint32_t)nstreams && streams[xi].rx_srtp) {
                            int dl = srtp_unprotect(streams[xi].rx_srtp, p, (int)len);
                            if (dl < 0) { srtp_auth_fail++; continue; }
                            len = (unsigned)dl;
                        }
                    }
#endif
                    if (len < HDR_LEN + 32 || (p[0] & 0xc0) != 0x80) { bad++; continue; }
                    uint32_t w[4];
                    memcpy(w, p + HDR_LEN, 16);
                    if (ntohl(w[0]) != MAGIC) { foreign++; continue; }
                    uint32_t ssrc = ((uint32_t)p[8] << 24) | ((uint32_t)p[9] << 16) | ((uint32_t)p[10] << 8) | p[11];
                    uint32_t si = ssrc - SSRC_BASE, psi = ntohl(w[1]);
                    if (si >= (uint32_t)nstreams || si != psi) { ssrc_mismatch++; si = psi; }
                    if (si >= (uint32_t)nstreams) { bad++; continue; }
                    stream_t *st = &streams[si];
                    uint32_t seq = ntohl(w[2]);
                    uint16_t rtpseq = (uint16_t)(((unsigned)p[2] << 8) | p[3]);
                    if (rtpseq != (uint16_t)seq) ssrc_mismatch++;
                    if (st->rx_sock != idx) { wrong_sock++; continue; }
                    if (tm_rx >= t_meas && tm_rx < t_send_end) recv_in_window++;
                    if (seq >= max_seq) { bad++; continue; }
                    if (st->seen[seq >> 3] & (1u << (seq & 7))) { st->dup++; continue; }
                    st->seen[seq >> 3] |= (uint8_t)(1u << (seq & 7));
                    st->recv_all++;
                    if (st->have_last && seq < st->last_seq) st->reorder++;
                    else { st->last_seq = seq; st->have_last = 1; }
                    if (!(ntohl(w[3]) & 1)) continue;
                    st->recv_measure++;
                    recv_measure_total++;
                    uint64_t tx_m;
                    memcpy(&tx_m, p + HDR_LEN + 16, 8);
                    hist_add(&ha, (int64_t)(tm_rx - tx_m));
                    /* ingress estimate matched by (SSRC, sequence); valid while < TX_RING packets newer were sent */
                    uint64_t newest = st->sent ? st->sent - 1 : 0;
                    if (krx && newest - seq < TX_RING) hist_add(&hk, (int64_t)(krx - st->tx_real[seq % TX_RING]));
                    else no_txts++;
                }
                if (r < RECV_BATCH) break;
            }
        }
        if (measuring_done && recv_measure_total >= expected_measure) {
            int all = 1;
            for (int s = 0; s < nstreams && all; s++) if (streams[s].recv_all < streams[s].sent) all = 0;
            if (all) break; /* everything arrived: no need to wait out the drain */
        }
    }
    if (!measuring_done) { /* interrupted */
        if (dpid) d_ok1 = read_proc(dpid, &d_ticks1, &rss_end, page_size);
        read_udp_snmp(&snmp1[0], &snmp1[1], &snmp1[2]);
        getrusage(RUSAGE_SELF, &ru1);
        gen_t1 = now_ns(CLOCK_MONOTONIC);
        if (!measuring_started) { gen_t0 = gen_t1; ru0 = ru1; d_ticks0 = d_ticks1; d_ok0 = d_ok1; memcpy(snmp0, snmp1, sizeof snmp0); }
    }
    /* final drop counters (SO_RXQ_OVFL arrives with packets; poll once more) */
    uint64_t gen_drops = 0;
    for (int s = 0; s < nsocks; s++) gen_drops += socks[s].rx_drops;

    uint64_t sent = 0, sent_m = 0, recv_m = 0, recv_all = 0, dup = 0, reorder = 0, streams_with_loss = 0;
    for (int s = 0; s < nstreams; s++) {
        stream_t *st = &streams[s];
        sent += st->sent; sent_m += st->sent_measure; recv_m += st->recv_measure;
        recv_all += st->recv_all; dup += st->dup; reorder += st->reorder;
        if (st->recv_measure < st->sent_measure) streams_with_loss++;
    }
    double win_s = (double)(gen_t1 - gen_t0) / 1e9;
    double gen_cpu = (double)((ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) + (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec)) +
                     (double)((ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) + (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec)) / 1e6;
    FILE *o = stdout;
    fprintf(o, "{\"calls\":%d,\"streams\":%d,\"sockets\":%d,\"ptime_ms\":%.3f,\"tick_us\":%.1f,\"offered_pps\":%.1f,",
            ncalls, nstreams, nsocks, ptime_ms, tick_us, nstreams * 1000.0 / ptime_ms);
    fprintf(o, "\"window_s\":%.4f,\"sent\":%llu,\"sent_measure\":%llu,\"recv_measure\":%llu,\"lost_measure\":%lld,"
               "\"recv_all\":%llu,\"lost_all\":%lld,\"dup\":%llu,\"reorder\":%llu,\"streams_with_loss\":%llu,",
            win_s, (unsigned long long)sent, (unsigned long long)sent_m, (unsigned long long)recv_m,
            (long long)sent_m - (long long)recv_m, (unsigned long long)recv_all, (long long)sent - (long long)recv_all,
            (unsigned long long)dup, (unsigned long long)reorder, (unsigned long long)streams_with_loss);
    fprintf(o, "\"srtp_auth_fail\":%llu,", (unsigned long long)srtp_auth_fail);
    fprintf(o, "\"sent_pps\":%.1f,\"delivered_pps\":%.1f,", win_s > 0 ? (double)sent_m / win_s : 0,
            win_s > 0 ? (double)recv_in_window / win_s : 0);
    fprintf(o, "\"bad\":%llu,\"foreign\":%llu,\"wrong_socket\":%llu,\"ssrc_seq_mismatch\":%llu,\"no_tx_ts\":%llu,"
               "\"send_err\":%llu,\"send_short\":%llu,\"late_sends_1ms\":%llu,\"max_send_late_us\":%.1f,\"max_tick_batch\":%llu,"
               "\"gen_cpu_pct\":%.1f,\"gen_rx_drops\":%llu,\"udp_rcvbuf_errors\":%llu,\"udp_in_errors\":%llu,\"udp_noports\":%llu,",
            (unsigned long long)bad, (unsigned long long)foreign, (unsigned long long)wrong_sock,
            (unsigned long long)ssrc_mismatch, (unsigned long long)no_txts, (unsigned long long)send_err,
            (unsigned long long)send_short, (unsigned long long)late_1ms, (double)max_late_ns / 1000.0,
            (unsigned long long)max_batch, win_s > 0 ? 100.0 * gen_cpu / win_s : 0, (unsigned long long)gen_drops,
            (unsigned long long)(snmp1[0] - snmp0[0]), (unsigned long long)(snmp1[1] - snmp0[1]),
            (unsigned long long)(snmp1[2] - snmp0[2]));
    if (dpid && d_ok0 == 0 && d_ok1 == 0)
        fprintf(o, "\"daemon_cpu_pct\":%.1f,\"daemon_rss_max_kb\":%llu,\"daemon_rss_end_kb\":%llu,",
                win_s > 0 ? 100.0 * (double)(d_ticks1 - d_ticks0) / (double)clk_tck / win_s : 0,
                (unsigned long long)(rss_max / 1024), (unsigned long long)(rss_end / 1024));
    hist_json(o, "lat_kernel", &hk);
    fprintf(o, ",");
    hist_json(o, "lat_app", &ha);
    fprintf(o, "}\n");
    fflush(o);
    return 0;
}
