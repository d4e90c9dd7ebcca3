/*
 * serve.c: the office's web page, see serve.h.
 *
 * Threads: libmicrohttpd runs one internal polling thread, which calls every handler here
 * (requests, uploads, responses) and is the only thread that forks workers; the main thread
 * waits for signals: SIGCHLD (a worker ended), SIGTERM and SIGINT (stop), and once a second
 * kills workers past their time and removes expired results. They share the job list under
 * one mutex. A request whose job is queued or running is suspended (MHD_suspend_connection)
 * and resumed by the main thread when the job may start or has ended; suspended requests
 * never time out.
 */
#include "config.h"

#include "i18n.h"
#include "serve.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <ifaddrs.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "profile.h"
#include "render.h"
#include "vnformat.h"
#include "webpage.h"
#include "webtext.h"
#include "xmlout.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1       /* AddressSanitizer maps terabytes: no address space limit */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define TOKEN_COOKIE "vanban_token"
#define FIELD_MAX 256                /* bytes of one small form field */

/* ---- the server's state ---- */

/* Where a job is. */
enum job_state {
    JOB_RECEIVING,      /* its request is being read */
    JOB_QUEUED,         /* waiting for a worker */
    JOB_STARTING,       /* a worker's place is kept for it: its request forks it next */
    JOB_RUNNING,        /* its worker runs */
    JOB_DONE,           /* its worker ended (or it was stopped): the answer can be made */
    JOB_KEPT            /* answered; its results stay downloadable until expires */
};

/* One job: its request's files and fields, and its worker. */
struct job {
    struct job *next;
    struct webjob w;                /* what the worker runs */
    enum job_state state;
    unsigned long seq;              /* arrival order, for the queue */
    struct MHD_Connection *con;     /* while queued or running: its suspended request */
    pid_t pid;
    struct timespec started;
    int wait_status;                /* the worker's, from waitpid */
    int timed_out;                  /* killed past --job-time */
    int stopped;                    /* the server stopped before it could run or end */
    time_t expires;                 /* JOB_KEPT: removed after this moment */
    char *pasted;                   /* Soạn: the pasted text's file, or NULL */
    char number[FIELD_MAX], date[FIELD_MAX], signer[FIELD_MAX], profile_id[FIELD_MAX];
};

/* A profile the page offers. */
struct offered_profile {
    char *id;          /* the file's name without .xml */
    char *path;
    char *title;
};

/* The server. */
struct server {
    const struct serve_options *o;
    char root[4096];                /* the private temporary folder */
    int require_token;
    char token[129];
    uint8_t token_hash[SHA256_DIGEST_SIZE];
    unsigned port;
    char loopback_hosts[3][64];     /* Host values a loopback server accepts */
    struct offered_profile *profiles;
    size_t profile_count;
    struct MHD_Daemon *daemon;
    pthread_mutex_t lock;
    struct job *jobs;
    unsigned running;               /* JOB_STARTING and JOB_RUNNING jobs */
    unsigned queued;
    unsigned suspended;             /* requests suspended now */
    unsigned long seq;
    int stopping;
    pid_t pid;                      /* the server's own, for the workers' check */
};

/* ---- small helpers ---- */

/* Logs a line on stderr (whoever runs the server reads it; not the page). Uses the file
 * descriptor directly: no stdio lock shared with the forked workers. */
static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, gettext(fmt), ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = sizeof line - 1;
    dprintf(2, "vanban serve: %.*s\n", n, line);
}

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes a folder and everything in it, following no link. */
static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Fills buf with n random bytes as 2n hex digits; 0, or -1. */
static int random_hex(char *buf, size_t n)
{
    unsigned char raw[64];
    if (n > sizeof raw || getrandom(raw, n, 0) != (ssize_t)n)
        return -1;
    for (size_t i = 0; i < n; i++)
        sprintf(buf + 2 * i, "%02x", raw[i]);
    return 0;
}

/* Compares a presented token with the server's in time that does not depend on where they
 * differ (their hashes are compared whole). */
static int token_matches(const struct server *s, const char *presented)
{
    if (!presented)
        return 0;
    uint8_t hash[SHA256_DIGEST_SIZE];
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(presented), (const uint8_t *)presented);
    sha256_digest(&ctx, sizeof hash, hash);
    volatile uint8_t diff = 0;
    for (size_t i = 0; i < sizeof hash; i++)
        diff |= hash[i] ^ s->token_hash[i];
    return diff == 0;
}

/* ---- responses ---- */

/* Adds the headers every page carries. */
static void page_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; style-src 'self'; script-src 'self'; "
                            "img-src 'self'; frame-src 'self'; form-action 'self'; "
                            "base-uri 'none'; frame-ancestors 'self'");
    MHD_add_response_header(r, "X-Frame-Options", "SAMEORIGIN");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

/* Queues the page built in h (taken) with status; returns MHD's answer. */
static enum MHD_Result send_page(struct MHD_Connection *con, unsigned status, struct xmlout *h)
{
    size_t len;
    char *html = xo_take(h, &len);
    if (!html)
        return MHD_NO;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, html, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(html);
        return MHD_NO;
    }
    page_headers(r);
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "30");
    enum MHD_Result ret = MHD_queue_response(con, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Queues a page that says one thing (text: HTML from webtext.h, values escaped). */
static enum MHD_Result send_notice(struct server *s, struct MHD_Connection *con,
                                   unsigned status, const char *title, const char *text)
{
    struct xmlout h = {0};
    webpage_notice(&h, title, text, s->o->job.keep_minutes);
    return send_page(con, status, &h);
}

/* Queues a redirection to location, setting the token's cookie. */
static enum MHD_Result send_token_redirect(struct server *s, struct MHD_Connection *con,
                                           const char *location)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    char cookie[256];
    snprintf(cookie, sizeof cookie, TOKEN_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/",
             s->token);
    MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, location);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    enum MHD_Result ret = MHD_queue_response(con, MHD_HTTP_SEE_OTHER, r);
    MHD_destroy_response(r);
    return ret;
}

