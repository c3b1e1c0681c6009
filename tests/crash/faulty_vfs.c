/*
 * faulty_vfs.c — `jifen-faulty`: the jifen command over a SQLite VFS that fails chosen reads,
 * writes and syncs, for the fault-injection tests (tests/crash/fault_inject.py,
 * writer_fault_test.c). It is test code: `jifen-faulty` is the same library and the same main
 * as `jifen`, plus this file, whose constructor registers the VFS as SQLite's default before
 * main runs. The production binary has none of it.
 *
 * The VFS wraps the default one ("unix"): every file it opens is the default's file behind a
 * thin layer of methods that pass each call through, except xRead, xWrite and xSync, which
 * first ask the armed faults whether this call fails.
 *
 * Faults are armed by text, one fault per line (or separated by ';'):
 *
 *     OP KIND N [COUNT] [ERROR | delay MS] [thread NAME]
 *
 *   OP      read | write | sync
 *   KIND    db (the main store file), wal, journal, temp (statement journals, temporary
 *           tables), or any
 *   N       the Nth matching call from the moment the fault is armed fails (1: the next one)
 *   COUNT   how many matching calls fail from there on (1 by default)
 *   ERROR   ioerr (SQLITE_IOERR_READ, _WRITE or _FSYNC: the default) or full (SQLITE_FULL,
 *           writes only)
 *   delay   the call does not fail: it waits MS milliseconds first, then goes through (to
 *           hold the writer inside a commit while requests queue behind it)
 *   thread  counts only the calls of the thread of that name (as prctl names it: the server's
 *           writer is "jifen-writer", its checkpoint thread "jifen-ckpt")
 *
 * taken from the environment variable JIFEN_FAULTS at start, from the file that
 * JIFEN_FAULT_FILE names whenever that file changes (it is looked at on every read, write and
 * sync: a test re-arms a running server by writing a new file and renaming it over the old
 * one), and from jf_faulty_arm (faulty_vfs.h) in a program linked with this file. A new text
 * replaces every fault armed before; an empty one disarms. Each fault counts every matching
 * call. A failing call does nothing (a write writes nothing, a sync syncs nothing) and reports
 * itself on stderr:
 *
 *     jifen-faulty: fault: write wal #3 of 'PATH' fails (SQLITE_IOERR_WRITE)
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>

#include "faulty_vfs.h"

#define FAULTS_MAX 8
#define FAULT_TEXT_MAX 4096

enum op { OP_READ, OP_WRITE, OP_SYNC };

static const char *const op_names[] = {"read", "write", "sync"};
enum kind { K_DB, K_WAL, K_JOURNAL, K_TEMP, K_ANY };

static const char *const kind_names[] = {"db", "wal", "journal", "temp", "any"};

struct fault {
    enum op op;
    enum kind kind;
    long nth;   /* the matching call that fails first (1-based) */
    long count; /* how many fail from there */
    long seen;  /* matching calls since armed */
    int code;   /* what a failing call returns */
    int delay_ms; /* > 0: the call waits this long and goes through instead */
    char thread[16];
};

/* The armed faults and the control file's identity when last read; under `mu`. */
static struct {
    pthread_mutex_t mu;
    struct fault f[FAULTS_MAX];
    int n;
    const char *ctl_path;
    struct stat ctl_st;
    bool ctl_seen;
} faults = {.mu = PTHREAD_MUTEX_INITIALIZER};

