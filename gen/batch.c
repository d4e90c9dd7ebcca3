/* batch.c: many documents in one run, see batch.h. */
#include "batch.h"
#include "runfiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "i18n.h"

/* ---- signals ------------------------------------------------------------------------- */

/* The signal that asked the run to stop (parent), or a worker to finish (worker). */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig) { stop_signal = sig; }

/* A worker stops at once: its temporaries are removed, no output is half-named. */
static void on_stop_worker(int sig)
{
    paths_remove_pending_temps();
    _exit(128 + sig);
}

static void set_handler(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* ---- the run's state ----------------------------------------------------------------- */

/* Shared with the workers (MAP_SHARED): the next job to hand out, and the job each worker
 * slot is making (position + 1, 0 when idle), so that a worker's death is pinned on it. */
struct shared {
    atomic_size_t next;
    atomic_size_t current[];
};

/* One result record, worker → parent, followed by text_len bytes of diagnostics. */
struct record_head {
    uint32_t position;          /* in the run's selection */
    uint8_t outcome;            /* enum job_outcome */
    uint8_t status;             /* enum vb_status of the diagnostics */
    uint16_t unused;
    uint32_t text_len;
};

struct worker {
    pid_t pid;                  /* 0: slot empty */
    int fd;                     /* read end of its result pipe */
    char *buf;                  /* bytes received, not yet a whole record */
    size_t len, cap;
};

struct result {
    int done;
    enum job_outcome outcome;
    enum vb_status status;
    char *text;                 /* the job's diagnostics, printed form, or NULL */
};

struct run {
    struct batch_options *opt;
    struct job_list *list;
    size_t *selected;           /* this shard's jobs (indices into list->jobs) */
    size_t selected_count;
    size_t *todo;               /* positions in selected handed to workers, in order */
    size_t todo_count;
    struct result *results;     /* per position in selected */
    struct shared *shm;
    size_t shm_size;
    struct worker *workers;
    unsigned worker_count;
    struct pollfd *pollfds;     /* one per worker, for supervise */
    unsigned *slot_of;          /* worker slot of each pollfd */
    size_t done, written, up_to_date, failed;
    struct timespec start;
    double last_progress;
    int tty;
    FILE *err;
    sigset_t wait_mask;         /* the signal mask while waiting for the workers */
};

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- folders and leftovers ----------------------------------------------------------- */

/* Creates the folders leading to the file at path (mkdir -p of its folder). */
static int make_parent_dirs(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int rc = 0;
    for (char *p = copy + 1; *p && rc == 0; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(copy, 0777) != 0 && errno != EEXIST)
            rc = -1;
        *p = '/';
    }
    free(copy);
    return rc;
}

/* A file the run may leave a temporary of: folder and name. */
struct output_name {
    char *dir;
    const char *base;           /* points into dir's allocation */
};

static int by_dir(const void *a, const void *b)
{
    const struct output_name *x = a, *y = b;
    int c = strcmp(x->dir, y->dir);
    return c ? c : strcmp(x->base, y->base);
}

static int add_output_name(struct output_name *names, size_t *n, const char *path)
{
    const char *slash = strrchr(path, '/');
    char *copy = strdup(path);
    if (!copy)
        return -1;
    if (slash) {
        copy[slash - path] = 0;
        names[*n] = (struct output_name){.dir = copy, .base = copy + (slash - path) + 1};
    } else {
        names[*n] = (struct output_name){.dir = copy, .base = copy};
    }
    (*n)++;
    return 0;
}

/* Removes the temporaries ("NAME.tmp.XXXXXX") of this run's outputs, their sidecars and
 * their records: what a killed run (SIGKILL, a crash, a power cut) left behind. Only this
 * run's names are touched, so shards sharing a folder do not disturb each other. */