/* Queues a fixed resource (the style sheet, the script). */
static enum MHD_Result send_asset(struct MHD_Connection *con, const char *data, const char *type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(data), (void *)data,
                                                             MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "max-age=600");
    enum MHD_Result ret = MHD_queue_response(con, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* The year the form offers first: the current year in Vietnam. */
static int this_year(void)
{
    return render_year_at(time(NULL));
}

/* Writes the Tổng hợp form filled from a job (NULL: empty). */
static void report_form(struct server *s, struct xmlout *h, const struct job *j)
{
    struct webpage_profile *list = calloc(s->profile_count + 1, sizeof *list);
    for (size_t i = 0; list && i < s->profile_count; i++)
        list[i] = (struct webpage_profile){.id = s->profiles[i].id,
                                           .title = s->profiles[i].title};
    struct webpage_report_form f = {
        .profiles = list, .profile_count = list ? s->profile_count : 0,
        .chosen = j ? j->profile_id : NULL, .year = j && j->w.year ? j->w.year : this_year(),
        .number = j ? j->number : NULL, .date = j ? j->date : NULL,
        .signer = j ? j->signer : NULL,
    };
    webpage_tong_hop_form(h, &f);
    free(list);
}

/* ---- jobs ---- */

/* Makes a new job with its folder (in/ and out/, 0700) and puts it on the list. */
static struct job *job_new(struct server *s, enum webjob_kind kind)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j || random_hex(j->w.id, 16) != 0) {
        free(j);
        return NULL;
    }
    j->w.kind = kind;
    size_t n = strlen(s->root) + 40;
    j->w.dir = malloc(n);
    char in[4200], out[4200];
    if (!j->w.dir) {
        free(j);
        return NULL;
    }
    snprintf(j->w.dir, n, "%s/%s", s->root, j->w.id);
    snprintf(in, sizeof in, "%s/in", j->w.dir);
    snprintf(out, sizeof out, "%s/out", j->w.dir);
    if (mkdir(j->w.dir, 0700) != 0 || mkdir(in, 0700) != 0 || mkdir(out, 0700) != 0) {
        logf_("cannot make the job folder %s: %s", j->w.dir, strerror(errno));
        remove_tree(j->w.dir);
        free(j->w.dir);
        free(j);
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    j->seq = ++s->seq;
    j->next = s->jobs;
    s->jobs = j;
    pthread_mutex_unlock(&s->lock);
    return j;
}

/* Removes the job from the list (the lock held) and frees it with its folder. */
static void job_free_locked(struct server *s, struct job *j)
{
    for (struct job **p = &s->jobs; *p; p = &(*p)->next)
        if (*p == j) {
            *p = j->next;
            break;
        }
    if (j->w.dir)
        remove_tree(j->w.dir);
    for (size_t i = 0; i < j->w.file_count; i++) {
        free(j->w.files[i].path);
        free(j->w.files[i].name);
    }
    free(j->w.files);
    free(j->w.dir);
    free(j->pasted);
    free(j);
}

/* Sets the worker's limits and runs the job; never returns. In the child of fork. */
static void worker_main(struct server *s, struct job *j) __attribute__((noreturn));
static void worker_main(struct server *s, struct job *j)
{
    sigset_t none;
    sigemptyset(&none);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    /* dies with the server; the server may have died before this line */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != s->pid)
        _exit(VB_EINTERNAL);
    /* nothing of the server's connections and sockets stays open in the worker */
    close_range(3, ~0U, 0);
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0 && null != 0) {
        dup2(null, 0);
        close(null);
    }
    struct rlimit cpu = {.rlim_cur = s->o->job_seconds + 1, .rlim_max = s->o->job_seconds + 2};
    setrlimit(RLIMIT_CPU, &cpu);
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);
    struct rlimit fsize = {.rlim_cur = (rlim_t)1 << 30, .rlim_max = (rlim_t)1 << 30};
    setrlimit(RLIMIT_FSIZE, &fsize);
    if (s->o->job_memory && !SANITIZED) {
        struct rlimit as = {.rlim_cur = s->o->job_memory, .rlim_max = s->o->job_memory};
        setrlimit(RLIMIT_AS, &as);
    }
    if (chdir(j->w.dir) != 0)
        _exit(VB_EINTERNAL);
    _exit(webjob_run(&j->w, &s->o->job));
}

/* Forks the job's worker and suspends its request (the lock held; in the MHD thread). A
 * place among the workers is already counted for it. Returns 0, or -1 when the worker
 * cannot be made (the place is given back). */
static int job_start_locked(struct server *s, struct job *j, struct MHD_Connection *con)
{
    clock_gettime(CLOCK_MONOTONIC, &j->started);
    pid_t pid = fork();
    if (pid == 0)
        worker_main(s, j);
    if (pid < 0) {
        logf_("cannot start a worker: %s", strerror(errno));
        s->running--;
        return -1;
    }
    j->pid = pid;
    j->state = JOB_RUNNING;
    j->con = con;
    MHD_suspend_connection(con);
    s->suspended++;
    return 0;
}

/* ---- requests ---- */

/* The pages. */
enum route { ROUTE_SOAN, ROUTE_TONG_HOP };

/* A POST request being read. */
struct request {
    struct server *s;
    enum route route;
    struct job *job;
    struct MHD_PostProcessor *pp;
    size_t bytes;                   /* of the body so far */
    unsigned files;                 /* files begun */
    unsigned refused;               /* 413, 400: the rest of the body is read and dropped */
    const char *refused_title;
    char refused_text[768];
    int fd;                         /* the file being received, or -1 */
    int text_fd;                    /* Soạn: the pasted text, or -1 */
    int text_nonblank;
    int file_chosen;                /* Soạn: a document file was sent */
    char year[FIELD_MAX];
    int was_suspended;              /* counted in server.suspended */
};

/* Refuses the request (once): the answer is sent when its body has been read. */
static void refuse(struct request *q, unsigned status, const char *title, const char *text)
{
    if (q->refused)
        return;
    q->refused = status;
    q->refused_title = title;
    snprintf(q->refused_text, sizeof q->refused_text, "%s", text);
}

/* Refuses the request for a fault of the server's own (what: a few words for the admin). */
static void refuse_internal(struct request *q, const char *what)
{
    char text[512];
    snprintf(text, sizeof text, WT_INTERNAL, what);
    refuse(q, MHD_HTTP_INTERNAL_SERVER_ERROR, WT_INTERNAL_TITLE, text);
}

/* Appends len bytes to a small field; refuses a field that grows past FIELD_MAX. */
static void field_append(struct request *q, char *field, const char *data, size_t len)
{
    size_t have = strlen(field);
    if (!len)
        return;
    if (have + len >= FIELD_MAX) {
        refuse(q, MHD_HTTP_BAD_REQUEST, WT_BAD_FORM_TITLE, WT_FIELD_TOO_LONG);
        return;
    }
    memcpy(field + have, data, len);
    field[have + len] = 0;
}

/* The part of a sent file name after its last / or \, without control characters, at most
 * 200 bytes: only ever shown. */
