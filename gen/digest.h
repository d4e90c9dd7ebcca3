/*
 * digest.h: content hashes (SHA-256, through nettle) of the inputs of a document: bytes,
 * named fields and whole files, written as 64 hexadecimal digits. Each item is framed with
 * its kind and length, so two different lists of inputs never give the same stream.
 */
#ifndef VANBAN_DIGEST_H
#define VANBAN_DIGEST_H

#include <stddef.h>

#include <nettle/sha2.h>

/* Length of a digest written in hexadecimal, without the terminating NUL. */
#define DIGEST_HEX_LEN (2 * SHA256_DIGEST_SIZE)

/* A running hash. */
struct digest {
    struct sha256_ctx sha;
};

/* Starts a new hash. */
void digest_init(struct digest *d);

/* Adds a named text value ("template", "…/ke-hoach-huyen.xml"); value may be NULL, which
 * hashes differently from "". */
void digest_add_field(struct digest *d, const char *name, const char *value);

/* Adds a named block of bytes. */
void digest_add_bytes(struct digest *d, const char *name, const void *bytes, size_t len);

/* Adds the name and whole content of the file at path; a file that cannot be read adds its
 * name and the reason instead (the document's build then fails and reports it). Returns 0,
 * or -1 with errno set when the file could not be read. */
int digest_add_file(struct digest *d, const char *path);

/* Finishes the hash and writes it as hexadecimal into hex (DIGEST_HEX_LEN + 1 bytes). */
void digest_finish(struct digest *d, char *hex);

/* Writes the SHA-256 of the file's bytes alone into hex; returns 0, or -1 with errno set. */
int digest_file(const char *path, char *hex);

#endif