static void remove_stale_temps(struct run *r)
{
    struct output_name *names = calloc(3 * r->selected_count + 1, sizeof *names);
    if (!names)
        return;
    size_t n = 0;
    for (size_t i = 0; i < r->selected_count; i++) {
        const char *out = r->list->jobs[r->selected[i]].output;
        if (!out)
            continue;
        char *record = jobrun_record_path(out), *sidecar = paths_sidecar(out);
        const char *three[] = {out, record, sidecar};
        for (int k = 0; k < 3 && record && sidecar; k++)
            if (add_output_name(names, &n, three[k]) != 0)
                break;
        free(record);
        free(sidecar);
    }
    qsort(names, n, sizeof *names, by_dir);
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && strcmp(names[end].dir, names[i].dir) == 0)
            end++;
        const char *dir = names[i].dir == names[i].base ? "." : names[i].dir;
        DIR *d = opendir(dir);
        for (struct dirent *e; d && (e = readdir(d));) {
            size_t len = strlen(e->d_name);
            if (len <= 11 || strncmp(e->d_name + len - 11, ".tmp.", 5) != 0)
                continue;
            struct output_name key = {.dir = names[i].dir};
            char base[NAME_MAX + 1];
            memcpy(base, e->d_name, len - 11);
            base[len - 11] = 0;
            key.base = base;
            if (!bsearch(&key, names + i, end - i, sizeof *names, by_dir) ||
                !paths_is_temp_of(e->d_name, base))
                continue;
            char *full = malloc(strlen(dir) + len + 2);
            if (full) {
                sprintf(full, "%s/%s", dir, e->d_name);
                unlink(full);
                free(full);
            }
        }
        if (d)
            closedir(d);
        i = end;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i].dir);
    free(names);
}

/* Takes the output folder's lock for this shard, so that a second identical run cannot
 * remove the first one's temporaries. Returns the lock's descriptor, or -1. */
static int lock_output(const struct batch_options *opt, struct vb_diags *diags)
{
    char path[4096];
    if (opt->shard_count > 1)
        snprintf(path, sizeof path, "%s/.vanban-batch.%u-of-%u.lock", opt->output_dir,
                 opt->shard_index, opt->shard_count);
    else
        snprintf(path, sizeof path, "%s/.vanban-batch.lock", opt->output_dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        diag_error(diags, VB_EINTERNAL, path, 0, 0, "cannot create the lock file: %s",
                   strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        diag_error(diags, VB_EINTERNAL, opt->output_dir, 0, 0, "another batch run is writing "
                   "the same jobs into this folder (lock %s)", path);
        close(fd);
        return -1;
    }
    return fd;
}

/* ---- workers ------------------------------------------------------------------------- */

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Returns the diagnostics as printed (a new string), or NULL when there are none. */
static char *diags_text(const struct vb_diags *diags)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = diags->count || diags->dropped ? open_memstream(&text, &len) : NULL;
    if (!f)
        return NULL;
    diag_print(diags, f);
    fclose(f);
    return text;
}

/* Sends one job's outcome and diagnostics to the parent. */
static int send_result(int fd, size_t position, enum job_outcome outcome,
                       const struct vb_diags *diags)
{
    char *text = diags_text(diags);
    size_t len = text ? strlen(text) : 0;
    struct record_head h = {.position = (uint32_t)position, .outcome = (uint8_t)outcome,
                            .status = (uint8_t)diag_status(diags), .text_len = (uint32_t)len};
    int rc = write_all(fd, &h, sizeof h) || write_all(fd, text ? text : "", len);
    free(text);
    return rc;
}

/* A worker: takes the next job until none is left (or it is asked to stop). Never returns. */
static void worker_main(struct run *r, unsigned slot, int fd, pid_t parent)
{
    set_handler(SIGINT, on_stop_worker);
    set_handler(SIGTERM, on_stop_worker);
    set_handler(SIGPIPE, SIG_DFL);
    sigprocmask(SIG_SETMASK, &r->wait_mask, NULL);
    /* a parent killed outright (SIGKILL) stops its workers, which clean up */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent || stop_signal)
        _exit(128 + SIGTERM);
    /* the parent flushes the output file system once at the end of the run */
    paths_set_flush(0);
    /* keep freed memory for the next document: glibc would hand the heap's top and every
     * block over 128 KB back to the kernel after each document and fault them in again
     * (~160 page faults per plan); the worker's peak stays the same */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
    /* the renderer the parent opened, the worker's own copy for its whole life: the faces
     * were read into memory once, before the fork; the PDF writer's subsets fill per worker */
    struct jobrun_settings run = r->opt->run;
    run.cache = jobrun_cache_new();     /* templates parsed once per worker */
    for (;;) {
        size_t k = atomic_fetch_add(&r->shm->next, 1);
        if (k >= r->todo_count)
            break;
        size_t position = r->todo[k];
        atomic_store(&r->shm->current[slot], position + 1);
        struct vb_diags diags = {0};
        enum job_outcome outcome = jobrun(&run, &r->list->jobs[r->selected[position]], &diags);
        int rc = send_result(fd, position, outcome, &diags);
        diag_clear(&diags);
        atomic_store(&r->shm->current[slot], 0);
        if (rc != 0)
            break;
    }
    close(fd);
    renderer_close(run.renderer);
    jobrun_cache_free(run.cache);
    _exit(0);
}