static char *shown_name(const char *sent)
{
    const char *base = sent;
    for (const char *p = sent; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    char *out = malloc(strlen(base) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (const char *p = base; *p && o < 200; p++)
        if ((unsigned char)*p >= 0x20 && *p != 0x7F)
            out[o++] = *p;
    while (o && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
        o--;                /* a character cut at 200 bytes */
    if (o && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
        o--;
    out[o] = 0;
    return out;
}

/* The extension the stored file keeps (how the loaders tell the kinds apart): the sent
 * name's last ".ext" when it is 1 to 8 letters and digits, lower-cased; "" otherwise. */
static void stored_extension(const char *name, char ext[10])
{
    ext[0] = 0;
    const char *dot = strrchr(name, '.');
    if (!dot || !dot[1] || strlen(dot + 1) > 8)
        return;
    size_t o = 0;
    ext[o++] = '.';
    for (const char *p = dot + 1; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) {
            ext[0] = 0;
            return;
        }
        ext[o++] = (char)(*p | 0x20);
    }
    ext[o] = 0;
}

/* Opens a new file of the job's in/ folder, named by the server; adds it to the job. */
static int begin_file(struct server *s, struct request *q, const char *sent_name, int previous)
{
    struct job *j = q->job;
    if (++q->files > s->o->max_files) {
        char text[512];
        snprintf(text, sizeof text, WT_TOO_MANY, s->o->max_files);
        refuse(q, MHD_HTTP_CONTENT_TOO_LARGE, WT_TOO_MANY_TITLE, text);
        return -1;
    }
    char ext[10];
    stored_extension(sent_name, ext);
    struct webjob_file *files = realloc(j->w.files, (j->w.file_count + 1) * sizeof *files);
    if (!files)
        return -1;
    j->w.files = files;
    size_t n = strlen(j->w.dir) + 32;
    struct webjob_file *f = &files[j->w.file_count];
    *f = (struct webjob_file){.path = malloc(n), .name = shown_name(sent_name),
                              .previous = previous};
    if (!f->path || !f->name) {
        free(f->path);
        free(f->name);
        return -1;
    }
    snprintf(f->path, n, "%s/in/%03u%s", j->w.dir, q->files, ext);
    q->fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (q->fd < 0) {
        logf_("cannot store an upload in %s: %s", f->path, strerror(errno));
        free(f->path);
        free(f->name);
        return -1;
    }
    j->w.file_count++;
    return 0;
}

/* Writes all of data to fd; 0, or -1. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* libmicrohttpd's MHD_PostDataIterator: one piece of one field of the form. */
static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    struct request *q = cls;
    struct server *s = q->s;
    struct job *j = q->job;
    if (q->refused)
        return MHD_YES;
    int is_file = filename != NULL;
    int wanted_file = is_file &&
        ((q->route == ROUTE_SOAN && strcmp(key, "tep") == 0) ||
         (q->route == ROUTE_TONG_HOP && (strcmp(key, "so_lieu") == 0 ||
                                         strcmp(key, "so_lieu_truoc") == 0)));
    if (is_file) {
        if (!wanted_file || !*filename)
            return MHD_YES;          /* an empty file input, or a field the page has not */
        if (off == 0) {
            if (q->fd >= 0)
                close(q->fd);
            q->fd = -1;
            if (q->route == ROUTE_SOAN && q->file_chosen)
                return MHD_YES;      /* one document: a second file is not read */
            if (begin_file(s, q, filename, strcmp(key, "so_lieu_truoc") == 0) != 0) {
                if (!q->refused)
                    refuse_internal(q, "cannot store the upload");
                return MHD_YES;
            }
            q->file_chosen |= q->route == ROUTE_SOAN;
        }
        if (q->fd >= 0 && size && write_all(q->fd, data, size) != 0)
            refuse_internal(q, "cannot store the upload");
        return MHD_YES;
    }
    if (q->route == ROUTE_SOAN && strcmp(key, "noi_dung") == 0) {
        if (q->text_fd < 0 && size) {
            size_t n = strlen(j->w.dir) + 16;
            j->pasted = malloc(n);
            if (j->pasted)
                snprintf(j->pasted, n, "%s/in/dan-vao", j->w.dir);
            q->text_fd = j->pasted ? open(j->pasted, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
                                                      | O_CLOEXEC, 0600)
                                   : -1;
            if (q->text_fd < 0) {
                free(j->pasted);
                j->pasted = NULL;
                refuse_internal(q, "cannot store the text");
                return MHD_YES;
            }
        }
        for (size_t i = 0; i < size && !q->text_nonblank; i++)
            q->text_nonblank = !strchr(" \t\r\n", data[i]);
        if (q->text_fd >= 0 && size && write_all(q->text_fd, data, size) != 0)
            refuse_internal(q, "cannot store the text");
        return MHD_YES;
    }
    if (q->route == ROUTE_TONG_HOP) {
        char *field = strcmp(key, "nam") == 0 ? q->year
                      : strcmp(key, "ho_so") == 0 ? j->profile_id
                      : strcmp(key, "so") == 0 ? j->number
                      : strcmp(key, "ngay") == 0 ? j->date
                      : strcmp(key, "nguoi_ky") == 0 ? j->signer : NULL;
        if (field)
            field_append(q, field, data, size);
    }
    return MHD_YES;
}

/* Trims white space at both ends of a field, in place; returns it. */
static char *trim(char *field)
{
    size_t start = strspn(field, " \t\r\n"), n = strlen(field + start);
    memmove(field, field + start, n + 1);
    while (n && strchr(" \t\r\n", field[n - 1]))
        field[--n] = 0;
    return field;
}

/* Checks what a Tổng hợp request sent and fills the job's year, profile, number, date and
 * signer; returns NULL, or the problem in words. */
static const char *check_report_fields(struct server *s, struct request *q)
{
    struct job *j = q->job;
    const char *y = trim(q->year);
    char *end;
    long year = strtol(y, &end, 10);
    if (!*y || *end || year < 1900 || year > 9999)
        return WT_BAD_YEAR;
    j->w.year = (int)year;
    if (trim(j->profile_id)[0]) {
        const struct offered_profile *p = NULL;
        for (size_t i = 0; i < s->profile_count; i++)
            if (strcmp(s->profiles[i].id, j->profile_id) == 0)
                p = &s->profiles[i];
        if (!p)
            return WT_BAD_PROFILE;
        j->w.profile_path = p->path;
        j->w.profile_title = p->title;
    }
    trim(j->number);
    trim(j->date);
    trim(j->signer);
    if (j->number[0] && (strspn(j->number, "0123456789") != strlen(j->number) ||
                         strlen(j->number) > 7))
        return WT_BAD_NUMBER;
    struct vn_date d;
    if (j->date[0] && vn_date_parse(j->date, &d) != 0)
        return WT_BAD_DATE;
    j->w.number = j->number[0] ? j->number : NULL;
    j->w.date = j->date[0] ? j->date : NULL;
    j->w.signer = j->signer[0] ? j->signer : NULL;
    size_t exports = 0;
    for (size_t i = 0; i < j->w.file_count; i++)
        exports += !j->w.files[i].previous;
    return exports ? NULL : WT_NO_EXPORTS;
}

/* Reads the pasted text back (for the form shown again), or NULL. */
static char *read_pasted(const struct server *s, const struct job *j)
{
    size_t len;
    return j->pasted ? paths_read_file(j->pasted, s->o->max_upload, &len) : NULL;
}

/* Opens a page of the request's task with its heading and introduction. */
static void task_page(struct xmlout *h, enum route route)
{
    if (route == ROUTE_SOAN) {
        webpage_begin(h, WT_TASK_SOAN, WEBPAGE_SOAN);
        webpage_soan_intro(h);
    } else {
        webpage_begin(h, WT_TASK_TONG_HOP, WEBPAGE_TONG_HOP);
        webpage_tong_hop_intro(h);
    }
}

/* Closes a page of the request's task with its form, filled again from the job. */
static void task_page_end(struct server *s, struct xmlout *h, struct request *q)
{
    if (q->route == ROUTE_SOAN) {
        char *text = q->job ? read_pasted(s, q->job) : NULL;
        webpage_soan_form(h, text);
        free(text);
    } else
        report_form(s, h, q->job);
    webpage_end(h, s->o->job.keep_minutes);
}

/* Sends the task's page with a problem of the form (400, 413, …) above the form. */
static enum MHD_Result send_form_problem(struct server *s, struct MHD_Connection *con,
                                         struct request *q, unsigned status, const char *title,
                                         const char *text)
{
    struct xmlout h = {0};
    task_page(&h, q->route);
    xo_raw(&h, "<section class=\"ket-qua\" aria-labelledby=\"ket-qua\">\n"
               "<h2 id=\"ket-qua\" tabindex=\"-1\">");
    xo_text(&h, title);
    xo_raw(&h, "</h2>\n<p class=\"trang-thai hong\" role=\"status\">");
    xo_raw(&h, text);
    xo_raw(&h, "</p>\n</section>\n");
    task_page_end(s, &h, q);
    return send_page(con, status, &h);
}

/* Reads a job's out/NAME into a new string, at most max bytes; NULL when absent. */
static char *read_out(const struct job *j, const char *name, size_t max)
{
    char path[4200];
    size_t len;
    snprintf(path, sizeof path, "%s/out/%s", j->w.dir, name);
    return paths_read_file(path, max, &len);
}

/* The words for how a worker ended when it gave no result. */
static void worker_end_words(const struct job *j, char *buf, size_t size)
{
    if (WIFSIGNALED(j->wait_status)) {
        int sig = WTERMSIG(j->wait_status);
        if (sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT)
            snprintf(buf, size, WT_CRASH_SIGNAL ", " WT_CRASH_MEMORY, sig);
        else
            snprintf(buf, size, WT_CRASH_SIGNAL, sig);
    } else
        snprintf(buf, size, WT_CRASH_STATUS, WEXITSTATUS(j->wait_status));
}

/* Answers a request whose job is done: the result, or why there is none. */
static enum MHD_Result send_result(struct server *s, struct MHD_Connection *con,
                                   struct request *q)
{
    struct job *j = q->job;
    double took = seconds_since(&j->started);
    const char *task = j->w.kind == WEBJOB_DOCUMENT ? "soan" : "tong-hop";
    if (j->stopped) {
        logf_("%.8s %s: stopped with the server", j->w.id, task);
        return send_form_problem(s, con, q, MHD_HTTP_SERVICE_UNAVAILABLE, WT_BUSY_TITLE,
                                 WT_STOPPING);
    }
    if (j->timed_out) {
        logf_("%.8s %s: past %u s, stopped", j->w.id, task, s->o->job_seconds);
        char text[1024];
        snprintf(text, sizeof text, WT_TIMEOUT, s->o->job_seconds);
        return send_form_problem(s, con, q, MHD_HTTP_INTERNAL_SERVER_ERROR, WT_TIMEOUT_TITLE,
                                 text);
    }
    int status = WIFEXITED(j->wait_status) ? WEXITSTATUS(j->wait_status) : -1;
    char *fragment = status == 0 || status == 1 || status == 3
                         ? read_out(j, WEBJOB_RESULT_HTML, (size_t)256 << 20)
                         : NULL;
    if (!fragment) {
        char how[256], text[1024];
        worker_end_words(j, how, sizeof how);
        logf_("%.8s %s: the worker ended without a result (%s)", j->w.id, task, how);
        snprintf(text, sizeof text, WT_CRASH, how);
        return send_form_problem(s, con, q, MHD_HTTP_INTERNAL_SERVER_ERROR, WT_CRASH_TITLE,
                                 text);
    }
    logf_("%.8s %s: exit %d, %.2f s", j->w.id, task, status, took);
    struct xmlout h = {0};
    task_page(&h, q->route);
    xo_raw(&h, fragment);
    free(fragment);
    task_page_end(s, &h, q);
    return send_page(con, status == 0 ? MHD_HTTP_OK
                          : status == 1 ? MHD_HTTP_UNPROCESSABLE_CONTENT
                                        : MHD_HTTP_INTERNAL_SERVER_ERROR, &h);
}

/* The body of a POST has been read: checks it and queues the job (or answers at once). */
static enum MHD_Result request_complete(struct server *s, struct MHD_Connection *con,
                                        struct request *q)
{
    struct job *j = q->job;
    if (q->fd >= 0)
        close(q->fd);
    if (q->text_fd >= 0)
        close(q->text_fd);
    q->fd = q->text_fd = -1;
    if (q->refused)
        return send_form_problem(s, con, q, q->refused, q->refused_title, q->refused_text);
    const char *problem = NULL;
    if (q->route == ROUTE_SOAN) {
        if (j->w.file_count) {
            j->w.pasted_ignored = q->text_nonblank;
        } else if (q->text_nonblank) {
            /* the pasted text is the document: the loader tells its kind by its content */
            j->w.files = calloc(1, sizeof *j->w.files);
            if (j->w.files && (j->w.files[0].path = strdup(j->pasted)) &&
                (j->w.files[0].name = strdup(WT_SOAN_PASTED_NAME)))
                j->w.file_count = 1;
            else
                problem = WT_OUT_OF_MEMORY;
        } else
            problem = WT_NO_DOCUMENT;
    } else
        problem = check_report_fields(s, q);
    if (problem)
        return send_form_problem(s, con, q, MHD_HTTP_BAD_REQUEST, WT_BAD_FORM_TITLE, problem);

    pthread_mutex_lock(&s->lock);
    enum MHD_Result ret = MHD_YES;
    if (s->stopping) {
        pthread_mutex_unlock(&s->lock);
        return send_form_problem(s, con, q, MHD_HTTP_SERVICE_UNAVAILABLE, WT_BUSY_TITLE,
                                 WT_STOPPING);
    }
    if (s->running < s->o->max_jobs) {
        s->running++;
        if (job_start_locked(s, j, con) != 0) {
            pthread_mutex_unlock(&s->lock);
            char text[512];
            snprintf(text, sizeof text, WT_INTERNAL, "fork");
            return send_form_problem(s, con, q, MHD_HTTP_INTERNAL_SERVER_ERROR,
                                     WT_INTERNAL_TITLE, text);
        }
        q->was_suspended = 1;
    } else if (s->queued < s->o->max_queue) {
        j->state = JOB_QUEUED;
        j->con = con;
        s->queued++;
        MHD_suspend_connection(con);
        s->suspended++;
        q->was_suspended = 1;
    } else {
        pthread_mutex_unlock(&s->lock);
        logf_("%.8s: %u requests already wait: busy", j->w.id, s->o->max_queue);
        return send_form_problem(s, con, q, MHD_HTTP_SERVICE_UNAVAILABLE, WT_BUSY_TITLE,
                                 WT_BUSY);
    }
    pthread_mutex_unlock(&s->lock);
    return ret;
}

/* A suspended request was resumed: its job may start, or has ended. */
static enum MHD_Result request_resumed(struct server *s, struct MHD_Connection *con,
                                       struct request *q)
{
    struct job *j = q->job;
    pthread_mutex_lock(&s->lock);
    s->suspended--;
    q->was_suspended = 0;
    if (j->state == JOB_STARTING && !s->stopping) {
        if (job_start_locked(s, j, con) == 0) {
            q->was_suspended = 1;
            pthread_mutex_unlock(&s->lock);
            return MHD_YES;
        }
        j->state = JOB_DONE;
        j->wait_status = 0x7f00;        /* "exit 127": no worker */
    } else if (j->state == JOB_QUEUED || j->state == JOB_RUNNING || j->state == JOB_STARTING) {
        if (!s->stopping || j->state == JOB_RUNNING) {
            /* woken for nothing: wait again (a running worker's end resumes it; the place
             * of a JOB_STARTING job is kept) */
            MHD_suspend_connection(con);
            s->suspended++;
            q->was_suspended = 1;
            pthread_mutex_unlock(&s->lock);
            return MHD_YES;
        }
        if (j->state == JOB_STARTING)
            s->running--;
        else if (s->queued)
            s->queued--;
        j->stopped = 1;
        j->state = JOB_DONE;
    }
    pthread_mutex_unlock(&s->lock);
    return send_result(s, con, q);
}

/* Serves GET /ket-qua/ID/NAME: a file of a job's out/ folder, never a client-named path. */
static enum MHD_Result send_result_file(struct server *s, struct MHD_Connection *con,
                                        const char *rest)
{
    char id[33];
    const char *slash = strchr(rest, '/');
    if (!slash || slash - rest != 32)
        return send_notice(s, con, MHD_HTTP_NOT_FOUND, WT_ERR_TITLE, "");
    memcpy(id, rest, 32);
    id[32] = 0;
    if (strspn(id, "0123456789abcdef") != 32)
        return send_notice(s, con, MHD_HTTP_NOT_FOUND, WT_ERR_TITLE, "");
    const char *name = slash + 1;
    static const char *const served[] = {WEBJOB_DOCUMENT_PDF, WEBJOB_DOCUMENT_META,
                                         WEBJOB_DOCUMENT_XML,
                                         WEBJOB_REPORT_PDF, WEBJOB_REPORT_META};
    int known = 0;
    for (size_t i = 0; i < sizeof served / sizeof served[0]; i++)
        known |= strcmp(name, served[i]) == 0;
    int fd = -1;
    struct stat st;
    char stem[96] = "van-ban";
    pthread_mutex_lock(&s->lock);
    for (struct job *j = s->jobs; known && j; j = j->next) {
        if (strcmp(j->w.id, id) != 0 || (j->state != JOB_KEPT && j->state != JOB_DONE))
            continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/out/%s", j->w.dir, name);
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        char *given = read_out(j, WEBJOB_NAME_FILE, 80);
        if (given && *given && strspn(given, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
                                   strlen(given))
            snprintf(stem, sizeof stem, "%s", given);
        free(given);
    }
    pthread_mutex_unlock(&s->lock);
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    if (fd < 0) {
        char text[512];
        snprintf(text, sizeof text, WT_NOT_FOUND, s->o->job.keep_minutes);
        return send_notice(s, con, MHD_HTTP_NOT_FOUND, WT_ERR_TITLE, text);
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    int pdf = strstr(name, ".pdf") != NULL;
    const char *download = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "tai");
    char disposition[256];
    snprintf(disposition, sizeof disposition, "%s; filename=\"%s%s\"",
             download ? "attachment" : "inline", stem,
             pdf ? ".pdf" : strcmp(name, WEBJOB_DOCUMENT_XML) == 0 ? ".xml" : ".nd30.xml");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            pdf ? "application/pdf" : "application/xml; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disposition);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "SAMEORIGIN");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result ret = MHD_queue_response(con, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* Whether a loopback server accepts the request's Host header (a page of another site
 * that names this server by a name of its own, DNS rebinding, is refused). */
static int host_accepted(const struct server *s, struct MHD_Connection *con)
{
    const char *host = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host)
        return 0;
    for (int i = 0; i < 3; i++)
        if (strcasecmp(host, s->loopback_hosts[i]) == 0)
            return 1;
    return 0;
}

/* Whether a form was sent from a page of another site: the browser's Sec-Fetch-Site says
 * so, or (from a browser that sends none) an Origin that is not this server's. */
static int cross_site(struct MHD_Connection *con)
{
    const char *site = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Sec-Fetch-Site");
    if (site)
        return strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0;
    const char *origin = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Origin");
    if (!origin)
        return 0;
    const char *host = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    const char *o = strstr(origin, "://");
    return !host || !o || strcasecmp(o + 3, host) != 0;
}

/* libmicrohttpd's MHD_AccessHandlerCallback: every request comes through here. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    struct server *s = cls;
    struct request *q = *con_cls;
    int post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    if (q) {
        /* a POST going on: its body, its end, or its resumption */
        if (*upload_data_size) {
            q->bytes += *upload_data_size;
            if (!q->refused && q->bytes > s->o->max_upload) {
                char text[512];
                snprintf(text, sizeof text, WT_TOO_BIG, s->o->max_upload >> 20);
                refuse(q, MHD_HTTP_CONTENT_TOO_LARGE, WT_TOO_BIG_TITLE, text);
            }
            if (!q->refused && MHD_post_process(q->pp, upload_data, *upload_data_size) != MHD_YES)
                refuse(q, MHD_HTTP_BAD_REQUEST, WT_BAD_FORM_TITLE, WT_BAD_FORM);
            *upload_data_size = 0;
            return MHD_YES;
        }
        if (q->job && q->job->state != JOB_RECEIVING)
            return request_resumed(s, con, q);
        return request_complete(s, con, q);
    }

    /* the style sheet and the script hold nothing of anyone's: served to all, so that the
     * pages that refuse (403) look like the others */
    if (!post && strcmp(url, "/tai-nguyen/trang.css") == 0)
        return send_asset(con, webpage_css, "text/css; charset=utf-8");
    if (!post && strcmp(url, "/tai-nguyen/trang.js") == 0)
        return send_asset(con, webpage_js, "text/javascript; charset=utf-8");

    /* a new request: who may ask */
    if (s->require_token) {
        const char *given = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "token");
        const char *cookie = MHD_lookup_connection_value(con, MHD_COOKIE_KIND, TOKEN_COOKIE);
        if (given && token_matches(s, given) && !post)
            return send_token_redirect(s, con, url);
        if (!token_matches(s, cookie)) {
            logf_("%s %s: no valid access token", method, url);
            return send_notice(s, con, MHD_HTTP_FORBIDDEN, WT_TOKEN_NEEDED_TITLE,
                               WT_TOKEN_NEEDED);
        }
    } else if (!host_accepted(s, con))
        return send_notice(s, con, MHD_HTTP_FORBIDDEN, WT_ERR_TITLE, WT_WRONG_HOST);
    if (post && cross_site(con))
        return send_notice(s, con, MHD_HTTP_FORBIDDEN, WT_ERR_TITLE, WT_CROSS_SITE);

    if (!post && strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
        strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return send_notice(s, con, MHD_HTTP_METHOD_NOT_ALLOWED, WT_ERR_TITLE, WT_METHOD);
    if (!post) {
        struct xmlout h = {0};
        if (strcmp(url, "/") == 0) {
            webpage_begin(&h, WT_HOME_TITLE, WEBPAGE_HOME);
            webpage_home(&h);
        } else if (strcmp(url, "/soan") == 0) {
            webpage_begin(&h, WT_TASK_SOAN, WEBPAGE_SOAN);
            webpage_soan_intro(&h);
            webpage_soan_form(&h, NULL);
        } else if (strcmp(url, "/tong-hop") == 0) {
            webpage_begin(&h, WT_TASK_TONG_HOP, WEBPAGE_TONG_HOP);
            webpage_tong_hop_intro(&h);
            report_form(s, &h, NULL);
        } else if (strncmp(url, "/ket-qua/", 9) == 0)
            return send_result_file(s, con, url + 9);
        else {
            char text[512];
            snprintf(text, sizeof text, WT_NOT_FOUND, s->o->job.keep_minutes);
            return send_notice(s, con, MHD_HTTP_NOT_FOUND, WT_ERR_TITLE, text);
        }
        webpage_end(&h, s->o->job.keep_minutes);
        return send_page(con, MHD_HTTP_OK, &h);
    }

    enum route route;
    if (strcmp(url, "/soan") == 0)
        route = ROUTE_SOAN;
    else if (strcmp(url, "/tong-hop") == 0)
        route = ROUTE_TONG_HOP;
    else
        return send_notice(s, con, MHD_HTTP_NOT_FOUND, WT_ERR_TITLE, WT_METHOD);
    /* a body declared far past the limit is refused before it is read; one a little past
     * it is read and dropped, so that the browser shows the answer */
    const char *length = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length && strtoull(length, NULL, 10) > 4 * (unsigned long long)s->o->max_upload +
                                                   (16u << 20)) {
        char text[512];
        snprintf(text, sizeof text, WT_TOO_BIG, s->o->max_upload >> 20);
        return send_notice(s, con, MHD_HTTP_CONTENT_TOO_LARGE, WT_TOO_BIG_TITLE, text);
    }
    q = calloc(1, sizeof *q);
    if (!q)
        return MHD_NO;
    q->s = s;
    q->route = route;
    q->fd = q->text_fd = -1;
    q->job = job_new(s, route == ROUTE_SOAN ? WEBJOB_DOCUMENT : WEBJOB_REPORT);
    q->pp = q->job ? MHD_create_post_processor(con, 64 * 1024, on_field, q) : NULL;
    *con_cls = q;
    if (!q->job)
        refuse_internal(q, "cannot make the job's folder");
    else if (!q->pp)
        refuse(q, MHD_HTTP_BAD_REQUEST, WT_BAD_FORM_TITLE, WT_BAD_FORM);
    return MHD_YES;
}

