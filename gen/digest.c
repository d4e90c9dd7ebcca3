/* digest.c: content hashes of inputs, see digest.h. */
#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

void digest_init(struct digest *d) { sha256_init(&d->sha); }

/* Frames an item: kind byte, name, NUL, 8-byte length. */
static void frame(struct digest *d, char kind, const char *name, uint64_t len)
{
    uint8_t head[9];
    head[0] = (uint8_t)kind;
    sha256_update(&d->sha, 1, head);
    sha256_update(&d->sha, strlen(name) + 1, (const uint8_t *)name);
    for (int i = 0; i < 8; i++)
        head[i] = (uint8_t)(len >> (8 * i));
    sha256_update(&d->sha, 8, head);
}

void digest_add_field(struct digest *d, const char *name, const char *value)
{
    if (!value) {
        frame(d, 'n', name, 0);
        return;
    }
    size_t n = strlen(value);
    frame(d, 'f', name, n);
    sha256_update(&d->sha, n, (const uint8_t *)value);
}

void digest_add_bytes(struct digest *d, const char *name, const void *bytes, size_t len)
{
    frame(d, 'b', name, len);
    sha256_update(&d->sha, len, bytes);
}

/* Hashes the file's content into ctx; returns 0 or -1 with errno set. */
static int hash_content(struct sha256_ctx *ctx, const char *path, uint64_t *size)
{
    int fd = paths_open_input(path);    /* a pipe or a device would never end */
    if (fd < 0)
        return -1;
    uint8_t buf[65536];
    *size = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            errno = err;
            return -1;
        }
        if (n == 0)
            break;
        sha256_update(ctx, (size_t)n, buf);
        *size += (uint64_t)n;
    }
    close(fd);
    return 0;
}

int digest_add_file(struct digest *d, const char *path)
{
    struct sha256_ctx content;
    sha256_init(&content);
    uint64_t size = 0;
    if (hash_content(&content, path, &size) != 0) {
        int err = errno;
        digest_add_field(d, "unreadable", path);
        digest_add_field(d, "reason", strerror(err));
        errno = err;
        return -1;
    }
    uint8_t raw[SHA256_DIGEST_SIZE];
    sha256_digest(&content, sizeof raw, raw);
    frame(d, 'F', path, size);
    sha256_update(&d->sha, sizeof raw, raw);
    return 0;
}

static void to_hex(const uint8_t *raw, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
        hex[2 * i] = digits[raw[i] >> 4];
        hex[2 * i + 1] = digits[raw[i] & 15];
    }
    hex[DIGEST_HEX_LEN] = 0;
}

void digest_finish(struct digest *d, char *hex)
{
    uint8_t raw[SHA256_DIGEST_SIZE];
    sha256_digest(&d->sha, sizeof raw, raw);
    to_hex(raw, hex);
}

int digest_file(const char *path, char *hex)
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    uint64_t size;
    if (hash_content(&ctx, path, &size) != 0)
        return -1;
    uint8_t raw[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof raw, raw);
    to_hex(raw, hex);
    return 0;
}