static int start_worker(struct run *r, unsigned slot)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        for (unsigned w = 0; w < r->worker_count; w++)
            if (r->workers[w].pid)
                close(r->workers[w].fd);
        worker_main(r, slot, fds[1], parent);
    }
    close(fds[1]);
    struct worker *w = &r->workers[slot];
    w->pid = pid;
    w->fd = fds[0];
    w->len = 0;
    return 0;
}

/* ---- results and progress ------------------------------------------------------------ */

/* Rewrites the progress line on a terminal, at most ten times a second. */
static void progress(struct run *r)
{
    if (r->opt->quiet || !r->tty)
        return;
    double t = seconds_since(&r->start);
    if (t - r->last_progress < 0.1 && r->done < r->selected_count)
        return;
    r->last_progress = t;
    double rate = t > 0 ? (double)r->done / t : 0;
    size_t left = r->selected_count - r->done;
    fprintf(r->err, "\r\033[K[%zu/%zu] ", r->done, r->selected_count);
    fprintf(r->err, _("%.1f documents/s"), rate);
    if (rate > 0 && left) {
        long eta = lround((double)left / rate);
        if (eta >= 60)
            /* TRANSLATORS: the time left, minutes:seconds */
            fprintf(r->err, _(", ETA %ld:%02ld"), eta / 60, eta % 60);
        else
            fprintf(r->err, _(", ETA %ld s"), eta);
    }
    if (r->failed)
        fprintf(r->err, _(", %zu failed"), r->failed);
    fflush(r->err);
}

static void record_result(struct run *r, size_t position, enum job_outcome outcome,
                          enum vb_status status, char *text)
{
    struct result *res = &r->results[position];
    if (res->done) {
        free(text);
        return;
    }
    res->done = 1;
    res->outcome = outcome;
    res->status = outcome == JOB_FAILED && status == VB_OK ? VB_EINTERNAL : status;
    res->text = text;
    r->done++;
    r->written += outcome == JOB_WRITTEN;
    r->up_to_date += outcome == JOB_UP_TO_DATE;
    r->failed += outcome == JOB_FAILED;
    progress(r);
}

/* Takes every whole record out of a worker's buffer. */
static void take_records(struct run *r, struct worker *w)
{
    size_t off = 0;
    while (w->len - off >= sizeof(struct record_head)) {
        struct record_head h;
        memcpy(&h, w->buf + off, sizeof h);
        if (w->len - off - sizeof h < h.text_len)
            break;
        char *text = NULL;
        if (h.text_len && (text = malloc(h.text_len + 1))) {
            memcpy(text, w->buf + off + sizeof h, h.text_len);
            text[h.text_len] = 0;
        }
        if (h.position < r->selected_count)
            record_result(r, h.position, (enum job_outcome)h.outcome, (enum vb_status)h.status,
                          text);
        else
            free(text);
        off += sizeof h + h.text_len;
    }
    memmove(w->buf, w->buf + off, w->len - off);
    w->len -= off;
}

/* Reads what a worker sent; returns 0, or -1 at the end of its stream. */
static int read_worker(struct run *r, struct worker *w)
{
    if (w->cap - w->len < 65536) {
        char *grown = realloc(w->buf, w->cap + 65536);
        if (!grown)
            return -1;
        w->buf = grown;
        w->cap += 65536;
    }
    ssize_t n = read(w->fd, w->buf + w->len, w->cap - w->len);
    if (n < 0 && errno == EINTR)
        return 0;
    if (n <= 0)
        return -1;
    w->len += (size_t)n;
    take_records(r, w);
    return 0;
}