/* libmicrohttpd's MHD_RequestCompletedCallback: the request is over (answered, or the
 * client went away). Its uploads are removed now; its results are kept for download when
 * there is a PDF to download, else removed with the rest of its folder. */
static void on_request_done(void *cls, struct MHD_Connection *con, void **con_cls,
                            enum MHD_RequestTerminationCode why)
{
    (void)con;
    (void)why;
    struct server *s = cls;
    struct request *q = *con_cls;
    if (!q)
        return;
    *con_cls = NULL;
    if (q->fd >= 0)
        close(q->fd);
    if (q->text_fd >= 0)
        close(q->text_fd);
    if (q->pp)
        MHD_destroy_post_processor(q->pp);
    struct job *j = q->job;
    pthread_mutex_lock(&s->lock);
    if (q->was_suspended)
        s->suspended--;
    if (j && (j->state == JOB_QUEUED || j->state == JOB_STARTING || j->state == JOB_RUNNING)) {
        /* cannot happen while suspended requests do not end; never leave a worker behind */
        if (j->state == JOB_RUNNING && j->pid > 0)
            kill(j->pid, SIGKILL);
        j->con = NULL;
        j->stopped = 1;
    } else if (j) {
        char in[4200], pdf[4200];
        snprintf(in, sizeof in, "%s/in", j->w.dir);
        remove_tree(in);
        snprintf(pdf, sizeof pdf, "%s/out/%s", j->w.dir,
                 j->w.kind == WEBJOB_DOCUMENT ? WEBJOB_DOCUMENT_PDF : WEBJOB_REPORT_PDF);
        struct stat st;
        if (j->state == JOB_DONE && !j->timed_out && !j->stopped && stat(pdf, &st) == 0 &&
            !s->stopping) {
            j->state = JOB_KEPT;
            j->expires = time(NULL) + (time_t)s->o->job.keep_minutes * 60;
            free(j->pasted);
            j->pasted = NULL;
        } else
            job_free_locked(s, j);
    }
    pthread_mutex_unlock(&s->lock);
    free(q);
}