struct ff_file {
    sqlite3_file base;      /* pMethods: ff_methods */
    sqlite3_file *real;     /* the default VFS's file, allocated right after this struct */
    enum kind kind;
    char path[256];
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs ff_vfs;

/* Parses one fault; false when the line is not one. */
static bool fault_parse(char *line, struct fault *f)
{
    char *tok[8], *save = NULL;
    int n = 0;
    for (char *t = strtok_r(line, " \t\r\n", &save); t != NULL && n < 8;
         t = strtok_r(NULL, " \t\r\n", &save)) {
        tok[n++] = t;
    }
    if (n < 3) {
        return false;
    }
    memset(f, 0, sizeof *f);
    int op = 0;
    while (op <= OP_SYNC && strcmp(tok[0], op_names[op]) != 0) {
        op++;
    }
    if (op > OP_SYNC) {
        return false;
    }
    f->op = (enum op)op;
    int k = 0;
    while (k <= K_ANY && strcmp(tok[1], kind_names[k]) != 0) {
        k++;
    }
    if (k > K_ANY) {
        return false;
    }
    f->kind = (enum kind)k;
    f->nth = strtol(tok[2], NULL, 10);
    f->count = 1;
    f->code = f->op == OP_READ    ? SQLITE_IOERR_READ
              : f->op == OP_WRITE ? SQLITE_IOERR_WRITE
                                  : SQLITE_IOERR_FSYNC;
    for (int i = 3; i < n; i++) {
        if (strcmp(tok[i], "full") == 0 && f->op == OP_WRITE) {
            f->code = SQLITE_FULL;
        } else if (strcmp(tok[i], "ioerr") == 0) {
            /* the default */
        } else if (strcmp(tok[i], "delay") == 0 && i + 1 < n) {
            f->delay_ms = (int)strtol(tok[++i], NULL, 10);
        } else if (strcmp(tok[i], "thread") == 0 && i + 1 < n) {
            snprintf(f->thread, sizeof f->thread, "%s", tok[++i]);
        } else if (tok[i][0] >= '1' && tok[i][0] <= '9') {
            f->count = strtol(tok[i], NULL, 10);
        } else {
            return false;
        }
    }
    return f->nth >= 1 && f->count >= 1 && f->delay_ms >= 0;
}

/* Replaces the armed faults by those of `text`; a line that is not a fault is reported and
 * skipped. Called with faults.mu held (or before any thread exists). */
static void faults_arm(const char *text)
{
    char buf[FAULT_TEXT_MAX];
    snprintf(buf, sizeof buf, "%s", text);
    faults.n = 0;
    char *save = NULL;
    for (char *line = strtok_r(buf, ";\n", &save); line != NULL;
         line = strtok_r(NULL, ";\n", &save)) {
        char copy[256];
        snprintf(copy, sizeof copy, "%s", line);
        if (strspn(line, " \t\r") == strlen(line)) {
            continue;
        }
        if (faults.n == FAULTS_MAX || !fault_parse(line, &faults.f[faults.n])) {
            fprintf(stderr, "jifen-faulty: not a fault: '%s'\n", copy);
            continue;
        }
        faults.n++;
    }
    if (faults.n > 0) {
        fprintf(stderr, "jifen-faulty: %d fault%s armed\n", faults.n, faults.n == 1 ? "" : "s");
    }
}

void jf_faulty_arm(const char *text)
{
    pthread_mutex_lock(&faults.mu);
    faults_arm(text);
    pthread_mutex_unlock(&faults.mu);
}

/* Re-reads the control file when it has changed since it was last read. With faults.mu held. */
static void faults_poll(void)
{
    struct stat st;
    if (faults.ctl_path == NULL || stat(faults.ctl_path, &st) != 0) {
        return;
    }
    if (faults.ctl_seen && st.st_ino == faults.ctl_st.st_ino &&
        st.st_size == faults.ctl_st.st_size &&
        st.st_mtim.tv_sec == faults.ctl_st.st_mtim.tv_sec &&
        st.st_mtim.tv_nsec == faults.ctl_st.st_mtim.tv_nsec) {
        return;
    }
    FILE *f = fopen(faults.ctl_path, "r");
    if (f == NULL) {
        return;
    }
    char text[FAULT_TEXT_MAX];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    faults.ctl_st = st;
    faults.ctl_seen = true;
    faults_arm(text);
}

static const char *code_name(int code)
{
    return code == SQLITE_FULL          ? "SQLITE_FULL"
           : code == SQLITE_IOERR_READ  ? "SQLITE_IOERR_READ"
           : code == SQLITE_IOERR_WRITE ? "SQLITE_IOERR_WRITE"
                                        : "SQLITE_IOERR_FSYNC";
}

/* What the armed faults make of this call (op on file p): SQLITE_OK to go through (after a
 * delay, for a delaying fault), else the error it fails with. */
static int fault_check(enum op op, const struct ff_file *p)
{
    char me[16] = "";
    prctl(PR_GET_NAME, me);
    int code = SQLITE_OK, delay_ms = 0;
    pthread_mutex_lock(&faults.mu);
    faults_poll();
    for (int i = 0; i < faults.n; i++) {
        struct fault *f = &faults.f[i];
        if (f->op != op || (f->kind != K_ANY && f->kind != p->kind) ||
            (f->thread[0] != '\0' && strcmp(f->thread, me) != 0)) {
            continue;
        }
        f->seen++;
        if (f->seen < f->nth || f->seen >= f->nth + f->count) {
            continue;
        }
        if (f->delay_ms > 0) {
            delay_ms = f->delay_ms > delay_ms ? f->delay_ms : delay_ms;
            fprintf(stderr, "jifen-faulty: fault: %s %s #%ld of '%s' waits %d ms\n",
                    op_names[op], kind_names[p->kind], f->seen, p->path, f->delay_ms);
        } else if (code == SQLITE_OK) {
            code = f->code;
            fprintf(stderr, "jifen-faulty: fault: %s %s #%ld of '%s' fails (%s)\n",
                    op_names[op], kind_names[p->kind], f->seen, p->path, code_name(code));
        }
    }
    pthread_mutex_unlock(&faults.mu);
    if (code == SQLITE_OK && delay_ms > 0) {
        struct timespec ts = {delay_ms / 1000, (long)(delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    return code;
}

/* ---- the file methods: each passes the call to the default VFS's file ------------------- */

static sqlite3_file *R(sqlite3_file *f)
{
    return ((struct ff_file *)f)->real;
}

static int ff_close(sqlite3_file *f)
{
    return R(f)->pMethods->xClose(R(f));
}

static int ff_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    int code = fault_check(OP_READ, (struct ff_file *)f);
    if (code != SQLITE_OK) {
        return code;
    }
    return R(f)->pMethods->xRead(R(f), buf, n, off);
}

static int ff_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    int code = fault_check(OP_WRITE, (struct ff_file *)f);
    if (code != SQLITE_OK) {
        return code;
    }
    return R(f)->pMethods->xWrite(R(f), buf, n, off);
}

static int ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return R(f)->pMethods->xTruncate(R(f), size);
}

static int ff_sync(sqlite3_file *f, int flags)
{
    int code = fault_check(OP_SYNC, (struct ff_file *)f);
    if (code != SQLITE_OK) {
        return code;
    }
    return R(f)->pMethods->xSync(R(f), flags);
}

static int ff_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return R(f)->pMethods->xFileSize(R(f), size);
}