/* A worker's stream ended: reaps it, and pins a death on the job it was making. */
static void worker_ended(struct run *r, unsigned slot)
{
    struct worker *w = &r->workers[slot];
    close(w->fd);
    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    size_t current = atomic_exchange(&r->shm->current[slot], 0);
    if (current && !r->results[current - 1].done && !stop_signal) {
        struct vb_diags died = {0};
        if (WIFSIGNALED(status))
            diag_error(&died, VB_EINTERNAL, NULL, 0, 0, "the worker making it was killed by "
                       "signal %d", WTERMSIG(status));
        else
            diag_error(&died, VB_EINTERNAL, NULL, 0, 0, "the worker making it ended with "
                       "status %d", WEXITSTATUS(status));
        record_result(r, current - 1, JOB_FAILED, VB_EINTERNAL, diags_text(&died));
        diag_clear(&died);
    }
}

/* Hands the jobs out and collects the results until every worker has ended. */
static void supervise(struct run *r)
{
    struct pollfd *fds = r->pollfds;
    unsigned *slot_of = r->slot_of;
    int stopping = 0;
    for (;;) {
        if (stop_signal && !stopping) {
            stopping = 1;
            for (unsigned w = 0; w < r->worker_count; w++)
                if (r->workers[w].pid)
                    kill(r->workers[w].pid, SIGTERM);
        }
        nfds_t n = 0;
        for (unsigned w = 0; w < r->worker_count; w++)
            if (r->workers[w].pid) {
                fds[n] = (struct pollfd){.fd = r->workers[w].fd, .events = POLLIN};
                slot_of[n++] = w;
            }
        if (n == 0)
            break;
        /* SIGINT and SIGTERM are blocked but while waiting here, so none is missed */
        struct timespec tick = {0, 250000000};
        int ready = ppoll(fds, n, r->tty ? &tick : NULL, &r->wait_mask);
        if (ready < 0 && errno != EINTR)
            break;
        for (nfds_t i = 0; ready > 0 && i < n; i++) {
            if (!fds[i].revents)
                continue;
            unsigned slot = slot_of[i];
            if (read_worker(r, &r->workers[slot]) != 0) {
                worker_ended(r, slot);
                /* a worker that died while jobs remain is replaced */
                if (!stop_signal && atomic_load(&r->shm->next) < r->todo_count)
                    start_worker(r, slot);
            }
        }
        progress(r);
    }
}

/* ---- the run ------------------------------------------------------------------------- */

static unsigned online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* Prints the failures (and the warnings of the jobs that did not fail), in job order. */
static void print_diagnostics(struct run *r)
{
    for (size_t i = 0; i < r->selected_count; i++) {
        const struct result *res = &r->results[i];
        const struct job *j = &r->list->jobs[r->selected[i]];
        if (!res->done)
            continue;
        if (res->outcome == JOB_FAILED)
            fprintf(r->err, _("%s:%ld:%ld: error: %s was not written:\n"), r->list->path, j->line,
                    j->col > 0 ? j->col : 1, j->output ? j->output : _("the job's document"));
        if (res->text)
            fputs(res->text, r->err);
    }
}

static void print_summary(struct run *r, int stopped)
{
    if (r->opt->quiet)
        return;
    double t = seconds_since(&r->start);
    fprintf(r->err, "vanban batch: ");
    if (r->opt->shard_count > 1)
        fprintf(r->err, _("shard %u/%u: "), r->opt->shard_index, r->opt->shard_count);
    fprintf(r->err, P_("%zu document: %zu written, %zu up to date, %zu failed",
                       "%zu documents: %zu written, %zu up to date, %zu failed",
                       r->selected_count),
            r->selected_count, r->written, r->up_to_date, r->failed);
    if (stopped)
        fprintf(r->err, _(", %zu not made (interrupted)"), r->selected_count - r->done);
    fprintf(r->err, _(" in %.2f s (%.1f documents/s)\n"), t,
            t > 0 ? (double)r->done / t : 0.0);
}