/* ---- the main thread: workers that end, workers past their time, results that expire ---- */

/* Collects every worker that ended and resumes its request, its job done (and marked
 * stopped when the server is stopping). The lock held. */
static void reap_workers_locked(struct server *s, int stopped)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        for (struct job *j = s->jobs; j; j = j->next)
            if (j->state == JOB_RUNNING && j->pid == pid) {
                j->state = JOB_DONE;
                j->wait_status = status;
                j->stopped |= stopped;
                j->pid = 0;
                s->running--;
                if (j->con)
                    MHD_resume_connection(j->con);
                j->con = NULL;
                break;
            }
}

/* Collects ended workers and resumes their requests; kills workers past their time; gives
 * free places to queued jobs; removes expired results. The lock held. Returns the seconds
 * until the next worker's time runs out (at most 1). */
static double tend_jobs_locked(struct server *s)
{
    reap_workers_locked(s, 0);
    time_t now = time(NULL);
    double next = 1;
    for (struct job *j = s->jobs; j; j = j->next) {
        if (j->state != JOB_RUNNING || j->pid <= 0 || j->timed_out)
            continue;
        double left = s->o->job_seconds - seconds_since(&j->started);
        if (left <= 0) {
            j->timed_out = 1;
            kill(j->pid, SIGKILL);
        } else if (left < next)
            next = left;
    }
    while (!s->stopping && s->running < s->o->max_jobs && s->queued) {
        struct job *first = NULL;
        for (struct job *j = s->jobs; j; j = j->next)
            if (j->state == JOB_QUEUED && (!first || j->seq < first->seq))
                first = j;
        if (!first)
            break;
        first->state = JOB_STARTING;
        s->queued--;
        s->running++;
        MHD_resume_connection(first->con);
    }
    for (struct job **p = &s->jobs; *p;) {
        struct job *j = *p;
        if (j->state == JOB_KEPT && j->expires <= now)
            job_free_locked(s, j);    /* takes j off the list: *p is its successor now */
        else
            p = &j->next;
    }
    return next;
}