static int ff_lock(sqlite3_file *f, int level)
{
    return R(f)->pMethods->xLock(R(f), level);
}

static int ff_unlock(sqlite3_file *f, int level)
{
    return R(f)->pMethods->xUnlock(R(f), level);
}

static int ff_check_reserved(sqlite3_file *f, int *out)
{
    return R(f)->pMethods->xCheckReservedLock(R(f), out);
}

static int ff_file_control(sqlite3_file *f, int op, void *arg)
{
    return R(f)->pMethods->xFileControl(R(f), op, arg);
}

static int ff_sector_size(sqlite3_file *f)
{
    return R(f)->pMethods->xSectorSize(R(f));
}

static int ff_device_characteristics(sqlite3_file *f)
{
    return R(f)->pMethods->xDeviceCharacteristics(R(f));
}

static int ff_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **out)
{
    return R(f)->pMethods->xShmMap(R(f), region, size, extend, out);
}

static int ff_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return R(f)->pMethods->xShmLock(R(f), offset, n, flags);
}

static void ff_shm_barrier(sqlite3_file *f)
{
    R(f)->pMethods->xShmBarrier(R(f));
}

static int ff_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return R(f)->pMethods->xShmUnmap(R(f), delete_flag);
}

static int ff_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
    return R(f)->pMethods->xFetch(R(f), off, n, out);
}