/* Selects this shard's jobs, records the ones that fail before running, prepares folders. */
static int plan_run(struct run *r)
{
    const struct batch_options *opt = r->opt;
    size_t n = r->list->count;
    r->selected = calloc(n ? n : 1, sizeof *r->selected);
    r->todo = calloc(n ? n : 1, sizeof *r->todo);
    r->results = calloc(n ? n : 1, sizeof *r->results);
    if (!r->selected || !r->todo || !r->results)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (opt->shard_count <= 1 || i % opt->shard_count == opt->shard_index)
            r->selected[r->selected_count++] = i;
    for (size_t p = 0; p < r->selected_count; p++) {
        struct job *j = &r->list->jobs[r->selected[p]];
        if (!diag_error_count(&j->problems) && make_parent_dirs(j->output) != 0)
            diag_error(&j->problems, VB_EINTERNAL, j->output, 0, 0,
                       "cannot create its folder: %s", strerror(errno));
        if (diag_error_count(&j->problems)) {
            record_result(r, p, JOB_FAILED, diag_status(&j->problems), diags_text(&j->problems));
        } else {
            r->todo[r->todo_count++] = p;
        }
    }
    return 0;
}

static void free_run(struct run *r)
{
    for (size_t i = 0; r->results && i < r->selected_count; i++)
        free(r->results[i].text);
    for (unsigned w = 0; r->workers && w < r->worker_count; w++)
        free(r->workers[w].buf);
    free(r->workers);
    free(r->pollfds);
    free(r->slot_of);
    free(r->results);
    free(r->todo);
    free(r->selected);
    if (r->shm)
        munmap(r->shm, r->shm_size);
    jobs_free(r->list);
}

enum vb_status batch_run(struct batch_options *opt, FILE *err, int *stopped_by,
                         struct vb_diags *diags)
{
    *stopped_by = 0;
    stop_signal = 0;
    struct run r = {0};
    r.opt = opt;
    r.err = err;
    r.tty = isatty(fileno(err));
    clock_gettime(CLOCK_MONOTONIC, &r.start);

    struct jobs_settings js = {.output_dir = opt->output_dir, .units_path = opt->units_path,
                               .jobs_schema = opt->jobs_schema, .profile = opt->run.profile,
                               .profile_schema = opt->run.profile_schema,
                               .units_read = &opt->run.read};
    enum vb_status st = jobs_read(opt->jobs_path, &js, &r.list, diags);
    if (st != VB_OK)
        return st;
    /* every name the run writes, against every other and every file it reads, before
     * anything is written (the output folder included) */
    const struct renderer *rd = opt->run.renderer;
    struct run_file inputs[] = {
        {.path = rd->options.fonts_conf, .what = _("the font configuration")},
        {.path = rd->fonts->path[0], .what = _("a font file")},
        {.path = rd->fonts->path[1], .what = _("a font file")},
        {.path = rd->fonts->path[2], .what = _("a font file")},
        {.path = rd->fonts->path[3], .what = _("a font file")},
        {.path = opt->run.document_schema, .what = _("the document schema")},
        {.path = opt->run.template_schema, .what = _("the template schema")},
        {.path = opt->jobs_schema, .what = _("the jobs schema")},
        {.path = opt->run.profile_schema, .what = _("the profile schema")},
        {.path = opt->units_path, .what = _("the units directory")},
        {.path = opt->run.profile ? profile_path(opt->run.profile) : NULL,
         .what = _("the profile")},
    };
    st = runfiles_check_batch(r.list, rd->options.sidecar, opt->output_dir, inputs,
                          sizeof inputs / sizeof *inputs, diags);
    if (st != VB_OK) {
        jobs_free(r.list);
        return st;
    }
    if ((make_parent_dirs(opt->output_dir) != 0 || mkdir(opt->output_dir, 0777) != 0) &&
        errno != EEXIST) {
        jobs_free(r.list);
        return diag_error(diags, VB_EINTERNAL, opt->output_dir, 0, 0,
                          "cannot create the output folder: %s", strerror(errno));
    }
    size_t neutral = 0;
    for (size_t i = 0; i < r.list->count; i++)     /* a plain document needs no profile */
        neutral += r.list->jobs[i].profile && profile_is_neutral(r.list->jobs[i].profile) &&
                   job_field(&r.list->jobs[i], "template");
    if (neutral) {
        /* shown now, before the jobs' own messages, whose last error ends the output */
        struct vb_diags early = {0};
        diag_warning(&early, opt->jobs_path, 0, 0,
                     P_("%zu job has no profile (neither a profile column nor --profile): its "
                        "document shows the neutral profile's dotted placeholders for the "
                        "issuing body, plan and signer",
                        "%zu jobs have no profile (neither a profile column nor --profile): "
                        "their documents show the neutral profile's dotted placeholders for the "
                        "issuing body, plan and signer", neutral), neutral);
        diag_print(&early, err);
        diag_clear(&early);
    }
    int lock = lock_output(opt, diags);
    if (lock < 0 || jobrun_prepare(&opt->run, diags) != VB_OK ||
        plan_run(&r) != 0) {
        if (lock >= 0)
            close(lock);
        st = diag_status(diags) != VB_OK ? diag_status(diags)
                                         : diag_error(diags, VB_EINTERNAL, NULL, 0, 0,
                                                      "out of memory");
        free_run(&r);
        return st;
    }
    remove_stale_temps(&r);

