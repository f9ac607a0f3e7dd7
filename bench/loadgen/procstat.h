/* Shared by the load generators: a process's CPU ticks and RSS from /proc/<pid>/stat (proc(5)). */
#ifndef WHISPERD_BENCH_PROCSTAT_H
#define WHISPERD_BENCH_PROCSTAT_H
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* utime + stime (fields 14, 15) in clock ticks, and RSS (field 24) in bytes. 0 on success. */
static int read_proc(int pid, uint64_t *ticks, uint64_t *rss_bytes, long page) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* the command name may contain spaces: fields start after ") " */
    if (!p) return -1;
    p += 2;
    unsigned long long v[30];
    int k = 0;
    char *save = NULL;
    for (char *t = strtok_r(p, " ", &save); t && k < 30; t = strtok_r(NULL, " ", &save)) v[k++] = strtoull(t, NULL, 10);
    if (k < 22) return -1;
    *ticks = v[11] + v[12];
    *rss_bytes = v[21] * (uint64_t)page;
    return 0;
}
#endif