/* Stops: kills the workers, answers every waiting request, and waits (a few seconds at
 * most) until no request is suspended, so that the daemon can be stopped. */
static void stop_jobs(struct server *s)
{
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    for (struct job *j = s->jobs; j; j = j->next) {
        if (j->state == JOB_RUNNING && j->pid > 0)
            kill(j->pid, SIGKILL);
        if (j->state == JOB_QUEUED || j->state == JOB_STARTING) {
            if (j->state == JOB_STARTING)
                s->running--;        /* the place kept for it */
            j->stopped = 1;
            j->state = JOB_DONE;
            if (j->con)
                MHD_resume_connection(j->con);
            j->con = NULL;
        }
    }
    s->queued = 0;
    pthread_mutex_unlock(&s->lock);
    for (int tries = 0; tries < 500; tries++) {
        pthread_mutex_lock(&s->lock);
        reap_workers_locked(s, 1);
        int waiting = s->running > 0 || s->suspended > 0;
        pthread_mutex_unlock(&s->lock);
        if (!waiting)
            break;
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

/* ---- starting ---- */

/* Whether the address is a loopback one (127.0.0.0/8, ::1, ::ffff:127.x.x.x). */
static int is_loopback(const struct sockaddr *a)
{
    if (a->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) == 127;
    if (a->sa_family == AF_INET6) {
        const struct in6_addr *v6 = &((const struct sockaddr_in6 *)a)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(v6))
            return 1;
        return IN6_IS_ADDR_V4MAPPED(v6) && v6->s6_addr[12] == 127;
    }
    return 0;
}

/* Opens the listening socket; fills s->port and whether a token is needed. */
static int open_socket(struct server *s, struct vb_diags *diags)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
                             .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    char port[16];
    snprintf(port, sizeof port, "%u", s->o->port);
    int rc = getaddrinfo(s->o->listen, port, &hints, &ai);
    if (rc != 0) {
        diag_error(diags, VB_EUSAGE, NULL, 0, 0, "--listen %s is not an IP address such as "
                   "127.0.0.1 or 0.0.0.0 (%s)", s->o->listen, gai_strerror(rc));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0) {
        diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "cannot listen on %s port %u: %s",
                   s->o->listen, s->o->port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    s->require_token = !is_loopback(ai->ai_addr);
    freeaddrinfo(ai);
    struct sockaddr_storage bound;
    socklen_t len = sizeof bound;
    getsockname(fd, (struct sockaddr *)&bound, &len);
    s->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                 : ((struct sockaddr_in *)&bound)->sin_port);
    snprintf(s->loopback_hosts[0], sizeof s->loopback_hosts[0], "127.0.0.1:%u", s->port);
    snprintf(s->loopback_hosts[1], sizeof s->loopback_hosts[1], "localhost:%u", s->port);
    snprintf(s->loopback_hosts[2], sizeof s->loopback_hosts[2], "[::1]:%u", s->port);
    return fd;
}