    r.worker_count = opt->workers ? opt->workers : online_cores();
    if (r.worker_count > r.todo_count)
        r.worker_count = (unsigned)r.todo_count;
    r.shm_size = sizeof(struct shared) + (r.worker_count + 1) * sizeof(atomic_size_t);
    r.shm = r.worker_count ? mmap(NULL, r.shm_size, PROT_READ | PROT_WRITE,
                                  MAP_SHARED | MAP_ANONYMOUS, -1, 0)
                           : NULL;
    if (r.shm == MAP_FAILED)
        r.shm = NULL;
    r.workers = calloc(r.worker_count + 1, sizeof *r.workers);
    r.pollfds = calloc(r.worker_count + 1, sizeof *r.pollfds);
    r.slot_of = calloc(r.worker_count + 1, sizeof *r.slot_of);
    if (!r.workers || !r.pollfds || !r.slot_of || (r.worker_count && !r.shm)) {
        close(lock);
        free_run(&r);
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "cannot set up the workers: %s",
                          strerror(errno));
    }

    struct sigaction old_int, old_term;
    sigaction(SIGINT, NULL, &old_int);
    sigaction(SIGTERM, NULL, &old_term);
    set_handler(SIGINT, on_stop);
    set_handler(SIGTERM, on_stop);
    sigset_t stop_signals, old_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop_signals, &old_mask);
    r.wait_mask = old_mask;
    sigdelset(&r.wait_mask, SIGINT);
    sigdelset(&r.wait_mask, SIGTERM);
    unsigned started = 0;
    for (unsigned w = 0; w < r.worker_count; w++)
        started += start_worker(&r, w) == 0;
    if (started == 0 && r.worker_count)
        diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "cannot start a worker: %s",
                   strerror(errno));
    supervise(&r);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);

    /* a worker killed outright (or a crash) may have left a temporary */
    remove_stale_temps(&r);
    /* the workers do not flush each file: the run's outputs reach the disk here, at once */
    if (r.written && paths_flush_fs(opt->output_dir) != 0)
        diag_error(diags, VB_EINTERNAL, opt->output_dir, 0, 0,
                   "cannot flush the outputs to disk: %s", strerror(errno));
    close(lock);
    if (r.tty && !opt->quiet)
        fprintf(err, "\r\033[K");     /* the summary replaces the progress line */
    print_diagnostics(&r);
    print_summary(&r, stop_signal != 0);
    *stopped_by = stop_signal;

    st = diag_status(diags);
    for (size_t i = 0; i < r.selected_count; i++)
        if (r.results[i].done && r.results[i].outcome == JOB_FAILED && r.results[i].status > st)
            st = r.results[i].status;
    if (st == VB_OK && r.done < r.selected_count && !stop_signal)
        st = diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "%zu documents were not made",
                        r.selected_count - r.done);
    free_run(&r);
    return st;
}
