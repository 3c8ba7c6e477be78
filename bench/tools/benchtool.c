/*
 * benchtool: the small, supervisor-neutral helpers bench/run.sh times with.
 * Everything here is plain C so that no helper's start-up or GC shows up in a measurement.
 *
 *   benchtool now                               CLOCK_REALTIME in ns (same clock as `date +%s%N`)
 *   benchtool writer LINES LEN STAMPFILE        write LINES numbered lines of LEN bytes to stdout
 *                                                after storing its own start time in STAMPFILE
 *   benchtool waitbytes TOTAL TIMEOUT_MS DIR PREFIX
 *                                                poll until the files DIR/PREFIX* hold TOTAL bytes
 *                                                together; print the time that happened (ns)
 *   benchtool verify LINES LEN FILE...          count lines lost across (rotated) log files
 *   benchtool restart MARKFILE TIMEOUT_MS        kill -9 the pid in MARKFILE, wait until MARKFILE
 *                                                names another live pid; print the latency (us)
 *   benchtool cputicks PID                       utime+stime of PID in clock ticks
 *   benchtool rsskb PID                          VmRSS of PID in kB
 *   benchtool threads PID                        thread count of PID
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void nap_us(long us) {
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Lines look like "0000000042 xxxx...x\n": a 10-digit number, a space, filler, newline. */
static int cmd_writer(long long lines, int len, const char *stampfile) {
    if (len < 13 || lines > 9999999999LL) { fprintf(stderr, "need LEN >= 13 and LINES < 10^10\n"); return 2; }
    FILE *stamp = fopen(stampfile, "w");
    if (!stamp) { perror(stampfile); return 1; }
    fprintf(stamp, "%lld\n", now_ns());
    fclose(stamp);

    /* 64 KiB writes, the size of a default pipe, as a busy logger's stdio buffer would do. */
    enum { CHUNK = 64 * 1024 };
    static char buf[CHUNK + 4096];
    size_t used = 0;
    for (long long i = 0; i < lines; i++) {
        if (used + (size_t)len > CHUNK) {
            if (write_all(1, buf, used) < 0) return 1;
            used = 0;
        }
        char *line = buf + used;
        long long v = i;
        for (int d = 9; d >= 0; d--) { line[d] = (char)('0' + v % 10); v /= 10; }
        line[10] = ' ';
        memset(line + 11, 'x', (size_t)len - 12);
        line[len - 1] = '\n';
        used += (size_t)len;
    }
    if (used && write_all(1, buf, used) < 0) return 1;
    return 0;
}

static long long sum_sizes(const char *dir, const char *prefix) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    long long total = 0;
    size_t plen = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, plen) != 0) continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, 0) == 0 && S_ISREG(st.st_mode)) total += st.st_size;
    }
    closedir(d);
    return total;
}

static int cmd_waitbytes(long long total, long timeout_ms, const char *dir, const char *prefix) {
    long long deadline = now_ns() + (long long)timeout_ms * 1000000LL;
    long long seen = 0;
    while (now_ns() < deadline) {
        seen = sum_sizes(dir, prefix);
        if (seen >= total) {
            printf("%lld\n", now_ns());
            return 0;
        }
        nap_us(200);
    }
    fprintf(stderr, "waitbytes: only %lld of %lld bytes after %ld ms\n", seen, total, timeout_ms);
    return 1;
}

struct logfile { const char *path; struct timespec mtime; };

static int by_mtime(const void *a, const void *b) {
    const struct logfile *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec) return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec) return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return 0;
}

/*
 * Reads the files oldest first (by mtime: each rotated file was last written before the next
 * one began) as one stream, so a line a supervisor split across a rotation is whole again.
 * Prints "lost=N malformed=N duplicate=N"; exit 0 only when nothing was lost.
 */