/* Reads or makes the access token and keeps its hash. */
static int make_token(struct server *s, struct vb_diags *diags)
{
    if (s->o->token_file) {
        FILE *f = fopen(s->o->token_file, "r");
        char line[256] = "";
        if (!f || !fgets(line, sizeof line, f)) {
            diag_error(diags, VB_EUSAGE, s->o->token_file, 0, 0, "cannot read the access "
                       "token: %s", f ? _("the file is empty") : strerror(errno));
            if (f)
                fclose(f);
            return -1;
        }
        fclose(f);
        line[strcspn(line, "\r\n")] = 0;
        size_t n = strlen(line);
        if (n < 16 || n > 128 ||
            strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                         "-._~") != n) {
            diag_error(diags, VB_EUSAGE, s->o->token_file, 1, 1, "the access token must be "
                       "16 to 128 letters, digits, '-', '.', '_' or '~'");
            return -1;
        }
        memcpy(s->token, line, n + 1);
    } else if (random_hex(s->token, 16) != 0) {
        diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "cannot make an access token: %s",
                   strerror(errno));
        return -1;
    }
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(s->token), (const uint8_t *)s->token);
    sha256_digest(&ctx, sizeof s->token_hash, s->token_hash);
    return 0;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct offered_profile *)a)->id,
                  ((const struct offered_profile *)b)->id);
}