static int ff_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return R(f)->pMethods->xUnfetch(R(f), off, p);
}

/* Version 3, as the default VFS's files are: the WAL needs the shared-memory methods. */
static const sqlite3_io_methods ff_methods = {
    .iVersion = 3,
    .xClose = ff_close,
    .xRead = ff_read,
    .xWrite = ff_write,
    .xTruncate = ff_truncate,
    .xSync = ff_sync,
    .xFileSize = ff_file_size,
    .xLock = ff_lock,
    .xUnlock = ff_unlock,
    .xCheckReservedLock = ff_check_reserved,
    .xFileControl = ff_file_control,
    .xSectorSize = ff_sector_size,
    .xDeviceCharacteristics = ff_device_characteristics,
    .xShmMap = ff_shm_map,
    .xShmLock = ff_shm_lock,
    .xShmBarrier = ff_shm_barrier,
    .xShmUnmap = ff_shm_unmap,
    .xFetch = ff_fetch,
    .xUnfetch = ff_unfetch,
};

static enum kind kind_of(int flags)
{
    if (flags & SQLITE_OPEN_MAIN_DB) {
        return K_DB;
    }
    if (flags & SQLITE_OPEN_WAL) {
        return K_WAL;
    }
    if (flags & SQLITE_OPEN_MAIN_JOURNAL) {
        return K_JOURNAL;
    }
    return K_TEMP;
}

static int ff_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                   int *out_flags)
{
    (void)vfs;
    struct ff_file *p = (struct ff_file *)file;
    memset(p, 0, sizeof *p);
    p->real = (sqlite3_file *)(p + 1);
    p->kind = kind_of(flags);
    snprintf(p->path, sizeof p->path, "%s", name != NULL ? name : "(temporary)");
    int rc = real_vfs->xOpen(real_vfs, name, p->real, flags, out_flags);
    if (p->real->pMethods == NULL) {
        return rc; /* nothing to close */
    }
    /* the default VFS's files are version 3; fewer methods would need a table of their own */
    if (p->real->pMethods->iVersion < 3) {
        p->real->pMethods->xClose(p->real);
        return SQLITE_CANTOPEN;
    }
    p->base.pMethods = &ff_methods;
    return rc;
}

/* Registers the VFS as the default before main runs. */
__attribute__((constructor)) static void ff_register(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    if (real_vfs == NULL) {
        fprintf(stderr, "jifen-faulty: no default SQLite VFS\n");
        abort();
    }
    ff_vfs = *real_vfs; /* every other method is the default's own (they use pAppData alone) */
    ff_vfs.zName = "jifen-faulty";
    ff_vfs.szOsFile = (int)sizeof(struct ff_file) + real_vfs->szOsFile;
    ff_vfs.xOpen = ff_open;
    ff_vfs.pNext = NULL;
    if (sqlite3_vfs_register(&ff_vfs, 1) != SQLITE_OK) {
        fprintf(stderr, "jifen-faulty: registering the VFS failed\n");
        abort();
    }
    const char *env = getenv("JIFEN_FAULTS");
    if (env != NULL && env[0] != '\0') {
        faults_arm(env);
    }
    const char *ctl = getenv("JIFEN_FAULT_FILE");
    if (ctl != NULL && ctl[0] != '\0') {
        faults.ctl_path = ctl;
    }
}