static int cmd_verify(long long lines, int len, int nfiles, char **paths) {
    struct logfile *files = calloc((size_t)nfiles, sizeof *files);
    int n = 0;
    for (int i = 0; i < nfiles; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) continue;
        files[n].path = paths[i];
        files[n].mtime = st.st_mtim;
        n++;
    }
    qsort(files, (size_t)n, sizeof *files, by_mtime);

    unsigned char *seen = calloc((size_t)lines, 1);
    char *line = malloc((size_t)len * 4 + 2);
    size_t cap = (size_t)len * 4, used = 0;
    long long malformed = 0, duplicate = 0, valid = 0;
    static char buf[1 << 20];
    for (int i = 0; i < n; i++) {
        int fd = open(files[i].path, O_RDONLY);
        if (fd < 0) { perror(files[i].path); continue; }
        ssize_t r;
        while ((r = read(fd, buf, sizeof buf)) > 0) {
            for (ssize_t k = 0; k < r; k++) {
                char c = buf[k];
                if (c != '\n') {
                    if (used < cap) line[used] = c;
                    used++;
                    continue;
                }
                int ok = used == (size_t)len - 1 && line[10] == ' ';
                long long num = 0;
                for (int j = 0; ok && j < 10; j++) {
                    if (line[j] < '0' || line[j] > '9') ok = 0;
                    else num = num * 10 + (line[j] - '0');
                }
                if (ok && num < lines) {
                    if (seen[num]) duplicate++;
                    else { seen[num] = 1; valid++; }
                } else {
                    malformed++;
                }
                used = 0;
            }
        }
        close(fd);
    }
    if (used) malformed++;
    long long lost = lines - valid;
    printf("lost=%lld malformed=%lld duplicate=%lld files=%d\n", lost, malformed, duplicate, n);
    return lost == 0 ? 0 : 1;
}

/* The marker holds "PID\n" once the app has started (written by the app itself). */
static int read_marker(const char *path) {
    char buf[32];
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r <= 1 || buf[r - 1] != '\n') return -1;
    buf[r] = 0;
    return atoi(buf);
}

static int alive(int pid) {
    if (kill(pid, 0) != 0) return 0;
    char path[64], stat[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    ssize_t r = read(fd, stat, sizeof stat - 1);
    close(fd);
    if (r <= 0) return 0;
    stat[r] = 0;
    char *p = strrchr(stat, ')');
    return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

static int cmd_restart(const char *marker, long timeout_ms) {
    int old = read_marker(marker);
    if (old <= 0 || !alive(old)) { fprintf(stderr, "restart: no live pid in %s\n", marker); return 1; }
    long long t0 = now_ns();
    if (kill(old, SIGKILL) != 0) { perror("kill"); return 1; }
    long long deadline = t0 + (long long)timeout_ms * 1000000LL;
    while (now_ns() < deadline) {
        int pid = read_marker(marker);
        if (pid > 0 && pid != old && alive(pid)) {
            long long t1 = now_ns();
            printf("%lld\n", (t1 - t0) / 1000);
            return 0;
        }
        nap_us(50);
    }
    fprintf(stderr, "restart: no new pid in %s after %ld ms\n", marker, timeout_ms);
    return 1;
}

static int read_file(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t r = read(fd, buf, size - 1);
    close(fd);
    if (r < 0) return -1;
    buf[r] = 0;
    return 0;
}

static int cmd_cputicks(int pid) {
    char path[64], stat[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    if (read_file(path, stat, sizeof stat) != 0) return 1;
    /* Fields after the command (which may hold spaces, like PM2's "PM2 v7.0.4: God Daemon"). */
    char *p = strrchr(stat, ')');
    if (!p) return 1;
    unsigned long long utime = 0, stime = 0;
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return 1;
    printf("%llu\n", utime + stime);
    return 0;
}

static int cmd_status_field(int pid, const char *field) {
    char path[64], status[8192];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    if (read_file(path, status, sizeof status) != 0) return 1;
    char *p = strstr(status, field);
    if (!p) return 1;
    printf("%ld\n", strtol(p + strlen(field), NULL, 10));
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "now")) { printf("%lld\n", now_ns()); return 0; }
    if (argc == 5 && !strcmp(argv[1], "writer")) return cmd_writer(atoll(argv[2]), atoi(argv[3]), argv[4]);
    if (argc == 6 && !strcmp(argv[1], "waitbytes")) return cmd_waitbytes(atoll(argv[2]), atol(argv[3]), argv[4], argv[5]);
    if (argc >= 5 && !strcmp(argv[1], "verify")) return cmd_verify(atoll(argv[2]), atoi(argv[3]), argc - 4, argv + 4);
    if (argc == 4 && !strcmp(argv[1], "restart")) return cmd_restart(argv[2], atol(argv[3]));
    if (argc == 3 && !strcmp(argv[1], "cputicks")) return cmd_cputicks(atoi(argv[2]));
    if (argc == 3 && !strcmp(argv[1], "rsskb")) return cmd_status_field(atoi(argv[2]), "VmRSS:");
    if (argc == 3 && !strcmp(argv[1], "threads")) return cmd_status_field(atoi(argv[2]), "Threads:");
    fprintf(stderr, "usage: see the comment at the top of benchtool.c\n");
    return 2;
}