/* Loads every profile of the profiles folder; one that does not load is not offered, and
 * said so on stderr. */
static void load_profiles(struct server *s, FILE *out)
{
    const char *dir = s->o->profiles_dir;
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return;
    size_t cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".xml") != 0 || e->d_name[0] == '.')
            continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct vb_diags diags = {0};
        struct profile *p = NULL;
        if (profile_load(path, s->o->job.profile_schema, 0, &p, &diags) != VB_OK) {
            logf_("the profile %s is not offered:", path);
            diag_print(&diags, stderr);
            diag_clear(&diags);
            continue;
        }
        diag_clear(&diags);
        char *title = profile_title(p);
        profile_free(p);
        if (s->profile_count == cap) {
            cap = cap ? 2 * cap : 8;
            struct offered_profile *more = realloc(s->profiles, cap * sizeof *more);
            if (!more) {
                free(title);
                break;
            }
            s->profiles = more;
        }
        struct offered_profile *o = &s->profiles[s->profile_count];
        o->id = strndup(e->d_name, n - 4);
        o->path = realpath(path, NULL);
        o->title = title ? title : strdup(o->id ? o->id : "");
        if (!o->id || !o->path || !o->title) {
            free(o->id);
            free(o->path);
            free(o->title);
            continue;
        }
        s->profile_count++;
    }
    closedir(d);
    if (s->profile_count)
        qsort(s->profiles, s->profile_count, sizeof *s->profiles, by_id);
    fprintf(out, P_("vanban serve: %zu profile offered from %s\n",
                    "vanban serve: %zu profiles offered from %s\n", s->profile_count),
            s->profile_count, dir);
}

/* Prints the addresses to open. */
static void print_addresses(const struct server *s, FILE *out)
{
    const char *query = s->require_token ? "/?token=" : "/";
    const char *token = s->require_token ? s->token : "";
    fprintf(out, _("vanban serve: listening on %s port %u\n"), s->o->listen, s->port);
    int any = strcmp(s->o->listen, "0.0.0.0") == 0 || strcmp(s->o->listen, "::") == 0;
    if (!any) {
        int v6 = strchr(s->o->listen, ':') != NULL;
        fprintf(out, _("vanban serve: open http://%s%s%s:%u%s%s\n"), v6 ? "[" : "",
                s->o->listen, v6 ? "]" : "", s->port, query, token);
    } else {
        fprintf(out, _("vanban serve: open http://127.0.0.1:%u%s%s\n"), s->port, query, token);
        struct ifaddrs *list = NULL;
        if (getifaddrs(&list) == 0) {
            for (struct ifaddrs *i = list; i; i = i->ifa_next) {
                if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || is_loopback(i->ifa_addr))
                    continue;
                char host[64];
                inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, host,
                          sizeof host);
                fprintf(out, _("vanban serve: open http://%s:%u%s%s\n"), host, s->port, query,
                        token);
            }
            freeifaddrs(list);
        }
    }
    if (s->require_token)
        fputs(_("vanban serve: every browser opens one of these addresses once, with its "
                "token; keep the token for the office\n"), out);
    fflush(out);
}

enum vb_status serve_run(const struct serve_options *opt, FILE *out, struct vb_diags *diags)
{
    struct server s = {.o = opt, .pid = getpid()};
    pthread_mutex_init(&s.lock, NULL);
    enum vb_status st = VB_OK;
    /* the renderer opens here once, so that a broken font or configuration is said at
     * start, not at the first request */
    struct renderer *check = NULL;
    st = renderer_open(&opt->job.render, &check, diags);
    renderer_close(check);
    if (st != VB_OK)
        return st;
    int fd = open_socket(&s, diags);
    if (fd < 0)
        return diag_status(diags);
    if (s.require_token && make_token(&s, diags) != 0) {
        close(fd);
        return diag_status(diags);
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(s.root, sizeof s.root, "%s/vanban-serve.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s.root)) {
        close(fd);
        return diag_error(diags, VB_EINTERNAL, s.root, 0, 0, "cannot make the temporary "
                          "folder: %s", strerror(errno));
    }
    load_profiles(&s, out);

    /* the signals the main thread waits for, blocked in every thread */
    sigset_t wait_for, old;
    sigemptyset(&wait_for);
    sigaddset(&wait_for, SIGCHLD);
    sigaddset(&wait_for, SIGTERM);
    sigaddset(&wait_for, SIGINT);
    sigaddset(&wait_for, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &wait_for, &old);
    signal(SIGPIPE, SIG_IGN);

    s.daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME |
            MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, &s,
        MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)opt->client_timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)opt->max_connections,
        MHD_OPTION_NOTIFY_COMPLETED, on_request_done, &s,
        MHD_OPTION_THREAD_STACK_SIZE, (size_t)(1u << 20),
        MHD_OPTION_END);
    if (!s.daemon) {
        close(fd);
        remove_tree(s.root);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        st = diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "cannot start the web server "
                        "(libmicrohttpd)");
    } else {
        fprintf(out, _("vanban serve: temporary folder %s\n"), s.root);
        print_addresses(&s, out);
        int stop_signal = 0;
        double wait = 1;
        while (!stop_signal) {
            /* until a signal, the next worker's deadline, or a second */
            struct timespec until = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9) + 1000000};
            siginfo_t info;
            int sig = sigtimedwait(&wait_for, &info, &until);
            if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
                stop_signal = sig;
            pthread_mutex_lock(&s.lock);
            wait = tend_jobs_locked(&s);
            pthread_mutex_unlock(&s.lock);
        }
        logf_("stopping (signal %d)", stop_signal);
        MHD_socket listening = MHD_quiesce_daemon(s.daemon);
        stop_jobs(&s);
        /* a moment for the answers of the stopped requests to leave */
        struct timespec moment = {0, 200 * 1000 * 1000};
        nanosleep(&moment, NULL);
        MHD_stop_daemon(s.daemon);
        if (listening != MHD_INVALID_SOCKET)
            close(listening);
        pthread_mutex_lock(&s.lock);
        while (s.jobs)
            job_free_locked(&s, s.jobs);
        pthread_mutex_unlock(&s.lock);
        remove_tree(s.root);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        logf_("stopped; %s removed", s.root);
    }
    for (size_t i = 0; i < s.profile_count; i++) {
        free(s.profiles[i].id);
        free(s.profiles[i].path);
        free(s.profiles[i].title);
    }
    free(s.profiles);
    pthread_mutex_destroy(&s.lock);
    return st;
}
